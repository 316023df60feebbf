/** Exact closed forms of the generic engine's BPTT (exact: true, derive/tensor-exact.ts) read by role, and their shorthands. */
import { describe, expect, it } from 'vitest';
import { fn, num } from '../../src/expr/expr.js';
import { Rational } from '../../src/expr/rational.js';
import { Lin } from '../../src/simplify/lin.js';
import { exactForms } from '../../src/networks/rnn/exact-forms.js';
import { layoutOf } from '../../src/networks/rnn/layout.js';
import { shorthands } from '../../src/simplify/shorthand.js';
import { printExpr } from '../../src/ops/print.js';
import { expectClose, seedAnswer, solveFile } from './helpers.js';

const r = (s: string) => Rational.parse(s)!;
const text = (l: Lin) => printExpr(l.expr(), { latex: false, name: (k) => k });

describe('exact linear combinations', () => {
  const a = Lin.from(fn('tanh', num(r('1/2'))));
  it('collect like terms: 0.1 tanh 0.5 three times is 3/10 tanh(1/2)', () => {
    const s = a.scale(r('0.1')).plus(a.scale(r('0.1'))).plus(a.scale(r('0.1'))).plus(Lin.of(r('1.1')));
    expect(text(s)).toBe('3/10*tanh(1/2) + 11/10');
  });
  it('cancel exactly: W2^T delta_out of seed 001 exercise 1 is 0', () => {
    const d = Lin.of(r('0.1')).times(Lin.of(r('-0.5'))).plus(Lin.of(r('0.1')).times(Lin.of(r('0.5'))));
    expect(d.isConst && d.c.isZero()).toBe(true);
  });
  it('keep a product of sums factored', () => {
    const p = a.scale(r('0.06')).minus(Lin.of(r('0.08'))).times(Lin.of(Rational.ONE).minus(a.times(a)));
    expect(text(p)).toBe('(3/50*tanh(1/2) - 2/25)*(1 - tanh(1/2)*tanh(1/2))');
  });
});

describe('shorthands', () => {
  it('name a repeated piece once and leave small ones inline', () => {
    const big = fn('tanh', Lin.from(fn('tanh', num(r('0.5')))).scale(r('0.3')).plus(Lin.of(r('1.1'))).expr());
    const roots = [big, big, fn('tanh', num(r('0.5')))];
    const sh = shorthands(roots);
    expect(sh.defs.length).toBe(1);
    expect(sh.roots).toEqual(['\\alpha_{1}', '\\alpha_{1}', '\\tanh\\left(\\frac{1}{2}\\right)']);
    expectClose(sh.defs[0]!.value, Math.tanh(0.3 * Math.tanh(0.5) + 1.1), 1e-15);
  });
});

describe('exact deltas of seed 001', () => {
  /** exact forms for the loss E (every step of a many-to-many network, the last of a many-to-one) */
  const forms = (file: string, lossSteps: number[]) => {
    const { sol } = solveFile(file);
    const ts = sol.tensor!;
    return exactForms(layoutOf(sol.graph)!, ts, ts.passes.find((p) => p.of === 'E')!, lossSteps, (k) => sol.leaves.get(k))!;
  };

  it('exercise 1: delta_out = (1/2, -1/2) and (-1/2, 1/2), hidden deltas exactly 0, as the seed prints', () => {
    const f = forms('seed001-rnn-1-softmax-many-to-many.yaml', [1, 2]);
    expect(f.deltaOut[1]).toEqual(['\\frac{1}{2}', '-\\frac{1}{2}']);
    expect(f.deltaOut[0]).toEqual(['-\\frac{1}{2}', '\\frac{1}{2}']);
    expect(f.delta1.flat()).toEqual(new Array(6).fill('0'));
  });

  it('exercise 4: delta2 = (o, o - 1) and delta1_(2) = (0.06 tanh(a) - 0.08)(1 - tanh^2 a), the seed\'s h2', () => {
    const f = forms('seed001-rnn-4-identity-many-to-one.yaml', [2]);
    const def = (latex: string) => f.shorthands.find((d) => d.latex === latex)!;
    // alpha_1 = tanh(1.1 + 0.3 tanh 0.5), the seed's w
    expect(def('\\alpha_{1}').definition).toBe('\\tanh\\left(\\frac{3}{10}\\,\\tanh\\left(\\frac{1}{2}\\right) + \\frac{11}{10}\\right)');
    expect(f.deltaOut[1]).toEqual(['\\frac{3}{10}\\,\\alpha_{1} + \\frac{1}{10}', '\\frac{3}{10}\\,\\alpha_{1} - \\frac{9}{10}']);
    const h2 = f.delta1[1]!;
    expect(new Set(h2).size).toBe(1); // the same value in all three units
    const d = def(h2[0]!);
    const [, tanhPrime] = /^\\left\(\\frac\{3\}\{50\}\\,\\alpha_\{1\} - \\frac\{2\}\{25\}\\right\)\\,(\\alpha_\{\d+\})$/.exec(d.definition) ?? [];
    expect(tanhPrime).toBeDefined(); // (3/50 alpha_1 - 2/25) times a shorthand for ...
    expect(def(tanhPrime!).definition).toBe('1 - {\\alpha_{1}}^{2}'); // ... 1 - tanh^2(a)
    // its value is the oracle's delta1_(2); delta1_(1) = 0.3 h2 (1 - tanh^2 0.5) likewise
    const oracle = seedAnswer('S001-R4c-deltas').answer_numeric as number[][];
    expectClose(d.value, oracle[2]![0]!, 1e-14);
    expectClose(def(f.delta1[0]![0]!).value, oracle[1]![0]!, 1e-14);
  });
});
