/**
 * Shapes and same padding, from the spec alone (the `shape` and `padding`
 * asks): what the report answers without a single value.
 */
import { samePadding } from './geometry.js';
import { isConv, layerParameters, type ConvLayer, type LayersSpec, type PoolLayer } from './types.js';

/** Every tensor of the network: input, each layer's parameters and output, target and loss. */
export function shapesOf(spec: LayersSpec): Record<string, number[]> {
  const out: Record<string, number[]> = { [spec.input.name]: [...spec.input.shape] };
  for (const l of spec.layers) {
    for (const p of layerParameters(l)) out[p.name] = [...p.shape];
    out[l.name] = [...l.outShape];
  }
  if (spec.loss) {
    out[spec.loss.target] = [...spec.layers[spec.layers.length - 1]!.outShape];
    out[spec.loss.name] = [];
  }
  return out;
}

/** The padding that keeps the size, per dimension, for the layers the padding section covers. */
export function paddingOf(spec: LayersSpec): Record<string, { before: number[]; after: number[] }> {
  const sliding = spec.layers.filter((l): l is ConvLayer | PoolLayer => isConv(l) || l.kind === 'pool');
  const chosen = sliding.some((l) => l.samePadding) ? sliding.filter((l) => l.samePadding) : sliding.filter(isConv);
  return Object.fromEntries(chosen.map((l) => {
    const axes = l.in.spatial.length === 2 ? l.axes : [l.axes[1]];
    const pads = axes.map((a) => samePadding(a.size, a.window, a.stride));
    return [l.name, { before: pads.map((p) => p.before), after: pads.map((p) => p.after) }];
  }));
}
