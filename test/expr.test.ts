/**
 * The expression layer: interning, the smart constructors' simplifications,
 * exact rationals, the text printer (round trip through the parser), the LaTeX
 * printer (KaTeX accepts it) and the parser's limits and error columns.
 */
import fc from 'fast-check';
import katex from 'katex';
import { describe, expect, test } from 'vitest';
import {
  add, apply, clearInternTable, dagSize, div, fn, isNum, mul, neg, num, one, pow, ref, refsOf, square, sub,
  substitute, topoOrder, zero, type Expr, type FnName,
} from '../src/expr/expr.js';
import { Rational } from '../src/expr/rational.js';
import { printExpr, toText } from '../src/ops/print.js';
import { parseFormula, toExpr } from '../src/expr/parse.js';
import { elementKey } from '../src/expr/graph.js';
import { evalExpr } from '../src/numeric/evaluate.js';
import { ProblemError } from '../src/errors.js';
import { expectClose } from './helpers/numbers.js';

const [a, b, c, h3] = ['a', 'b', 'c', 'h3'].map(ref) as [Expr, Expr, Expr, Expr];
const r = (p: number, q = 1) => num(Rational.of(BigInt(p), BigInt(q)));

describe('interning', () => {
  test('building the same node twice gives the same object', () => {
    expect(ref('h1')).toBe(ref('h1'));
    expect(ref('W1[1,2]')).toBe(ref('W1[1,2]'));
    expect(num(0.1)).toBe(num(Rational.parse('0.1')!));
    expect(add(mul(a, b), c)).toBe(add(mul(a, b), c));
    expect(fn('sigmoid', add(a, b))).toBe(fn('sigmoid', add(a, b)));
    expect(apply('mul', [a, a])).toBe(apply('mul', [a, a]));
    expect(ref('h1')).not.toBe(ref('h2'));
    expect(mul(a, b)).not.toBe(mul(b, a)); // order is kept: w4*h3 prints as written
  });

  test('nodes are immutable', () => {
    const e = add(a, b) as Extract<Expr, { kind: 'apply' }>;
    expect(Object.isFrozen(e.args)).toBe(true);
  });

  test('shared subexpressions are counted once by dagSize and topoOrder', () => {
    const s = fn('sigmoid', add(mul(a, b), c));
    const e = mul(s, sub(one, s));
    // nodes: a b mul c add sigmoid 1 neg(s) add(1,-s) mul  -> 10 distinct
    expect(dagSize([e])).toBe(10);
    const order = topoOrder([e]);
    expect(order.at(-1)).toBe(e);
    expect(order.indexOf(s)).toBeLessThan(order.indexOf(e));
    expect([...refsOf(e)].sort()).toEqual(['a', 'b', 'c']);
  });

  test('substitute keeps shared nodes shared and folds constants', () => {
    const s = fn('sigmoid', add(mul(a, b), c));
    const e = mul(s, sub(one, s));
    expect(substitute(e, (k) => (k === 'c' ? add(a, r(1)) : undefined))).toBe(mul(fn('sigmoid', add(mul(a, b), a, r(1))), sub(one, fn('sigmoid', add(mul(a, b), a, r(1))))));
    expect(substitute(mul(a, b), (k) => (k === 'a' ? r(3) : k === 'b' ? r(4) : undefined))).toBe(r(12));
  });

  test('after clearInternTable the module constants are still the canonical nodes', () => {
    clearInternTable();
    expect(num(0)).toBe(zero);
    expect(num(1)).toBe(one);
    expect(mul(r(0), a)).toBe(zero);
    expect(ref('x')).toBe(ref('x'));
  });
});

