/**
 * Properties of simplify on random expressions (fast-check): never larger,
 * the same values wherever the input has one (by the evaluator of this
 * folder, not the engine's), idempotent, bounded in size and time; and, on
 * random rational functions built to cancel, the cancellation happens.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { add, apply, dagSize, div, fn, mul, neg, num, one, pow, ref, square, sub, type Expr, type FnName } from '../../src/expr/expr.js';
import { Rational } from '../../src/expr/rational.js';
import { toText } from '../../src/ops/print.js';
import { MAX_SIMPLIFY_NODES, simplify } from '../../src/simplify/index.js';
import { sameValues } from '../../src/simplify/verify.js';
import { referenceEval } from './reference-eval.js';

const r = (p: number, q = 1): Expr => num(Rational.of(BigInt(p), BigInt(q)));
const LEAVES = ['a', 'b', 'c', 'p'];

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...LEAVES).map(ref),
    fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 3 })).map(([n, d]) => r(n, d)),
    fc.tuple(fc.constantFrom<FnName>('exp', 'log', 'sqrt', 'abs', 'sigmoid', 'tanh', 'relu', 'step'), tie('e')).map(([f, u]) => fn(f, u)),
    fc.tuple(tie('e'), tie('e')).map(([u, v]) => add(u, v)),
    fc.tuple(tie('e'), tie('e')).map(([u, v]) => sub(u, v)),
    fc.tuple(tie('e'), tie('e')).map(([u, v]) => mul(u, v)),
    fc.tuple(tie('e'), tie('e')).map(([u, v]) => div(u, v)),
    fc.tuple(tie('e'), fc.integer({ min: -2, max: 3 })).map(([u, n]) => pow(u, r(n))),
    tie('e').map(neg),
  ),
})).e;

/** Two points with values of either sign, none a kink of the leaves themselves. */
const POINTS: ReadonlyArray<Readonly<Record<string, number>>> = [
  { a: 0.7, b: -1.3, c: 2.1, p: 0.4 },
  { a: -0.45, b: 0.8, c: 1.7, p: 0.9 },
];
const at = (e: Expr, pt: Readonly<Record<string, number>>): number => referenceEval(e, (k) => pt[k]!);
const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-7 * Math.max(1, Math.abs(x));

describe('simplify on random expressions (property)', () => {
  test('never larger, the same values where the input has one, and idempotent', () => {
    let changed = 0;
    fc.assert(fc.property(exprArb, (e) => {
      const s = simplify(e);
      if (s !== e) changed++;
      expect(dagSize([s]), `${toText(e)} -> ${toText(s)}`).toBeLessThanOrEqual(dagSize([e]));
      for (const pt of POINTS) {
        const x = at(e, pt);
        if (Number.isFinite(x)) expect(close(x, at(s, pt)), `${toText(e)} = ${x} but ${toText(s)} = ${at(s, pt)}`).toBe(true);
      }
      expect(simplify(s), `simplify(${toText(s)})`).toBe(s);
    }), { numRuns: 1500, seed: 20240611 });
    // the property is not vacuous: a good share of random expressions do simplify
    expect(changed).toBeGreaterThan(50);
  });
});

/** An integer linear form k0 + k1 a + k2 b, as its coefficients. */
type Linear = readonly [number, number, number];
const linearArb: fc.Arbitrary<Linear> = fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: 1, max: 3 }));
const linExpr = ([k0, k1, k2]: Linear): Expr => add(r(k0), mul(r(k1), ref('a')), mul(r(k2), ref('b')));
const linAt = ([k0, k1, k2]: Linear, av: number, bv: number): number => k0 + k1 * av + k2 * bv;

/** The product of two linear forms, expanded here term by term into a sum (no engine arithmetic). */
function expandedProduct([p0, p1, p2]: Linear, [q0, q1, q2]: Linear): Expr {
  const A = ref('a'), B = ref('b');
  return add(
    r(p0 * q0),
    mul(r(p0 * q1 + p1 * q0), A),
    mul(r(p0 * q2 + p2 * q0), B),
    mul(r(p1 * q1), A, A),
    mul(r(p1 * q2 + p2 * q1), A, B),
    mul(r(p2 * q2), B, B),
  );
}

