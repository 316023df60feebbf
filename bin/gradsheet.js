#!/usr/bin/env node
// Runs the compiled CLI (npm run build:ts); falls back to tsx for a checkout without dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const compiled = join(root, 'dist', 'src', 'cli.js');
let main;
if (existsSync(compiled)) ({ main } = await import(pathToFileURL(compiled).href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(join(root, 'src', 'cli.ts')).href));
}
process.exitCode = await main(process.argv.slice(2));
