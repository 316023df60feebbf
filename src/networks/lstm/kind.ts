/** `kind: lstm`: a shorthand for the LSTM's tensor equations; the generic engine derives them, BPTT included. */
import type { BuildContext, BuiltNetwork } from '../core/built.js';
import { defineKind } from '../core/kind.js';
import { buildTensorNetwork } from '../core/tensor-network.js';
import { GATES, lstmEquations } from './equations.js';
import { parseLstmSpec, type LstmSpec } from './spec.js';

function buildLstm(spec: LstmSpec, ctx: BuildContext): BuiltNetwork {
  const parameters = [...GATES.flatMap((g) => [`W${g}`, `b${g}`]), ...(spec.output === 'none' ? [] : ['Wy', 'by'])];
  const built = buildTensorNetwork(lstmEquations(spec), ctx, { keepAdjoints: ['c', 'h', ...parameters] });
  return { ...built, parameters, loss: 'E', output: spec.output === 'none' ? 'h' : spec.output === 'softmax' ? 'p' : 'u', input: 'x' };
}

export const lstmKind = defineKind<LstmSpec>({
  name: 'lstm',
  parse: parseLstmSpec,
  build: buildLstm,
  // written in matrix form, as the LSTM's tensor equations; a figure of every entry teaches nothing
  matrixOnly: true,
});
