/**
 * Hand-written answers over the seed problems, with expected verdicts and diagnoses: half correct in
 * unusual forms (exp instead of sigma, sigma', Leibniz quotients, sums with a bound index, delta_X
 * adjoints, matrix products), half realistic mistakes. Both syntaxes. Every "correct" form was derived
 * by hand from the network's equations; the oracle forms are SymPy's (../shared/seed-answers.json).
 * Used by cases.test.ts (verdicts), fuzz.test.ts (mutations) and bench/check.ts (timings).
 */
import type { Diagnosis } from '../../src/check/diagnose.js';
import { fixture, seed, shipped } from './helpers.js';

export interface Case {
  name: string;
  file: string;
  of: string;
  wrt: string;
  answer: string;
  latex?: boolean;
  /** null: equivalent */
  diagnosis: Diagnosis | null;
  /** a fragment the detail must contain */
  detail?: string;
}

const Q4 = fixture('q4-conv.yaml'), Q3 = fixture('q3-conv1d.yaml'), R1 = fixture('s004-rnn1.yaml');
const R2 = fixture('s004-rnn2.yaml'), MLP = fixture('mlp-tanh.yaml');
const VANISH = shipped('seed000-q2-2-sigmoid-chain-vanish.yaml'), EXPLODE = shipped('seed000-q2-1-sigmoid-chain-explode.yaml');
const sumK11 = 'w11*x11 + w12*x12 + w21*x21 + w22*x22';
const sumK11tex = 'w_{11}x_{11}+w_{12}x_{12}+w_{21}x_{21}+w_{22}x_{22}';
const u = 'w11 y11 + w12 y12 + w21 y21 + w22 y22';
const Kentries = [[sumK11, 'w11*x12 + w12*x13 + w21*x22 + w22*x23'], ['w11*x21 + w12*x22 + w21*x31 + w22*x32', 'w11*x22 + w12*x23 + w21*x32 + w22*x33']];
const pm = (rows: string[][]) => `\\begin{pmatrix} ${rows.map((r) => r.join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
const list = (rows: string[][]) => `[${rows.map((r) => `[${r.join(', ')}]`).join(', ')}]`;

export const correct: Case[] = [
  { name: 'Q4 dE/dk11, textbook form', file: Q4, of: 'E', wrt: 'K[1,1]', answer: `(o - z)*o*(1-o)*(${sumK11})`, diagnosis: null },
  { name: 'Q4 dE/dk11 with exp instead of sigma', file: Q4, of: 'E', wrt: 'k11', diagnosis: null,
    answer: `(o - z) * e^(-(${u})) / (1 + e^(-(${u})))^2 * (w_{11} x_{11} + w_{12} x_{12} + w_{21} x_{21} + w_{22} x_{22})` },
  { name: 'Q4 dE/dk11, LaTeX with sigma prime', file: Q4, of: 'E', wrt: 'K[1,1]', latex: true, diagnosis: null,
    answer: `-(z - o)\\,\\sigma'(w_{11}y_{11}+w_{12}y_{12}+w_{21}y_{21}+w_{22}y_{22}) \\left(${sumK11tex}\\right)` },
  { name: 'Q4 dE/dk11 through the adjoint delta_o and bracketed elements', file: Q4, of: 'E', wrt: 'K[1,1]', diagnosis: null,
    answer: 'delta_o * o*(1 - o) * (W[1,1]*X[1,1] + W[1,2]*X[1,2] + W[2,1]*X[2,1] + W[2,2]*X[2,2])' },
  { name: 'Q4 dE/dk11 as Leibniz quotients, LaTeX', file: Q4, of: 'E', wrt: 'K[1,1]', latex: true, diagnosis: null,
    answer: '\\frac{\\partial E}{\\partial y_{11}} x_{11} + \\frac{\\partial E}{\\partial y_{12}} x_{12} + \\frac{\\partial E}{\\partial y_{21}} x_{21} + \\frac{\\partial E}{\\partial y_{22}} x_{22}' },
  { name: 'Q4 dE/dK as a pmatrix', file: Q4, of: 'E', wrt: 'K', latex: true, diagnosis: null,
    answer: `(o-z)\\,o\\,(1-o) ${pm(Kentries.map((r) => r.map((e) => e.replace(/([wx])(\d)(\d)/g, '$1_{$2$3}'))))}` },
  { name: 'Q4 dE/dK as a nested list', file: Q4, of: 'E', wrt: 'K', diagnosis: null, answer: `(o - z) o (1 - o) ${list(Kentries)}` },
  { name: 'Q3 dL/dw1, the seed\'s implicit products', file: Q3, of: 'L', wrt: 'w1', answer: '2(z-y)z(1-z)h1', diagnosis: null },
  { name: 'Q3 dL/dw1, LaTeX with sigma of the sum', file: Q3, of: 'L', wrt: 'w[1]', latex: true, diagnosis: null,
    answer: '-2(y - z)\\,\\sigma(w_1h_1+w_2h_2+w_3h_3+w_4h_4)\\left(1-\\sigma(w_1h_1+w_2h_2+w_3h_3+w_4h_4)\\right) h_1' },
  { name: 'Q3 dL/dv1, the oracle\'s SymPy form', file: Q3, of: 'L', wrt: 'v1', diagnosis: null, answer: (seed('S000-Q3-c').answer_symbolic as string[])[0]! },
  { name: 'Q3 dL/dv1, a sum with a bound index', file: Q3, of: 'L', wrt: 'v1', latex: true, diagnosis: null,
    answer: '-2(y-z)\\, z(1-z) \\sum_{j=1}^{4} w_j h_j (1-h_j) x_j' },
  { name: 'Q3 dL/dv1, a sum up to T (as far as the names exist)', file: Q3, of: 'L', wrt: 'v1', latex: true, diagnosis: null,
    answer: '2(z-y)\\, z(1-z) \\sum_{j=1}^{T} w_{j} h_{j} (1-h_{j}) x_{j}' },
  { name: 'S004 dE3/dw_s, the oracle\'s SymPy form with **', file: R1, of: 'E3', wrt: 'w_s', diagnosis: null, answer: seed('S004-1L-dE3dWs').answer_symbolic as string },
  { name: 'S004 dE3/dw_s nested (Horner) in LaTeX', file: R1, of: 'E3', wrt: 'w_s', latex: true, diagnosis: null,
    answer: '2(y_3 - d_3)\\,w_y(1 - s_3^2)\\left(s_2 + w_s(1-s_2^2)\\left(s_1 + w_s(1 - s_1^2) s_0\\right)\\right)' },
  { name: 'S004 dE3/dw_s as a sum of named adjoints', file: R1, of: 'E3', wrt: 'w_s', latex: true, diagnosis: null,
    answer: '\\sum_{k=1}^{3} \\delta_{s_k} (1 - s_k^2)\\, s_{k-1}' },
  { name: 'S004 dE3/dw_s, plain-text sum up to T', file: R1, of: 'E3', wrt: 'w_s', diagnosis: null,
    answer: 'sum_{k=1}^{T} delta_s_k (1 - s_k^2) s_{k-1}' },
  { name: 'S004 two layers dE2/dU, the oracle\'s form', file: R2, of: 'E2', wrt: 'U', diagnosis: null, answer: seed('S004-2L-dE2dU').answer_symbolic as string },
  { name: 'S004 two layers dE2/dV1, LaTeX', file: R2, of: 'E2', wrt: 'V1', latex: true, diagnosis: null,
    answer: 'V_2 (1 - z_2^2)(2y_2 - 2d_2)\\left(s_2 + W_2 s_1 (1 - z_1^2)\\right)' },
  { name: 'Q2(2) do/db1, textbook product', file: VANISH, of: 'o', wrt: 'b1', answer: 'w4 w3 h3 (1-h3) w2 h2 (1-h2) h1 (1-h1)', diagnosis: null },
  { name: 'Q2(2) do/db1 with sigma of the pre-activations (sigma and σ)', file: VANISH, of: 'o', wrt: 'b1', diagnosis: null,
    answer: 'w4*w3*sigma(w3*h2+b3)*(1-sigma(w3*h2+b3))*w2*σ(w2 h1 + b2)(1 - σ(w2 h1 + b2))*h1*(1-h1)' },
  { name: 'Q2(2) do/db1, the seed\'s own \\prod form', file: VANISH, of: 'o', wrt: 'b1', latex: true, diagnosis: null,
    answer: 'w_{4} \\cdot \\prod_{i=2}^{3} w_{i} h_{i} (1 - h_{i}) \\cdot h_{1} (1 - h_{1})' },
  { name: 'Q2(2) do/db1 as the oracle\'s number', file: VANISH, of: 'o', wrt: 'b1', answer: String(seed('S000-Q2-2').answer_numeric), diagnosis: null },
  { name: 'Q2(1) do/dw1, the oracle\'s form', file: EXPLODE, of: 'o', wrt: 'w1', diagnosis: null, answer: (seed('S000-Q2-1-all').answer_symbolic as string[])[0]! },
  { name: 'MLP dE/dW1 as a matrix product', file: MLP, of: 'E', wrt: 'W1', answer: '((W2^T (o - t) o (1 - o)) .* (1 - h^2)) x^T', diagnosis: null },
  { name: 'MLP dE/dW1 in LaTeX with \\odot and ^\\top', file: MLP, of: 'E', wrt: 'W1', latex: true, diagnosis: null,
    answer: '\\left(\\mathbf{W}_2^{\\top} (o - t)\\, o(1-o) \\odot (1 - h^2)\\right) x^{\\top}' },
  { name: 'MLP dE/dW1 as numbers (numpy oracle, fixtures/mlp-tanh-oracle.py)', file: MLP, of: 'E', wrt: 'W1', diagnosis: null,
    answer: '[[-0.021797392061087256, 0.04359478412217451], [0.04074136923718812, -0.08148273847437625], [-0.011132162799572791, 0.022264325599145582]]' },
  { name: 'MLP dE/db1 as a vector expression', file: MLP, of: 'E', wrt: 'b1', answer: '(W2^T (o - t) o (1-o)) .* (1 - h^2)', diagnosis: null },
  { name: 'MLP dE/db1 as a list of elements', file: MLP, of: 'E', wrt: 'b1', diagnosis: null,
    answer: '[W2[1,1] (o-t) o (1-o) (1-h1^2), W2[1,2] (o-t) o (1-o) (1-h_2^2), W2[1,3] (o-t) o (1-o) (1-h[3]^2)]' },
];

