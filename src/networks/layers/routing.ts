/**
 * Where max pooling sends each pooled output's gradient, read from the
 * forward values: the window's elements in row order and its first maximum
 * (contract 2.4), as the tensor op routes it (ops/tensor-conv.ts); padding
 * cells count as zeros and a padding maximum routes nowhere.
 */
import { elementKey, indicesOf } from '../../expr/graph.js';
import { inputPos, mapIndex } from './geometry.js';
import type { ConvLayer, LayersSpec, PoolLayer } from './types.js';

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
    for (let b = 1; b <= cols.window; b++) {
      const p = inputPos(rows, i, a), q = inputPos(cols, j, b);
      cells.push(p === null || q === null ? null : elementKey(input, mapIndex(l.in, p, q, c)));
    }
  }
  return cells;
}

/** pool layer name -> routes of its outputs, row-major, at the solved values (none for an average pool). */
export function routesOf(spec: LayersSpec, values: ReadonlyMap<string, number>): Map<string, Route[]> {
  const out = new Map<string, Route[]>();
  spec.layers.forEach((l, k) => {
    if (l.kind !== 'pool') return;
    // an average pool routes to every cell of its windows: no routes of its own
    if (l.op === 'avg') { out.set(l.name, []); return; }
    const input = k === 0 ? spec.input.name : spec.layers[k - 1]!.name;
    out.set(l.name, indicesOf(l.outShape).map((idx): Route => {
      const [i, j, c] = canonicalOut(l, idx);
      const cells = windowOf(l, input, i, j, c);
      const vals = cells.map((key) => (key === null ? 0 : values.get(key) ?? NaN));
      let sel = 0;
      for (let t = 1; t < vals.length; t++) if (vals[t]! > vals[sel]!) sel = t; // strict: the first maximum wins a tie
      const ties = vals.flatMap((v, t) => (t !== sel && v === vals[sel] ? [t] : []));
      return { output: elementKey(l.name, idx), window: cells, selected: sel, ties };
    }));
  });
  return out;
}
