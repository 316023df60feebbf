/** `kind: equations` (contract 2.1, 2.7): the problem's own scalar or tensor equations. */
import { defineKind } from '../core/kind.js';
import { buildEquations, parseEquationsSpec, type EquationsSpec } from './equations.js';

export const equationsKind = defineKind<EquationsSpec>({
  name: 'equations',
  parse: parseEquationsSpec,
  build: buildEquations,
  fieldOf: (spec, node) => spec.tensor.equations.find((e) => e.name === node)?.field ?? spec.equations.find((e) => e.name === node)?.field,
  // written in matrix form (when the tensor syntax is used); a figure of every entry teaches nothing
  matrixOnly: true,
});
