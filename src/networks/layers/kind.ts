/** `kind: layers` (contract 2.4): dense, conv1d/conv2d and pooling layers with shapes and padding. */
import { defineKind } from '../core/kind.js';
import { buildLayers, parseLayersSpec, type LayersSpec } from './build.js';
import { layersFigure } from './sheet-figure.js';

export const layersKind = defineKind<LayersSpec>({
  name: 'layers',
  parse: parseLayersSpec,
  build: buildLayers,
  layerLevel: true,
  networkFigures: (spec, _sol, namer) => {
    const figure = layersFigure(spec, namer);
    return figure ? [figure] : [];
  },
});
