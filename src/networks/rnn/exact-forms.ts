/**
 * Exact closed forms of the deltas and gradients for the sheet (exact: true):
 * the generic engine's exact level (derive/tensor-exact.ts) read by role,
 * shorthands for repeated pieces, and a size guard, beyond which only
 * decimals are shown.
 */
import type { Expr } from '../../expr/expr.js';
import type { Rational } from '../../expr/rational.js';
import { exactLevel } from '../core/tensor-exact.js';
import type { TensorPass, TensorSolution } from '../core/solution.js';
import { shorthands, type Shorthand } from '../../simplify/shorthand.js';
import type { RnnLayout } from './layout.js';
import { PARAMETER_ROLES, type Role } from './spec.js';

/** Longest single formula shown, in LaTeX characters. */
export const MAX_EXACT_CHARS = 600;
/** Most shorthands a reader is asked to keep in mind. */
export const MAX_SHORTHANDS = 24;

export interface ExactForms {
  readonly deltaOut: ReadonlyArray<string[] | null>;
  readonly delta1: readonly string[][];
  readonly delta2: readonly string[][] | null;
  readonly grads: Readonly<Partial<Record<Role, string[][] | string[]>>>;
  readonly shorthands: readonly Shorthand[];
}

export function exactForms(layout: RnnLayout, ts: TensorSolution, pass: TensorPass, lossSteps: readonly number[], leafValue: (key: string) => Rational | undefined): ExactForms | null {
  const spec = layout.spec, n = spec.names, T = spec.steps;
  const level = exactLevel(ts, pass, leafValue);
  if (!level) return null;
  // Flatten every displayed entry, name the repeated pieces once, then put the strings back in place.
  const roots: Expr[] = [];
  const take = (v: readonly Expr[] | null): number[] | null => (v ? v.map((x) => roots.push(x) - 1) : null);
  const counted = new Set(lossSteps);
  const out = Array.from({ length: T }, (_, i) => (!counted.has(i + 1) ? null : take(spec.mode === 'many-to-many' ? level.adjoint(n.u, i + 1) : level.adjoint(n.u, null))));
  const d1 = Array.from({ length: T }, (_, i) => take(level.adjoint(n.z, i + 1)) ?? []);
  const d2 = spec.stacked === 2 ? Array.from({ length: T }, (_, i) => take(level.adjoint(n.z2, i + 1)) ?? []) : null;
  const g: Partial<Record<Role, number[][] | number[]>> = {};
  for (const r of PARAMETER_ROLES) {
    if (!spec.roles.includes(r)) continue;
    const entries = take(level.adjoint(n[r], null));
    if (!entries) continue;
    const shape = ts.network.graph.nodes.get(n[r])!.shape;
    g[r] = shape.length === 2 ? Array.from({ length: shape[0]! }, (_, i) => entries.slice(i * shape[1]!, (i + 1) * shape[1]!)) : entries;
  }
  const sh = shorthands(roots);
  if (sh.defs.length > MAX_SHORTHANDS || sh.roots.some((s) => s.length > MAX_EXACT_CHARS) || sh.defs.some((d) => d.definition.length > MAX_EXACT_CHARS)) return null;
  const str = (i: number) => sh.roots[i]!;
  const grads: Partial<Record<Role, string[][] | string[]>> = {};
  for (const [r, m] of Object.entries(g) as Array<[Role, number[][] | number[]]>) {
    grads[r] = Array.isArray(m[0]) ? (m as number[][]).map((row) => row.map(str)) : (m as number[]).map(str);
  }
  return {
    deltaOut: out.map((d) => d?.map(str) ?? null),
    delta1: d1.map((row) => row.map(str)),
    delta2: d2?.map((row) => row.map(str)) ?? null,
    grads,
    shorthands: sh.defs,
  };
}
