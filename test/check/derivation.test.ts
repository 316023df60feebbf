/** `check --derivation`: line by line, the first line that does not follow, and the last line against the truth. */
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/errors.js';
import { checkDerivation } from '../../src/check/derivation.js';
import { checkJson } from '../../src/check/report.js';
import { ctxFor, fixture, seed, shipped } from './helpers.js';

const vanish = () => ctxFor(shipped('seed000-q2-2-sigmoid-chain-vanish.yaml'), 'o', 'b1');
const q4 = () => ctxFor(fixture('q4-conv.yaml'), 'E', 'K[1,1]');

describe('derivations', () => {
  it('a correct chain-rule derivation ending in the value (the oracle\'s 7.9973e-5)', () => {
    const steps = [
      'do/db1 = do/dh3 * dh3/db1',
      '= w4 * dh3/dh2 * dh2/db1',
      '= w4 w3 h3 (1-h3) * dh2/dh1 * dh1/db1',
      '= w4 w3 h3 (1-h3) w2 h2 (1-h2) h1 (1 - h1)',
      `= ${(seed('S000-Q2-2').answer_numeric as number).toPrecision(10)}`,
    ].join('\n');
    const r = checkDerivation(vanish(), steps, 'steps.txt');
    expect(r.lines.map((l) => l.follows)).toEqual([true, true, true, true, true]);
    expect(r.firstWrongLine).toBeNull();
    expect(r.equivalent).toBe(true);
    expect(r.method).toBe('value');
  });

  it('the first line that does not follow, with its own diagnosis, and the verdict of the last line', () => {
    const steps = [
      '% seed 000 Q2: a sign slips in on line 3, then sigma\' becomes sigma on line 4',
      '= w4 w3 h3 (1-h3) w2 h2 (1-h2) h1 (1-h1)',
      '',
      '= -w4 w3 h3 (1-h3) w2 h2 (1-h2) h1 (1-h1)',
      '= -w4 w3 h3 (1-h3) w2 h2 h1 (1-h1)',
    ].join('\n');
    const r = checkDerivation(vanish(), steps, 'steps.txt');
    expect(r.lines.map((l) => [l.line, l.follows])).toEqual([[2, null], [4, false], [5, false]]);
    expect(r.lines[1]!.diagnosis).toBe('sign');
    expect(r.firstWrongLine).toBe(4);
    expect(r.equivalent).toBe(false);
    const j = checkJson(r);
    expect(j.firstWrongLine).toBe(4);
    expect(j.lines![1]).toMatchObject({ line: 4, follows: false, diagnosis: 'sign' });
  });

  it('LaTeX aligned lines with &= and \\\\, ending in the seed\'s wrong sign', () => {
    const steps = [
      '\\begin{aligned}',
      '\\frac{\\partial E}{\\partial k_{11}} &= \\frac{\\partial E}{\\partial o} \\frac{\\partial o}{\\partial k_{11}} \\\\',
      '&= (o - z)\\, \\frac{\\partial o}{\\partial k_{11}} \\\\',
      '&= (o - z)\\, o (1 - o) (w_{11}x_{11} + w_{12}x_{12} + w_{21}x_{21} + w_{22}x_{22}) \\\\',
      '&= (z - o)\\, o (1 - o) (w_{11}x_{11} + w_{12}x_{12} + w_{21}x_{21} + w_{22}x_{22})',
      '\\end{aligned}',
    ].join('\n');
    const r = checkDerivation(q4(), steps, 'steps.tex', { latex: true });
    expect(r.lines.map((l) => l.follows)).toEqual([true, true, true, false]);
    expect(r.firstWrongLine).toBe(5);
    expect(r.diagnosis).toBe('sign');
  });

  it('a step that is right but a last line that is not the derivative', () => {
    const r = checkDerivation(vanish(), '= w4 w3 h3 (1-h3) w2 h2 (1-h2) h1 (1-h1) x\n= x w4 w3 h3 (1-h3) w2 h2 (1-h2) h1 (1-h1)', 'steps.txt');
    expect(r.firstWrongLine).toBeNull();
    expect(r.equivalent).toBe(false);
    expect(r.detail).toContain('times x');
  });

  it('input errors name the line', () => {
    try {
      checkDerivation(vanish(), '= w4 h3\n= w4 * (h3', 'steps.txt');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ProblemError);
      expect((e as ProblemError).format()).toBe("steps.txt:2: column 11: missing ')' to close the '(' at column 8");
    }
    expect(() => checkDerivation(vanish(), '% nothing\n\n', 'steps.txt')).toThrow(/no steps/);
  });
});
