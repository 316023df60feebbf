/**
 * Shape rules shared by the tensor ops (contract 2.7): broadcasting between
 * elementwise operands, axes, and the messages a shape mismatch gives.
 */
import { ProblemError } from '../errors.js';
import { sameShape, sizeOf, type Shape } from '../expr/tensor.js';

export const fmtShape = (s: Shape): string => `[${s.join(', ')}]`;

export function shapeError(message: string): never {
  throw new ProblemError(message);
}

/** `b` is a trailing part of `a` ([n] of [N, n]; [C] of [H, W, C]). */
export const isSuffix = (short: Shape, long: Shape): boolean =>
  short.length < long.length && short.every((n, i) => n === long[long.length - short.length + i]);

/**
 * The shape of an elementwise operation: equal shapes; a scalar (or a
 * one-element tensor) with anything; a vector [n] with a matrix [N, n] (added
 * to each row), generally a trailing part of the other shape, as in NumPy.
 */
export function broadcastShape(a: Shape, b: Shape, what: string): Shape {
  if (sameShape(a, b)) return a;
  if (sizeOf(a) === 1 && a.length <= b.length) return b;
  if (sizeOf(b) === 1 && b.length <= a.length) return a;
  if (isSuffix(a, b)) return b;
  if (isSuffix(b, a)) return a;
  return shapeError(`${what}: the shapes ${fmtShape(a)} and ${fmtShape(b)} do not fit (they must be equal, or one a scalar, or a vector [n] beside a matrix [N, n])`);
}

/** An axis written in an equation: the literal 1 or 2 (1-based), within the tensor's rank. */
export function checkAxis(axis: number, shape: Shape, fn: string): number {
  if (axis !== 1 && axis !== 2) shapeError(`${fn}: the axis must be 1 (down the rows) or 2 (across each row), not ${axis}`);
  if (axis > shape.length) shapeError(`${fn}: axis ${axis} of a tensor of shape ${fmtShape(shape)}`);
  return axis;
}

/** The shape left after summing over `axes` (1-based); null sums everything. */
export function reducedShape(shape: Shape, axes: readonly number[] | null): Shape {
  if (axes === null) return [];
  return shape.filter((_, i) => !axes.includes(i + 1));
}
