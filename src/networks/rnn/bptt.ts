/**
 * Backpropagation through time at the layer level, in matrix form, computed
 * numerically and independently of the scalar graph (it reads only the given
 * values). The textbook recurrences:
 *   delta_out_t = y_t - t_t                      (softmax + cross-entropy, sigmoid + binary CE)
 *               = c (y_t - t_t) ∘ out'(u_t)       (squared errors, c = 1 half / 2 plain)
 *   delta_T     = (W2^T delta_out_T) ∘ f'(z_T)
 *   delta_t     = (W2^T delta_out_t + H1^T delta_{t+1}) ∘ f'(z_t)
 *   dE/dW1 = sum_t delta_t x_t^T,  dE/dH1 = sum_t delta_t h_{t-1}^T,  dE/db1 = sum_t delta_t
 *   dE/dW2 = sum_t delta_out_t h_t^T, dE/db2 = sum_t delta_out_t
 * A stacked network runs the same recurrence on the second layer first and
 * feeds W3^T delta2_t into the first layer in place of W2^T delta_out_t.
 */
import {
  addMatInPlace, addVec, addVecInPlace, dotVec, hadamard, matTVec, matVec, outer, scaleVec, subVec, zerosMat, zerosVec,
  type Mat, type Vec,
} from '../../numeric/matrix.js';
import type { Role, RnnHidden, RnnSpec } from './spec.js';

/** Parameters and data, as matrices; absent parts are null. `target[t-1]` is null at steps without a target. */
export interface RnnValues {
  readonly W1: Mat; readonly H1: Mat; readonly b1: Vec | null; readonly bh: Vec | null;
  readonly W3: Mat | null; readonly H3: Mat | null; readonly b3: Vec | null;
  readonly W2: Mat; readonly b2: Vec | null;
  readonly x: Mat; readonly h0: Vec; readonly s0: Vec | null;
  readonly target: ReadonlyArray<Vec | null>;
}

/** Rows are steps 1..T (index t-1). Output rows are null where the network has no output (many-to-one). */
export interface RnnForward {
  readonly z: Mat; readonly h: Mat;
  readonly z2: Mat | null; readonly s: Mat | null;
  readonly u: ReadonlyArray<Vec | null>; readonly y: ReadonlyArray<Vec | null>;
  readonly e: ReadonlyArray<number | null>;
  readonly E: number;
}

export interface RnnBackward {
  /** the steps whose losses are differentiated (1-based) */
  readonly lossSteps: readonly number[];
  /** dE/du_t, null at steps without a loss term */
  readonly deltaOut: ReadonlyArray<Vec | null>;
  /** dE/dz_t (first recurrent layer) */
  readonly delta1: Mat;
  /** dE/dz2_t (second layer), stacked networks only */
  readonly delta2: Mat | null;
  /** dE/dparameter, by role */
  readonly grads: Readonly<Partial<Record<Role, Mat | Vec>>>;
}

const act = (f: RnnHidden, z: number): number => (f === 'tanh' ? Math.tanh(z) : f === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : Math.max(0, z));

/** f'(z) from the state a = f(z): tanh' = 1 - a^2, sigmoid' = a (1 - a), relu' = step(z). */
export function actDerivative(f: RnnHidden, z: number, a: number): number {
  switch (f) {
    case 'tanh': return 1 - a * a;
    case 'sigmoid': return a * (1 - a);
    case 'relu': return z > 0 ? 1 : 0;
  }
}

function output(spec: RnnSpec, u: Vec): Vec {
  switch (spec.output) {
    case 'identity': return [...u];
    case 'sigmoid': return u.map((v) => 1 / (1 + Math.exp(-v)));
    case 'softmax': {
      const m = Math.max(...u);
      const ex = u.map((v) => Math.exp(v - m));
      const sum = ex.reduce((a, b) => a + b, 0);
      return ex.map((v) => v / sum);
    }
  }
}

