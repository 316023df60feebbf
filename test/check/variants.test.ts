/** `check --variant K --seed S`: the answer is checked against one student's drawn values (contract 5). */
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/check/check.js';
import { prepareCheck } from '../../src/check/context.js';
import { variantDraw } from '../../src/check/variant.js';
import { loadProblem } from '../../src/problem/read.js';
import { ProblemError } from '../../src/errors.js';
import { fixture, shipped } from './helpers.js';

const FILE = shipped('variants-sigmoid-chain.yaml');

describe('variants', () => {
  const ctx = prepareCheck(loadProblem(FILE), 'o', 'b1', { variant: variantDraw('x7', 2) });

  it('binds the variant\'s values and its answer tolerance', () => {
    expect(ctx.variant).toEqual({ number: 2, seed: 'x7-2', tolerance: 1e-3 });
    // variant x7-2 draws x = 1, w1 = -0.8, w2 = 0.6, w3 = -2.9, w4 = 0.3, b1 = 1.2, b2 = -1.8, b3 = 1.1
    expect(ctx.given.leaves.get('w3')).toBe(-2.9);
  });

  it('checks a number against the variant\'s derivative', () => {
    // do/db1 for those values with mpmath (30 digits): -0.00450989770967050936342168931075
    expect(checkAnswer(ctx, '-0.00450989770967051')).toMatchObject({ equivalent: true, method: 'value' });
    expect(checkAnswer(ctx, '-0.00451', { tolerance: 1e-3 }).equivalent).toBe(true);
    // the base problem's value is not this variant's
    const base = prepareCheck(loadProblem(FILE), 'o', 'b1');
    expect(checkAnswer(ctx, String(base.truthAt(base.given, 0))).equivalent).toBe(false);
  });

  it('checks formulas as for the problem itself', () => {
    expect(checkAnswer(ctx, 'w4 w3 h3 (1-h3) w2 h2 (1-h2) h1 (1-h1)').method).toBe('symbolic');
    expect(checkAnswer(ctx, 'w4 w3 h3 (1-h3) w2 h2 h1 (1-h1)').diagnosis).toBe('wrong-derivative');
  });

  it('needs a variants section', () => {
    expect(() => prepareCheck(loadProblem(fixture('q4-conv.yaml')), 'E', 'k11', { variant: variantDraw('1', 1) })).toThrow(ProblemError);
  });
});