describe('smart constructors', () => {
  test('zero and one', () => {
    expect(add(a, zero)).toBe(a);
    expect(add(zero, zero)).toBe(zero);
    expect(mul(a, one)).toBe(a);
    expect(mul(a, zero)).toBe(zero);
    expect(pow(a, one)).toBe(a);
    expect(pow(a, zero)).toBe(one);
    expect(div(zero, a)).toBe(zero);
  });

  test('constant folding (exact)', () => {
    expect(add(r(1), r(2))).toBe(r(3));
    expect(add(r(1, 10), r(2, 10))).toBe(r(3, 10)); // 0.1 + 0.2 is exactly 3/10
    expect(mul(r(2), r(3))).toBe(r(6));
    expect(pow(r(2), r(10))).toBe(r(1024));
    expect(pow(r(2), r(-2))).toBe(r(1, 4));
    expect(div(r(3), r(4))).toBe(r(3, 4));
    expect(fn('relu', r(-3))).toBe(zero);
    expect(fn('relu', r(5, 2))).toBe(r(5, 2));
    expect(fn('step', r(1, 1000))).toBe(one);
    expect(fn('abs', r(-7))).toBe(r(7));
    expect(fn('sigmoid', zero)).toBe(r(1, 2));
    expect(fn('tanh', zero)).toBe(zero);
    expect(fn('exp', zero)).toBe(one);
    expect(fn('log', one)).toBe(zero);
    // not rational: stays a node
    expect(fn('tanh', r(1, 2)).kind).toBe('apply');
    expect(fn('exp', one).kind).toBe('apply');
  });

  test('a huge integer power is not folded (no bigint blow-up)', () => {
    expect(pow(r(10), r(1000)).kind).toBe('apply');
    expect(pow(zero, r(-1)).kind).toBe('apply'); // 0^-1 is left for evaluation to report
  });

  test('flattening and signs', () => {
    expect(add(add(a, b), c)).toBe(add(a, b, c));
    expect(mul(mul(a, b), c)).toBe(mul(a, b, c));
    expect(neg(neg(a))).toBe(a);
    expect(mul(neg(a), neg(b))).toBe(mul(a, b));
    expect(mul(r(-1), a)).toBe(neg(a));
    expect(neg(mul(r(2), a))).toBe(mul(r(-2), a));
    expect(div(a, r(2))).toBe(mul(r(1, 2), a));
    expect(sub(a, a).kind).toBe('apply'); // no cancellation of symbols: a - a stays (structural, not algebraic)
    expect(isNum(r(3), 3)).toBe(true);
  });
});

describe('Rational', () => {
  const parse = (s: string) => Rational.parse(s)?.toString() ?? null;

  test('parses decimals, fractions and exponents exactly', () => {
    expect(parse('0.1')).toBe('1/10');
    expect(parse('-3/4')).toBe('-3/4');
    expect(parse('3/-4')).toBe('-3/4');
    expect(parse('6/8')).toBe('3/4');
    expect(parse('1e-5')).toBe('1/100000');
    expect(parse('2.5E2')).toBe('250');
    expect(parse('-0.125')).toBe('-1/8');
    expect(parse('.5')).toBe('1/2');
    expect(parse('5.')).toBe('5');
    expect(parse(' +7 ')).toBe('7');
    expect(parse('0.000100')).toBe('1/10000');
  });

  test('rejects what is not a number', () => {
    for (const s of ['', '.', 'abc', '1/0', '1e', '1e401', '0x10', '1,5', 'NaN', 'Infinity', '--1', '1/2/3']) expect(parse(s), s).toBeNull();
  });

  test('fromNumber takes the shortest decimal of a double: 0.1 -> 1/10', () => {
    expect(Rational.fromNumber(0.1).toString()).toBe('1/10');
    expect(Rational.fromNumber(7.997316799149435e-5).toNumber()).toBe(7.997316799149435e-5);
    expect(() => Rational.fromNumber(Number.NaN)).toThrow(RangeError);
  });

  test('arithmetic is exact and normalized (property)', () => {
    const rat = fc.tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 9n })).map(([p, q]) => Rational.of(p, q));
    fc.assert(fc.property(rat, rat, (x, y) => {
      expect(x.add(y).sub(y).eq(x)).toBe(true);
      if (!y.isZero()) expect(x.mul(y).div(y).eq(x)).toBe(true);
      const s = x.add(y);
      expect(s.den > 0n).toBe(true);
      const g = (m: bigint, n: bigint): bigint => (n === 0n ? m : g(n, m % n));
      expect(g(s.num < 0n ? -s.num : s.num, s.den)).toBe(s.num === 0n ? s.den : 1n);
      expect(Rational.parse(x.toString())!.eq(x)).toBe(true);
    }), { numRuns: 200 });
  });

  test('toNumber of huge numerators and denominators', () => {
    const big = Rational.of(10n ** 400n, 3n * 10n ** 399n);
    expectClose(big.toNumber(), 10 / 3, 1e-15, '10^400 / (3 10^399)');
    expect(Rational.of(1n, 3n).toNumber()).toBe(1 / 3);
  });
});

