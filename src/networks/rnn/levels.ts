/**
 * The generic engine's results read back by role, as the RNN's sheet
 * sections print them: the given values and the forward values as
 * matrices (one row per step), and for each loss `of` its deltas (dE/du_t,
 * dE/dz_t, dE/dz2_t) and gradients. Nothing here differentiates: the deltas
 * are the tensor level's adjoints of u, z and z2 (kept by name, build.ts).
 */
import { ref } from '../../expr/expr.js';
import type { TensorPass, TensorSolution } from '../core/solution.js';
import type { Tensor } from '../../expr/tensor-value.js';
import { evalExpr } from '../../numeric/evaluate.js';
import type { Mat, Vec } from '../../numeric/matrix.js';
import { FUNCTIONS } from '../../ops/registry.js';
import type { RnnLayout } from './layout.js';
import type { Role, RnnHidden, RnnSpec } from './spec.js';

/** Parameters and data, as matrices; absent parts are null. `target[t-1]` is null at steps without a target. */
export interface RnnValues {
  readonly W1: Mat; readonly H1: Mat; readonly b1: Vec | null; readonly bh: Vec | null;
  readonly W3: Mat | null; readonly H3: Mat | null; readonly b3: Vec | null;
  readonly W2: Mat; readonly b2: Vec | null;
  readonly x: Mat; readonly h0: Vec; readonly s0: Vec | null;
  readonly target: ReadonlyArray<Vec | null>;
}

/** Rows are steps 1..T (index t-1). Output rows are null where the network has no output (many-to-one). */
export interface RnnForward {
  readonly z: Mat; readonly h: Mat;
  readonly z2: Mat | null; readonly s: Mat | null;
  readonly u: ReadonlyArray<Vec | null>; readonly y: ReadonlyArray<Vec | null>;
}

export interface RnnBackward {
  /** the steps whose losses are differentiated (1-based) */
  readonly lossSteps: readonly number[];
  /** dE/du_t, null at steps without a loss term */
  readonly deltaOut: ReadonlyArray<Vec | null>;
  /** dE/dz_t (first recurrent layer) */
  readonly delta1: Mat;
  /** dE/dz2_t (second layer), stacked networks only */
  readonly delta2: Mat | null;
  /** dE/dparameter, by role */
  readonly grads: Readonly<Partial<Record<Role, Mat | Vec>>>;
}

const vec = (t: Tensor | undefined): Vec => (t ? [...t.data] : []);
const mat = (t: Tensor | undefined): Mat => {
  if (!t) return [];
  if (t.shape.length < 2) return [...t.data].map((v) => [v]);
  const c = t.shape[1]!;
  return Array.from({ length: t.shape[0]! }, (_, i) => [...t.data.slice(i * c, (i + 1) * c)]);
};

/** The given values by role, or null when a parameter or input has no value. */
export function readValues(layout: RnnLayout, ts: TensorSolution): RnnValues | null {
  const spec = layout.spec, n = spec.names, leaves = ts.network.leaves;
  const has = (r: Role) => spec.roles.includes(r);
  const need = (['W1', 'H1', 'W2', 'x', 'h0'] as Role[]).concat(spec.stacked === 2 ? ['W3', 'H3', 's0'] : [])
    .concat((['b1', 'b2', 'b3', 'bh'] as Role[]).filter(has));
  if (need.some((r) => !leaves.has(n[r]))) return null;
  const opt = (r: Role): Vec | null => (has(r) ? vec(leaves.get(n[r])) : null);
  const T = spec.steps, O = spec.sizes.output;
  const t = leaves.get(n.t);
  const target = Array.from({ length: T }, (_, i) => {
    if (!t) return null;
    if (spec.mode === 'many-to-many') return [...t.data.slice(i * O, (i + 1) * O)];
    return i === T - 1 ? [...t.data] : null;
  });
  return {
    W1: mat(leaves.get(n.W1)), H1: mat(leaves.get(n.H1)), b1: opt('b1'), bh: opt('bh'),
    W3: spec.stacked === 2 ? mat(leaves.get(n.W3)) : null, H3: spec.stacked === 2 ? mat(leaves.get(n.H3)) : null, b3: opt('b3'),
    W2: mat(leaves.get(n.W2)), b2: opt('b2'), x: mat(leaves.get(n.x)), h0: vec(leaves.get(n.h0)),
    s0: spec.stacked === 2 ? vec(leaves.get(n.s0)) : null, target,
  };
}

