/**
 * The layer-level backward pass: the delta recurrences and parameter
 * gradients a student writes, evaluated on whole tensors from the
 * layer-level forward pass.
 *
 *   delta = dE/d(pre-activation) = dE/d(output) (.) act'
 *   conv, index form:   dE/dk_ab = sum_ij delta_ij x~_(s(i-1)+a)(s(j-1)+b)   (x~ the zero-padded input)
 *   conv, compact form: dE/dK = X~ (valid cross-correlation) delta, delta dilated by the stride
 *   conv, to the input: dE/dx_pq = sum of delta_ij k_ab over every (i, a), (j, b) that reads x_pq
 *   max pool: dE/dx = dE/dp at the routed element, 0 elsewhere; avg pool: dE/dp / window size to each cell
 *   dense: dE/dW = delta x^T (units 1: delta X), dE/dx = W^T delta (units 1: delta W)
 */
import type { LossSpec } from '../core/loss.js';
import { canonical, inputPos } from './geometry.js';
import { activationSlope, kernelOffsets, type LayerState } from './forward.js';
import { MapView, zeros, type Tensor } from './tensor.js';
import { isConv, type ConvLayer, type DenseLayer, type PoolLayer } from './types.js';

export interface LayerGrad {
  readonly layer: string;
  /** d of / d (layer output) */
  readonly g: Tensor;
  /** d of / d (pre-activation) */
  readonly delta: Tensor;
}

export interface Backward {
  /** from the last layer reached down to the first */
  readonly layers: readonly LayerGrad[];
  /** parameter and input gradients by tensor name (index form) */
  readonly grads: ReadonlyMap<string, Tensor>;
  /** kernel gradients by the compact form (cross-correlation) */
  readonly compact: ReadonlyMap<string, Tensor>;
}

/** dLoss / d(network output), by the loss's own derivative. */
export function lossSeed(loss: LossSpec, y: Tensor, t: Tensor): Tensor {
  const g = zeros(y.shape);
  const binary = y.data.length === 1;
  y.data.forEach((yv, i) => {
    const tv = t.data[i]!;
    g.data[i] = loss.kind === 'squared-error' ? 2 * (yv - tv)   // d (y-t)^2 / dy
      : loss.kind === 'half-squared-error' ? yv - tv             // d 1/2 (y-t)^2 / dy
        : binary ? (yv - tv) / (yv * (1 - yv))                   // d -(t log y + (1-t) log(1-y)) / dy
          : -tv / yv;                                            // d -sum t log y / dy
  });
  return g;
}

/** Backward from `g` = d of / d(output of layer `from`) down to the network input. */
export function backwardLayers(states: readonly LayerState[], from: number, g: Tensor, inputName: string): Backward {
  const layers: LayerGrad[] = [];
  const grads = new Map<string, Tensor>();
  const compact = new Map<string, Tensor>();
  let gOut = g;
  for (let k = from; k >= 0; k--) {
    const s = states[k]!, l = s.layer;
    const act = l.kind === 'activation' ? l.fn : l.kind === 'pool' ? 'identity' : l.activation;
    const delta = zeros(gOut.shape);
    delta.data.forEach((_, i) => { delta.data[i] = gOut.data[i]! * activationSlope(act, s.pre.data[i]!, s.out.data[i]!); });
    layers.push({ layer: l.name, g: gOut, delta });
    if (isConv(l)) {
      gOut = convBackward(l, s, delta, grads);
      compact.set(l.kernel, compactKernelGrad(l, s.input, delta));
    } else if (l.kind === 'pool') gOut = poolBackward(l, s, delta);
    else if (l.kind === 'dense') gOut = denseBackward(l, s, delta, grads);
    else gOut = delta;
  }
  grads.set(inputName, gOut);
  return { layers, grads, compact };
}

function convBackward(l: ConvLayer, s: LayerState, delta: Tensor, grads: Map<string, Tensor>): Tensor {
  const K = s.params.get(l.kernel)!;
  const X = new MapView(s.input, l.in), D = new MapView(delta, l.out);
  const gIn = new MapView(zeros(s.input.shape), l.in);
  const dK = zeros(l.kernelShape);
  const db = zeros(l.biasShape);
  const { C } = canonical(l.in);
  const [rows, cols] = l.axes;
  const kOff = kernelOffsets(l);
  for (let n = 1; n <= l.kernels; n++) {
    for (let i = 1; i <= rows.out; i++) {
      for (let j = 1; j <= cols.out; j++) {
        const d = D.get(i, j, n);
        db.data[n - 1]! += d; // dE/db_n = sum_ij delta_ijn
        for (let a = 1; a <= rows.window; a++) {
          const p = inputPos(rows, i, a);
          if (p === null) continue;
          for (let b = 1; b <= cols.window; b++) {
            const q = inputPos(cols, j, b);
            if (q === null) continue;
            for (let c = 1; c <= C; c++) {
              dK.data[kOff(n, a, b, c)]! += d * X.get(p, q, c);
              gIn.add(p, q, c, d * K.data[kOff(n, a, b, c)]!);
            }
          }
        }
      }
    }
  }
  grads.set(l.kernel, dK);
  if (l.bias) grads.set(l.bias, db);
  return gIn.t;
}

