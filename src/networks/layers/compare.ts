/**
 * The two levels checked against each other: the layer-level forward values,
 * output gradients (deltas), and parameter gradients (index form and compact
 * form) against the scalar graph's values and adjoints.
 */
import { evalExpr } from '../../numeric/evaluate.js';
import { elementKey, indicesOf } from '../../expr/graph.js';
import { barKey, type Adjoints } from '../../diff/reverse.js';
import type { KindSolution as Solution } from '../core/solution.js';
import { backwardLayers, lossSeed, type Backward } from './backward.js';
import { forwardLayers, type LayerState } from './forward.js';
import { offsetOf } from './geometry.js';
import { readTensor, zeros, type Tensor } from './tensor.js';
import type { LayersSpec } from './types.js';
import type { Route } from './expand.js';

export interface LayerCheck {
  readonly maxRelError: number;
  readonly compared: number;
  readonly worst: string | null;
}

export interface LayerLevel {
  readonly states: readonly LayerState[];
  /** max-pool outputs whose graph routing is not where the solved values put the maximum */
  readonly misrouted: readonly string[];
  /** per asked `of` that is the loss or an element of a layer output */
  readonly backward: ReadonlyMap<string, Backward>;
  readonly check: LayerCheck;
}

/** |a - b| / max(|a|, |b|); 0 when equal. */
export const relError = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

class Comparison {
  maxRelError = 0;
  compared = 0;
  worst: string | null = null;
  add(label: string, layerLevel: number | undefined, graph: number | undefined): void {
    if (layerLevel === undefined || graph === undefined || !Number.isFinite(graph) || Number.isNaN(layerLevel)) return;
    this.compared++;
    const e = Number.isFinite(layerLevel) ? relError(layerLevel, graph) : Infinity;
    if (!(e <= this.maxRelError)) { this.maxRelError = e; this.worst = label; }
  }
  result(): LayerCheck { return { maxRelError: this.maxRelError, compared: this.compared, worst: this.worst }; }
}

export function layerLevel(spec: LayersSpec, sol: Solution, routes: ReadonlyMap<string, readonly Route[]>): LayerLevel {
  const leaf = (k: string): number | undefined => sol.leaves.get(k)?.toNumber();
  const states = forwardLayers(spec, leaf);
  const cmp = new Comparison();
  for (const s of states) {
    indicesOf(s.layer.outShape).forEach((idx, i) => {
      const key = elementKey(s.layer.name, idx);
      cmp.add(`value ${key}`, s.out.data[i], sol.values.get(key));
    });
  }
  const misrouted = compareRoutes(states, routes, sol, cmp);
  const backward = new Map<string, Backward>();
  for (const g of sol.gradients) {
    let bw = backward.get(g.of);
    if (!bw) {
      const seed = seedFor(spec, sol, states, g.of, leaf);
      if (!seed) continue;
      bw = backwardLayers(states, seed.from, seed.g, spec.input.name);
      backward.set(g.of, bw);
      compareAdjoints(bw, g.adjoints, sol, cmp);
    }
    for (const e of g.entries) {
      const node = sol.graph.nodes.get(e.key)!;
      const shape = sol.graph.tensors.get(node.tensor)!.shape;
      const off = offsetOf(shape, node.index);
      cmp.add(`${g.of}/${e.key}`, bw.grads.get(node.tensor)?.data[off], e.value);
      cmp.add(`${g.of}/${e.key} (compact form)`, bw.compact.get(node.tensor)?.data[off], e.value);
    }
  }
  return { states, misrouted, backward, check: cmp.result() };
}

/** d of / d(output of some layer): the loss rule at the last layer, or 1 at one element of a layer's output. */
function seedFor(spec: LayersSpec, sol: Solution, states: readonly LayerState[], of: string, leaf: (k: string) => number | undefined): { from: number; g: Tensor } | null {
  const last = states.length - 1;
  if (spec.loss && of === spec.loss.name) {
    const y = states[last]!.out;
    return { from: last, g: lossSeed(spec.loss, y, readTensor(spec.loss.target, y.shape, leaf)) };
  }
  const node = sol.graph.nodes.get(of);
  const k = states.findIndex((s) => s.layer.name === node?.tensor);
  if (!node || k < 0) return null;
  const g = zeros(states[k]!.layer.outShape);
  g.data[offsetOf(g.shape, node.index)] = 1;
  return { from: k, g };
}

/** The scalar graph's adjoint of every layer output element against the layer-level d of / d output. */
function compareAdjoints(bw: Backward, adj: Adjoints, sol: Solution, cmp: Comparison): void {
  const bars = new Map<string, number>();
  const memo = new Map<number, number>();
  const env = (k: string): number | undefined => bars.get(k) ?? sol.values.get(k);
  for (const [k, d] of adj.defs) bars.set(k, evalExpr(d, env, memo));
  for (const lg of bw.layers) {
    const shape = lg.g.shape;
    indicesOf(shape).forEach((idx, i) => {
      const key = elementKey(lg.layer, idx);
      cmp.add(`d${adj.of}/d${key}`, lg.g.data[i], bars.get(barKey(key)));
    });
  }
}

/** The graph routes each max-pool output where the layer-level pass finds the first maximum (else: the outputs that differ). */
function compareRoutes(states: readonly LayerState[], routes: ReadonlyMap<string, readonly Route[]>, sol: Solution, cmp: Comparison): string[] {
  const misrouted: string[] = [];
  for (const s of states) {
    const rs = routes.get(s.layer.name);
    if (!rs || !s.source) continue;
    rs.forEach((r, o) => {
      const key = r.window[r.selected];
      const off = key ? offsetOf(s.input.shape, sol.graph.nodes.get(key)!.index) : -1;
      if (off !== s.source![o]) misrouted.push(r.output);
      cmp.add(`routing of ${r.output}`, off === s.source![o] ? 1 : Infinity, 1);
    });
  }
  return misrouted;
}
