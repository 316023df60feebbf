/** Numeric comparison helpers shared by the tests. */
import { expect } from 'vitest';

/** |a - e| <= tol * max(1, |e|): the contract's finite-difference test, with our own tolerance. */
export function expectClose(actual: number, expected: number, tol: number, what = ''): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  expect(err, `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tol);
}

/** Relative agreement (for tiny values such as 8e-5 where max(1, |e|) would hide everything). */
export function expectRel(actual: number, expected: number, rel: number, what = ''): void {
  if (expected === 0) {
    expect(Math.abs(actual), `${what}: got ${actual}, expected 0`).toBeLessThanOrEqual(rel);
    return;
  }
  const err = Math.abs(actual - expected) / Math.abs(expected);
  expect(err, `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(rel);
}

/** Compare nested arrays of numbers entry by entry. */
export function expectNestedRel(actual: unknown, expected: unknown, rel: number, what = ''): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${what}: expected an array, got ${JSON.stringify(actual)}`).toBe(true);
    const a = actual as unknown[];
    expect(a.length, `${what}: length`).toBe(expected.length);
    expected.forEach((e, i) => expectNestedRel(a[i], e, rel, `${what}[${i}]`));
    return;
  }
  expect(typeof actual, `${what}: ${JSON.stringify(actual)}`).toBe('number');
  expectRel(actual as number, expected as number, rel, what);
}

/**
 * Five-point central difference, f'(x) ~ (-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h,
 * truncation O(h^4); written here so the tests do not use the engine's own gradcheck.
 */
export function fivePoint(f: (x: number) => number, x: number, h = 1e-4 * Math.max(1, Math.abs(x))): number {
  return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h);
}