describe('random rational functions built to cancel (property)', () => {
  test('expand(L1*L2)/(L2*L3) loses the factor L2: defined at a root of L2, with the value L1/L3 there', () => {
    fc.assert(fc.property(linearArb, linearArb, linearArb, fc.double({ min: -2, max: 2, noNaN: true }), (l1, l2, l3, av) => {
      const e = div(expandedProduct(l1, l2), mul(linExpr(l2), linExpr(l3)));
      const s = simplify(e);
      expect(dagSize([s])).toBeLessThanOrEqual(dagSize([e])); // equal when the constructors cancelled already (L1 = L2 = L3 = b)
      // b where L2 = 0 (its b-coefficient is >= 1): the input is 0/0 there, the simplification is not
      const bv = -(l2[0] + l2[1] * av) / l2[2];
      const l3v = linAt(l3, av, bv);
      fc.pre(Math.abs(l3v) > 1e-3);
      const expected = linAt(l1, av, bv) / l3v;
      const got = referenceEval(s, (k) => (k === 'a' ? av : bv));
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    }), { numRuns: 200, seed: 7 });
  });

  test('a sum of fractions over a shared denominator factor: L1/L2 + L3/L2 - (L1 + L3)/L2 = 0', () => {
    fc.assert(fc.property(linearArb, linearArb, linearArb, (l1, l2, l3) => {
      const e = sub(add(div(linExpr(l1), linExpr(l2)), div(linExpr(l3), linExpr(l2))), div(add(linExpr(l1), linExpr(l3)), linExpr(l2)));
      expect(toText(simplify(e))).toBe('0');
    }), { numRuns: 100, seed: 11 });
  });
});

describe('bounded', () => {
  test(`an expression over ${MAX_SIMPLIFY_NODES} nodes comes back unchanged, at once`, () => {
    const big = add(...Array.from({ length: 120 }, (_, i) => mul(ref(`w${i}`), sub(ref(`x${i}`), ref(`x${i}`)))));
    expect(dagSize([big])).toBeGreaterThan(MAX_SIMPLIFY_NODES);
    const t0 = performance.now();
    expect(simplify(big)).toBe(big); // although every term is w*0
    expect(performance.now() - t0).toBeLessThan(50);
  });

  test('an expression just under the cap takes well under a second', () => {
    // 30 terms of fractions over distinct denominators: about 190 nodes, the worst kind of input for common denominators
    const terms = Array.from({ length: 30 }, (_, i) => div(sub(ref(`u${i % 7}`), ref('a')), add(ref(`v${i % 5}`), r(i + 1))));
    const e = add(...terms);
    expect(dagSize([e])).toBeLessThanOrEqual(MAX_SIMPLIFY_NODES);
    const t0 = performance.now();
    const s = simplify(e);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(dagSize([s])).toBeLessThanOrEqual(dagSize([e]));
  });

  test('the same input gives the same output (a pure function: fixed test points, no clock, no global state)', () => {
    const e = mul(neg(sub(div(ref('t'), ref('p')), div(sub(r(1), ref('t')), sub(r(1), ref('p'))))), ref('p'), sub(r(1), ref('p')));
    expect(toText(simplify(e))).toBe('p - t');
    expect(simplify(e)).toBe(simplify(e));
  });
});

describe('the numeric guard', () => {
  const a = ref('a'), b = ref('b');
  test('refuses a rewrite that changes the value, or is true only for positive values', () => {
    expect(sameValues(add(a, b), sub(a, b))).toBe(false);
    expect(sameValues(a, fn('sqrt', square(a)))).toBe(false); // |a|, not a: caught at the points of either sign
    expect(sameValues(fn('abs', a), fn('sqrt', square(a)))).toBe(true);
  });

  test('accepts removing a removable singularity, refuses an input defined nowhere', () => {
    expect(sameValues(apply('div', [a, a]), one)).toBe(true);
    expect(sameValues(fn('log', neg(fn('exp', a))), a)).toBe(false); // no point to compare at: refused
  });
});
