/**
 * Exact closed forms of the deltas and gradients for the sheet (exact: true):
 * the given values as rationals, the exact BPTT, shorthands for repeated
 * pieces, and a size guard, beyond which only decimals are shown.
 */
import type { Graph } from '../../expr/graph.js';
import { dagSize, type Expr } from '../../expr/expr.js';
import type { Rational } from '../../expr/rational.js';
import { exactBptt, Lin, type ExactValues, type LinMat, type LinVec } from './exact.js';
import type { RnnLayout } from './layout.js';
import { PARAMETER_ROLES, type Role } from './spec.js';
import { shorthands, type Shorthand } from './shorthand.js';

/** Largest exact computation shown (DAG nodes over all deltas and gradients); past it the forms stop helping a reader. */
export const MAX_EXACT_NODES = 1500;
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

function exactValues(layout: RnnLayout, graph: Graph, leaves: ReadonlyMap<string, Rational>): ExactValues | null {
  const spec = layout.spec;
  const read = (role: Role): Lin[] | null => {
    if (!spec.roles.includes(role)) return null;
    const v = graph.tensors.get(spec.names[role])!.keys.map((k) => leaves.get(k));
    return v.every((r): r is Rational => r !== undefined) ? v.map((r) => Lin.of(r)) : null;
  };
  const rows = (role: Role, v: Lin[] | null): LinMat | null => {
    if (!v) return null;
    const cols = graph.tensors.get(spec.names[role])!.shape[1]!;
    return Array.from({ length: v.length / cols }, (_, i) => v.slice(i * cols, (i + 1) * cols));
  };
  const params: Partial<Record<Role, LinMat | LinVec>> = {};
  for (const r of PARAMETER_ROLES) {
    if (!spec.roles.includes(r)) continue;
    const v = read(r);
    if (!v) return null;
    params[r] = graph.tensors.get(spec.names[r])!.shape.length === 2 ? rows(r, v)! : v;
  }
  const x = rows('x', read('x')), h0 = read('h0'), s0 = read('s0'), t = read('t');
  if (!x || !h0 || (spec.stacked === 2 && !s0) || !t) return null;
  const O = spec.sizes.output, T = spec.steps;
  const target = Array.from({ length: T }, (_, i) => (spec.mode === 'many-to-many' ? t.slice(i * O, (i + 1) * O) : i === T - 1 ? t : null));
  return { params, x, h0, s0, target };
}

export function exactForms(layout: RnnLayout, graph: Graph, leaves: ReadonlyMap<string, Rational>, lossSteps: readonly number[]): ExactForms | null {
  const values = exactValues(layout, graph, leaves);
  if (!values) return null;
  const b = exactBptt(layout.spec, values, lossSteps);
  // Flatten every displayed entry, name the repeated pieces once, then put the strings back in place.
  const roots: Expr[] = [];
  const take = (v: LinVec): number[] => v.map((x) => roots.push(x.expr()) - 1);
  const out = b.deltaOut.map((d) => (d ? take(d) : null));
  const d1 = b.delta1.map(take);
  const d2 = b.delta2?.map(take) ?? null;
  const g: Partial<Record<Role, number[][] | number[]>> = {};
  for (const r of PARAMETER_ROLES) {
    const m = b.grads[r];
    if (m) g[r] = Array.isArray(m[0]) ? (m as LinMat).map(take) : take(m as LinVec);
  }
  if (dagSize(roots) > MAX_EXACT_NODES) return null;
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
