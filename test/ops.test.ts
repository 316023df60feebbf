/**
 * Every op's local partial derivatives against finite differences, at random
 * points inside the op's domain (property-based, fast-check). The reference
 * functions and the five-point difference are written here, independently of
 * the op registry; the registry's own `eval` is checked against them first.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { add, apply, div, fn, FN_NAMES, mul, neg, num, pow, ref, sub, type Expr, type FnName } from '../src/expr/expr.js';
import { Rational } from '../src/expr/rational.js';
import { toText } from '../src/ops/print.js';
import { localPartial } from '../src/diff/local.js';
import { ARITHMETIC, FUNCTIONS } from '../src/ops/registry.js';
import { evalExpr } from '../src/numeric/evaluate.js';
import { expectClose, fivePoint } from './helpers/numbers.js';

const RUNS = { numRuns: 150 };
/** Five-point differences at h = 1e-4 are good to ~1e-10 here; the contract asks 1e-6. */
const TOL = 1e-7;

/** a double in [lo, hi] */
const between = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
/** a double with lo <= |u| <= hi, either sign: away from a kink at 0 */
const awayFromZero = (lo: number, hi: number) => fc.tuple(between(lo, hi), fc.boolean()).map(([a, s]) => (s ? a : -a));

interface FnCase {
  /** an implementation written here, not taken from the registry */
  readonly reference: (u: number) => number;
  readonly domain: fc.Arbitrary<number>;
  /** the textbook form of d out/du, with `y` the node's own name */
  readonly textbook: string;
}

// `satisfies Record<FnName, ...>`: adding an op to the registry without a case here is a type error.
const FN_CASES = {
  exp: { reference: (u) => Math.E ** u, domain: between(-20, 20), textbook: 'y' },
  log: { reference: (u) => Math.log(u), domain: between(0.1, 100), textbook: '1/u' },
  sqrt: { reference: (u) => u ** 0.5, domain: between(0.1, 100), textbook: '1/(2*y)' },
  abs: { reference: (u) => (u < 0 ? -u : u), domain: awayFromZero(0.01, 50), textbook: '2*step(u) - 1' },
  sigmoid: { reference: (u) => 1 / (1 + Math.E ** -u), domain: between(-30, 30), textbook: 'y*(1 - y)' },
  tanh: { reference: (u) => (1 - Math.E ** (-2 * u)) / (1 + Math.E ** (-2 * u)), domain: between(-10, 10), textbook: '1 - y^2' },
  relu: { reference: (u) => (u > 0 ? u : 0), domain: awayFromZero(0.01, 50), textbook: 'step(u)' },
  step: { reference: (u) => (u > 0 ? 1 : 0), domain: awayFromZero(0.01, 50), textbook: '0' },
  softplus: { reference: (u) => Math.log(1 + Math.E ** u), domain: between(-30, 30), textbook: 'sigmoid(u)' },
} satisfies Record<FnName, FnCase>;

