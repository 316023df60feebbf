/** A small dense float64 tensor, row-major, as the layer-level sheet reads the tensor level's values. */
import { canonical, mapIndex, offsetOf } from './geometry.js';
import type { MapLayout } from './types.js';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export const zeros = (shape: readonly number[]): Tensor => ({ shape: [...shape], data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });

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

/** A matrix with zero rows and columns around it (the padded input of the compact form, as printed). */
export function padMatrix(M: readonly number[][], top: number, bottom: number, left: number, right: number): number[][] {
  const w = M[0]!.length + left + right;
  const blank = (): number[] => new Array<number>(w).fill(0);
  const side = (n: number): number[] => new Array<number>(n).fill(0);
  return [...Array.from({ length: top }, blank), ...M.map((r) => [...side(left), ...r, ...side(right)]), ...Array.from({ length: bottom }, blank)];
}
