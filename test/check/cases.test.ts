/** The hand-written cases of case-list.ts: each answer's verdict and diagnosis. */
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/check/check.js';
import { correct, mistakes, type Case } from './case-list.js';
import { ctxFor } from './helpers.js';

function run(c: Case) {
  const r = checkAnswer(ctxFor(c.file, c.of, c.wrt), c.answer, { latex: c.latex });
  expect(r.equivalent, `${c.answer} -> ${r.diagnosis}: ${r.detail}`).toBe(c.diagnosis === null);
  expect(r.diagnosis).toBe(c.diagnosis);
  if (c.detail) expect(r.detail).toContain(c.detail);
  if (c.diagnosis) expect(r.counterexample === null && c.diagnosis !== 'transposed').toBe(false);
}

describe('check: correct answers in unusual forms', () => {
  it.each(correct.map((c) => [c.name, c] as const))('%s', (_n, c) => run(c));
});

describe('check: realistic mistakes', () => {
  it.each(mistakes.map((c) => [c.name, c] as const))('%s', (_n, c) => run(c));
});

describe('the case list', () => {
  it('has at least 40 cases, about half of each kind, in both syntaxes', () => {
    expect(correct.length + mistakes.length).toBeGreaterThanOrEqual(40);
    expect(Math.min(correct.length, mistakes.length)).toBeGreaterThanOrEqual(20);
    for (const group of [correct, mistakes]) {
      expect(group.filter((c) => c.latex).length).toBeGreaterThanOrEqual(6);
      expect(group.filter((c) => !c.latex).length).toBeGreaterThanOrEqual(6);
    }
  });
});

