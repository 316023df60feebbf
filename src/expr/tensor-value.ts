/**
 * Numeric tensors: a shape and its entries in row-major order, as float64.
 * The contract's JSON nests values in the same order as the shape (6.1).
 */
import { sizeOf, type Shape } from './tensor.js';

export interface Tensor {
  readonly shape: Shape;
  readonly data: Float64Array;
}

export function tensor(shape: Shape, data?: ArrayLike<number>): Tensor {
  const n = sizeOf(shape);
  const d = new Float64Array(n);
  if (data) {
    if (data.length !== n) throw new Error(`internal error: ${data.length} values for shape [${shape.join(', ')}]`);
    d.set(data);
  }
  // shapes are never written after they are made, so the caller's array is shared
  return { shape, data: d };
}

export const scalarTensor = (v: number): Tensor => ({ shape: [], data: Float64Array.of(v) });
export const filled = (shape: Shape, v: number): Tensor => ({ shape: [...shape], data: new Float64Array(sizeOf(shape)).fill(v) });

/** Row-major strides of a shape. */
export function strides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]!; }
  return s;
}

export type Nested = number | Nested[];

/** Values nested by shape (a scalar stays a number). */
export function nestTensor(t: Tensor): Nested {
  return nestArray(t.data, t.shape, 0);
}

function nestArray(data: ArrayLike<number>, shape: Shape, offset: number): Nested {
  if (shape.length === 0) return data[offset]!;
  const [n, ...rest] = shape;
  const size = sizeOf(rest);
  return Array.from({ length: n! }, (_, i) => nestArray(data, rest, offset + i * size));
}

/** Step `t` (1-based) of a stacked sequence [T, ...shape]. */
export function stepOf(seq: Tensor, t: number): Tensor {
  const inner = seq.shape.slice(1);
  const n = sizeOf(inner);
  return { shape: inner, data: seq.data.slice((t - 1) * n, t * n) };
}

/** Stack per-step tensors of one shape into [T, ...shape]. */
export function stack(steps: readonly Tensor[], inner: Shape): Tensor {
  const n = sizeOf(inner);
  const out = new Float64Array(steps.length * n);
  steps.forEach((s, i) => out.set(s.data, i * n));
  return { shape: [steps.length, ...inner], data: out };
}

export function maxAbs(t: Tensor): number {
  let m = 0;
  for (const v of t.data) { const a = Math.abs(v); if (!(a <= m)) m = a; }
  return m;
}

export function allFinite(t: Tensor): boolean {
  for (const v of t.data) if (!Number.isFinite(v)) return false;
  return true;
}

/** Euclidean (Frobenius) norm. */
export function norm2(t: Tensor): number {
  let s = 0;
  for (const v of t.data) s += v * v;
  return Math.sqrt(s);
}

type NestedOf<T> = T | NestedOf<T>[];

/** Row-major values nested by shape; a scalar stays a plain value. */
export function nest<T>(values: readonly T[], shape: readonly number[]): NestedOf<T> {
  if (shape.length === 0) return values[0]!;
  const [n, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n! }, (_, i) => nest(values.slice(i * size, (i + 1) * size), rest));
}