export const mistakes: Case[] = [
  { name: 'Q4 the seed\'s (z - o) for (o - z)', file: Q4, of: 'E', wrt: 'K[1,1]', answer: `(z - o)*o*(1-o)*(${sumK11})`, diagnosis: 'sign' },
  { name: 'Q4 (z - o) in LaTeX', file: Q4, of: 'E', wrt: 'K[1,1]', latex: true, answer: `(z-o)\\,o(1-o)(${sumK11tex})`, diagnosis: 'sign' },
  { name: 'Q4 the 1/2 of E forgotten', file: Q4, of: 'E', wrt: 'K[1,1]', answer: `2(o - z)o(1-o)(${sumK11})`, diagnosis: 'factor', detail: 'factor 2' },
  { name: 'Q4 sigma\' written as sigma', file: Q4, of: 'E', wrt: 'K[1,1]', answer: `(o - z) o (${sumK11})`, diagnosis: 'wrong-derivative', detail: "sigma' at o" },
  { name: 'Q4 a term of the convolution sum left out (LaTeX)', file: Q4, of: 'E', wrt: 'K[1,1]', latex: true,
    answer: '(o-z)\\,o(1-o)(w_{11}x_{11}+w_{12}x_{12}+w_{21}x_{21})', diagnosis: 'missing-term', detail: 'K[1,1] -> y22 -> o -> E' },
  { name: 'Q4 indices of x swapped', file: Q4, of: 'E', wrt: 'K[1,1]', answer: '(o - z) o (1-o) (w11 x11 + w12 x21 + w21 x12 + w22 x22)', diagnosis: 'other' },
  { name: 'Q4 the seed\'s printed entry as written (two mistakes)', file: Q4, of: 'E', wrt: 'K[1,1]', answer: '(z - o) o (1 - o) w11 (x11 + x22)', diagnosis: 'other' },
  { name: 'Q4 dE/dK transposed (pmatrix^T)', file: Q4, of: 'E', wrt: 'K', latex: true, diagnosis: 'transposed',
    answer: `(o-z)\\,o(1-o)\\, ${pm(Kentries)}^{\\top}` },
  { name: 'Q4 dE/dK: the seed\'s (z - o) with the right entries', file: Q4, of: 'E', wrt: 'K', diagnosis: 'sign', answer: `(z - o) o (1 - o) ${list(Kentries)}` },
  { name: 'Q3 dL/dw1 with (y - z) for (z - y)', file: Q3, of: 'L', wrt: 'w1', answer: '2(y-z)z(1-z)h1', diagnosis: 'sign' },
  { name: 'Q3 dL/dw1 without the 2 of the square', file: Q3, of: 'L', wrt: 'w1', answer: '(z-y)z(1-z)h1', diagnosis: 'factor', detail: '1/2' },
  { name: 'Q3 dL/dv1 with the sum stopped at 3 (LaTeX)', file: Q3, of: 'L', wrt: 'v1', latex: true, diagnosis: 'missing-term', detail: 'v[1] -> h4 -> z -> L',
    answer: '2(z-y)\\, z(1-z) \\sum_{j=1}^{3} w_j h_j (1-h_j) x_j' },
  { name: 'Q3 dL/dv1 with the output\'s sigma\' left out', file: Q3, of: 'L', wrt: 'v1', diagnosis: 'missing-factor', detail: "sigma' at z",
    answer: '2(z-y)(w1 h1 (1-h1) x1 + w2 h2 (1-h2) x2 + w3 h3 (1-h3) x3 + w4 h4 (1-h4) x4)' },
  { name: 'S004 dE3/dw_s truncated after two steps', file: R1, of: 'E3', wrt: 'w_s', diagnosis: 'missing-term', detail: 'w_s -> s1 -> s2 -> s3 -> y3 -> E3',
    answer: '2(y3 - d3) w_y (1 - s3^2) (s2 + w_s (1 - s2^2) s1)' },
  { name: 'S004 dE3/dw_s with the last step counted twice (LaTeX)', file: R1, of: 'E3', wrt: 'w_s', latex: true, diagnosis: 'extra-term', detail: 'w_s -> s3 -> y3 -> E3',
    answer: '2(y_3 - d_3) w_y (1 - s_3^2)\\left(2 s_2 + w_s (1 - s_2^2)(s_1 + w_s (1 - s_1^2) s_0)\\right)' },
  { name: 'S004 dE3/dw_s with tanh\' as 1 - tanh', file: R1, of: 'E3', wrt: 'w_s', diagnosis: 'wrong-derivative', detail: "tanh' at s3",
    answer: '2(y3 - d3) w_y (1 - s3) (s2 + w_s (1 - s2^2) (s1 + w_s (1 - s1^2) s0))' },
  { name: 'S004 dE3/dw_s with (d - y) for (y - d), LaTeX', file: R1, of: 'E3', wrt: 'w_s', latex: true, diagnosis: 'sign',
    answer: '2(d_3 - y_3)\\,w_y(1 - s_3^2)\\left(s_2 + w_s(1-s_2^2)\\left(s_1 + w_s(1 - s_1^2) s_0\\right)\\right)' },
  { name: 'S004 two layers dE2/dV1: the seed\'s single-step update', file: R2, of: 'E2', wrt: 'V1', diagnosis: 'missing-term', detail: 'V1 -> z1 -> z2 -> y2 -> E2',
    answer: seed('S004-2L-dE2dV1').truncated_single_step_symbolic! },
  { name: 'Q2(2) do/db1 with sigma\' at h2 written as h2', file: VANISH, of: 'o', wrt: 'b1', diagnosis: 'wrong-derivative', detail: "sigma' at h2",
    answer: 'w4 w3 h3 (1-h3) w2 h2 h1 (1-h1)' },
  { name: 'Q2(2) do/db1 without w2 (LaTeX)', file: VANISH, of: 'o', wrt: 'b1', latex: true, diagnosis: 'missing-factor', detail: 'w2',
    answer: 'w_4 w_3 h_3(1-h_3) h_2(1-h_2) h_1(1-h_1)' },
  { name: 'Q2(2) the seed\'s printed 0.000100', file: VANISH, of: 'o', wrt: 'b1', answer: '0.000100', diagnosis: 'other', detail: 'the value is 0.0000799732' },
  { name: 'Q2(1) do/dw1 = 93750 (do/db1\'s value: x = 3 forgotten)', file: EXPLODE, of: 'o', wrt: 'w1', answer: '93750', diagnosis: 'factor', detail: '1/3' },
  { name: 'MLP dE/dW1 transposed (x delta^T)', file: MLP, of: 'E', wrt: 'W1', answer: 'x ((W2^T (o - t) o (1 - o)) .* (1 - h^2))^T', diagnosis: 'transposed' },
  { name: 'MLP dE/dW1 with tanh\' as 1 - h (LaTeX)', file: MLP, of: 'E', wrt: 'W1', latex: true, diagnosis: 'wrong-derivative', detail: "tanh' at h[2]",
    answer: '\\left(\\mathbf{W}_2^{\\top} (o - t)\\, o(1-o) \\odot (1 - h)\\right) x^{\\top}' },
  { name: 'MLP dE/dW2 with (t - o)', file: MLP, of: 'E', wrt: 'W2', answer: '(t - o) o (1 - o) h^T', diagnosis: 'sign' },
  { name: 'MLP dE/dW2 as a column (transposed shape)', file: MLP, of: 'E', wrt: 'W2', latex: true, answer: '(o - t)\\, o(1 - o)\\, h', diagnosis: 'transposed' },
];

