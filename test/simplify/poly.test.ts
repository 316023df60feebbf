/**
 * The polynomial arithmetic under the rational cancellation: exact division
 * decides divisibility, normalization makes equal factors equal. Expected
 * polynomials are multiplied out by hand in the comments.
 */
import { describe, expect, test } from 'vitest';
import { Rational } from '../../src/expr/rational.js';
import { addPoly, atomPoly, constPoly, divExact, mulPoly, polyKey, primitive, scalePoly, type Poly } from '../../src/simplify/poly.js';

const A = atomPoly(0), B = atomPoly(1), C = atomPoly(2);
const k = (n: number, d = 1): Poly => constPoly(Rational.of(BigInt(n), BigInt(d)));
const plus = (...ps: Poly[]): Poly => ps.reduce((s, p) => addPoly(s, p)!, k(0));
const times = (...ps: Poly[]): Poly => ps.reduce((s, p) => mulPoly(s, p)!, k(1));
const minus = (p: Poly): Poly => scalePoly(p, Rational.int(-1));
const same = (p: Poly | null, q: Poly): void => expect(p && polyKey(p)).toBe(polyKey(q));

describe('exact division', () => {
  test('a^2 - b^2 = (a - b)(a + b)', () => {
    const num = plus(times(A, A), minus(times(B, B)));
    same(divExact(num, plus(A, minus(B))), plus(A, B));
    same(divExact(num, plus(A, B)), plus(A, minus(B)));
  });

  test('t(1 - p) - (1 - t)p = t - p is divisible by neither p nor 1 - p', () => {
    const [t, p] = [A, B];
    const num = plus(times(t, plus(k(1), minus(p))), minus(times(plus(k(1), minus(t)), p)));
    same(num, plus(t, minus(p)));
    expect(divExact(num, p)).toBeNull();
    expect(divExact(num, plus(k(1), minus(p)))).toBeNull();
  });

  test('a multivariate quotient: (a b + a c + 2 b + 2 c)/(b + c) = a + 2, and a^2 + b^2 is not a multiple of a + b', () => {
    const num = plus(times(A, B), times(A, C), times(k(2), B), times(k(2), C));
    same(divExact(num, plus(B, C)), plus(A, k(2)));
    expect(divExact(plus(times(A, A), times(B, B)), plus(A, B))).toBeNull();
  });
});

describe('normalization', () => {
  test('1 - h and 2h - 2 are -1 and 2 times the same primitive h - 1', () => {
    const h = A;
    const x = primitive(plus(k(1), minus(h)));
    const y = primitive(plus(times(k(2), h), k(-2)));
    expect(x.c.toString()).toBe('-1');
    expect(y.c.toString()).toBe('2');
    same(x.p, y.p);
    same(x.p, plus(h, k(-1)));
  });

  test('rational coefficients: a/2 + b/3 = 1/6 (3a + 2b)', () => {
    const { c, p } = primitive(plus(times(k(1, 2), A), times(k(1, 3), B)));
    expect(c.toString()).toBe('1/6');
    same(p, plus(times(k(3), A), times(k(2), B)));
  });

  test('products past the term cap are refused, not computed', () => {
    let p: Poly | null = k(1);
    for (let i = 0; i < 8 && p; i++) p = mulPoly(p, plus(atomPoly(2 * i), atomPoly(2 * i + 1))); // 2^8 = 256 terms
    expect(p).toBeNull();
  });
});
