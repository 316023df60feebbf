/**
 * Textbook closed forms by rule: the cross-entropy after a sigmoid collapses
 * to p - t, the RBF unit's gradient combines its constants and cancels r,
 * and the rule table's identities. Expected values: the SymPy oracle of our
 * own problems (test/oracles/expected.json, written by own_problems.py), or
 * arithmetic written in the test; expected texts are derived by hand in the
 * comments.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { add, div, fn, mul, neg, num, one, pow, ref, square, sub, type Expr } from '../../src/expr/expr.js';
import { Rational } from '../../src/expr/rational.js';
import { toText } from '../../src/ops/print.js';
import { loadProblem } from '../../src/problem/read.js';
import { solve } from '../../src/derive/solve.js';
import { deriveJson } from '../../src/derive/json.js';
import { simplify } from '../../src/simplify/index.js';
import { REPO, ownExpected } from '../helpers/oracles.js';
import { evalClosedFormText } from '../helpers/closed-form.js';
import { expectRel } from '../helpers/numbers.js';
import { referenceEval } from './reference-eval.js';

const r = (p: number, q = 1): Expr => num(Rational.of(BigInt(p), BigInt(q)));
const [p, t, x, y, a, b, z, u] = ['p', 't', 'x', 'y', 'a', 'b', 'z', 'u'].map(ref) as [Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr];

function solved(file: string) {
  const sol = solve(loadProblem(join(REPO, 'problems', file)));
  return { sol, json: deriveJson(sol) };
}

describe('cross-entropy after a sigmoid: (p - t) x', () => {
  test('own-logistic-neuron prints (p - t)*x1, (p - t)*x2, p - t, with the oracle values', () => {
    const { sol, json } = solved('own-logistic-neuron.yaml');
    const forms = json.closedForms.E as Record<string, string>;
    expect(forms).toEqual({ w1: '(p - t)*x1', w2: '(p - t)*x2', b: 'p - t' });
    const oracle = ownExpected('own-logistic-neuron')!;
    for (const w of ['w1', 'w2', 'b']) {
      expectRel(evalClosedFormText(forms[w]!, sol.values), oracle.gradients.E![w] as number, 1e-12, `dE/d${w} from its closed form`);
    }
    // and by hand: z = 0.3*2 + 0.4*(-1) - 0.1 = 0.1, p = sigma(0.1), t = 1: dE/dw1 = (p - 1)*2
    const ph = 1 / (1 + Math.exp(-0.1));
    expectRel(sol.gradients.find((g) => g.wrt === 'w1')!.entries[0]!.value, (ph - 1) * 2, 1e-12, 'dE/dw1');
    expect(sol.check.passed).toBe(true);
  });

  test('the chain-rule product as built collapses, also when p is a sigmoid application, not a name', () => {
    const chain = (q: Expr): Expr => mul(neg(sub(mul(div(one, q), t), mul(div(one, sub(one, q)), sub(one, t)))), q, sub(one, q));
    // -(t/p - (1 - t)/(1 - p)) p (1 - p) = -(t (1 - p) - (1 - t) p) = p - t
    expect(toText(simplify(mul(chain(p), x)))).toBe('(p - t)*x');
    expect(toText(simplify(chain(fn('sigmoid', z))))).toBe('sigmoid(z) - t');
  });
});

describe('the RBF unit: constants combined, r cancelled, sqrt and abs in textbook form', () => {
  test('own-rbf-abs-error prints each gradient as one quotient, with the oracle values', () => {
    const { sol, json } = solved('own-rbf-abs-error.yaml');
    const forms = json.closedForms.E as Record<string, string>;
    // dE/dc1 = sign(o - t) * a * g * d(-r^2/(2 s^2))/dr * dr/dc1 = sign * a g * (-r/s^2) * (-(x1 - c1)/r)
    // dE/ds  = sign * a g * r^2/s^3
    expect(forms).toEqual({
      c1: '(2*step(o - t) - 1)*a*g*(x1 - c1)/s^2',
      c2: '(2*step(o - t) - 1)*a*g*(x2 - c2)/s^2',
      s: '(2*step(o - t) - 1)*a*r^2*g/s^3',
      a: '(2*step(o - t) - 1)*g',
    });
    const oracle = ownExpected('own-rbf-abs-error')!;
    for (const w of ['c1', 'c2', 's', 'a']) {
      expectRel(evalClosedFormText(forms[w]!, sol.values), oracle.gradients.E![w] as number, 1e-12, `dE/d${w} from its closed form`);
    }
  });
});

describe('rational cancellation is a general mechanism', () => {
  const cases: Array<[string, Expr, string]> = [
    // (x - y)/(x - y)
    ['x/(x - y) - y/(x - y)', sub(div(x, sub(x, y)), div(y, sub(x, y))), '1'],
    // ((x + 1) - (x - 1))/((x - 1)(x + 1)) * (x^2 - 1) = 2
    ['(1/(x - 1) - 1/(x + 1))*(x^2 - 1)', mul(sub(div(one, sub(x, one)), div(one, add(x, one))), sub(square(x), one)), '2'],
    // a^2 - b^2 = (a - b)(a + b): exact division by the denominator
    ['(a^2 - b^2)/(a + b)', div(sub(square(a), square(b)), add(a, b)), 'a - b'],
    ['(u^2 - 1)/(u - 1)', div(sub(square(u), one), sub(u, one)), 'u + 1'],
    // like terms: t (1 - p) + p t = t
    ['t*(1 - p) + p*t', add(mul(t, sub(one, p)), mul(p, t)), 't'],
  ];
  for (const [name, e, expected] of cases) {
    test(`${name} = ${expected}`, () => {
      const s = simplify(e);
      expect(toText(s)).toBe(expected);
      // the same values where the input is defined (x = 0.3, y = 1.7, ...; evaluator of this folder)
      const env = (k: string) => ({ x: 0.3, y: 1.7, a: 0.6, b: -0.25, u: 2.5, t: 0.8, p: 0.35 })[k]!;
      expect(Math.abs(referenceEval(s, env) - referenceEval(e, env))).toBeLessThan(1e-12);
    });
  }

  test('forms that are already textbook come back as the same node', () => {
    for (const e of [
      mul(r(2), sub(p, t), p, sub(one, p)), // squared error after a sigmoid
      mul(ref('w'), sub(one, square(ref('h')))), // tanh'
      mul(ref('w4'), ref('w3'), ref('h3'), sub(one, ref('h3'))),
      div(fn('exp', u), add(fn('exp', u), fn('exp', z))), // a softmax output
    ]) expect(simplify(e)).toBe(e);
  });
});

describe('the rule table', () => {
  const cases: Array<[string, Expr, string]> = [
    ['(a^2)^3', pow(square(a), r(3)), 'a^6'],
    ['exp(log(u))', fn('exp', fn('log', u)), 'u'],
    ['log(exp(u))', fn('log', fn('exp', u)), 'u'],
    ['sqrt(u^2)', fn('sqrt', square(u)), 'abs(u)'],
    ['sqrt(u)^2', square(fn('sqrt', u)), 'u'],
    ['abs(exp(u))', fn('abs', fn('exp', u)), 'exp(u)'],
    ['-(t - p)*x', neg(mul(sub(t, p), x)), '(p - t)*x'],
    ['-(t - p)/x', neg(div(sub(t, p), x)), '(p - t)/x'],
  ];
  for (const [name, e, expected] of cases) {
    test(`${name} -> ${expected}`, () => expect(toText(simplify(e))).toBe(expected));
  }

  test('a sum is not turned around for nothing: 1 - h stays 1 - h, -(a + b)*x keeps its sign outside', () => {
    const h = ref('h');
    const chain = mul(ref('w'), h, sub(one, h), ref('v'), ref('k'), sub(one, ref('k')));
    expect(simplify(chain)).toBe(chain);
    const e = neg(mul(add(a, b), x));
    expect(simplify(e)).toBe(e);
  });
});
