/**
 * Numbers in verdicts: the truth at the problem's values, counterexamples, the worth of a missing term
 * and value answers, all against the SymPy oracle (../shared/seed-answers.json) or the numpy oracle of
 * fixtures/mlp-tanh-oracle.py.
 */
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/check/check.js';
import { ctxFor, fixture, rel, seed, shipped } from './helpers.js';

describe('the truth at the problem\'s values', () => {
  it('Q4 dE/dK entries equal the oracle (S000-Q4)', () => {
    const ctx = ctxFor(fixture('q4-conv.yaml'), 'E', 'K');
    const want = (seed('S000-Q4').answer_numeric as number[][]).flat();
    want.forEach((w, i) => expect(rel(ctx.truthAt(ctx.given, i), w)).toBeLessThan(1e-12));
  });

  it('S004 two layers: dE2/dU and dE2/dV1 (S004-2L-*)', () => {
    expect(rel(ctxFor(fixture('s004-rnn2.yaml'), 'E2', 'U').truthAt(ctxFor(fixture('s004-rnn2.yaml'), 'E2', 'U').given, 0), seed('S004-2L-dE2dU').answer_numeric as number)).toBeLessThan(1e-12);
    const v1 = ctxFor(fixture('s004-rnn2.yaml'), 'E2', 'V1');
    expect(rel(v1.truthAt(v1.given, 0), seed('S004-2L-dE2dV1').answer_numeric as number)).toBeLessThan(1e-12);
  });
});

describe('counterexamples', () => {
  it('the seed\'s (z - o) for Q4: expected and got at the problem\'s values', () => {
    const r = checkAnswer(ctxFor(fixture('q4-conv.yaml'), 'E', 'K[1,1]'), '(z - o) o (1-o) (w11 x11 + w12 x12 + w21 x21 + w22 x22)');
    const want = (seed('S000-Q4').answer_numeric as number[][])[0]![0]!;
    expect(r.counterexample?.where).toBe('given');
    expect(rel(r.counterexample!.expected, want)).toBeLessThan(1e-12);
    expect(rel(r.counterexample!.got, -want)).toBeLessThan(1e-12);
    expect(r.counterexample!.at['K[1,1]']).toBe(0.5);
    expect(r.counterexample!.at.z).toBe(1);
  });

  it('the seed\'s printed Q4 matrix (Hadamard reading) differs entry by entry as the oracle computed', () => {
    // seed_formula_value.hadamard_reading: (z - o) o(1-o) W ⊙ [[x11+x22, x12+x23], [x21+x32, x22+x33]]
    const r = checkAnswer(ctxFor(fixture('q4-conv.yaml'), 'E', 'K'), '(z - o) o (1 - o) W .* [[x11 + x22, x12 + x23], [x21 + x32, x22 + x33]]');
    expect(r.equivalent).toBe(false);
    const printed = seed('S000-Q4').seed_formula_value!.hadamard_reading!.flat();
    const truth = (seed('S000-Q4').answer_numeric as number[][]).flat();
    r.entries!.forEach((e, i) => {
      expect(e.equivalent).toBe(false);
      expect(e.counterexample!.where).toBe('given');
      expect(rel(e.counterexample!.got, printed[i]!)).toBeLessThan(1e-12);
      expect(rel(e.counterexample!.expected, truth[i]!)).toBeLessThan(1e-12);
    });
  });
});

describe('the worth of a missing or doubled term', () => {
  const ctx = () => ctxFor(fixture('s004-rnn1.yaml'), 'E3', 'w_s');
  const worth = (detail: string | null): number => Number(/\((-?[0-9.e-]+) at the problem's values\)/.exec(detail ?? '')![1]);
  const terms = seed('S004-1L-dE3dWs').three_terms_numeric!;

  it('each of the three BPTT terms left out is named with its value (S004-1L three_terms_numeric)', () => {
    const sym = seed('S004-1L-dE3dWs').three_terms_symbolic!;
    for (let i = 0; i < 3; i++) {
      const answer = sym.filter((_, j) => j !== i).join(' + ');
      const r = checkAnswer(ctx(), answer);
      expect(r.diagnosis).toBe('missing-term');
      expect(rel(worth(r.detail), terms[i]!)).toBeLessThan(1e-5);
    }
  });

  it('a term counted twice is an extra term', () => {
    const sym = seed('S004-1L-dE3dWs').three_terms_symbolic!;
    const r = checkAnswer(ctx(), `${sym.join(' + ')} + ${sym[1]}`);
    expect(r.diagnosis).toBe('extra-term');
    expect(rel(worth(r.detail), terms[1]!)).toBeLessThan(1e-5);
  });

  it('two terms left out are both named', () => {
    const r = checkAnswer(ctx(), seed('S004-1L-dE3dWs').three_terms_symbolic![0]!);
    expect(r.diagnosis).toBe('missing-term');
    expect(r.detail).toContain('w_s -> s2 -> s3');
    expect(r.detail).toContain('w_s -> s1 -> s2 -> s3');
  });
});

describe('a derivative that is 0', () => {
  it('h1 does not depend on w2: 0 is right, a formula is not', () => {
    const ctx = ctxFor(shipped('seed000-q2-2-sigmoid-chain-vanish.yaml'), 'h1', 'w2');
    expect(checkAnswer(ctx, '0')).toMatchObject({ equivalent: true, method: 'value' });
    expect(checkAnswer(ctx, 'w2 - w2')).toMatchObject({ equivalent: true, method: 'symbolic' });
    const r = checkAnswer(ctx, 'h1 (1 - h1) x');
    expect(r).toMatchObject({ equivalent: false, diagnosis: 'other', detail: 'the derivative is 0' });
  });
});

describe('value answers (method "value")', () => {
  const vanish = () => ctxFor(shipped('seed000-q2-2-sigmoid-chain-vanish.yaml'), 'o', 'b1');
  const exact = seed('S000-Q2-2').answer_numeric as number;

  it('accepts the value within --tolerance and rejects a rounded one by default', () => {
    expect(checkAnswer(vanish(), String(exact)).method).toBe('value');
    expect(checkAnswer(vanish(), String(exact)).equivalent).toBe(true);
    const rounded = checkAnswer(vanish(), '7.997e-5');
    expect(rounded.equivalent).toBe(false);
    expect(rounded.detail).toContain('agrees to 4 significant figures');
    expect(checkAnswer(vanish(), '7.997e-5', { tolerance: 1e-3 }).equivalent).toBe(true);
  });

  it('recognizes a negated value and a multiple', () => {
    expect(checkAnswer(vanish(), `-${exact}`).diagnosis).toBe('sign');
    expect(checkAnswer(vanish(), `${exact * 2}`).diagnosis).toBe('factor');
  });

  it('compares a matrix of numbers entry by entry (numpy oracle for mlp-tanh)', () => {
    // fixtures/mlp-tanh-oracle.py: dW2 = [[-0.054837201608298816, -0.005101163184809478, 0.05336846224749744]]
    const ctx = ctxFor(fixture('mlp-tanh.yaml'), 'E', 'W2');
    expect(checkAnswer(ctx, '[[-0.054837201608298816, -0.005101163184809478, 0.05336846224749744]]').equivalent).toBe(true);
    const r = checkAnswer(ctx, '[[-0.054837201608298816, 0.005101163184809478, 0.05336846224749744]]');
    expect(r.equivalent).toBe(false);
    expect(r.entries!.map((e) => e.equivalent)).toEqual([true, false, true]);
    expect(r.entries![1]!.diagnosis).toBe('sign');
    expect(r.counterexample!.entry).toBe('W2[1,2]');
  });
});
