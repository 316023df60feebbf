/** Shared by the rnn tests: loading shipped problems, the seed oracle, and problems written inline. */
import { seedAnswers } from '../helpers/seed-answers.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solve, type Solution } from '../../src/derive/solve.js';
import { deriveJson, type DeriveJson } from '../../src/derive/json.js';
import { parseProblem } from '../../src/problem/load.js';
import { loadProblem } from '../../src/problem/read.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const solved = new Map<string, { sol: Solution; json: DeriveJson }>();
/** A shipped problem, solved once per test file (solutions are never mutated). */
export function solveFile(name: string): { sol: Solution; json: DeriveJson } {
  let r = solved.get(name);
  if (!r) {
    const sol = solve(loadProblem(join(ROOT, 'problems', name)));
    solved.set(name, (r = { sol, json: deriveJson(sol) }));
  }
  return r;
}

export function solveText(text: string, file = 'inline.yaml'): { sol: Solution; json: DeriveJson } {
  const sol = solve(parseProblem(text, file));
  return { sol, json: deriveJson(sol) };
}

interface SeedAnswer {
  id: string;
  answer_numeric: unknown;
  intermediates?: Record<string, unknown>;
  [k: string]: unknown;
}

let answers: SeedAnswer[] | null = null;
/** An entry of ../shared/seed-answers.json (SymPy answers to every seed exercise, independent of gradsheet). */
export function seedAnswer(id: string): SeedAnswer {
  answers ??= seedAnswers<SeedAnswer>();
  const a = answers.find((x) => x.id === id);
  if (!a) throw new Error(`no seed answer ${id}`);
  return a;
}

/** Every number of a nested array, in order. */
export const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

/** Elementwise closeness of nested arrays (same shape), relative to max(1, |expected|). */
export function expectClose(actual: unknown, expected: unknown, tol = 1e-9): void {
  const a = flat(actual), e = flat(expected);
  if (a.length !== e.length) throw new Error(`shape differs: ${a.length} values, expected ${e.length}`);
  a.forEach((x, i) => {
    const err = Math.abs(x - e[i]!) / Math.max(1, Math.abs(e[i]!));
    if (!(err <= tol)) throw new Error(`entry ${i}: ${x} vs expected ${e[i]} (error ${err})`);
  });
}
