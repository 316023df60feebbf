/**
 * The generic engine's results read back by layer, as the layer-level sheet
 * prints them: each layer's input and output (the tensor level's forward
 * values), and for each differentiated `of` the gradient handed to every
 * layer's output (the tensor level's adjoint of that layer, kept by name in
 * build.ts), the layer's delta, and the asked gradients. Nothing here
 * differentiates: the delta is the kept adjoint times the activation's slope
 * written as the sheet prints it (sigma' = y(1 - y), tanh' = 1 - y^2,
 * relu' = step(y)), read from the layer's own output.
 */
import type { Activation } from '../core/activation.js';
import type { KindSolution as Solution, TensorPass, TensorSolution } from '../core/solution.js';
import { zeros, type Tensor } from './tensor.js';
import type { Layer, LayersSpec } from './types.js';

export interface LayerState {
  readonly layer: Layer;
  /** the tensor the layer reads (the network input or the layer below's output) */
  readonly input: Tensor;
  readonly out: Tensor;
}

export interface LayerGrad {
  readonly layer: string;
  /** d of / d (layer output): the tensor level's adjoint */
  readonly g: Tensor;
  /** d of / d (pre-activation) */
  readonly delta: Tensor;
}

export interface Backward {
  /** from the layer of `of` (the last, for the loss) down to the first */
  readonly layers: readonly LayerGrad[];
  /** the asked gradients (parameters, the input) by tensor name, from the tensor level */
  readonly grads: ReadonlyMap<string, Tensor>;
}

export interface LayerLevel {
  readonly states: readonly LayerState[];
  /** per differentiated `of` (a loss, or a scalar layer output) */
  readonly backward: ReadonlyMap<string, Backward>;
}

/** The slope of an activation from its output y (relu: y > 0 exactly where the pre-activation is). */
export function slopeAt(act: Activation, y: number): number {
  switch (act) {
    case 'sigmoid': return y * (1 - y);
    case 'tanh': return 1 - y * y;
    case 'relu': return y > 0 ? 1 : 0;
    case 'step': return 0;
    case 'linear': case 'identity': return 1;
  }
}

export const activationOf = (l: Layer): Activation => (l.kind === 'activation' ? l.fn : l.kind === 'pool' ? 'identity' : l.activation);

export function readLevels(spec: LayersSpec, sol: Solution): LayerLevel | null {
  const ts = sol.tensor;
  if (!ts) return null;
  const states = readStates(spec, ts);
  const backward = new Map<string, Backward>();
  for (const p of ts.passes) {
    if (p.upstream || p.step !== null || backward.has(p.of)) continue;
    const bw = readBackward(spec, ts, states, p);
    if (bw) backward.set(p.of, bw);
  }
  return { states, backward };
}

function readStates(spec: LayersSpec, ts: TensorSolution): LayerState[] {
  const value = (name: string): Tensor => ts.forward.values.get(name) ?? ts.network.leaves.get(name) ?? zeros([]);
  return spec.layers.map((layer, k) => ({ layer, input: value(k === 0 ? spec.input.name : spec.layers[k - 1]!.name), out: value(layer.name) }));
}

function readBackward(spec: LayersSpec, ts: TensorSolution, states: readonly LayerState[], p: TensorPass): Backward | null {
  const from = spec.loss && p.node === spec.loss.name ? spec.layers.length - 1 : spec.layers.findIndex((l) => l.name === p.node);
  if (from < 0) return null;
  const layers: LayerGrad[] = [];
  for (let k = from; k >= 0; k--) {
    const s = states[k]!, name = s.layer.name;
    // the node differentiated is its own seed: d of / d of = 1
    const g = p.values.values.get(name) ?? (name === p.node ? { shape: s.out.shape, data: new Float64Array(s.out.data.length).fill(1) } : zeros(s.out.shape));
    const act = activationOf(s.layer);
    layers.push({ layer: name, g, delta: { shape: g.shape, data: g.data.map((v, i) => v * slopeAt(act, s.out.data[i]!)) } });
  }
  const grads = new Map(ts.gradients
    .filter((x) => x.of === p.of && x.upstream === null && x.index === null && x.step === null)
    .map((x): [string, Tensor] => [x.node, x.value]));
  return { layers, grads };
}
