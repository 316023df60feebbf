/**
 * The sqrt and abs partials: their printed forms, and their values against
 * five-point differences of functions written here.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fn, mul, num, ref, sub } from '../../src/expr/expr.js';
import { toText } from '../../src/ops/print.js';
import { localPartial } from '../../src/diff/local.js';
import { FUNCTIONS } from '../../src/ops/registry.js';
import { expectClose, fivePoint } from '../helpers/numbers.js';
import { referenceEval } from './reference-eval.js';

const u = ref('u');

describe('sqrt', () => {
  test("sqrt' prints 1/(2*y) with y the node's name, 1/(2*sqrt(u)) inside a larger definition", () => {
    expect(toText(localPartial('y', fn('sqrt', u), 'u').expr)).toBe('1/(2*y)');
    // y = 3 sqrt(u): 3 * 1/(2 sqrt u) = 3/(2 sqrt u), the constants combined
    expect(toText(localPartial('y', mul(num(3), fn('sqrt', u)), 'u').expr)).toBe('3/(2*sqrt(u))');
    // y = sqrt(u - 1) * u: the product rule, each part a textbook form
    expect(toText(localPartial('y', mul(fn('sqrt', sub(u, num(1))), u), 'u').expr)).toBe('u/(2*sqrt(u - 1)) + sqrt(u - 1)');
  });

  test("sqrt' agrees with finite differences of Math.sqrt (property)", () => {
    const d = localPartial('y', mul(num(3), fn('sqrt', u)), 'u').expr;
    fc.assert(fc.property(fc.double({ min: 0.05, max: 50, noNaN: true }), (x) => {
      expectClose(referenceEval(d, () => x), fivePoint((v) => 3 * Math.sqrt(v), x, 1e-4 * x), 1e-7, `at ${x}`);
    }), { numRuns: 100 });
  });
});

describe('abs', () => {
  test("abs' is sign(u) written 2*step(u) - 1: finite at the kink, where u/|u| would be 0/0", () => {
    const d = localPartial('y', fn('abs', u), 'u').expr;
    expect(toText(d)).toBe('2*step(u) - 1');
    expect(FUNCTIONS.abs.rule).toContain('sign');
    // at u = 0 the entry is reported as not differentiable, but it has a value (-1, the left derivative)
    expect(referenceEval(d, () => 0)).toBe(-1);
    expect(FUNCTIONS.abs.kink?.([0])).toBe(true);
  });

  test("abs' equals u/|u| and finite differences of Math.abs away from 0 (property)", () => {
    const d = localPartial('y', fn('abs', u), 'u').expr;
    const away = fc.tuple(fc.double({ min: 0.01, max: 50, noNaN: true }), fc.boolean()).map(([x, neg]) => (neg ? -x : x));
    fc.assert(fc.property(away, (x) => {
      const v = referenceEval(d, () => x);
      expect(v).toBe(x / Math.abs(x));
      expectClose(v, fivePoint(Math.abs, x, 1e-3 * Math.abs(x)), 1e-9, `at ${x}`);
    }), { numRuns: 100 });
  });
});
