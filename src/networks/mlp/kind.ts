/** `kind: mlp` (contract 2.3): dense layers, one activation per layer. */
import { defineKind } from '../core/kind.js';
import { buildMlp, parseMlpSpec, type MlpSpec } from './mlp.js';

export const mlpKind = defineKind<MlpSpec>({
  name: 'mlp',
  scalarSheet: true,
  parse: parseMlpSpec,
  build: buildMlp,
});