function stepLoss(spec: RnnSpec, y: Vec, t: Vec): number {
  const sq = y.reduce((s, yk, k) => s + (yk - t[k]!) ** 2, 0);
  switch (spec.loss) {
    case 'squared-error': return sq;
    case 'half-squared-error': return sq / 2;
    case 'cross-entropy':
      return spec.output === 'softmax'
        ? -y.reduce((s, yk, k) => s + t[k]! * Math.log(yk), 0)
        : -y.reduce((s, yk, k) => s + t[k]! * Math.log(yk) + (1 - t[k]!) * Math.log(1 - yk), 0);
  }
}

export function forward(spec: RnnSpec, p: RnnValues): RnnForward {
  const T = spec.steps;
  const z: Mat = [], h: Mat = [], z2: Mat = [], s: Mat = [];
  const u: Array<Vec | null> = [], y: Array<Vec | null> = [], e: Array<number | null> = [];
  let E = 0;
  for (let t = 1; t <= T; t++) {
    let zt = addVec(matVec(p.H1, t === 1 ? p.h0 : h[t - 2]!), matVec(p.W1, p.x[t - 1]!));
    if (p.b1) zt = addVec(zt, p.b1);
    if (p.bh) zt = addVec(zt, p.bh);
    z.push(zt);
    h.push(zt.map((v) => act(spec.hidden, v)));
    let top = h[t - 1]!;
    if (spec.stacked === 2) {
      let z2t = addVec(matVec(p.H3!, t === 1 ? p.s0! : s[t - 2]!), matVec(p.W3!, top));
      if (p.b3) z2t = addVec(z2t, p.b3);
      z2.push(z2t);
      s.push(z2t.map((v) => act(spec.hidden, v)));
      top = s[t - 1]!;
    }
    if (spec.mode === 'many-to-one' && t < T) { u.push(null); y.push(null); e.push(null); continue; }
    const ut = p.b2 ? addVec(matVec(p.W2, top), p.b2) : matVec(p.W2, top);
    const yt = output(spec, ut);
    u.push(ut);
    y.push(yt);
    const target = p.target[t - 1];
    const et = target ? stepLoss(spec, yt, target) : NaN;
    e.push(et);
    E += et;
  }
  return { z, h, z2: spec.stacked === 2 ? z2 : null, s: spec.stacked === 2 ? s : null, u, y, e, E };
}

/** dE/du for one step. */
export function outputDelta(spec: RnnSpec, y: Vec, t: Vec): Vec {
  if (spec.loss === 'cross-entropy') {
    // softmax + CE: y_k sum_j t_j - t_k, which is y - t for a distribution; sigmoid + binary CE: y - t
    if (spec.output === 'softmax') { const mass = t.reduce((a, b) => a + b, 0); return y.map((yk, k) => yk * mass - t[k]!); }
    return subVec(y, t);
  }
  const g = scaleVec(spec.loss === 'squared-error' ? 2 : 1, subVec(y, t)); // dE/dy
  switch (spec.output) {
    case 'identity': return g;
    case 'sigmoid': return g.map((gk, k) => gk * y[k]! * (1 - y[k]!));
    case 'softmax': { const yg = dotVec(y, g); return y.map((yk, k) => yk * (g[k]! - yg)); } // (diag y - y y^T) g
  }
}

/**
 * The backward pass. With `magnitude`, every quantity is replaced by the sum
 * of the absolute values of the terms that make it up (|W|^T |delta|, ...):
 * the scale against which rounding errors are judged when a delta or a
 * gradient cancels to 0 (seed 001 exercise 1: W2^T delta_out = 0).
 */
