/**
 * The layer-level forward pass on whole tensors (loops over windows, the way
 * a student computes it), independent of the scalar graph; the report
 * compares the two. Max pooling records where each output came from: the
 * first maximum of its window in row order (contract 2.4).
 */
import type { Activation } from '../core/activation.js';
import { canonical, inputPos } from './geometry.js';
import { MapView, readTensor, zeros, type Tensor } from './tensor.js';
import { isConv, layerParameters, type ConvLayer, type DenseLayer, type Layer, type LayersSpec, type PoolLayer } from './types.js';

export interface LayerState {
  readonly layer: Layer;
  readonly input: Tensor;
  /** before the activation (equal to `out` for layers without one) */
  readonly pre: Tensor;
  readonly out: Tensor;
  /** the layer's kernel, weights and bias values */
  readonly params: ReadonlyMap<string, Tensor>;
  /** max pooling: offset in `input` of each output's source, -1 for a padding cell */
  readonly source?: Int32Array;
}

export type Values = (key: string) => number | undefined;

export function activate(act: Activation, u: number): number {
  switch (act) {
    case 'sigmoid': return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
    case 'tanh': return Math.tanh(u);
    case 'relu': return u > 0 ? u : 0;
    case 'step': return u > 0 ? 1 : 0;
    case 'linear': case 'identity': return u;
  }
}

/** d act / d u from the layer's own output: sigma(1 - sigma), 1 - tanh^2, step. */
export function activationSlope(act: Activation, pre: number, out: number): number {
  switch (act) {
    case 'sigmoid': return out * (1 - out);
    case 'tanh': return 1 - out * out;
    case 'relu': return pre > 0 ? 1 : 0;
    case 'step': return 0;
    case 'linear': case 'identity': return 1;
  }
}

export function forwardLayers(spec: LayersSpec, value: Values): LayerState[] {
  let x = readTensor(spec.input.name, spec.input.shape, value);
  const params = new Map<string, Tensor>();
  for (const l of spec.layers) for (const p of layerParameters(l)) params.set(p.name, readTensor(p.name, p.shape, value));
  const states: LayerState[] = [];
  for (const layer of spec.layers) {
    const s = isConv(layer) ? conv(layer, x, params)
      : layer.kind === 'pool' ? pool(layer, x)
        : layer.kind === 'dense' ? dense(layer, x, params)
          : { layer, input: x, pre: x, out: map(x, (u) => activate(layer.fn, u)), params: new Map() };
    states.push(s);
    x = s.out;
  }
  return states;
}

const map = (t: Tensor, f: (v: number) => number): Tensor => ({ shape: t.shape, data: t.data.map(f) });

function conv(l: ConvLayer, x: Tensor, params: ReadonlyMap<string, Tensor>): LayerState {
  const K = params.get(l.kernel)!, bias = l.bias ? params.get(l.bias)! : null;
  const X = new MapView(x, l.in), pre = new MapView(zeros(l.outShape), l.out);
  const { C } = canonical(l.in);
  const [rows, cols] = l.axes;
  const kOff = kernelOffsets(l);
  for (let n = 1; n <= l.kernels; n++) {
    for (let i = 1; i <= rows.out; i++) {
      for (let j = 1; j <= cols.out; j++) {
        let s = bias ? bias.data[n - 1]! : 0;
        for (let a = 1; a <= rows.window; a++) {
          const p = inputPos(rows, i, a);
          if (p === null) continue;
          for (let b = 1; b <= cols.window; b++) {
            const q = inputPos(cols, j, b);
            if (q === null) continue;
            for (let c = 1; c <= C; c++) s += K.data[kOff(n, a, b, c)]! * X.get(p, q, c);
          }
        }
        pre.add(i, j, n, s);
      }
    }
  }
  return { layer: l, input: x, pre: pre.t, out: map(pre.t, (u) => activate(l.activation, u)), params: own(l, params) };
}

/** Offset of K[n, a, b, c] in the kernel tensor's data (row-major over [n, kh, kw, C]). */
export function kernelOffsets(l: ConvLayer): (n: number, a: number, b: number, c: number) => number {
  const { C } = canonical(l.in);
  const [rows, cols] = l.axes;
  return (n, a, b, c) => (((n - 1) * rows.window + (a - 1)) * cols.window + (b - 1)) * C + (c - 1);
}

function pool(l: PoolLayer, x: Tensor): LayerState {
  const X = new MapView(x, l.in), out = new MapView(zeros(l.outShape), l.out);
  const [rows, cols] = l.axes;
  const source = new Int32Array(out.t.data.length).fill(-1);
  for (let c = 1; c <= X.C; c++) {
    for (let i = 1; i <= rows.out; i++) {
      for (let j = 1; j <= cols.out; j++) {
        let best = -Infinity, from = -1, sum = 0;
        for (let a = 1; a <= rows.window; a++) {
          for (let b = 1; b <= cols.window; b++) {
            const p = inputPos(rows, i, a), q = inputPos(cols, j, b);
            const v = p === null || q === null ? 0 : X.get(p, q, c); // zero padding
            sum += v;
            if (v > best) { best = v; from = p === null || q === null ? -1 : X.offset(p, q, c); }
          }
        }
        const o = out.offset(i, j, c);
        out.t.data[o] = l.op === 'max' ? best : sum / (rows.window * cols.window);
        source[o] = from;
      }
    }
  }
  return { layer: l, input: x, pre: out.t, out: out.t, params: new Map(), ...(l.op === 'max' ? { source } : {}) };
}

function dense(l: DenseLayer, x: Tensor, params: ReadonlyMap<string, Tensor>): LayerState {
  const W = params.get(l.weights)!, bias = l.bias ? params.get(l.bias)! : null;
  const pre = zeros(l.outShape);
  const m = x.data.length;
  for (let u = 0; u < pre.data.length; u++) {
    let s = bias ? bias.data[u]! : 0;
    for (let k = 0; k < m; k++) s += W.data[u * m + k]! * x.data[k]!;
    pre.data[u] = s;
  }
  return { layer: l, input: x, pre, out: map(pre, (v) => activate(l.activation, v)), params: own(l, params) };
}

const own = (l: Layer, params: ReadonlyMap<string, Tensor>): Map<string, Tensor> =>
  new Map(layerParameters(l).map((p) => [p.name, params.get(p.name)!]));