/** dE/dK[n,:,:,c] = X~_c (valid cross-correlation) dilate(delta_n, stride), cropped to the kernel. */
export function compactKernelGrad(l: ConvLayer, input: Tensor, delta: Tensor): Tensor {
  const X = new MapView(input, l.in), D = new MapView(delta, l.out);
  const [rows, cols] = l.axes;
  const dK = zeros(l.kernelShape);
  const kOff = kernelOffsets(l);
  for (let n = 1; n <= l.kernels; n++) {
    const dn = dilate(D.channel(n), rows.stride, cols.stride);
    for (let c = 1; c <= X.C; c++) {
      const r = xcorrValid(padMatrix(X.channel(c), rows.before, rows.after, cols.before, cols.after), dn);
      for (let a = 1; a <= rows.window; a++) for (let b = 1; b <= cols.window; b++) dK.data[kOff(n, a, b, c)] = r[a - 1]![b - 1]!;
    }
  }
  return dK;
}

/** (A star B)_ab = sum_ij B_ij A_(i+a-1)(j+b-1), for every (a, b) where B fits inside A. */
export function xcorrValid(A: readonly number[][], B: readonly number[][]): number[][] {
  const h = A.length - B.length + 1, w = A[0]!.length - B[0]!.length + 1;
  return Array.from({ length: h }, (_, a) => Array.from({ length: w }, (_, b) => {
    let s = 0;
    B.forEach((row, i) => row.forEach((v, j) => { s += v * A[i + a]![j + b]!; }));
    return s;
  }));
}

export function padMatrix(M: readonly number[][], top: number, bottom: number, left: number, right: number): number[][] {
  const w = M[0]!.length + left + right;
  const blank = (): number[] => new Array<number>(w).fill(0);
  const side = (n: number): number[] => new Array<number>(n).fill(0);
  return [...Array.from({ length: top }, blank), ...M.map((r) => [...side(left), ...r, ...side(right)]), ...Array.from({ length: bottom }, blank)];
}

/** Stride s: s - 1 zeros between neighbouring deltas. */
function dilate(M: number[][], sr: number, sc: number): number[][] {
  if (sr === 1 && sc === 1) return M;
  const out = Array.from({ length: (M.length - 1) * sr + 1 }, () => new Array<number>((M[0]!.length - 1) * sc + 1).fill(0));
  M.forEach((row, i) => row.forEach((v, j) => { out[i * sr]![j * sc] = v; }));
  return out;
}

function poolBackward(l: PoolLayer, s: LayerState, delta: Tensor): Tensor {
  const gIn = zeros(s.input.shape);
  if (s.source) {
    s.source.forEach((src, o) => { if (src >= 0) gIn.data[src]! += delta.data[o]!; }); // routed to the argmax
    return gIn;
  }
  const D = new MapView(delta, l.out), G = new MapView(gIn, l.in);
  const [rows, cols] = l.axes;
  const area = rows.window * cols.window;
  for (let c = 1; c <= G.C; c++) for (let i = 1; i <= rows.out; i++) for (let j = 1; j <= cols.out; j++) {
    for (let a = 1; a <= rows.window; a++) for (let b = 1; b <= cols.window; b++) {
      const p = inputPos(rows, i, a), q = inputPos(cols, j, b);
      if (p !== null && q !== null) G.add(p, q, c, D.get(i, j, c) / area);
    }
  }
  return gIn;
}

function denseBackward(l: DenseLayer, s: LayerState, delta: Tensor, grads: Map<string, Tensor>): Tensor {
  const W = s.params.get(l.weights)!;
  const m = s.input.data.length;
  const dW = zeros(l.weightShape), gIn = zeros(s.input.shape);
  delta.data.forEach((d, u) => {
    for (let j = 0; j < m; j++) {
      dW.data[u * m + j] = d * s.input.data[j]!;    // dE/dW_uj = delta_u x_j
      gIn.data[j]! += d * W.data[u * m + j]!;       // dE/dx_j = sum_u W_uj delta_u
    }
  });
  grads.set(l.weights, dW);
  if (l.bias) grads.set(l.bias, { shape: [...l.biasShape], data: Float64Array.from(delta.data) });
  return gIn;
}
