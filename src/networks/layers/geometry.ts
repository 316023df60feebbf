/**
 * Sizes of sliding layers (contract 2.4): output size per dimension
 * floor((H - k + p_before + p_after) / s) + 1, the seeds' floor((H - k + 2p)/s) + 1
 * when the padding is symmetric; `padding: same` as in TensorFlow: the output
 * keeps ceil(H / s) positions, the total padding max((H'-1)s + k - H, 0) is
 * split with the smaller half before, so an even kernel at stride 1 gets its
 * extra row and column at the bottom and right.
 * Also the index maps between canonical (h, w, c) positions and tensor indices.
 */
import type { Axis, ConvLayer, MapLayout } from './types.js';

/** Output size of one dimension, or null when the window does not fit in the padded input. */
export function outSize(size: number, window: number, stride: number, before: number, after: number): number | null {
  const span = size + before + after - window;
  return span < 0 ? null : Math.floor(span / stride) + 1;
}

/** Padding that keeps ceil(size / stride) positions, extra row/column after. */
export function samePadding(size: number, window: number, stride: number): { before: number; after: number } {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + window - size, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before };
}

/** An axis; `pad` null means same padding. Null when the window is larger than the padded input. */
export function makeAxis(size: number, window: number, stride: number, pad: readonly [number, number] | null): Axis | null {
  const { before, after } = pad ? { before: pad[0], after: pad[1] } : samePadding(size, window, stride);
  const out = outSize(size, window, stride, before, after);
  return out === null ? null : { size, window, stride, before, after, out };
}

/** The trivial row axis of a 1-D layer. */
export const UNIT_AXIS: Axis = { size: 1, window: 1, stride: 1, before: 0, after: 0, out: 1 };

/** Canonical rows, columns, channels of a map. */
export function canonical(m: MapLayout): { H: number; W: number; C: number } {
  return m.spatial.length === 2
    ? { H: m.spatial[0]!, W: m.spatial[1]!, C: m.channels }
    : { H: 1, W: m.spatial[0]!, C: m.channels };
}

/** The tensor's shape for a layout. */
export const layoutShape = (m: MapLayout): number[] => [...m.spatial, ...(m.channelAxis ? [m.channels] : [])];

/** Tensor index (1-based) of the canonical position (h, w, c), 1-based. */
export function mapIndex(m: MapLayout, h: number, w: number, c: number): number[] {
  const sp = m.spatial.length === 2 ? [h, w] : [w];
  return m.channelAxis ? [...sp, c] : sp;
}

/** Tensor index of kernel n's weight at (a, b) for input channel c, all 1-based. */
export function kernelIndex(l: ConvLayer, n: number, a: number, b: number, c: number): number[] {
  return [
    ...(l.kernelAxis ? [n] : []),
    ...(l.kind === 'conv2d' ? [a, b] : [b]),
    ...(l.kernelChannelAxis ? [c] : []),
  ];
}

/** Bias index of kernel n ([] for a single bias). */
export const biasIndex = (shape: readonly number[], n: number): number[] => (shape.length ? [n] : []);

/**
 * Input position (1-based, unpadded) that output position `o` reads at window
 * offset `k` along an axis, or null where it falls in the zero padding.
 */
export function inputPos(axis: Axis, o: number, k: number): number | null {
  const p = (o - 1) * axis.stride + k - axis.before;
  return p >= 1 && p <= axis.size ? p : null;
}

/** Row-major offset (0-based) of a 1-based index in a shape. */
export function offsetOf(shape: readonly number[], index: readonly number[]): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d]! + (index[d]! - 1);
  return off;
}
