/**
 * The `jacobian` ask (contract 4): the matrix of partials between two tensor
 * nodes, d(of)/d(wrt), as seed 002's Delta^i = d a^U / d a^i. Row u is one
 * entry of `of`, column l one entry of `wrt`, both tensors flattened row-major
 * (rows first, channels last), so J[u][l] = d of_u / d wrt_l. It is computed
 * on the scalar graph every kind builds, one reverse pass per row (each row
 * is the gradient of one entry of `of`; `wrt` may be an intermediate node:
 * its adjoint holds the nodes before it fixed), and checked against central
 * differences that perturb one entry of `wrt` and re-evaluate what follows.
 * The tensor-level chain (which tensors lie between the two) is read off the
 * same graph, for the formula on the sheet.
 */
import { refsOf } from '../expr/expr.js';
import { ancestors, consumersOf, type Graph, type TensorInfo } from '../expr/graph.js';
import { barKey, reverseAccumulate, type Edge } from '../diff/reverse.js';
import { evalExpr } from '../numeric/evaluate.js';
import { FD_STEP, FD_TOLERANCE, fdError } from '../numeric/gradcheck.js';
import type { JacobianResult } from '../networks/core/solution.js';
export type { JacobianResult } from '../networks/core/solution.js';
import type { AskItem } from '../problem/spec.js';

/** Largest Jacobian a sheet and the JSON hold (a 64 x 64 matrix). */
export const MAX_JACOBIAN_ENTRIES = 4096;
/** Bound on the work: rows (one reverse pass each) times the graph's nodes. */
export const MAX_JACOBIAN_WORK = 20_000_000;
/** More tensor-level paths than this are not written out as a sum of products. */
export const MAX_TENSOR_PATHS = 4;

type JacobianAsk = Extract<AskItem, { kind: 'jacobian' }>;

export function jacobians(graph: Graph, values: ReadonlyMap<string, number>, asks: readonly AskItem[]): JacobianResult[] {
  return asks.filter((a): a is JacobianAsk => a.kind === 'jacobian').map((a) => jacobian(graph, values, a));
}

function tensorOf(graph: Graph, name: string, ask: JacobianAsk, key: 'of' | 'wrt'): TensorInfo {
  return graph.tensors.get(name)
    ?? ask.field.get(key).fail(`'${name}' is not a node of this network (known: ${[...graph.tensors.keys()].slice(0, 30).join(', ')})`);
}

export function jacobian(graph: Graph, values: ReadonlyMap<string, number>, ask: JacobianAsk): JacobianResult {
  const of = tensorOf(graph, ask.of, ask, 'of');
  const wrt = tensorOf(graph, ask.wrt, ask, 'wrt');
  const rows = of.keys.length, cols = wrt.keys.length;
  if (rows * cols > MAX_JACOBIAN_ENTRIES) {
    ask.field.fail(`the Jacobian of '${of.name}' (${rows} entries) with respect to '${wrt.name}' (${cols} entries) has ${rows * cols} entries, more than the ${MAX_JACOBIAN_ENTRIES} a sheet can show; ask for a smaller pair of nodes`);
  }
  if (rows * graph.order.length > MAX_JACOBIAN_WORK) {
    ask.field.fail(`the Jacobian of '${of.name}' needs ${rows} passes over a graph of ${graph.order.length} nodes, more work than the limit of ${MAX_JACOBIAN_WORK.toLocaleString('en-US')}; ask for a smaller node`);
  }
  const upstream = ancestors(graph, of.keys);
  for (const k of upstream) {
    if (!graph.nodes.get(k)!.def && !values.has(k)) ask.field.get('of').fail(`'${graph.nodes.get(k)!.tensor}', which '${of.name}' depends on, has no value (add it under given)`);
  }
  if (!wrt.keys.some((k) => upstream.has(k)) && of.name !== wrt.name) {
    ask.field.get('wrt').fail(`'${of.name}' does not depend on '${wrt.name}': its Jacobian would be all zeros (is '${wrt.name}' computed after '${of.name}'?)`);
  }
  const edges = new Map<string, Edge>();
  const matrix = of.keys.map((u) => {
    const adj = reverseAccumulate(graph, u, wrt.keys);
    for (const [id, e] of adj.edges) edges.set(id, e);
    const bars = new Map<string, number>();
    const env = (k: string) => bars.get(k) ?? values.get(k);
    const memo = new Map<number, number>();
    for (const [k, d] of adj.defs) bars.set(k, evalExpr(d, env, memo));
    return wrt.keys.map((l) => bars.get(barKey(l)) ?? 0);
  });
  for (const [i, row] of matrix.entries()) {
    const bad = row.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) ask.field.fail(`d${of.keys[i]}/d${wrt.keys[bad]} is not a finite number (${row[bad]}) at the given values`);
  }
  return {
    of: of.name, wrt: wrt.name, ofShape: of.shape, wrtShape: wrt.shape, values: matrix, ofKeys: of.keys, wrtKeys: wrt.keys,
    tensorPaths: tensorPaths(graph, wrt.name, of.name),
    edges,
    check: fdCheck(graph, values, of.keys, wrt.keys, matrix),
  };
}