/** The forward values by role, one row per step. */
export function readForward(layout: RnnLayout, ts: TensorSolution): RnnForward {
  const spec = layout.spec, n = spec.names, f = ts.forward;
  const rows = (name: string): Mat => (f.seq.get(name) ?? []).map(vec);
  const T = spec.steps;
  const out = (name: string): Array<Vec | null> => (spec.mode === 'many-to-many'
    ? rows(name)
    : Array.from({ length: T }, (_, i) => (i === T - 1 ? vec(f.values.get(name)) : null)));
  return {
    z: rows(n.z), h: rows(n.h),
    z2: spec.stacked === 2 ? rows(n.z2) : null, s: spec.stacked === 2 ? rows(n.s) : null,
    u: out(n.u), y: out(n.y),
  };
}

/** The loss steps a pass differentiates: E -> every step with a loss, e[t] -> step t. */
export function lossStepsOf(layout: RnnLayout, pass: TensorPass): number[] | null {
  const spec = layout.spec;
  if (pass.node === spec.names.E && pass.step === null) return spec.mode === 'many-to-many' ? Array.from({ length: spec.steps }, (_, i) => i + 1) : [spec.steps];
  if (spec.mode === 'many-to-many' && pass.node === spec.names.e && pass.step !== null) return [pass.step];
  return null;
}

/** One pass's deltas and gradients by role, from the tensor level's adjoints. */
export function readBackward(layout: RnnLayout, ts: TensorSolution, pass: TensorPass, lossSteps: readonly number[]): RnnBackward {
  const spec = layout.spec, n = spec.names, T = spec.steps;
  const counted = new Set(lossSteps);
  const seqRows = (name: string, size: number): Mat => Array.from({ length: T }, (_, i) => vec(pass.values.seq.get(name)?.[i]) ?? []).map((r) => (r.length ? r : new Array<number>(size).fill(0)));
  const O = spec.sizes.output;
  const deltaOut: Array<Vec | null> = spec.mode === 'many-to-many'
    ? seqRows(n.u, O).map((r, i) => (counted.has(i + 1) ? r : null))
    : Array.from({ length: T }, (_, i) => (i === T - 1 && counted.has(T) ? (pass.values.values.has(n.u) ? vec(pass.values.values.get(n.u)) : new Array<number>(O).fill(0)) : null));
  const grads: Partial<Record<Role, Mat | Vec>> = {};
  for (const r of spec.roles) {
    const g = pass.values.values.get(n[r]);
    if (!g || !['W1', 'H1', 'b1', 'bh', 'W3', 'H3', 'b3', 'W2', 'b2'].includes(r)) continue;
    grads[r] = g.shape.length === 2 ? mat(g) : vec(g);
  }
  return {
    lossSteps,
    deltaOut,
    delta1: seqRows(n.z, spec.sizes.hidden),
    delta2: spec.stacked === 2 ? seqRows(n.z2, spec.sizes.hidden2) : null,
    grads,
  };
}

/** f'(z) from z and the state a = f(z), by the activation's rule in the op registry (tanh' = 1 - a^2). */
export function activationSlope(f: RnnHidden, z: number, a: number): number {
  const rule = FUNCTIONS[f].partials([ref('\u0000z')], ref('\u0000a'))[0]!;
  return evalExpr(rule, (k) => (k === '\u0000z' ? z : a));
}

export type { RnnSpec };
