/**
 * `kind: chain` (seed 000 Q2): x -> h1 -> ... -> h_depth -> o, one unit per
 * layer. A shorthand: its spec becomes tensor equations of scalars
 * (equations.ts) that the generic engine derives.
 */
import type { Field } from '../../input/field.js';
import { parseActivation, type Activation } from '../core/activation.js';
import type { BuildContext, BuiltNetwork } from '../core/built.js';
import { parseLossSpec, type LossSpec } from '../core/loss.js';
import { bindDeclaredShapes, buildTensorNetwork } from '../core/tensor-network.js';
import { chainEquations, chainParameters } from './equations.js';

export interface ChainSpec {
  readonly kind: 'chain';
  readonly depth: number;
  readonly activation: Activation;
  readonly output: Activation;
  readonly loss?: LossSpec;
  /** the `network` section, where the equations' errors are reported */
  readonly field: Field;
}

export const MAX_CHAIN_DEPTH = 10_000;

export function parseChainSpec(f: Field): ChainSpec {
  f.only(['kind', 'depth', 'activation', 'output', 'loss']);
  return {
    kind: 'chain',
    depth: f.required('depth').int(1, MAX_CHAIN_DEPTH),
    activation: f.get('activation').exists ? parseActivation(f.get('activation')) : 'sigmoid',
    output: f.get('output').exists ? parseActivation(f.get('output')) : 'linear',
    loss: f.get('loss').exists ? parseLossSpec(f.get('loss')) : undefined,
    field: f,
  };
}

export function buildChain(spec: ChainSpec, ctx: BuildContext): BuiltNetwork {
  const part = chainEquations(spec);
  bindDeclaredShapes(part, ctx);
  // every hidden unit's delta keeps its name: inlined, the deltas of a 1000-deep chain would write
  // do/db1 as one product of 2000 factors and rebuild it at every step (quadratic in the depth)
  const built = buildTensorNetwork(part, ctx, { keepAdjoints: Array.from({ length: spec.depth }, (_, i) => `h${i + 1}`) });
  return { ...built, parameters: chainParameters(spec), output: 'o', input: 'x', loss: spec.loss?.name };
}
