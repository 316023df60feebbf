/**
 * The validated `layers` network (contract 2.4): every layer with its input
 * and output shapes already inferred, so that shapes, parameter counts and
 * the equations (equations.ts) all read the same numbers.
 *
 * Feature maps are handled in a canonical form: rows x columns x channels.
 * A 1-D map of length N is one row (H = 1, W = N); a map without a channel
 * axis has one channel. `MapLayout` says how the canonical (h, w, c) index
 * maps back to the tensor's own index.
 */
import type { Field } from '../../input/field.js';
import type { Activation } from '../core/activation.js';
import type { LossSpec } from '../core/loss.js';

/** One spatial dimension of a sliding window (a kernel or a pooling window). */
export interface Axis {
  /** input size along this dimension */
  readonly size: number;
  /** kernel or window size */
  readonly window: number;
  readonly stride: number;
  /** zero padding before (top / left) and after (bottom / right) */
  readonly before: number;
  readonly after: number;
  /** floor((size + before + after - window) / stride) + 1 */
  readonly out: number;
}

/** How a feature map is stored: [N] or [H, W], then an optional channel axis. */
export interface MapLayout {
  readonly spatial: readonly number[];
  readonly channels: number;
  readonly channelAxis: boolean;
}

interface LayerCommon {
  readonly name: string;
  readonly field: Field;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
}

/** Canonical rows and columns of a sliding layer (1-D: a single row). */
export type Axes = readonly [rows: Axis, cols: Axis];

export interface ConvLayer extends LayerCommon {
  readonly kind: 'conv1d' | 'conv2d';
  readonly kernel: string;
  /** the kernel tensor's shape: [n?, kh?, kw, C?] (n only for several kernels, C only when the input has channels) */
  readonly kernelShape: readonly number[];
  readonly kernels: number;
  readonly kernelAxis: boolean;
  /** the kernel tensor has a channel axis (always when the input has one; [n, kh, kw, 1] written out on an input without) */
  readonly kernelChannelAxis: boolean;
  readonly in: MapLayout;
  readonly out: MapLayout;
  readonly axes: Axes;
  readonly samePadding: boolean;
  readonly bias: string | null;
  readonly biasShape: readonly number[];
  readonly activation: Activation;
}

export interface PoolLayer extends LayerCommon {
  readonly kind: 'pool';
  readonly op: 'max' | 'avg';
  readonly in: MapLayout;
  readonly out: MapLayout;
  readonly axes: Axes;
  readonly samePadding: boolean;
}

export interface DenseLayer extends LayerCommon {
  readonly kind: 'dense';
  readonly weights: string;
  readonly weightShape: readonly number[];
  readonly units: number;
  /** units: 1, the seed's o = act(sum W (.) X): weights of the input's shape, a scalar output */
  readonly hadamard: boolean;
  readonly bias: string | null;
  readonly biasShape: readonly number[];
  readonly activation: Activation;
}

export interface ActivationLayer extends LayerCommon {
  readonly kind: 'activation';
  readonly fn: Activation;
}

export type Layer = ConvLayer | PoolLayer | DenseLayer | ActivationLayer;

export interface LayersSpec {
  readonly kind: 'layers';
  readonly input: { readonly name: string; readonly shape: readonly number[] };
  readonly layers: readonly Layer[];
  readonly loss?: LossSpec;
  readonly field: Field;
}

/** Trainable tensors of a layer, in the order sheets list them. */
export function layerParameters(layer: Layer): Array<{ name: string; shape: readonly number[]; role: 'weights' | 'bias' }> {
  switch (layer.kind) {
    case 'conv1d':
    case 'conv2d':
      return [{ name: layer.kernel, shape: layer.kernelShape, role: 'weights' as const },
        ...(layer.bias ? [{ name: layer.bias, shape: layer.biasShape, role: 'bias' as const }] : [])];
    case 'dense':
      return [{ name: layer.weights, shape: layer.weightShape, role: 'weights' as const },
        ...(layer.bias ? [{ name: layer.bias, shape: layer.biasShape, role: 'bias' as const }] : [])];
    default:
      return [];
  }
}

export const isConv = (l: Layer): l is ConvLayer => l.kind === 'conv1d' || l.kind === 'conv2d';
export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
