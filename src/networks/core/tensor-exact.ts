/**
 * Exact values of a tensor solution, entry by entry, for the sheets of
 * problems with `exact: true`: the given values as rationals, every forward
 * node and every kept adjoint expanded through each op's scalar expansion,
 * functions kept unevaluated (tanh(1/2)), like terms collected (simplify/
 * lin.ts) and quotients cancelled (a softmax of equal inputs is exactly 1/2).
 * This is the same derivation as the tensor level's, in exact arithmetic; a
 * size guard stops it where exact forms stop helping a reader.
 */
import { num, rebuildApply, zero, type Expr } from '../../expr/expr.js';
import type { Rational } from '../../expr/rational.js';
import { indicesOf } from '../../expr/graph.js';
import type { TExpr, TRef } from '../../expr/tensor.js';
import { expand, entryKey } from '../../diff/scalar-level.js';
import { stepCases } from '../../numeric/tensor-adjoint-eval.js';
import type { ScalarArg } from '../../ops/tensor-ops.js';
import { Lin } from '../../simplify/lin.js';
import { simplify } from '../../simplify/index.js';
import type { TensorPass, TensorSolution } from './solution.js';

export interface ExactLevel {
  /** a forward node's exact entries (at a step for a sequence) */
  forward(name: string, step: number | null): readonly Expr[] | null;
  /** a kept adjoint's (or a leaf gradient's) exact entries */
  adjoint(name: string, step: number | null): readonly Expr[] | null;
}

/** Largest exact computation (DAG nodes over every entry): past it, only decimals. */
export const MAX_EXACT_NODES = 4000;

class TooLarge extends Error {}

/**
 * A value as a seed prints it: like terms collected at every level (a sum
 * inside a product too), products of sums kept factored, and a quotient
 * cancelled where it can be (a softmax of equal inputs is 1/2).
 */
function tidy(e: Expr): Expr {
  const memo = new Map<number, Expr>();
  const visit = (x: Expr): Expr => {
    if (x.kind !== 'apply') return x;
    const hit = memo.get(x.id);
    if (hit) return hit;
    let r = rebuildApply(x.op, x.args.map(visit));
    if (r.kind === 'apply' && (r.op === 'add' || r.op === 'neg' || r.op === 'mul')) r = Lin.from(r).expr();
    if (r.kind === 'apply' && r.op === 'div') r = Lin.from(simplify(r)).expr();
    memo.set(x.id, r);
    return r;
  };
  return visit(e);
}

export function exactLevel(ts: TensorSolution, pass: TensorPass, leafValue: (key: string) => Rational | undefined): ExactLevel | null {
  const g = ts.network.graph;
  const T = g.steps ?? 0;
  const fwd = new Map<string, Expr[]>();
  const adj = new Map<string, Expr[]>();
  const at = (name: string, step: number | null) => `${name}@${step ?? ''}`;
  // the size of everything computed so far, counted once per shared node
  const seen = new Set<number>();
  const guard = (entries: readonly Expr[]): void => {
    const stack = [...entries];
    while (stack.length) {
      const x = stack.pop()!;
      if (seen.has(x.id)) continue;
      seen.add(x.id);
      if (x.kind === 'apply') stack.push(...x.args);
    }
    if (seen.size > MAX_EXACT_NODES) throw new TooLarge();
  };
  const values = (name: string, step: number | null): Float64Array => {
    const n = g.nodes.get(name)!;
    const v = n.seq ? ts.forward.seq.get(name)?.[step! - 1] : ts.forward.values.get(name) ?? ts.network.leaves.get(name);
    return v?.data ?? new Float64Array(indicesOf(n.shape).length).fill(NaN);
  };
  const leafEntries = (name: string, step: number | null): Expr[] | null => {
    const n = g.nodes.get(name)!;
    const out: Expr[] = [];
    for (const idx of indicesOf(n.shape)) {
      const r = leafValue(entryKey(g, name, step, idx));
      if (r === undefined) return null;
      out.push(num(r));
    }
    return out;
  };
  const refEntries = (r: TRef, t: number | null): ScalarArg => {
    const n = g.nodes.get(r.name)!;
    let step = n.seq ? (r.step!.kind === 'abs' ? r.step!.step : t! + r.step!.offset) : null;
    let name = r.name;
    if (n.seq && step === 0) { name = n.initial!; step = null; }
    const shape = n.shape;
    if (r.adjoint) {
      if (step !== null && step > T) return { shape, entries: indicesOf(shape).map(() => zero), values: new Float64Array(indicesOf(shape).length) };
      const e = adj.get(at(name, step));
      if (!e) throw new Error(`internal error: exact delta_${name} at ${step} before it is known`);
      return { shape, entries: e, values: new Float64Array(e.length).fill(NaN) };
    }
    const e = fwd.get(at(name, step));
    if (!e) throw new TooLarge(); // a value without an exact form (a leaf with no given value)
    return { shape, entries: e, values: values(name, step) };
  };
  try {
    for (const name of g.order) {
      const n = g.nodes.get(name)!;
      if (n.def) continue;
      const steps = n.seq ? Array.from({ length: T }, (_, i) => i + 1) : [null];
      for (const s of steps) {
        const e = leafEntries(name, s);
        if (e) fwd.set(at(name, s), e);
      }
    }
    const define = (name: string, step: number | null) => {
      const out = expand(g.nodes.get(name)!.def!, step, refEntries, T).entries.map(tidy);
      guard(out);
      fwd.set(at(name, step), out);
    };
    for (const name of ts.network.phases.before) define(name, null);
    for (let t = 1; t <= T; t++) for (const name of ts.network.phases.seq) define(name, t);
    for (const name of ts.network.phases.after) define(name, null);
    // adjoints in the order the backward pass computes them
    const forms = pass.forms.forms;
    const evalForm = (name: string, form: TExpr, step: number | null) => {
      const out = expand(form, step, refEntries, T).entries.map(tidy);
      guard(out);
      adj.set(at(name, step), out);
    };
    const after = new Set(ts.network.phases.after);
    for (const name of [...ts.network.phases.after].reverse()) if (forms.has(name)) evalForm(name, forms.get(name)!, null);
    const seqNames = [...ts.network.phases.seq].reverse().filter((n) => forms.has(n));
    const cases = new Map(seqNames.map((n) => [n, stepCases(forms.get(n)!, T)]));
    for (let t = T; t >= 1; t--) {
      for (const name of seqNames) {
        const c = cases.get(name)!;
        evalForm(name, t === T ? c.last : c.special.get(t) ?? c.inner, t);
      }
    }
    for (const name of [...g.order].reverse()) {
      if (!forms.has(name) || after.has(name) || g.nodes.get(name)!.seq) continue;
      evalForm(name, forms.get(name)!, null);
    }
  } catch (e) {
    if (e instanceof TooLarge) return null;
    throw e;
  }
  return {
    forward: (name, step) => fwd.get(at(name, step)) ?? null,
    adjoint: (name, step) => adj.get(at(name, step)) ?? null,
  };
}