describe('text printer', () => {
  test('textbook forms print as written', () => {
    expect(toText(sub(one, h3))).toBe('1 - h3');
    expect(toText(mul(ref('w4'), h3, sub(one, h3)))).toBe('w4*h3*(1 - h3)');
    expect(toText(add(mul(ref('w'), ref('x')), ref('b')))).toBe('w*x + b');
    expect(toText(add(mul(ref('w'), ref('x')), r(3)))).toBe('w*x + 3');
    expect(toText(sub(one, square(ref('h'))))).toBe('1 - h^2');
    expect(toText(neg(add(a, b)))).toBe('-(a + b)');
    expect(toText(sub(a, mul(r(2), b)))).toBe('a - 2*b');
    expect(toText(div(a, mul(b, c)))).toBe('a/(b*c)');
    expect(toText(pow(add(a, b), r(-1)))).toBe('(a + b)^(-1)');
    expect(toText(ref('W1[1,2]'))).toBe('W1[1,2]');
    expect(toText(fn('sigmoid', add(mul(ref('w1'), ref('x')), ref('b1'))))).toBe('sigmoid(w1*x + b1)');
    expect(toText(ref('bar:h2'))).toBe('delta_h2');
  });

  // Random expressions over refs (scalars and tensor elements) and every op; the printed
  // text, parsed again, must evaluate to the same number.
  const leaves = ['a', 'b', 'W1[1,2]', 'h3'];
  const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(...leaves).map(ref),
      fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 1, max: 4 })).map(([p, q]) => r(p, q)),
      fc.tuple(fc.constantFrom<FnName>('exp', 'log', 'sqrt', 'abs', 'sigmoid', 'tanh', 'relu', 'step'), tie('e')).map(([f, u]) => fn(f, u)),
      fc.tuple(tie('e'), tie('e')).map(([u, v]) => add(u, v)),
      fc.tuple(tie('e'), tie('e')).map(([u, v]) => sub(u, v)),
      fc.tuple(tie('e'), tie('e')).map(([u, v]) => mul(u, v)),
      fc.tuple(tie('e'), tie('e')).map(([u, v]) => div(u, v)),
      fc.tuple(tie('e'), fc.integer({ min: -3, max: 3 })).map(([u, n]) => pow(u, r(n))),
      fc.tuple(tie('e'), tie('e')).map(([u, v]) => pow(u, v)),
      tie('e').map((u) => neg(u)),
    ),
  })).e;
  const env = (k: string) => ({ a: 0.7, b: -1.3, 'W1[1,2]': 2.1, h3: 0.4 })[k];
  const sameNumber = (x: number, y: number) => (Number.isNaN(x) ? Number.isNaN(y) : x === y || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)));

  test('parse(print(e)) evaluates the same (property)', () => {
    fc.assert(fc.property(exprArb, (e) => {
      const text = toText(e);
      const back = toExpr(parseFormula(text), (name, index) => ref(elementKey(name, index ?? [])));
      const x = evalExpr(e, env), y = evalExpr(back, env);
      expect(sameNumber(x, y), `${text}: ${x} vs ${y}`).toBe(true);
    }), { numRuns: 400 });
  });

  test('every LaTeX form renders with KaTeX throwOnError (property)', () => {
    const style = { latex: true, name: (k: string) => k.replace(/^([A-Za-z]+)(\d+)$/, '$1_{$2}').replace(/\[(\d+),(\d+)\]$/, '_{$1$2}') };
    fc.assert(fc.property(exprArb, (e) => {
      const tex = printExpr(e, style);
      expect(() => katex.renderToString(tex, { throwOnError: true }), tex).not.toThrow();
    }), { numRuns: 200 });
  });
});

