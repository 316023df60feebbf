/**
 * The second level: a tensor graph expanded into scalar nodes, every entry
 * of every named tensor a node of its own (`W1[2,3]`, `h[2,1]` for unit 1 at
 * step 2), defined by each op's scalar expansion (ops/tensor-ops.ts). The
 * scalar engine (diff/reverse.ts) differentiates this graph independently of
 * the tensor-level adjoints, entry by entry, so the two levels check each
 * other. Max and max-pool route by the values at the given point, as the
 * scalar engine has no max.
 */
import { exprsCreated, num, ref, type Expr } from '../expr/expr.js';
import { elementKey, indicesOf, type Graph, type LeafRole } from '../expr/graph.js';
import { sizeOf, type Shape, type TExpr, type TRef } from '../expr/tensor.js';
import type { Phases, TGraph, TNode } from '../expr/tensor-graph.js';
import { tensor, type Tensor } from '../expr/tensor-value.js';
import { TimeGraphBuilder } from '../expr/time-graph.js';
import { TOPS, type ScalarArg } from '../ops/tensor-ops.js';
import type { ForwardValues } from '../numeric/tensor-eval.js';

/** Scalar nodes of the expansion: every entry of every named tensor, over every step. */
export function scalarNodeCount(g: TGraph): number {
  let n = 0;
  for (const node of g.nodes.values()) n += sizeOf(node.shape) * (node.seq ? g.steps! : 1);
  return n;
}

/**
 * An estimate of the scalar expansion's expression nodes, from shapes alone:
 * a matrix product [m, k] @ [k, n] makes 2mkn products and sums, a
 * convolution two per tap, any other op its entries plus the entries it
 * reads. Over the limit, the expansion is not started.
 */
export function scalarSizeEstimate(g: TGraph): number {
  let total = scalarNodeCount(g);
  const cost = (e: TExpr, seen: Set<number>): number => {
    if (seen.has(e.id) || e.kind !== 'apply') return 0;
    seen.add(e.id);
    const inner = e.args.reduce((s, a) => s + cost(a, seen), 0);
    const out = sizeOf(e.shape);
    let own: number;
    if (e.op === 'matmul') {
      const k = e.args[0]!.shape.length === 2 ? e.args[0]!.shape[1]! : 1;
      own = 2 * out * k;
    } else if (e.op === 'conv' || e.op === 'convBackInput' || e.op === 'convBackKernel') {
      own = 2 * e.args.reduce((s, a) => s * Math.max(1, sizeOf(a.shape)), 1);
    } else own = out + e.args.reduce((s, a) => s + sizeOf(a.shape), 0);
    return inner + (e.op === 'sumT' ? (own + inner) * ((g.steps ?? 1) - 1) + own : own);
  };
  for (const n of g.nodes.values()) if (n.def) total += cost(n.def, new Set()) * (n.seq ? g.steps! : 1);
  return total;
}

/** The scalar shape of a tensor node: steps first for a sequence. */
export const scalarShape = (g: TGraph, n: TNode): Shape => (n.seq ? [g.steps!, ...n.shape] : n.shape);

/** The key of an entry: `W1[2,3]`; a sequence's step comes first (`h[2,1]`). */
export function entryKey(g: TGraph, name: string, step: number | null, index: readonly number[]): string {
  const n = g.nodes.get(name)!;
  return elementKey(name, n.seq ? [step!, ...index] : index);
}

const leafRole = (n: TNode): LeafRole => (n.role === 'intermediate' ? 'parameter' : n.role);

/** The expansion stopped: its expression DAG grew past `limit` nodes. */
export class ScalarLevelTooLarge extends Error {
  constructor(readonly limit: number) { super(`the scalar level would exceed ${limit} nodes`); }
}

