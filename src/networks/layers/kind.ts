/** `kind: layers` (contract 2.4): dense, conv1d/conv2d and pooling layers with shapes and padding; a shorthand that writes them as tensor equations (equations.ts). */
import { defineKind } from '../core/kind.js';
import { buildLayers, parseLayersSpec, type LayersSpec } from './build.js';
import { fieldOf } from './equations.js';
import { layersFigure } from './sheet-figure.js';

export const layersKind = defineKind<LayersSpec>({
  name: 'layers',
  parse: parseLayersSpec,
  build: buildLayers,
  fieldOf,
  layerLevel: true,
  networkFigures: (spec, _sol, namer) => {
    const figure = layersFigure(spec, namer);
    return figure ? [figure] : [];
  },
});