export function backward(spec: RnnSpec, p0: RnnValues, f: RnnForward, lossSteps: readonly number[], magnitude = false): RnnBackward {
  const T = spec.steps;
  const { hidden: H, hidden2: H2 } = spec.sizes;
  const p = magnitude ? absValues(p0) : p0;
  const counted = new Set(lossSteps);
  const deltaOut: Array<Vec | null> = [];
  for (let t = 1; t <= T; t++) {
    const y = f.y[t - 1], target = p0.target[t - 1];
    deltaOut.push(counted.has(t) && y && target ? (magnitude ? outputMagnitude(spec, y, target) : outputDelta(spec, y, target)) : null);
  }
  const fd = magnitude ? (g: RnnHidden, z: number, a: number) => Math.abs(actDerivative(g, z, a)) : actDerivative;
  const stacked = spec.stacked === 2;
  // Top recurrent layer: receives W2^T delta_out_t from the output and H^T delta_{t+1} from the future.
  const topH = stacked ? p.H3! : p.H1;
  const topZ = stacked ? f.z2! : f.z, topA = stacked ? f.s! : f.h;
  const top = recurrence(fd, spec.hidden, topH, topZ, topA, (t) => (deltaOut[t - 1] ? matTVec(p.W2, deltaOut[t - 1]!) : null), stacked ? H2 : H);
  const delta1 = stacked ? recurrence(fd, spec.hidden, p.H1, f.z, f.h, (t) => matTVec(p.W3!, top[t - 1]!), H) : top;
  const delta2 = stacked ? top : null;

  const grads: Partial<Record<Role, Mat | Vec>> = {};
  const st = magnitude ? (v: Vec) => v.map(Math.abs) : (v: Vec) => v;
  const topStates = stacked ? f.s! : f.h;
  grads.W2 = sumOuter(deltaOut, (t) => st(topStates[t - 1]!), p.W2.length, p.W2[0]!.length);
  if (p.b2) grads.b2 = sumVec(deltaOut, p.b2.length);
  grads.W1 = sumOuter(delta1, (t) => p.x[t - 1]!, H, p.x[0]!.length);
  grads.H1 = sumOuter(delta1, (t) => (t === 1 ? p.h0 : st(f.h[t - 2]!)), H, H);
  if (p.b1) grads.b1 = sumVec(delta1, H);
  if (p.bh) grads.bh = sumVec(delta1, H);
  if (stacked) {
    grads.W3 = sumOuter(delta2!, (t) => st(f.h[t - 1]!), H2, H);
    grads.H3 = sumOuter(delta2!, (t) => (t === 1 ? p.s0! : st(f.s![t - 2]!)), H2, H2);
    if (p.b3) grads.b3 = sumVec(delta2!, H2);
  }
  return { lossSteps: [...counted].sort((a, b) => a - b), deltaOut, delta1, delta2, grads };
}

type Derivative = (f: RnnHidden, z: number, a: number) => number;

/** delta_t = (from_above_t + H^T delta_{t+1}) ∘ f'(z_t), for t = T..1 (delta_{T+1} = 0). */
function recurrence(fd: Derivative, f: RnnHidden, Hm: Mat, z: Mat, a: Mat, above: (t: number) => Vec | null, size: number): Mat {
  const T = z.length;
  const out: Mat = new Array<Vec>(T);
  let next: Vec | null = null;
  for (let t = T; t >= 1; t--) {
    const g = zerosVec(size);
    const fromAbove = above(t);
    if (fromAbove) addVecInPlace(g, fromAbove);
    if (next) addVecInPlace(g, matTVec(Hm, next));
    const d = hadamard(g, z[t - 1]!.map((zi, i) => fd(f, zi, a[t - 1]![i]!)));
    out[t - 1] = d;
    next = d;
  }
  return out;
}

/** The terms of dE/du, in absolute value (the scale of outputDelta's rounding). */
function outputMagnitude(spec: RnnSpec, y: Vec, t: Vec): Vec {
  const a = y.map((yk, k) => Math.abs(yk) + Math.abs(t[k]!));
  if (spec.loss === 'cross-entropy') return spec.output === 'softmax' ? y.map((yk, k) => yk * t.reduce((s, v) => s + Math.abs(v), 0) + Math.abs(t[k]!)) : a;
  const g = scaleVec(spec.loss === 'squared-error' ? 2 : 1, a);
  switch (spec.output) {
    case 'identity': return g;
    case 'sigmoid': return g.map((gk, k) => gk * y[k]! * (1 - y[k]!));
    case 'softmax': { const yg = dotVec(y, g); return y.map((yk, k) => yk * (g[k]! + yg)); }
  }
}

