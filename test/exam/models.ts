/**
 * Independent float models of the seed-000 exam's problems, written from the
 * problem statements (never from gradsheet's code): each returns the graded
 * numbers of one problem by the column names of answers.csv (`h1`, `o/b1`,
 * `L/w[1]`, ...). Gradients are the textbook closed forms, except for the RNN,
 * whose gradients are five-point finite differences of the forward pass here.
 * test/exam/models.test.ts checks each model against the SymPy answers of
 * seed-answers.json at the seed's own values before the exam tests use them.
 */
import { fivePoint } from '../helpers/numbers.js';

export type Vec = number[];
export type Mat = number[][];
export type Values = Map<string, number>;

const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));

/** Seed 000 Q2: h1 = s(w1 x + b1), h_i = s(w_i h_{i-1} + b_i), o = w4 h3 + b4; do/db1 = w4 h3(1-h3) w3 h2(1-h2) w2 h1(1-h1). */
export function chain(g: Record<'x' | 'w1' | 'w2' | 'w3' | 'w4' | 'b1' | 'b2' | 'b3' | 'b4', number>): Values {
  const h1 = sigmoid(g.w1 * g.x + g.b1), h2 = sigmoid(g.w2 * h1 + g.b2), h3 = sigmoid(g.w3 * h2 + g.b3);
  const o = g.w4 * h3 + g.b4;
  const dob1 = g.w4 * h3 * (1 - h3) * g.w3 * h2 * (1 - h2) * g.w2 * h1 * (1 - h1);
  return new Map([['h1', h1], ['h2', h2], ['h3', h3], ['o', o], ['o/b1', dob1]]);
}

/**
 * Seed 000 Q1(1), corrected, at x = (1, 1) (worked by hand): z1 = W1 x + b1 = (2, 1), h = relu(z1) = (2, 1),
 * z2 = W2 h + b2 = 2 - 2 = 0, o = step(0) = 0. Both ReLUs are active, so dz2/dW1[i,j] = W2[i] x_j,
 * dz2/db1 = W2, dz2/dW2 = h, dz2/db2 = 1.
 */
export function xorAt11(): Values {
  const W1 = [[1, 1], [1, 1]], b1 = [0, -1], W2 = [1, -2], b2 = 0, x = [1, 1];
  const z1 = W1.map((r, i) => r[0]! * x[0]! + r[1]! * x[1]! + b1[i]!);
  const h = z1.map((u) => Math.max(0, u));
  const z2 = W2[0]! * h[0]! + W2[1]! * h[1]! + b2;
  const m: Values = new Map([['z1[1]', z1[0]!], ['z1[2]', z1[1]!], ['h[1]', h[0]!], ['h[2]', h[1]!], ['z2', z2], ['o', z2 > 0 ? 1 : 0]]);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) m.set(`z2/W1[${i + 1},${j + 1}]`, z1[i]! > 0 ? W2[i]! * x[j]! : 0);
  for (let i = 0; i < 2; i++) m.set(`z2/b1[${i + 1}]`, z1[i]! > 0 ? W2[i]! : 0);
  for (let i = 0; i < 2; i++) m.set(`z2/W2[1,${i + 1}]`, h[i]!);
  m.set('z2/b2', 1);
  return m;
}

/**
 * Seed 000 Q3: h_i = s(sum_j v_j x_{i+j-1}), z = s(sum_i w_i h_i), L = (y - z)^2.
 * dL/dw_i = -2(y - z) z(1 - z) h_i; dL/dv_j = -2(y - z) z(1 - z) sum_i w_i h_i(1 - h_i) x_{i+j-1}; 3 + 4 = 7 parameters.
 */
export function conv1d(g: { x: Vec; v: Vec; w: Vec; y: number }): Values {
  const h = [0, 1, 2, 3].map((i) => sigmoid(g.v[0]! * g.x[i]! + g.v[1]! * g.x[i + 1]! + g.v[2]! * g.x[i + 2]!));
  const z = sigmoid(h.reduce((a, hi, i) => a + g.w[i]! * hi, 0));
  const dz = -2 * (g.y - z) * z * (1 - z);
  const m: Values = new Map([['parameters', 7]]);
  h.forEach((hi, i) => m.set(`L/w[${i + 1}]`, dz * hi));
  for (let j = 0; j < 3; j++) m.set(`L/v[${j + 1}]`, dz * h.reduce((a, hi, i) => a + g.w[i]! * hi * (1 - hi) * g.x[i + j]!, 0));
  return m;
}