describe('unary functions', () => {
  test('every function of the registry has a case here', () => {
    expect(Object.keys(FN_CASES).sort()).toEqual([...FN_NAMES].sort());
    expect(Object.keys(FUNCTIONS).sort()).toEqual([...FN_NAMES].sort());
  });

  for (const name of FN_NAMES) {
    const c: FnCase = FN_CASES[name];
    const u = ref('u'), y = ref('y');
    const def = fn(name, u);

    test(`${name}: registry value matches an independent implementation`, () => {
      fc.assert(fc.property(c.domain, (x) => {
        expectClose(FUNCTIONS[name].eval([x]), c.reference(x), 1e-12, `${name}(${x})`);
      }), RUNS);
    });

    test(`${name}: local partial (textbook form) agrees with finite differences`, () => {
      const lp = localPartial('y', def, 'u');
      expect(toText(lp.expr)).toBe(c.textbook);
      if (name !== 'step') expect(lp.rules).toEqual([name]);
      fc.assert(fc.property(c.domain, (x) => {
        const env = (k: string) => (k === 'u' ? x : k === 'y' ? c.reference(x) : undefined);
        expectClose(evalExpr(lp.expr, env), fivePoint(c.reference, x), TOL, `d${name}/du at ${x}`);
      }), RUNS);
    });

    test(`${name}: partials straight from the registry agree with finite differences`, () => {
      const [d] = FUNCTIONS[name].partials([u], y);
      fc.assert(fc.property(c.domain, (x) => {
        const env = (k: string) => (k === 'u' ? x : k === 'y' ? c.reference(x) : undefined);
        expectClose(evalExpr(d!, env), fivePoint(c.reference, x), TOL, `${name}' at ${x}`);
      }), RUNS);
    });

    test(`${name}: an exact value, where the registry gives one, is the true value`, () => {
      fc.assert(fc.property(fc.integer({ min: -40, max: 40 }), fc.integer({ min: 1, max: 12 }), (p, q) => {
        const r = Rational.of(BigInt(p), BigInt(q));
        if ((name === 'log' || name === 'sqrt') && r.sign() <= 0) return; // outside the domain
        const exact = FUNCTIONS[name].exact([r]);
        if (exact !== null) expectClose(exact.toNumber(), c.reference(p / q), 1e-15, `${name}(${p}/${q})`);
      }), RUNS);
    });
  }

  test('kinks: relu, step and abs at 0 and nowhere else', () => {
    for (const name of FN_NAMES) {
      const kink = FUNCTIONS[name].kink;
      const expected = name === 'relu' || name === 'step' || name === 'abs';
      expect(kink?.([0]) ?? false, name).toBe(expected);
      expect(kink?.([1e-9]) ?? false, name).toBe(false);
    }
  });

  test('exact values that must stay exact: sigma(0) = 1/2, tanh(0) = 0, sqrt(9/4) = 3/2, and tanh(1/2) stays symbolic', () => {
    expect(FUNCTIONS.sigmoid.exact([Rational.ZERO])?.toString()).toBe('1/2');
    expect(FUNCTIONS.tanh.exact([Rational.ZERO])?.toString()).toBe('0');
    expect(FUNCTIONS.sqrt.exact([Rational.of(9n, 4n)])?.toString()).toBe('3/2');
    expect(FUNCTIONS.sqrt.exact([Rational.of(2n)])).toBeNull();
    expect(FUNCTIONS.tanh.exact([Rational.of(1n, 2n)])).toBeNull();
    expect(FUNCTIONS.relu.exact([Rational.of(-3n, 4n)])?.toString()).toBe('0');
    expect(fn('sigmoid', num(0))).toBe(num(Rational.of(1n, 2n)));
  });
});

/** d def / d key by five-point differences of the definition itself, other refs fixed. */
function fdOf(def: Expr, point: Record<string, number>, key: string): number {
  return fivePoint((x) => evalExpr(def, (k) => (k === key ? x : point[k])), point[key]!);
}

/** Every local partial of `def` (with its output named `y`) against finite differences at `point`. */
function checkAllPartials(def: Expr, point: Record<string, number>, wrt: readonly string[]): void {
  const y = evalExpr(def, (k) => point[k]);
  const env = (k: string) => (k === 'y' ? y : point[k]);
  for (const key of wrt) {
    const lp = localPartial('y', def, key);
    expectClose(evalExpr(lp.expr, env), fdOf(def, point, key), TOL, `d(${toText(def)})/d${key} at ${JSON.stringify(point)}`);
  }
}

