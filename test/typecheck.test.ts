/**
 * The tests and benchmarks are type-checked with src (tsconfig.test.json), as
 * part of `npm test`: a test that no longer matches the types of the code it
 * tests fails here, with tsc's errors in the message. It runs as a vitest
 * test so that vitest's report stays the last output of `npm test`.
 * Incremental: the build info lives in node_modules/.cache (git-ignored),
 * so a run after an unchanged one takes about 3 s instead of 18 s.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { REPO } from './helpers/oracles.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

it('test/ and bench/ type-check with src (npm run typecheck:tests)', () => {
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.test.json'], { cwd: REPO, encoding: 'utf8', timeout: 280_000 });
  expect(r.error).toBeUndefined();
  expect(r.status, `tsc -p tsconfig.test.json found type errors:\n${r.stdout}${r.stderr}`).toBe(0);
}, 300_000);
