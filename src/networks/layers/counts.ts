/**
 * Trainable parameters per layer (weights + biases; pooling and activations
 * have none) and, for `parameters: {compare: dense}`, the count of a fully
 * connected layer joining the same input and output sizes (seed 001 ex. 4:
 * (10x10x1) x (10x10x5) weights + 10x10x5 biases = 50500 against 50).
 */
import { canonical } from './geometry.js';
import { isConv, size, type ConvLayer, type Layer, type LayersSpec } from './types.js';

export interface LayerCount {
  readonly layer: string;
  readonly kind: Layer['kind'];
  readonly weights: number;
  readonly biases: number;
  readonly total: number;
  /** the product that gives the weights, e.g. [8, 5, 5, 3] (kernels, kh, kw, C) */
  readonly weightFactors: readonly number[];
}

export interface DenseComparison {
  readonly layer: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weights: number;
  readonly biases: number;
  readonly total: number;
  /** the layer's own count, for the comparison */
  readonly layerTotal: number;
}

export function layerCount(l: Layer): LayerCount {
  const factors = isConv(l) ? convFactors(l)
    : l.kind === 'dense' ? (l.hadamard ? [size(l.inShape)] : [l.units, size(l.inShape)])
      : [];
  const weights = factors.length ? factors.reduce((a, b) => a * b, 1) : 0;
  const biases = (isConv(l) || l.kind === 'dense') && l.bias ? size(l.biasShape) : 0;
  return { layer: l.name, kind: l.kind, weights, biases, total: weights + biases, weightFactors: factors };
}

/** kernels x kh x kw x C (1-D: kernels x k x C) */
function convFactors(l: ConvLayer): number[] {
  const [rows, cols] = l.axes;
  return [l.kernels, ...(l.kind === 'conv2d' ? [rows.window] : []), cols.window, canonical(l.in).C];
}

export const parameterCounts = (spec: LayersSpec): LayerCount[] => spec.layers.map(layerCount);

export const totalParameters = (counts: readonly LayerCount[]): number => counts.reduce((s, c) => s + c.total, 0);

/** A fully connected layer in place of each convolution: every input unit to every output unit, one bias per output unit when the layer has biases. */
export function denseComparison(spec: LayersSpec): DenseComparison[] {
  return spec.layers.filter(isConv).map((l) => {
    const inputSize = size(l.inShape), outputSize = size(l.outShape);
    const weights = inputSize * outputSize, biases = l.bias ? outputSize : 0;
    return { layer: l.name, inputSize, outputSize, weights, biases, total: weights + biases, layerTotal: layerCount(l).total };
  });
}