describe('arithmetic', () => {
  const names = ['a', 'b', 'c', 'd'];
  const point = (n: number) => fc.array(between(-5, 5), { minLength: n, maxLength: n })
    .map((xs) => Object.fromEntries(xs.map((x, i) => [names[i]!, x])) as Record<string, number>);

  test('add (n-ary): every partial is 1', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 4 }).chain((n) => point(n)), (p) => {
      const keys = Object.keys(p);
      checkAllPartials(add(...keys.map(ref)), p, keys);
    }), RUNS);
  });

  test('mul (n-ary): d/dx_i is the product of the others', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 4 }).chain((n) => point(n)), (p) => {
      const keys = Object.keys(p);
      checkAllPartials(mul(...keys.map(ref)), p, keys);
    }), RUNS);
  });

  test('a factor used twice sums both terms: d(a*a*b)/da = 2ab', () => {
    const def = apply('mul', [ref('a'), ref('a'), ref('b')]);
    fc.assert(fc.property(point(2), (p) => checkAllPartials(def, p, ['a', 'b'])), RUNS);
    expect(evalExpr(localPartial('y', def, 'a').expr, (k) => ({ a: 3, b: 5 })[k])).toBe(30);
  });

  test('neg and sub', () => {
    fc.assert(fc.property(point(2), (p) => {
      checkAllPartials(neg(ref('a')), p, ['a']);
      checkAllPartials(sub(ref('a'), ref('b')), p, ['a', 'b']);
    }), RUNS);
  });

  test('div: d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 (b away from 0)', () => {
    fc.assert(fc.property(between(-5, 5), awayFromZero(0.2, 5), (a, b) => {
      checkAllPartials(div(ref('a'), ref('b')), { a, b }, ['a', 'b']);
    }), RUNS);
  });

  test('pow with an integer exponent: d(a^n)/da = n a^(n-1)', () => {
    fc.assert(fc.property(awayFromZero(0.2, 3), fc.integer({ min: -4, max: 6 }), (a, n) => {
      checkAllPartials(pow(ref('a'), num(n)), { a }, ['a']);
    }), RUNS);
  });

  test('pow with a variable exponent: d(a^b)/db = a^b log a (a > 0)', () => {
    fc.assert(fc.property(between(0.2, 4), between(-3, 3), (a, b) => {
      checkAllPartials(pow(ref('a'), ref('b')), { a, b }, ['a', 'b']);
    }), RUNS);
  });

  test('the registry covers exactly add, mul, neg, div, pow', () => {
    expect(Object.keys(ARITHMETIC).sort()).toEqual(['add', 'div', 'mul', 'neg', 'pow']);
  });
});

/**
 * Random definitions built from every op, kept inside their domains by
 * construction (log and sqrt of 1 + u^2, division by 1 + u^2, exp of a tanh,
 * no kinked op): the chain rule inside one definition, against differences.
 */
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'c').map(ref),
    fc.integer({ min: -3, max: 3 }).map((n) => num(Rational.of(BigInt(n), 2n))),
    fc.tuple(fc.constantFrom<FnName>('sigmoid', 'tanh'), tie('e')).map(([f, u]) => fn(f, u)),
    tie('e').map((u) => fn('exp', fn('tanh', u))),
    tie('e').map((u) => fn('log', add(num(1), pow(u, num(2))))),
    tie('e').map((u) => fn('sqrt', add(num(1), pow(u, num(2))))),
    fc.tuple(tie('e'), tie('e')).map(([u, v]) => add(u, v)),
    fc.tuple(tie('e'), tie('e')).map(([u, v]) => sub(u, v)),
    fc.tuple(tie('e'), tie('e')).map(([u, v]) => mul(u, v)),
    fc.tuple(tie('e'), tie('e')).map(([u, v]) => div(u, add(num(1), pow(v, num(2))))),
    tie('e').map((u) => neg(u)),
  ),
})).e;

test('random definitions over every smooth op: every local partial agrees with finite differences', () => {
  fc.assert(fc.property(exprArb, between(-2, 2), between(-2, 2), between(-2, 2), (def, a, b, c) => {
    checkAllPartials(def, { a, b, c }, ['a', 'b', 'c']);
  }), { numRuns: 300 });
});
