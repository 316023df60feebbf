/** Shared pieces of the `layers` tests: the vendored seed answers, the mpmath oracle, solving a problem file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProblem } from '../../src/problem/load.js';
import { loadProblem } from '../../src/problem/read.js';
import { solve, type Solution } from '../../src/derive/solve.js';
import { deriveJson, type DeriveJson } from '../../src/derive/json.js';
import { REPO, VENDORED_SEED_ANSWERS, readSeedAnswers, type SeedAnswer } from '../helpers/oracles.js';

export const HERE = join(REPO, 'test', 'layers');
export const FIXTURES = join(HERE, 'fixtures');
/** The S000-Q3*, S000-Q4* and S001-C* entries of the oracle (the vendored full seed-answers.json). */
const seeds = new Map(readSeedAnswers(VENDORED_SEED_ANSWERS).filter((a) => /^S001-C|^S000-Q[34]/.test(a.id)).map((a) => [a.id, a]));
export function seed(id: string): SeedAnswer & Record<string, unknown> {
  const a = seeds.get(id);
  if (!a) throw new Error(`no seed answer '${id}'`);
  return a as SeedAnswer & Record<string, unknown>;
}
export const vendoredIds = (): string[] => [...seeds.keys()];

type Nested = number | Nested[];
export interface OracleEntry { readonly values: Record<string, Nested>; readonly gradients: Record<string, Record<string, Nested>> }
export const oracle = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as Record<string, OracleEntry>;

export interface Solved { readonly sol: Solution; readonly json: DeriveJson }
export function solveFile(file: string): Solved {
  const sol = solve(loadProblem(file));
  return { sol, json: deriveJson(sol) };
}
export function solveText(text: string, file = 'inline.yaml'): Solved {
  const sol = solve(parseProblem(text, file));
  return { sol, json: deriveJson(sol) };
}

/** [H][W][C] -> [C][H][W] (the seed answers list channels first). */
export const channelsFirst = (t: number[][][]): number[][][] =>
  Array.from({ length: t[0]![0]!.length }, (_, c) => t.map((row) => row.map((cell) => cell[c]!)));

export const problem = (name: string): string => join(REPO, 'problems', name);
