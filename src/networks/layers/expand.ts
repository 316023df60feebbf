/**
 * Expansion of a `layers` network into the scalar graph: every element of
 * every tensor is a node (`Y[1,2]`), so the engine's chain rule, exact
 * arithmetic and finite-difference check apply unchanged.
 *
 * Max pooling. A node is a fixed formula, and max has no single formula the
 * chain rule can use everywhere, so each pooled node is defined as the window
 * element that is largest at the given point: P[i,j] = O[sel]. Around that
 * point (every other element strictly smaller) this is exactly the max, so
 * values, gradients and finite differences are those of max pooling; the
 * gradient reaches O[sel] only (the routing the sheet lists). A tie picks the
 * first maximum in row order (contract 2.4) and adds relu(O[t] - O[sel]) for
 * every tied O[t]: zero in value, it keeps the node equal to the max on both
 * sides of the tie, and its kink at 0 makes the engine list the gradient
 * entries through it under check.nondifferentiable.
 */
import { ProblemError } from '../../errors.js';
import { add, fn, mul, num, ref, sub, zero, type Expr } from '../../expr/expr.js';
import { GraphBuilder, elementKey, indicesOf, type Graph } from '../../expr/graph.js';
import { Rational } from '../../expr/rational.js';
import { bindGiven } from '../../input/bind-given.js';
import { evaluateGraph } from '../../numeric/evaluate.js';
import type { GivenValue, ProblemBase } from '../../input/problem-parts.js';
import { applyActivation } from '../core/activation.js';
import { addLoss } from '../core/loss.js';
import { biasIndex, canonical, inputPos, kernelIndex, mapIndex, offsetOf } from './geometry.js';
import { layerParameters, type ConvLayer, type DenseLayer, type LayersSpec, type PoolLayer } from './types.js';

/** Where a max-pool output's gradient goes: one entry per pooled element. */
export interface Route {
  readonly output: string;
  /** the window's elements in row order; null for a zero-padding cell */
  readonly window: ReadonlyArray<string | null>;
  /** position in `window` of the first maximum */
  readonly selected: number;
  /** positions of the other elements equal to the maximum */
  readonly ties: readonly number[];
}

export interface Expansion {
  readonly graph: Graph;
  /** max-pool layer name -> routes of its outputs, row-major */
  readonly routes: ReadonlyMap<string, readonly Route[]>;
}

/**
 * Builds every node; `problem` (or `overrides`, a variant's drawn values)
 * supplies the values that max pooling routes by.
 */
export function expandLayers(spec: LayersSpec, problem: ProblemBase, overrides?: ReadonlyMap<string, GivenValue>): Expansion {
  const b = new GraphBuilder();
  b.leaf(spec.input.name, spec.input.shape, 'input');
  for (const l of spec.layers) for (const p of layerParameters(l)) b.leaf(p.name, p.shape, 'parameter');
  const routes = new Map<string, Route[]>();
  let prev = spec.input.name;
  for (const layer of spec.layers) {
    const input = prev;
    switch (layer.kind) {
      case 'conv1d': case 'conv2d': defineConv(b, layer, input); break;
      case 'pool': routes.set(layer.name, definePool(b, layer, input, problem, overrides) ?? []); break;
      case 'dense': defineDense(b, layer, input); break;
      case 'activation':
        b.define(layer.name, layer.outShape, (idx) => applyActivation(layer.fn, ref(elementKey(input, idx))));
        break;
    }
    prev = layer.name;
  }
  if (spec.loss) addLoss(b, spec.loss, b.tensor(prev)!.keys, b.tensor(prev)!.shape);
  return { graph: b.build(), routes };
}

/** y[i,j,n] = act( sum_{a,b,c} K[n,a,b,c] x[s(i-1)+a-p, s(j-1)+b-p, c] + bias[n] ); zero-padding terms vanish. */
function defineConv(b: GraphBuilder, l: ConvLayer, input: string): void {
  const { C } = canonical(l.in);
  const [rows, cols] = l.axes;
  b.define(l.name, l.outShape, (idx) => {
    const [i, j, n] = canonicalOut(l, idx);
    const terms: Expr[] = [];
    for (let a = 1; a <= rows.window; a++) {
      const p = inputPos(rows, i, a);
      if (p === null) continue;
      for (let bb = 1; bb <= cols.window; bb++) {
        const q = inputPos(cols, j, bb);
        if (q === null) continue;
        for (let c = 1; c <= C; c++) {
          terms.push(mul(ref(elementKey(l.kernel, kernelIndex(l, n, a, bb, c))), ref(elementKey(input, mapIndex(l.in, p, q, c)))));
        }
      }
    }
    if (l.bias) terms.push(ref(elementKey(l.bias, biasIndex(l.biasShape, n))));
    return applyActivation(l.activation, add(...terms));
  });
}