/**
 * Paths over tensors from `wrt` to `of` (a tensor B follows A when an element
 * of B is defined from an element of A), or null when there are too many.
 */
function tensorPaths(graph: Graph, wrt: string, of: string): string[][] | null {
  if (wrt === of) return [[wrt]];
  const next = new Map<string, Set<string>>();
  const recurrent = new Set<string>();
  for (const k of graph.order) {
    const n = graph.nodes.get(k)!;
    if (!n.def) continue;
    for (const r of refsOf(n.def)) {
      const from = graph.nodes.get(r)!.tensor;
      if (from === n.tensor) { recurrent.add(from); continue; }
      if (!next.has(from)) next.set(from, new Set());
      next.get(from)!.add(n.tensor);
    }
  }
  const out: string[][] = [];
  let overflow = false;
  const walk = (t: string, trail: string[]): void => {
    if (overflow) return;
    if (t === of) { if (out.length >= MAX_TENSOR_PATHS) overflow = true; else out.push([...trail, t]); return; }
    if (trail.includes(t)) return;
    for (const n of next.get(t) ?? []) walk(n, [...trail, t]);
  };
  walk(wrt, []);
  // a tensor defined from itself, or two tensors defined from each other (z from h, h from z over time), is a recurrence
  const onPaths = new Set(out.flat());
  const cyclic = [...onPaths].some((t) => recurrent.has(t) || [...(next.get(t) ?? [])].some((u) => onPaths.has(u) && reaches(next, u, t)));
  return overflow || cyclic ? null : out;
}

/** Is `to` reachable from `from` in the tensor graph? */
function reaches(next: ReadonlyMap<string, ReadonlySet<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const t = stack.pop()!;
    if (t === to) return true;
    if (seen.has(t)) continue;
    seen.add(t);
    for (const u of next.get(t) ?? []) stack.push(u);
  }
  return false;
}

/**
 * Central differences, one column at a time: wrt_l moved by +-h, the nodes
 * that depend on it re-evaluated, every entry of `of` read. Passing is the
 * contract's test, |fd - exact| <= 1e-6 max(1, |exact|), on every entry.
 */
function fdCheck(graph: Graph, values: ReadonlyMap<string, number>, ofKeys: readonly string[], wrtKeys: readonly string[], J: readonly (readonly number[])[]) {
  const users = consumersOf(graph);
  const up = ancestors(graph, ofKeys);
  let maxError = 0;
  wrtKeys.forEach((l, col) => {
    const down = new Set<string>([l]);
    const stack = [l];
    while (stack.length) for (const c of users.get(stack.pop()!) ?? []) if (!down.has(c) && up.has(c)) { down.add(c); stack.push(c); }
    const affected = graph.order.filter((k) => k !== l && down.has(k));
    const at = (x: number): number[] => {
      const over = new Map<string, number>([[l, x]]);
      const env = (k: string) => over.get(k) ?? values.get(k);
      const memo = new Map<number, number>();
      for (const k of affected) over.set(k, evalExpr(graph.nodes.get(k)!.def!, env, memo));
      return ofKeys.map((u) => over.get(u) ?? values.get(u)!);
    };
    const x0 = values.get(l)!;
    const h = FD_STEP * Math.max(1, Math.abs(x0));
    const plus = at(x0 + h), minus = at(x0 - h);
    ofKeys.forEach((_, row) => {
      const fd = (plus[row]! - minus[row]!) / (2 * h);
      const err = fdError(fd, J[row]![col]!);
      if (!(err <= maxError)) maxError = err;
    });
  });
  return { maxError, passed: Number.isFinite(maxError) && maxError <= FD_TOLERANCE, entries: ofKeys.length * wrtKeys.length };
}
