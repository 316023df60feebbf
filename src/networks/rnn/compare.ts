/**
 * The two levels checked against each other: every forward value, every
 * delta (the scalar graph's adjoint of a pre-activation) and every gradient
 * entry of the layer-level BPTT is compared with the scalar graph's value.
 */
import type { Solution } from '../../derive/solve.js';
import { evalExpr } from '../../numeric/evaluate.js';
import type { RnnBackward, RnnForward } from './bptt.js';
import type { RnnLayout } from './layout.js';
import type { Mat, Vec } from '../../numeric/matrix.js';
import { placeOf } from './read.js';
import type { Role } from './spec.js';

export interface LayerCheck { readonly maxRelError: number; readonly compared: number; readonly worst: string | null }

/**
 * Relative difference, measured against the larger value or, where the terms
 * of a sum cancel (a gradient of exactly 0), against the magnitude of those
 * terms: rounding is relative to what was added, not to the result.
 */
export const relError = (a: number, b: number, magnitude = 0): number => {
  const scale = Math.max(Math.abs(a), Math.abs(b), magnitude);
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
};

/** The layer-level value of a forward node, by role and graph index. */
export function forwardValue(layout: RnnLayout, f: RnnForward, role: Role, index: readonly number[]): number | undefined {
  const T = layout.spec.steps;
  const atStep = (rows: ReadonlyArray<Vec | null>, t: number, i: number) => rows[t - 1]?.[i - 1];
  const m2o = layout.spec.mode === 'many-to-one';
  switch (role) {
    case 'z': return atStep(f.z, index[0]!, index[1]!);
    case 'h': return atStep(f.h, index[0]!, index[1]!);
    case 'z2': return f.z2 ? atStep(f.z2, index[0]!, index[1]!) : undefined;
    case 's': return f.s ? atStep(f.s, index[0]!, index[1]!) : undefined;
    case 'u': return m2o ? atStep(f.u, T, index[0]!) : atStep(f.u, index[0]!, index[1]!);
    case 'y': return m2o ? atStep(f.y, T, index[0]!) : atStep(f.y, index[0]!, index[1]!);
    case 'e': return f.e[index[0]! - 1] ?? undefined;
    case 'E': return f.E;
    default: return undefined;
  }
}

/** The layer-level delta of a pre-activation node (dE/dz, dE/dz2, dE/du). */
export function deltaValue(layout: RnnLayout, b: RnnBackward, role: Role, index: readonly number[]): number | undefined {
  const T = layout.spec.steps;
  switch (role) {
    case 'z': return b.delta1[index[0]! - 1]![index[1]! - 1];
    case 'z2': return b.delta2?.[index[0]! - 1]![index[1]! - 1];
    case 'u': {
      const [t, k] = layout.spec.mode === 'many-to-one' ? [T, index[0]!] : [index[0]!, index[1]!];
      return b.deltaOut[t - 1]?.[k - 1] ?? 0; // no loss term at step t: the delta is 0
    }
    default: return undefined;
  }
}

export function gradientValue(b: RnnBackward, role: Role, index: readonly number[]): number | undefined {
  const g = b.grads[role];
  if (!g) return undefined;
  return index.length === 2 ? (g as Mat)[index[0]! - 1]?.[index[1]! - 1] : (g as Vec)[index[0]! - 1];
}

/** Adjoint values of the scalar graph for one `of`, by key (`bar:z[1,2]`). */
export function adjointValues(sol: Solution, of: string): Map<string, number> {
  const bv = new Map<string, number>();
  const adj = sol.gradients.find((g) => g.of === of)?.adjoints;
  if (!adj) return bv;
  const env = (k: string) => bv.get(k) ?? sol.values.get(k);
  const memo = new Map<number, number>();
  for (const [k, d] of adj.defs) bv.set(k, evalExpr(d, env, memo));
  return bv;
}

/** A layer-level computation and the magnitudes of its terms (bptt.ts `magnitude`), for one `of`. */
export interface Levels<T> { readonly value: T; readonly magnitude: T }

export function compareWithGraph(layout: RnnLayout, sol: Solution, f: Levels<RnnForward>, byOf: ReadonlyMap<string, Levels<RnnBackward>>): LayerCheck {
  let maxRelError = 0, compared = 0, worst: string | null = null;
  const note = <T>(label: string, read: (x: T) => number | undefined, levels: Levels<T>, graph: number | undefined): void => {
    const layer = read(levels.value);
    if (layer === undefined || graph === undefined || Number.isNaN(layer)) return;
    const err = relError(layer, graph, read(levels.magnitude) ?? 0);
    compared++;
    if (!(err <= maxRelError)) { maxRelError = err; worst = label; }
  };
  const graph = sol.graph;
  for (const key of graph.order) {
    const place = placeOf(layout, graph, key);
    if (place && graph.nodes.get(key)!.def) note(key, (x: RnnForward) => forwardValue(layout, x, place.role, place.index), f, sol.values.get(key));
  }
  for (const [of, b] of byOf) {
    for (const [bk, v] of adjointValues(sol, of)) {
      const place = placeOf(layout, graph, bk.slice(4));
      if (place) note(`${of}/${bk}`, (x: RnnBackward) => deltaValue(layout, x, place.role, place.index), b, v);
    }
    for (const g of sol.gradients.filter((x) => x.of === of)) {
      for (const e of g.entries) {
        const place = placeOf(layout, graph, e.key);
        if (place) note(`${of}/${e.key}`, (x: RnnBackward) => gradientValue(x, place.role, place.index), b, e.value);
      }
    }
  }
  return { maxRelError, compared, worst };
}
