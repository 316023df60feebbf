/** The layers kind's figure: the first sliding layer over its input. */
import type { Namer } from '../../tex/names.js';
import type { SheetBlock } from '../../tex/sheet-blocks.js';
import { slidingFigure } from './figure.js';
import { isConv, type ConvLayer, type LayersSpec, type PoolLayer } from './types.js';

/** The first sliding layer of a `layers` network: input grid, kernel (or pooling window) and output grid. */
export function layersFigure(spec: LayersSpec, namer: Namer): SheetBlock | null {
  const layer = spec.layers.find((l): l is ConvLayer | PoolLayer => isConv(l) || l.kind === 'pool');
  if (!layer) return null;
  const index = spec.layers.indexOf(layer);
  const input = index === 0 ? spec.input.name : spec.layers[index - 1]!.name;
  const diagram = slidingFigure(layer, input, namer);
  if (!diagram) return null;
  const [r, c] = layer.axes;
  const what = layer.kind === 'pool'
    ? `a ${r.window}x${c.window} ${layer.op}-pooling window`
    : 'the kernel (it slides over the input without flipping, as in the seeds)';
  const stride = layer.kind === 'conv1d' ? `${c.stride}` : `${r.stride}x${c.stride}`;
  const pad = r.before + r.after + c.before + c.after > 0 ? ' Dashed cells are zero padding.' : '';
  return {
    kind: 'figure',
    caption: `Layer $${namer.tensor(layer.name)}$: the highlighted input window, combined with ${what}, gives the highlighted output element; stride ${stride}.${pad}`,
    figure: { type: 'diagram', diagram },
  };
}