/**
 * Seed 000 Q4: y_ij = sum_ab k_ab x_(i+a-1)(j+b-1) (no flip), o = s(sum_ij w_ij y_ij), E = (z - o)^2 / 2.
 * dE/dk_ab = (o - z) o(1 - o) sum_ij w_ij x_(i+a-1)(j+b-1).
 */
export function conv2d(g: { X: Mat; K: Mat; W: Mat; z: number }): Values {
  const Y = [0, 1].map((i) => [0, 1].map((j) => [0, 1].reduce((a, p) => a + [0, 1].reduce((b, q) => b + g.K[p]![q]! * g.X[i + p]![j + q]!, 0), 0)));
  const o = sigmoid(Y.flat().reduce((a, y, n) => a + g.W[n >> 1]![n & 1]! * y, 0));
  const m: Values = new Map();
  Y.forEach((r, i) => r.forEach((y, j) => m.set(`Y[${i + 1},${j + 1}]`, y)));
  m.set('o', o);
  m.set('E', 0.5 * (g.z - o) ** 2);
  const d = (o - g.z) * o * (1 - o);
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      m.set(`E/K[${a + 1},${b + 1}]`, d * [0, 1].reduce((s, i) => s + [0, 1].reduce((t, j) => t + g.W[i]![j]! * g.X[i + a]![j + b]!, 0), 0));
    }
  }
  return m;
}

export interface RnnGiven { x: Mat; o: Mat; U: Mat; W: Mat; V: Mat }

/** Seed 000 Q5 forward: s_t = U x_t + W h_{t-1} (h_0 = 0), h_t = tanh s_t, z_t = V h_t, ohat_t = softmax z_t, E_t = -o_t . log ohat_t. */
function rnnForward(g: RnnGiven): { s: Mat; h: Mat; z: Mat; ohat: Mat; Et: Vec; E: number } {
  const mv = (A: Mat, v: Vec) => A.map((r) => r.reduce((a, c, j) => a + c * v[j]!, 0));
  let prev = [0, 0, 0];
  const s: Mat = [], h: Mat = [], z: Mat = [], ohat: Mat = [], Et: Vec = [];
  g.x.forEach((xt, t) => {
    const st = mv(g.U, xt).map((u, i) => u + mv(g.W, prev)[i]!);
    const ht = st.map(Math.tanh);
    const zt = mv(g.V, ht);
    const mx = Math.max(...zt);
    const ex = zt.map((u) => Math.exp(u - mx));
    const sum = ex.reduce((a, b) => a + b, 0);
    const pt = ex.map((e) => e / sum);
    s.push(st); h.push(ht); z.push(zt); ohat.push(pt);
    Et.push(-g.o[t]!.reduce((a, ot, k) => a + ot * Math.log(pt[k]!), 0));
    prev = ht;
  });
  return { s, h, z, ohat, Et, E: Et.reduce((a, b) => a + b, 0) };
}

/** Every forward value, and dE/dV, dE/dU, dE/dW by five-point differences of E. */
export function rnn(g: RnnGiven): Values {
  const f = rnnForward(g);
  const m: Values = new Map();
  for (const [name, mat] of [['s', f.s], ['h', f.h], ['z', f.z], ['ohat', f.ohat]] as const) {
    mat.forEach((row, t) => row.forEach((v, i) => m.set(`${name}[${t + 1},${i + 1}]`, v)));
  }
  f.Et.forEach((v, t) => m.set(`Et[${t + 1}]`, v));
  m.set('E', f.E);
  for (const p of ['V', 'U', 'W'] as const) {
    g[p].forEach((row, i) => row.forEach((v0, j) => {
      const E = (v: number) => {
        const copy = g[p].map((r) => [...r]);
        copy[i]![j] = v;
        return rnnForward({ ...g, [p]: copy }).E;
      };
      m.set(`E/${p}[${i + 1},${j + 1}]`, fivePoint(E, v0, 1e-3));
    }));
  }
  return m;
}
