/**
 * Reading the solved graph back into matrices, by role: the given values for
 * the layer-level computation, and the keys that tie a scalar node to its
 * place in a layer-level matrix.
 */
import type { Graph } from '../../expr/graph.js';
import type { RnnValues } from './bptt.js';
import type { RnnLayout } from './layout.js';
import type { Mat, Vec } from '../../numeric/matrix.js';
import type { Role } from './spec.js';

/** The given values as matrices, or null when a parameter or input has no value (nothing to compute with). */
export function readValues(layout: RnnLayout, graph: Graph, values: ReadonlyMap<string, number>): RnnValues | null {
  const spec = layout.spec;
  const flat = (role: Role): number[] | null => {
    if (!spec.roles.includes(role)) return null;
    const t = graph.tensors.get(spec.names[role])!;
    const v = t.keys.map((k) => values.get(k));
    return v.every((x): x is number => x !== undefined) ? v : null;
  };
  const mat = (role: Role): Mat | null => {
    const v = flat(role);
    if (!v) return null;
    const cols = graph.tensors.get(spec.names[role])!.shape[1]!;
    return Array.from({ length: v.length / cols }, (_, i) => v.slice(i * cols, (i + 1) * cols));
  };
  const W1 = mat('W1'), H1 = mat('H1'), W2 = mat('W2'), x = mat('x'), h0 = flat('h0');
  if (!W1 || !H1 || !W2 || !x || !h0) return null;
  const optional = (role: Role): Vec | null => flat(role);
  const stacked = spec.stacked === 2;
  const W3 = stacked ? mat('W3') : null, H3 = stacked ? mat('H3') : null, s0 = stacked ? flat('s0') : null;
  if (stacked && (!W3 || !H3 || !s0)) return null;
  if ((spec.bias && (!flat('b1') || !flat('b2') || (stacked && !flat('b3')))) || (spec.recurrentBias && !flat('bh'))) return null;
  const T = spec.steps, O = spec.sizes.output;
  const t = flat('t');
  const target: Array<Vec | null> = Array.from({ length: T }, (_, i) => {
    if (!t) return null;
    if (spec.mode === 'many-to-many') return t.slice(i * O, (i + 1) * O);
    return i === T - 1 ? t : null;
  });
  return {
    W1, H1, b1: optional('b1'), bh: optional('bh'), W3, H3, b3: optional('b3'), W2, b2: optional('b2'),
    x, h0, s0, target,
  };
}

/** The loss steps an `of` sums over: E -> all steps with a loss, e[t] -> step t; null for other nodes. */
export function lossStepsOf(layout: RnnLayout, graph: Graph, of: string): number[] | null {
  const spec = layout.spec;
  if (of === spec.names.E) return spec.mode === 'many-to-many' ? Array.from({ length: spec.steps }, (_, i) => i + 1) : [spec.steps];
  const node = graph.nodes.get(of);
  if (spec.mode === 'many-to-many' && node?.tensor === spec.names.e) return [node.index[0]!];
  return null;
}

/** Role and index (time first) of a node key, if it belongs to this RNN. */
export function placeOf(layout: RnnLayout, graph: Graph, key: string): { role: Role; index: readonly number[] } | null {
  const node = graph.nodes.get(key);
  const role = node ? layout.roleOf.get(node.tensor) : undefined;
  return node && role ? { role, index: node.index } : null;
}
