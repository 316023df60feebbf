/**
 * Writes the golden `derive --json` files of problems that have none:
 * `npx tsx test/golden/update.ts`; `--all` rewrites every one. Run it only on
 * purpose (a new problem, or a change whose numbers were checked), and review
 * the diff: the test compares every number against these.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { solve } from '../../src/derive/solve.js';
import { deriveJson } from '../../src/derive/json.js';
import { loadProblem } from '../../src/problem/read.js';
import { GOLDEN_DIR, ROOT, goldenCases } from './files.js';

mkdirSync(GOLDEN_DIR, { recursive: true });
const all = process.argv.includes('--all');
for (const { problem, golden } of goldenCases()) {
  if (!all && existsSync(golden)) continue;
  const json = deriveJson(solve(loadProblem(join(ROOT, problem))));
  writeFileSync(golden, JSON.stringify({ problem, derive: json }, null, 1) + '\n');
  console.log(`${problem} -> ${relative(ROOT, golden)}`);
}
