// The exam tests' own models (test/exam/models.ts) against the SymPy answers of
// /work/shared/seed-answers.json at the seed's values, so that a model error cannot
// hide behind agreement with gradsheet. The expected numbers below are copied from
// that file's answer_numeric and intermediates (ids named at each test).
import { describe, expect, it } from 'vitest';
import { expectRel } from '../helpers/numbers.js';
import { chain, conv1d, conv2d, rnn, xorAt11 } from './models.js';

const near = (m: Map<string, number>, key: string, expected: number, rel = 1e-12) => {
  expect(m.has(key), key).toBe(true);
  expectRel(m.get(key)!, expected, rel, key);
};

describe('the exam tests\' independent models agree with seed-answers.json', () => {
  it('sigmoid chain (S000-Q2-1: do/db1 = 93750, h = 1/2, o = 110; S000-Q2-2: 7.997316799149435e-05)', () => {
    const a = chain({ x: 3, w1: 100, w2: 150, w3: 200, w4: 200, b1: -300, b2: -75, b3: -100, b4: 10 });
    near(a, 'o/b1', 93750); near(a, 'h1', 0.5); near(a, 'h3', 0.5); near(a, 'o', 110);
    const b = chain({ x: 3, w1: 0.2, w2: 0.5, w3: 0.3, w4: 0.6, b1: 1, b2: 2, b3: 2, b4: 1 });
    near(b, 'o/b1', 7.997316799149435e-05); near(b, 'h2', 0.9180399663877656); near(b, 'o', 1.5440920569006549);
  });

  it('XOR at x = (1, 1) (S000-Q1-1-corrected: hidden column (2, 1), pre-threshold output 0)', () => {
    const m = xorAt11();
    near(m, 'h[1]', 2); near(m, 'h[2]', 1); expect(m.get('z2')).toBe(0); expect(m.get('o')).toBe(0);
    expect(m.size).toBe(15);
  });

  it('1-D CNN (S000-Q3-a: 7 parameters; S000-Q3-b and S000-Q3-c)', () => {
    const m = conv1d({ x: [1, 2, -1, 0.5, 0, 3], v: [0.1, -0.2, 0.3], w: [0.5, -0.5, 0.25, 1], y: 1 });
    expect(m.get('parameters')).toBe(7);
    [-0.052463156832678826, -0.09388837885057066, -0.06665034545467298, -0.10676633828608766].forEach((e, i) => near(m, `L/w[${i + 1}]`, e));
    [0.011687733055219, -0.0556292044060411, -0.06380234565165348].forEach((e, i) => near(m, `L/v[${i + 1}]`, e));
  });

  it('2-D CNN (S000-Q4: dE/dK, y11 = -1.4, o = 0.0005811037343016316, E = 0.4994190651064734)', () => {
    const m = conv2d({ X: [[1, 2, 0], [0, 1, 3], [2, 1, 1]], K: [[0.5, -1], [0.25, 0.1]], W: [[1, -1], [0.5, 2]], z: 1 });
    near(m, 'Y[1,1]', -1.4); near(m, 'Y[2,2]', -2.15); near(m, 'o', 0.0005811037343016316); near(m, 'E', 0.4994190651064734);
    [[-0.0005804285674296027, -0.004933642823151623], [-0.0011608571348592053, -0.00029021428371480134]]
      .forEach((r, a) => r.forEach((e, b) => near(m, `E/K[${a + 1},${b + 1}]`, e, 1e-11)));
  });

  it('RNN with BPTT (S000-Q5-dV, -dU, -dW: E = 1.0027944249923522; gradients by finite differences here)', () => {
    const m = rnn({
      x: [[1, 0.5], [-0.5, 2], [0.3, -1]], o: [[1, 0], [0, 1], [1, 0]],
      U: [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]],
      W: [[0.1, 0.4, -0.2], [-0.3, 0.2, 0.5], [0.6, -0.1, 0.3]],
      V: [[0.7, -0.4, 0.2], [-0.5, 0.3, 0.9]],
    });
    near(m, 'E', 1.0027944249923522);
    near(m, 'h[2,2]', 0.8500234005955883);
    near(m, 'ohat[3,1]', 0.7598894688864818);
    const grads: Record<string, number[][]> = {
      V: [[-0.36065681081983314, -0.012307886823257399, 0.40123036710554083], [0.36065681081983314, 0.012307886823257399, -0.40123036710554083]],
      U: [[-0.540807891769987, 0.3673378882040533], [0.32062270447390095, -0.14327082815406345], [0.19934098402687442, -0.0012620755024244337]],
      W: [[0.15174790361094415, -0.06550491416893751, -0.18150020021630545], [-0.09242859920031332, 0.10912601459606466, 0.10058692581093781], [-0.05342660681724767, 0.12389138101901653, 0.049389810723556415]],
    };
    // five-point differences with h = 1e-3 are good to about 1e-10 here (1e-7 relative on the smallest entry, -0.00126)
    for (const [p, mat] of Object.entries(grads)) mat.forEach((r, i) => r.forEach((e, j) => near(m, `E/${p}[${i + 1},${j + 1}]`, e, 1e-7)));
  });
});
