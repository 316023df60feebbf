/** Shared set-up for the check tests: problem contexts (prepared once) and the SymPy oracle. */
import { readFileSync } from 'node:fs';
import { seedAnswers } from '../helpers/seed-answers.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProblem } from '../../src/problem/read.js';
import { prepareCheck, type CheckContext } from '../../src/check/context.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
export const fixture = (name: string): string => join(here, 'fixtures', name);
export const shipped = (name: string): string => join(ROOT, 'problems', name);

const contexts = new Map<string, CheckContext>();
/** A prepared check for d of / d wrt of a problem file (cached: preparing solves the problem). */
export function ctxFor(file: string, of: string, wrt: string): CheckContext {
  const key = `${file}|${of}|${wrt}`;
  let c = contexts.get(key);
  if (!c) contexts.set(key, (c = prepareCheck(loadProblem(file), of, wrt)));
  return c;
}

export interface OracleEntry {
  id: string;
  answer_symbolic: string | string[] | string[][];
  answer_numeric: number | number[] | number[][];
  three_terms_symbolic?: string[];
  three_terms_numeric?: number[];
  truncated_single_step_symbolic?: string;
  seed_formula_value?: Record<string, number[][]>;
  intermediates?: Record<string, number>;
}

let oracle: OracleEntry[] | null = null;
/** An exercise of ../shared/seed-answers.json: answers computed independently with SymPy. */
export function seed(id: string): OracleEntry {
  oracle ??= seedAnswers<OracleEntry>();
  const e = oracle.find((x) => x.id === id);
  if (!e) throw new Error(`no oracle entry ${id}`);
  return e;
}

/** Relative closeness for oracle numbers. */
export const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
