/**
 * Issue 8, item 2: fuzzing problem files. 10,000 files generated with fast-check from the
 * shipped problems (lines deleted, duplicated, swapped, retyped; random values, numbers and
 * formulas; truncation; random bytes) go through `parseProblem` + `solve` in-process. The
 * only exception allowed is a ProblemError (the user's mistake, with its place); each run
 * stays within its budget: the node budget is lowered to 20,000 (over it is a clean
 * BudgetExceeded error) and no single run may take longer than a generous 5 s.
 * The finite-difference check runs on one file in 25 (it costs more than the rest).
 * FUZZ_SEED=n replays another sequence; the seed is printed with the summary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO } from '../helpers/oracles.js';
import { parseProblem } from '../../src/problem/load.js';
import { solve } from '../../src/derive/solve.js';
import { ProblemError } from '../../src/errors.js';
import { DEFAULT_MAX_NODES, setNodeBudget } from '../../src/expr/graph.js';
import { fileCase, mutate, seeds } from './fuzz-gen.js';

const RUNS = 10_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const PER_RUN_MS = 5_000;

afterAll(() => setNodeBudget(DEFAULT_MAX_NODES));

describe('fuzzing problem files', () => {
  test(`${RUNS} mutated problem files: only ProblemErrors, each run within ${PER_RUN_MS} ms`, () => {
    setNodeBudget(20_000);
    const cases = fc.sample(fileCase, { numRuns: RUNS, seed: SEED });
    const failures: string[] = [];
    let clean = 0, problemErrors = 0, solved = 0, slowest = 0, slowestName = '';
    cases.forEach((c, n) => {
      const text = mutate(c);
      const name = `${seeds[c.seed]!.name} #${n} ${JSON.stringify(c.mutations).slice(0, 300)}`;
      const t0 = performance.now();
      try {
        solve(parseProblem(text, 'fuzz.yaml'), { skipCheck: n % 25 !== 0 });
        solved++;
        clean++;
      } catch (e) {
        if (e instanceof ProblemError && e.message.length > 0 && !e.message.includes('\n')) { problemErrors++; clean++; }
        else failures.push(`${name}: ${e instanceof Error ? e.stack?.split('\n').slice(0, 4).join(' | ') : String(e)}`);
      }
      const ms = performance.now() - t0;
      if (ms > slowest) { slowest = ms; slowestName = name; }
    });
    console.log(`fuzz problems (seed ${SEED}): ${cases.length} files, ${clean} handled cleanly (${solved} solved, ${problemErrors} ProblemErrors), slowest ${slowest.toFixed(0)} ms: ${slowestName.slice(0, 120)}`);
    expect(cases.length).toBe(RUNS);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(slowest).toBeLessThan(PER_RUN_MS);
    // a fuzzer that never gets past the parser tests nothing deep
    expect(solved).toBeGreaterThan(RUNS / 10);
  }, 180_000);

  test('the answer-string fuzzing of check has at least 10,000 runs', () => {
    const src = readFileSync(join(REPO, 'test', 'check', 'fuzz.test.ts'), 'utf8');
    // it counts its own runs (stats.runs, 11,000 with its five properties) and asserts the floor
    expect(src).toMatch(/expect\(stats\.runs\)\.toBeGreaterThanOrEqual\(10_000\)/);
  });
});
