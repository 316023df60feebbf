/** Shared by the tensor tests: the shipped tensor problems and the independent NumPy oracle's answers. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solve, type Solution } from '../../src/derive/solve.js';
import { deriveJson, type DeriveJson } from '../../src/derive/json.js';
import { parseProblem } from '../../src/problem/load.js';
import { loadProblem } from '../../src/problem/read.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The tensor problems: their file in problems/ (shipped) or test/tensor/problems/ (before they ship). */
export const TENSOR_PROBLEMS = [
  'tensor-mlp-softmax', 'tensor-softmax-regression', 'tensor-batchnorm-backward', 'tensor-attention-head',
  'tensor-tied-autoencoder', 'tensor-residual-block', 'time-lstm', 'time-gru', 'time-rnn-many-to-one', 'time-stacked-rnn',
] as const;

export function problemPath(id: string): string {
  const shipped = join(ROOT, 'problems', `${id}.yaml`);
  return existsSync(shipped) ? shipped : join(ROOT, 'test', 'tensor', 'problems', `${id}.yaml`);
}

const solved = new Map<string, { sol: Solution; json: DeriveJson }>();
export function solveTensorProblem(id: string): { sol: Solution; json: DeriveJson } {
  let r = solved.get(id);
  if (!r) {
    const sol = solve(loadProblem(problemPath(id)));
    solved.set(id, (r = { sol, json: deriveJson(sol) }));
  }
  return r;
}

export function solveText(text: string, file = 'inline.yaml'): { sol: Solution; json: DeriveJson } {
  const sol = solve(parseProblem(text, file));
  return { sol, json: deriveJson(sol) };
}

export interface OracleAnswer {
  values?: Record<string, unknown>;
  gradients?: Record<string, Record<string, unknown>>;
  updates?: Record<string, unknown>;
}

/** test/tensor/oracle/expected.json: NumPy forward passes and hand-written backward passes (oracle.py), written without reading src/. */
export const oracle = (): Record<string, OracleAnswer> =>
  JSON.parse(readFileSync(join(ROOT, 'test', 'tensor', 'oracle', 'expected.json'), 'utf8')) as Record<string, OracleAnswer>;

export const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);

/** Every difference beyond |a - b| <= tol max(1, |b|), as `where: a vs b`. */
export function differences(got: unknown, want: unknown, where: string, tol = 1e-9): string[] {
  const a = flat(got), b = flat(want);
  if (a.length !== b.length) return [`${where}: ${a.length} entries, expected ${b.length}`];
  const out: string[] = [];
  a.forEach((x, i) => { if (!(Math.abs(x - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)))) out.push(`${where}[${i}]: ${x} vs ${b[i]}`); });
  return out;
}
