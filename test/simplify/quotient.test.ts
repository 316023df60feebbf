/**
 * The quotient form of the `mul`/`div` constructors: a product with a
 * division becomes one numerator over one denominator, numbers combined and
 * equal factors cancelled; a product without divisions prints as written.
 * Expected texts are worked out by hand in the comments; values are checked
 * with the evaluator written in this folder (reference-eval.ts).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { add, div, fn, mul, neg, num, one, pow, ref, square, sub, type Expr } from '../../src/expr/expr.js';
import { Rational } from '../../src/expr/rational.js';
import { toText } from '../../src/ops/print.js';
import { referenceEval } from './reference-eval.js';

const r = (p: number, q = 1): Expr => num(Rational.of(BigInt(p), BigInt(q)));
const [a, b, c, g, s, t, o, x1, c1, h3, w3, w4] = ['a', 'b', 'c', 'g', 's', 't', 'o', 'x1', 'c1', 'h3', 'w3', 'w4'].map(ref) as [
  Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr];

describe('products without a division keep their written form', () => {
  test('the chain product prints exactly as before', () => {
    const e = mul(w4, w3, h3, sub(one, h3));
    expect(toText(e)).toBe('w4*w3*h3*(1 - h3)');
    expect(e.kind === 'apply' && e.op === 'mul' && e.args).toEqual([w4, w3, h3, sub(one, h3)]);
    // no merging of equal factors either: h*h stays a product, 2*(-x) keeps one leading constant
    expect(toText(mul(h3, h3))).toBe('h3*h3');
    expect(toText(mul(r(2), neg(a), b))).toBe('-2*a*b');
    expect(toText(mul(r(-1), a))).toBe('-a');
  });

  test('a negative power is not a division: (a + b)^(-1) stays', () => {
    expect(toText(mul(c, pow(add(a, b), r(-1))))).toBe('c*(a + b)^(-1)');
  });
});

describe('a product with a division is one quotient', () => {
  test('the RBF factors: 4*sgn*a*r*1/(2*s^2)*g*(x1 - c1)*1/2/r -> sgn*a*g*(x1 - c1)/s^2', () => {
    // 4 * 1/2 * 1/2 = 1; r above and below cancels; what stays below is s^2
    const rr = ref('r');
    const sgn = sub(mul(r(2), fn('step', sub(o, t))), one);
    const e = mul(r(4), sgn, a, rr, div(one, mul(r(2), square(s))), g, sub(x1, c1), div(r(1, 2), rr));
    expect(toText(e)).toBe('(2*step(o - t) - 1)*a*g*(x1 - c1)/s^2');
  });

  test('a power of a product is distributed and exponents cancel: -4*a*s*(-r^2)/(2*s^2)^2 -> a*r^2/s^3', () => {
    // (2 s^2)^2 = 4 s^4; -4 * -1 / 4 = 1; s / s^4 = 1/s^3
    const rr = ref('r');
    const e = mul(r(-4), a, s, div(neg(square(rr)), square(mul(r(2), square(s)))));
    expect(toText(e)).toBe('a*r^2/s^3');
  });

  test('numbers combine into p/q, p above and q below the line', () => {
    expect(toText(mul(a, div(r(1, 2), b), div(r(3), c)))).toBe('3*a/(2*b*c)');
    expect(toText(div(one, mul(r(2), a)))).toBe('1/(2*a)');
    expect(toText(mul(r(-3, 4), div(a, b)))).toBe('-3*a/(4*b)');
    expect(toText(neg(mul(r(-3, 4), div(a, b))))).toBe('3*a/(4*b)');
  });

  test('equal factors cancel: a/a = 1, (a*b)/(b*c) = a/c, b^3/b = b^2', () => {
    expect(div(a, a)).toBe(one);
    expect(toText(div(mul(a, b), mul(b, c)))).toBe('a/c');
    expect(toText(div(pow(b, r(3)), b))).toBe('b^2');
    expect(toText(mul(div(a, b), div(b, a)))).toBe('1');
  });

  test('a division by the number 0 stays visible, and by a nonzero number is a factor', () => {
    const z = div(a, r(0));
    expect(z.kind === 'apply' && z.op).toBe('div');
    expect(toText(div(a, r(2)))).toBe('1/2*a');
    expect(toText(mul(b, div(a, r(0))))).toBe('b*a/0');
  });

  test('earlier forms that stay: a/(b*c), sums as numerator and denominator', () => {
    expect(toText(div(a, mul(b, c)))).toBe('a/(b*c)');
    expect(toText(div(add(a, b), sub(a, b)))).toBe('(a + b)/(a - b)');
  });

  // Random products of factors and quotients: the quotient form has the value of the product
  // of its parts, each evaluated separately by the evaluator of this folder.
  const atom = fc.constantFrom(a, b, c, add(a, b), fn('exp', c), square(a));
  const factor: fc.Arbitrary<Expr> = fc.oneof(
    atom,
    fc.tuple(fc.integer({ min: -6, max: 6 }).filter((n) => n !== 0), fc.integer({ min: 1, max: 5 })).map(([p, q]) => r(p, q)),
    fc.tuple(atom, atom).map(([u, v]) => div(u, v)),
    fc.tuple(atom, fc.integer({ min: -3, max: 3 })).map(([u, n]) => pow(u, r(n))),
    atom.map(neg),
  );
  test('a quotient has the value of the product it came from (property)', () => {
    const env = (k: string) => ({ a: 0.7, b: -1.3, c: 0.45 })[k]!;
    fc.assert(fc.property(fc.array(factor, { minLength: 1, maxLength: 6 }), (fs) => {
      const expected = fs.reduce((p, f) => p * referenceEval(f, env), 1);
      const got = referenceEval(mul(...fs), env);
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    }), { numRuns: 300 });
  });
});
