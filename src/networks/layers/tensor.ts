/** A small dense float64 tensor, row-major, for the layer-level forms (never for the scalar graph). */
import { elementKey, indicesOf } from '../../expr/graph.js';
import { canonical, mapIndex, offsetOf } from './geometry.js';
import type { MapLayout } from './types.js';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export const zeros = (shape: readonly number[]): Tensor => ({ shape: [...shape], data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });

/** A tensor's values read from element keys (`K[1,2]`); NaN where a key has no value. */
export function readTensor(name: string, shape: readonly number[], value: (key: string) => number | undefined): Tensor {
  const t = zeros(shape);
  indicesOf(shape).forEach((idx, i) => { t.data[i] = value(elementKey(name, idx)) ?? NaN; });
  return t;
}

/** Canonical (h, w, c) access to a feature map stored with `layout`. */
export class MapView {
  readonly H: number;
  readonly W: number;
  readonly C: number;
  constructor(readonly t: Tensor, readonly layout: MapLayout) {
    ({ H: this.H, W: this.W, C: this.C } = canonical(layout));
  }
  offset(h: number, w: number, c: number): number { return offsetOf(this.t.shape, mapIndex(this.layout, h, w, c)); }
  get(h: number, w: number, c: number): number { return this.t.data[this.offset(h, w, c)]!; }
  add(h: number, w: number, c: number, v: number): void { this.t.data[this.offset(h, w, c)]! += v; }
  /** channel c as an H x W matrix */
  channel(c: number): number[][] {
    return Array.from({ length: this.H }, (_, h) => Array.from({ length: this.W }, (_, w) => this.get(h + 1, w + 1, c)));
  }
}

/** Nested arrays in the tensor's own shape (the JSON convention). */
export function nested(t: Tensor): unknown {
  const go = (d: number, off: number): unknown => {
    if (d === t.shape.length) return t.data[off];
    const stride = t.shape.slice(d + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: t.shape[d]! }, (_, i) => go(d + 1, off + i * stride));
  };
  return go(0, 0);
}