/** Canonical (h, w, c) of an output index of a sliding layer. */
export function canonicalOut(l: ConvLayer | PoolLayer, idx: readonly number[]): [number, number, number] {
  const r = l.out.spatial.length;
  const h = r === 2 ? idx[0]! : 1, w = idx[r - 1]!;
  return [h, w, l.out.channelAxis ? idx[r]! : 1];
}

/** The window of output (i, j) in channel c, row order; null marks a zero-padding cell. */
export function windowOf(l: PoolLayer, input: string, i: number, j: number, c: number): Array<string | null> {
  const [rows, cols] = l.axes;
  const cells: Array<string | null> = [];
  for (let a = 1; a <= rows.window; a++) {
    for (let bb = 1; bb <= cols.window; bb++) {
      const p = inputPos(rows, i, a), q = inputPos(cols, j, bb);
      cells.push(p === null || q === null ? null : elementKey(input, mapIndex(l.in, p, q, c)));
    }
  }
  return cells;
}

/** Average: the window's sum over its size (padding cells count as zeros). Max: the routed element. */
function definePool(b: GraphBuilder, l: PoolLayer, input: string, problem: ProblemBase, overrides?: ReadonlyMap<string, GivenValue>): Route[] | null {
  const [rows, cols] = l.axes;
  const outIdx = indicesOf(l.outShape);
  const windows = outIdx.map((idx) => { const [i, j, c] = canonicalOut(l, idx); return windowOf(l, input, i, j, c); });
  if (l.op === 'avg') {
    const scale = num(Rational.of(1n, BigInt(rows.window * cols.window)));
    b.define(l.name, l.outShape, (idx) => mul(scale, add(...windows[offsetOf(l.outShape, idx)]!.filter((k): k is string => k !== null).map(ref))));
    return null;
  }
  const values = valuesAt(b.build(), problem, l, overrides);
  const routes = outIdx.map((idx, o): Route => {
    const cells = windows[o]!;
    const vals = cells.map((k) => (k === null ? 0 : values.get(k) ?? needValues(l, `'${k}' has no value`)));
    let sel = 0;
    for (let t = 1; t < vals.length; t++) if (vals[t]! > vals[sel]!) sel = t; // strict: the first maximum wins a tie
    const ties = vals.flatMap((v, t) => (t !== sel && v === vals[sel] ? [t] : []));
    return { output: elementKey(l.name, idx), window: cells, selected: sel, ties };
  });
  const cellExpr = (k: string | null): Expr => (k === null ? zero : ref(k));
  b.define(l.name, l.outShape, (idx) => {
    const r = routes[offsetOf(l.outShape, idx)]!;
    const s = cellExpr(r.window[r.selected]!);
    return add(s, ...r.ties.map((t) => fn('relu', sub(cellExpr(r.window[t]!), s))));
  });
  return routes;
}

/** Values of the pooled map at the given point (the nodes built so far). */
function valuesAt(graph: Graph, problem: ProblemBase, l: PoolLayer, overrides?: ReadonlyMap<string, GivenValue>): Map<string, number> {
  // Bind only the leaves built so far; the full binding (and its checks) runs again in solve().
  const isLeaf = (name: string): boolean => { const role = graph.tensors.get(name)?.role; return role !== undefined && role !== 'intermediate'; };
  const given = new Map([...problem.given].filter(([name]) => isLeaf(name)));
  const leaves = bindGiven({ ...problem, given }, graph, overrides && new Map([...overrides].filter(([name]) => isLeaf(name))));
  try {
    return evaluateGraph(graph, new Map([...leaves].map(([k, v]) => [k, v.toNumber()])));
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e;
    return needValues(l, e.message);
  }
}

const needValues = (l: PoolLayer, why: string): never =>
  l.field.fail(`max pooling routes the gradient to the largest element of each window, so it needs the values of its input: ${why} (add it under given)`);

/** units 1: o = act(sum W (.) X + b); units n: o[u] = act(sum_m W[u,m] x_m + b[u]), x flattened row-major. */
function defineDense(b: GraphBuilder, l: DenseLayer, input: string): void {
  const inKeys = b.tensor(input)!.keys;
  const inIdx = indicesOf(l.inShape);
  b.define(l.name, l.outShape, (idx) => {
    const u = l.hadamard ? 1 : idx[0]!;
    const terms = inKeys.map((k, m) => mul(ref(elementKey(l.weights, l.hadamard ? inIdx[m]! : [u, m + 1])), ref(k)));
    if (l.bias) terms.push(ref(elementKey(l.bias, l.hadamard ? [] : [u])));
    return applyActivation(l.activation, add(...terms));
  });
}

