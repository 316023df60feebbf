/**
 * The `layers` kind (contract 2.4) as the tensor equations it is shorthand
 * for (contract 2.7), one per layer, in the problem's own names:
 *   Y = act(conv2d(X, K, stride=(s, s), padding=((b, a), (b, a))) + bY)
 *   P = maxpool(Y, window=(2, 2), stride=(2, 2), padding=((0, 0), (0, 0)))
 *   o = act(W @ flatten(P) + bo)        (units 1: o = act(sum(W * P) + bo))
 *   A = sigmoid(Y)                      (an activation layer)
 *   E = sum((o - T)^2) / 2              (the loss, contract 2.6)
 * The generic engine derives them; this module only writes them. The layer
 * kind's layouts are the op's (README, "Tensors"): maps [H, W] or [H, W, C]
 * (1-D: [N] or [N, C]), kernels [kh, kw], [kh, kw, C] or [n, kh, kw, C]; the
 * one difference, n kernels on an input without channels written [n, kh, kw],
 * is reshaped to [n, kh, kw, 1]. Padding is written out per axis as
 * (before, after), `same` included, from the geometry the spec derived.
 */
import { parseTensorFormula } from '../../expr/tensor-parse.js';
import type { TensorEquation, TensorEquationsPart } from '../core/tensor-equations.js';
import { activateFormula } from '../core/activation.js';
import { lossFormula } from '../core/loss.js';
import { shapesOf } from './shapes.js';
import { layerParameters, size, type Axes, type ConvLayer, type Layer, type LayersSpec, type PoolLayer } from './types.js';

/** The equations of a layers spec, each as text (name -> formula), in order; the loss last. */
export function layersFormulas(spec: LayersSpec): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let prev = spec.input.name;
  for (const l of spec.layers) {
    out.push([l.name, layerFormula(l, prev)]);
    prev = l.name;
  }
  if (spec.loss) out.push([spec.loss.name, lossFormula(spec.loss, prev, size(spec.layers[spec.layers.length - 1]!.outShape))]);
  return out;
}

function layerFormula(l: Layer, input: string): string {
  switch (l.kind) {
    case 'conv1d': case 'conv2d': {
      const k = l.kernelAxis && !l.kernelChannelAxis ? `reshape(${l.kernel}, ${tuple([...l.kernelShape, 1])})` : l.kernel;
      const conv = `${l.kind}(${input}, ${k}, stride=${tuple(spatial(l, l.axes).map((a) => a.stride))}, padding=${pads(l)})`;
      return activateFormula(l.activation, l.bias ? `${conv} + ${l.bias}` : conv);
    }
    case 'pool': {
      const ax = spatial(l, l.axes);
      return `${l.op}pool(${input}, window=${tuple(ax.map((a) => a.window))}, stride=${tuple(ax.map((a) => a.stride))}, padding=${pads(l)})`;
    }
    case 'dense': {
      // units 1 (the seed's o = act(sum W (.) X)): weights of the input's shape; else W @ x, x flattened row by row
      const x = l.inShape.length === 1 ? input : `flatten(${input})`;
      const sum = l.hadamard ? `sum(${l.weights} * ${input})` : `${l.weights} @ ${x}`;
      return activateFormula(l.activation, l.bias ? `${sum} + ${l.bias}` : sum);
    }
    case 'activation':
      return activateFormula(l.fn, input);
  }
}

/** The spatial axes as the op counts them: one for a 1-D layer (its canonical row axis is a unit). */
const spatial = (l: ConvLayer | PoolLayer, axes: Axes) => (l.in.spatial.length === 2 ? [...axes] : [axes[1]]);

/** (a, b), and (a,) for one axis. */
const tuple = (xs: readonly (number | string)[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);

/** Padding per axis as (before, after): the geometry the spec derived (same padding included) written out. */
const pads = (l: ConvLayer | PoolLayer): string => tuple(spatial(l, l.axes).map((a) => `(${a.before}, ${a.after})`));


/** The spec's equations as a tensor-equations network; every leaf's shape comes from the spec. */
export function layersEquations(spec: LayersSpec): TensorEquationsPart {
  const field = spec.field;
  const equations: TensorEquation[] = layersFormulas(spec).map(([name, text]) => ({
    name, seq: false, ast: parseTensorFormula(text), text, field: fieldOf(spec, name) ?? field,
  }));
  const shapes = shapesOf(spec);
  const leaves = [spec.input.name, ...spec.layers.flatMap((l) => layerParameters(l).map((p) => p.name)), ...(spec.loss ? [spec.loss.target] : [])];
  return {
    steps: null,
    equations,
    targets: new Map(spec.loss ? [[spec.loss.target, null]] : []),
    shapes: new Map(leaves.map((n) => [n, { shape: shapes[n]!, field }])),
    initial: new Map(),
    field,
  };
}

/** The field that defines a node: its layer (or the loss). */
export function fieldOf(spec: LayersSpec, node: string): LayersSpec['field'] | undefined {
  const l = spec.layers.find((x) => x.name === node);
  if (l) return l.field;
  return spec.loss && node === spec.loss.name ? spec.field.get('loss') : undefined;
}

