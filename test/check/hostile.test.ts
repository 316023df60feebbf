/**
 * Hostile answers: limits on characters, syntax-tree nodes, nesting, exponents, unrolled sums,
 * expression nodes and operations; each fails as an input error (exit 2) naming what was exceeded,
 * after a bounded number of operations (asserted by count, not by wall time).
 */
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/errors.js';
import { AnswerError } from '../../src/check/ast.js';
import { checkAnswer, checkValue, readAnswer } from '../../src/check/check.js';
import { Budget, CheckBudgetError, DEFAULT_LIMITS, type CheckLimits } from '../../src/check/limits.js';
import { ctxFor, shipped } from './helpers.js';

const chain = () => ctxFor(shipped('seed000-q2-2-sigmoid-chain-vanish.yaml'), 'o', 'b1');

/** Run a check with a budget we can read afterwards: the error (or null) and the operations spent. */
function attempt(text: string, latex = false, limits: CheckLimits = DEFAULT_LIMITS): { error: unknown; ops: number } {
  const budget = new Budget(limits);
  try {
    checkValue(chain(), readAnswer(chain(), text, latex, budget), 1e-6, budget);
    return { error: null, ops: budget.used };
  } catch (error) {
    return { error, ops: budget.used };
  }
}

/** An n x n matrix literal of x's. */
const square = (n: number): string => `[${Array(n).fill(`[${Array(n).fill('x').join(',')}]`).join(',')}]`;

const cases: Array<[string, string, boolean, RegExp]> = [
  ['too many characters', 'x+'.repeat(6000) + 'x', false, /longer than 10000 characters/],
  ['too many syntax-tree nodes', 'x+'.repeat(4000) + 'x', false, /more than 5000 parts/],
  ['deep parentheses', '('.repeat(3000) + 'x' + ')'.repeat(3000), false, /nesting deeper than 64/],
  ['deep unary minus', '-'.repeat(3000) + 'x', false, /nesting deeper than 64/],
  ['deep \\frac', '\\frac{'.repeat(200) + '1' + '}{2}'.repeat(200), true, /nesting deeper than 64/],
  ['a tower of powers', '2^2^2^2^2^2', false, /exponent 65536 is larger than the limit of 100/],
  ['a large exponent', 'x^1000000', false, /exponent 1000000 is larger/],
  ['a power too large to fold', '((10^50)^50)^50', false, /too large a number/],
  ['a number out of range', '1e999', false, /out of range/],
  ['a long number', '1'.repeat(50), false, /longer than 40 characters/],
  ['a long sum', '\\sum_{t=1}^{1000000} x', true, /more than 2000 terms/],
  ['nested sums', '\\sum_{t=1}^{1000}\\sum_{s=1}^{1000} x', true, /more than 2000 terms/],
  ['a product of large matrices', `${square(40)}^T @ ${square(40)}`, false, /expands to more than 50000 expression nodes/],
  ['a control character', 'x\u0007', false, /unexpected character U\+0007/],
  ['an unbalanced bracket', 'sigma((x)', false, /missing '\)'/],
];

describe('hostile answers', () => {
  it.each(cases)('%s', (_name, text, latex, message) => {
    const { error, ops } = attempt(text, latex);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as Error).message).toMatch(message);
    expect(ops).toBeLessThanOrEqual(DEFAULT_LIMITS.maxOps);
  });

  it('stops an expensive answer at the operation budget', () => {
    const small: CheckLimits = { ...DEFAULT_LIMITS, maxOps: 2_000 };
    // equal to the derivative at the random points, so the symbolic form is attempted: a large expansion
    const big = '(x+w1+w2+w3+b1+b2)^6 * (h1+h2+h3+w4+b4)^6';
    const { error, ops } = attempt(`${big} - ${big} + w4*w3*h3*(1-h3)*w2*h2*(1-h2)*h1*(1-h1)`, false, small);
    expect(error).toBeInstanceOf(CheckBudgetError);
    expect(ops).toBeLessThanOrEqual(2_000);
  });

  it('keeps a heavy but legal answer within the default budget', () => {
    const { error, ops } = attempt('\\prod_{t=1}^{40} (x + w_1 + h_{1})', true);
    expect(error).toBeNull();
    expect(ops).toBeLessThan(DEFAULT_LIMITS.maxOps);
  });

  it('has a wall-clock backstop', () => {
    let now = 0;
    const budget = new Budget({ ...DEFAULT_LIMITS, timeMs: 10 }, () => (now += 1)); // every look at the clock costs 1 ms
    expect(() => { for (let i = 0; i < 200_000; i++) budget.charge(); }).toThrow(/longer than 10 ms/);
  });

  it('answers that are undefined everywhere are a verdict, not an error', () => {
    const r = checkAnswer(chain(), 'h1/(x - x)');
    expect(r.equivalent).toBe(false);
    expect(r.detail).toContain('undefined');
  });

  it('reports the column of the first offending character', () => {
    const e = (() => { try { readAnswer(chain(), 'w4 * h3 * ' + '('.repeat(100) + 'x', false, new Budget()); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(AnswerError);
    expect((e as AnswerError).col).toBeGreaterThan(10);
  });
});