function absValues(p: RnnValues): RnnValues {
  const m = (x: Mat | null) => (x ? x.map((r) => r.map(Math.abs)) : null);
  const v = (x: Vec | null) => (x ? x.map(Math.abs) : null);
  return {
    W1: m(p.W1)!, H1: m(p.H1)!, b1: v(p.b1), bh: v(p.bh), W3: m(p.W3), H3: m(p.H3), b3: v(p.b3), W2: m(p.W2)!, b2: v(p.b2),
    x: m(p.x)!, h0: v(p.h0)!, s0: v(p.s0), target: p.target.map(v),
  };
}

function sumOuter(deltas: ReadonlyArray<Vec | null>, input: (t: number) => Vec, rows: number, cols: number): Mat {
  const acc = zerosMat(rows, cols);
  deltas.forEach((d, i) => { if (d) addMatInPlace(acc, outer(d, input(i + 1))); });
  return acc;
}

function sumVec(deltas: ReadonlyArray<Vec | null>, n: number): Vec {
  const acc = zerosVec(n);
  for (const d of deltas) if (d) addVecInPlace(acc, d);
  return acc;
}

/**
 * Forward magnitudes: a linear node's sum of absolute terms (|H| |h_{t-1}| +
 * |W| |x_t| + |b|), carried through an activation by |f'|; the scale for
 * judging rounding in values that cancel (a pre-activation of exactly 0).
 */
export function forwardMagnitude(spec: RnnSpec, p0: RnnValues, f: RnnForward): RnnForward {
  const p = absValues(p0);
  const abs = (v: Vec) => v.map(Math.abs);
  const z: Mat = [], h: Mat = [], z2: Mat = [], s: Mat = [], u: Array<Vec | null> = [], y: Array<Vec | null> = [];
  for (let t = 1; t <= spec.steps; t++) {
    let zt = addVec(matVec(p.H1, t === 1 ? p.h0 : abs(f.h[t - 2]!)), matVec(p.W1, p.x[t - 1]!));
    if (p.b1) zt = addVec(zt, p.b1);
    if (p.bh) zt = addVec(zt, p.bh);
    z.push(zt);
    h.push(zt.map((m, i) => Math.abs(actDerivative(spec.hidden, f.z[t - 1]![i]!, f.h[t - 1]![i]!)) * m));
    let top = abs(f.h[t - 1]!);
    if (spec.stacked === 2) {
      let z2t = addVec(matVec(p.H3!, t === 1 ? p.s0! : abs(f.s![t - 2]!)), matVec(p.W3!, top));
      if (p.b3) z2t = addVec(z2t, p.b3);
      z2.push(z2t);
      s.push(z2t.map((m, i) => Math.abs(actDerivative(spec.hidden, f.z2![t - 1]![i]!, f.s![t - 1]![i]!)) * m));
      top = abs(f.s![t - 1]!);
    }
    const yt = f.y[t - 1];
    if (!yt) { u.push(null); y.push(null); continue; }
    const ut = p.b2 ? addVec(matVec(p.W2, top), p.b2) : matVec(p.W2, top);
    u.push(ut);
    y.push(spec.output === 'identity' ? ut : spec.output === 'sigmoid' ? ut.map((m, k) => yt[k]! * (1 - yt[k]!) * m) : yt.map(Math.abs));
  }
  return { z, h, z2: spec.stacked === 2 ? z2 : null, s: spec.stacked === 2 ? s : null, u, y, e: f.e.map((e) => (e === null ? null : Math.abs(e))), E: Math.abs(f.E) };
}
