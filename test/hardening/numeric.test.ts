/**
 * Issue 8, item 5: numeric safety. Saturating units (|u| = 1000) stay finite in values,
 * gradients and the finite-difference check; a value that does leave the finite numbers is a
 * ProblemError naming the node (the first one in evaluation order), never a printed NaN.
 * Expected numbers: python3 -c "import math; s=lambda u: 1/(1+math.exp(-u)) if u>=0 else
 * math.exp(u)/(1+math.exp(u)); print(s(1000), s(-1000), math.tanh(1000), 1-math.tanh(1000)**2)"
 * prints 1.0 0.0 1.0 0.0 (the true values differ from these by under e^-1000).
 */
import { describe, expect, test } from 'vitest';
import { parseProblem } from '../../src/problem/load.js';
import { solve } from '../../src/derive/solve.js';
import { deriveJson } from '../../src/derive/json.js';
import { ProblemError } from '../../src/errors.js';
import { isqrt } from '../../src/ops/registry.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/oracles.js';

const problem = (equations: string, given: string, ask: string): string =>
  `id: num\ntitle: t\nnetwork:\n  kind: equations\n  equations:\n${equations}given: ${given}\nask:\n${ask}`;

function errorOf(run: () => unknown): ProblemError {
  try {
    run();
  } catch (e) {
    if (e instanceof ProblemError) return e;
    throw e;
  }
  throw new Error('expected a ProblemError');
}

describe('saturating units stay finite at |u| = 1000', () => {
  // o = f(w x + b) with x = 1, b = 0: u = w; do/dw = f'(u) x, do/db = f'(u)
  const cases: Array<[string, number, number, number]> = [
    // [f, w, f(u) from python, f'(u) from python]
    ['sigmoid', 1000, 1.0, 0.0],
    ['sigmoid', -1000, 0.0, 0.0],
    ['tanh', 1000, 1.0, 0.0],
    ['tanh', -1000, -1.0, 0.0],
  ];
  test.each(cases)('%s at u = %d: value, gradient and finite-difference check', (f, w, value, slope) => {
    const sol = solve(parseProblem(problem(`    o: ${f}(w*x + b)\n`, `{w: ${w}, x: 1, b: 0}`, '  - forward: [o]\n  - gradient: {of: o, wrt: [w, b]}\n'), 'sat.yaml'));
    expect(sol.values.get('o')).toBe(value);
    for (const g of sol.gradients) for (const e of g.entries) {
      expect(e.value).toBe(slope);
      expect(Number.isFinite(e.fd)).toBe(true);
    }
    expect(sol.check.passed).toBe(true);
    expect(JSON.stringify(deriveJson(sol))).not.toMatch(/NaN|Infinity/);
  });

  test('a deep chain of saturated sigmoids gives finite, zero gradients', () => {
    const eqs = Array.from({ length: 6 }, (_, i) => `    h${i + 1}: sigmoid(w*${i === 0 ? 'x' : `h${i}`} + b)\n`).join('');
    const sol = solve(parseProblem(problem(eqs, '{w: 1000, x: 1, b: -1000}', '  - gradient: {of: h6, wrt: [w, b, x]}\n'), 'deep.yaml'));
    for (const e of sol.gradients.flatMap((g) => g.entries)) expect(Number.isFinite(e.value)).toBe(true);
  });
});

describe('a value outside the finite numbers is a ProblemError naming the node', () => {
  test('softmax in an RNN is shifted by its maximum: b2 = (1000, -1000) stays finite, E = lse(u) - u_2', () => {
    // u = (1000.2535..., -999.7464...) by hand (h_2 = tanh(1.2386...) three times, 0.1 weights); e^1000 would overflow unshifted
    const text = readFileSync(join(REPO, 'problems', 'seed001-rnn-3-softmax-many-to-one.yaml'), 'utf8')
      .replace('b2: {fill: 0.1}', 'b2: [1000, -1000]').replace(/published:[\s\S]*/, '');
    const json = deriveJson(solve(parseProblem(text, 'rnn.yaml')));
    expect(json.values.y).toEqual([1, 0]);
    expect(json.values.E).toBeCloseTo(2000, 9);
  });

  test('an output that overflows names its node and the given values', () => {
    // W2 = 1e308 everywhere: W2 h sums three terms near 1e308 * 0.85 and leaves the doubles
    const text = readFileSync(join(REPO, 'problems', 'seed001-rnn-3-softmax-many-to-one.yaml'), 'utf8').replace('W2: {fill: 0.1}', 'W2: {fill: 1e308}');
    const e = errorOf(() => solve(parseProblem(text, 'rnn.yaml')));
    expect(e.message).toMatch(/the value of 'u' is not a finite number/);
    expect(e.key).toBe('given');
    expect(e.line).toBeGreaterThan(0);
  });

  test('an infinite adjoint names the node whose derivative left the numbers', () => {
    const e = errorOf(() => solve(parseProblem(problem('    r: sqrt(w)\n    E: 3*r\n', '{w: 0}', '  - gradient: {of: E, wrt: [w]}\n'), 'adj.yaml')));
    expect(e.message).toBe("dE/dw is not a finite number (Infinity) at the given values");
    expect(e.key).toBe('given');
  });

  test('an update that overflows names the parameter', () => {
    const e = errorOf(() => solve(parseProblem(problem('    E: w*w/2\n', '{w: 1e150}', '  - update: {of: E, params: [w], rule: sgd, rate: 1e200}\n'), 'upd.yaml')));
    expect(e.message).toMatch(/the updated value of 'w' is not a finite number \(-Infinity\)/);
  });
});

describe('exact arithmetic stays bounded', () => {
  test('isqrt of 116-digit numbers is exact and immediate', () => {
    // constructed: (3*10^57 + 7)^2 is a perfect square by definition, one more is not
    const r = 3n * 10n ** 57n + 7n;
    expect(isqrt(r * r)).toBe(r);
    expect(isqrt(r * r + 1n)).toBeNull();
    expect(isqrt(0n)).toBe(0n);
    expect(isqrt(1n)).toBe(1n);
    expect(isqrt(2n)).toBeNull();
    for (let k = 0n; k < 200n; k++) expect(isqrt(k * k), String(k)).toBe(k);
  });

  test('a given of 1.17e-42 under sqrt (a fuzzing find that never finished) solves', () => {
    const text = readFileSync(join(REPO, 'problems', 'own-rbf-abs-error.yaml'), 'utf8').replace(/^ {2}x1: .*$/m, '  x1: -1.1704218476891758e-42');
    const sol = solve(parseProblem(text, 'rbf.yaml'), { skipCheck: true });
    // r = sqrt((x1 - 0.5)^2 + (2 - 1)^2) = sqrt(1.25) to double precision (x1 is below its resolution)
    expect(sol.values.get('r')).toBeCloseTo(Math.sqrt(1.25), 14);
  }, 10_000);
});