/**
 * The scalar graph of a tensor graph. Its size is its expression DAG (every
 * product and sum of the expansion a node): an RNN with 64 hidden units has
 * only 6,000 named entries over 10 steps but 50,000 products. Past
 * `maxExprs` the expansion stops with ScalarLevelTooLarge, having cost no
 * more than that many nodes.
 */
export function expandToScalar(
  g: TGraph, phases: Phases, fwd: ForwardValues, overBudget: (limit: number) => never, maxNodes?: number, maxExprs = Infinity,
): Graph {
  const start = exprsCreated();
  const b = new TimeGraphBuilder(overBudget, maxNodes);
  for (const name of g.order) {
    const n = g.nodes.get(name)!;
    if (n.def) b.tensor(name, scalarShape(g, n));
    else b.leaf(name, scalarShape(g, n), leafRole(n));
  }
  const entriesOf = (name: string, step: number | null): ScalarArg => {
    const n = g.nodes.get(name)!;
    const keys = indicesOf(n.shape).map((i) => ref(entryKey(g, name, step, i)));
    const value = n.seq ? fwd.seq.get(name)?.[step! - 1] : fwd.values.get(name);
    return { shape: n.shape, entries: keys, values: value?.data ?? new Float64Array(keys.length).fill(NaN) };
  };
  const refEntries = (r: TRef, t: number | null): ScalarArg => {
    const n = g.nodes.get(r.name)!;
    if (!n.seq) return entriesOf(r.name, null);
    const s = r.step!.kind === 'abs' ? r.step!.step : t! + r.step!.offset;
    return s === 0 ? entriesOf(n.initial!, null) : entriesOf(r.name, s);
  };
  const define = (name: string, step: number | null) => {
    const n = g.nodes.get(name)!;
    const out = expand(n.def!, step, refEntries, g.steps ?? 0);
    indicesOf(n.shape).forEach((idx, i) => b.set(name, n.seq ? [step!, ...idx] : idx, out.entries[i]!));
    if (exprsCreated() - start > maxExprs) throw new ScalarLevelTooLarge(maxExprs);
  };
  for (const name of phases.before) define(name, null);
  for (let t = 1; t <= (g.steps ?? 0); t++) for (const name of phases.seq) define(name, t);
  for (const name of phases.after) define(name, null);
  return b.build();
}

/** Entries (and values, for routing) of a tensor expression at step t. */
export function expand(e: TExpr, t: number | null, refEntries: (r: TRef, t: number | null) => ScalarArg, steps: number): ScalarArg {
  const memo = new Map<number, ScalarArg>();
  const go = (x: TExpr, s: number | null): ScalarArg => {
    const key = x.id * 4099 + (s ?? 0);
    const hit = memo.get(key);
    if (hit) return hit;
    let r: ScalarArg;
    if (x.kind === 'num') r = { shape: [], entries: [num(x.value)], values: Float64Array.of(x.value.toNumber()) };
    else if (x.kind === 'ref') r = refEntries(x, s);
    else if (x.op === 'sumT') {
      const parts = Array.from({ length: steps }, (_, k) => go(x.args[0]!, k + 1));
      const n = sizeOf(x.shape);
      const entries: Expr[] = [];
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        entries.push(TOPS.add!.scalar(parts.map((p) => ({ shape: [], entries: [p.entries[i]!], values: p.values.subarray(i, i + 1) })), {}, [])[0]!);
        for (const p of parts) values[i]! += p.values[i]!;
      }
      r = { shape: x.shape, entries, values };
    } else {
      const args = x.args.map((a) => go(a, s));
      const spec = TOPS[x.op]!;
      const entries = spec.scalar(args, x.attrs, x.shape);
      let values: Float64Array;
      try {
        values = spec.eval(args.map((a): Tensor => tensor(a.shape, a.values)), x.attrs, x.shape).data;
      } catch {
        values = new Float64Array(sizeOf(x.shape)).fill(NaN);
      }
      r = { shape: x.shape, entries, values };
    }
    memo.set(key, r);
    return r;
  };
  return go(e, t);
}