describe('parser', () => {
  const errorOf = (text: string, opts = {}): ProblemError => {
    try {
      parseFormula(text, opts);
    } catch (e) {
      if (e instanceof ProblemError) return e;
      throw e;
    }
    throw new Error(`'${text}' parsed without an error`);
  };

  test('precedence: -x^2 = -(x^2), 2^3^2 = 2^(3^2), a - b - c = (a - b) - c', () => {
    const value = (t: string) => evalExpr(toExpr(parseFormula(t), (n) => ref(n)), (k) => ({ x: 3, a: 10, b: 4, c: 1 })[k]);
    expect(value('-x^2')).toBe(-9);
    expect(value('2^3^2')).toBe(512);
    expect(value('a - b - c')).toBe(5);
    expect(value('a / b * c')).toBe(2.5);
    expect(value('sigmoid(0) + relu(-x) + step(x)')).toBe(1.5);
  });

  test('error columns point at the offending character', () => {
    expect(errorOf('a + * b').column).toBe(5);
    expect(errorOf('a + * b').message).toMatch(/unexpected '\*' at column 5/);
    expect(errorOf('x $ y').column).toBe(3);
    expect(errorOf('x $ y').message).toMatch(/unexpected character '\$'/);
    expect(errorOf('sigmoid(x').message).toMatch(/missing '\)' at column 10/);
    expect(errorOf('(a))').message).toMatch(/unbalanced '\)' at column 4/);
    expect(errorOf('W1[0,1]').column).toBe(4);
    expect(errorOf('a +').message).toMatch(/unexpected end of formula at column 4/);
    expect(errorOf('w*x + sigma(u)').message).toMatch(/unknown function 'sigma'.* at column 7/);
  });

  test('text is never evaluated as code', () => {
    expect(errorOf('process.exit(1)').message).toMatch(/unexpected character '\.'/);
    expect(errorOf('constructor(1)').message).toMatch(/unknown function 'constructor'/);
    expect(errorOf('`x`').message).toMatch(/unexpected character/);
    expect(errorOf('x; y').message).toMatch(/unexpected character ';'/);
  });

  test('implicit multiplication and aliases only when asked', () => {
    const t = toText(toExpr(parseFormula('2(z-o)z', { implicitMul: true }), (n) => ref(n)));
    expect(t).toBe('2*(z - o)*z');
    expect(errorOf('2(z-o)z').message).toMatch(/unexpected '\('/);
    expect(toText(toExpr(parseFormula('sigma(u)', { aliases: { sigma: 'sigmoid' } }), (n) => ref(n)))).toBe('sigmoid(u)');
  });

  test('length and nesting limits', () => {
    expect(errorOf('x'.repeat(11), { maxLength: 10 }).message).toMatch(/longer than 10/);
    expect(errorOf('a+'.repeat(10_001) + 'a').message).toMatch(/longer than 20000/);
    const deep = '('.repeat(250) + 'x' + ')'.repeat(250);
    expect(errorOf(deep).message).toMatch(/nesting deeper than 200/);
    expect(errorOf('-'.repeat(300) + 'x').message).toMatch(/nesting deeper than 200/);
    expect(errorOf('2^'.repeat(300) + '2').message).toMatch(/nesting deeper than 200/);
    expect(() => parseFormula('('.repeat(150) + 'x' + ')'.repeat(150))).not.toThrow();
  });

  test('a long flat sum parses quickly (no recursion per term)', () => {
    const text = Array.from({ length: 1200 }, (_, i) => `w${i}*x${i}`).join(' + '); // ~16k characters
    const t0 = performance.now();
    const e = toExpr(parseFormula(text), (n) => ref(n));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(refsOf(e).size).toBe(2400);
  });
});
