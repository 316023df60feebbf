/** `kind: rnn` (contract 2.5): a shorthand that writes the recurrence as tensor equations (equations.ts). */
import { defineKind } from '../core/kind.js';
import { buildRnn } from './build.js';
import { rnnFigures } from './figures.js';
import { RNN_PRESETS } from './notation.js';
import { parseRnnSpec, type RnnSpec } from './spec.js';
import { rnnStepNames, rnnTime } from './time.js';

export const rnnKind = defineKind<RnnSpec>({
  name: 'rnn',
  parse: parseRnnSpec,
  build: buildRnn,
  notations: RNN_PRESETS,
  layerLevel: true,
  networkFigures: (spec, _sol, namer) => rnnFigures(spec, namer),
  time: rnnTime,
  stepNames: rnnStepNames,
});
