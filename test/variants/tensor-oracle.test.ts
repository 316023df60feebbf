/**
 * The independent NumPy oracle of test/variants/tensor-oracle/ (written by a
 * helper that did not read the code) on the answers.json of 200 variants of
 * problems/variants-mlp-softmax.yaml and 50 of problems/variants-lstm.yaml:
 * `python3 oracle.py PROBLEM.yaml ANSWERS.json` recomputes every value and
 * gradient from each variant's drawn inputs, checks every require line and
 * that no draw repeats, and must exit 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../../src/problem/read.js';
import { answersJson } from '../../src/variants/answers.js';
import { solveVariants } from '../../src/variants/job.js';
import { REPO } from '../helpers/oracles.js';

const ORACLE = join(REPO, 'test', 'variants', 'tensor-oracle', 'oracle.py');
const CASES = [
  { problem: 'problems/variants-mlp-softmax.yaml', count: 200 },
  { problem: 'problems/variants-lstm.yaml', count: 50 },
] as const;

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gradsheet-tensor-oracle-'));
  for (const c of CASES) {
    const run = solveVariants(loadProblem(join(REPO, c.problem)), 'oracle', 1, c.count);
    writeFileSync(join(tmp, `${c.count}.json`), answersJson(run.variants));
  }
}, 60_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe('the NumPy oracle of test/variants/tensor-oracle/ on the variants\' answers.json', () => {
  for (const c of CASES) {
    it(`${c.count} variants of ${c.problem}: the oracle recomputes every value and gradient and exits 0`, () => {
      const r = spawnSync('python3', [ORACLE, join(REPO, c.problem), join(tmp, `${c.count}.json`)], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
      expect(r.error).toBeUndefined();
      expect(r.status, `the oracle said:\n${r.stdout}\n${r.stderr}`).toBe(0);
    }, 120_000);
  }
});
