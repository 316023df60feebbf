/**
 * `kind: mlp` (seed 000 Q1): fully connected layers. With sizes [n0, n1, n2]:
 * z1 = W1 x + b1, h = act(z1), z2 = W2 h + b2, o = out(z2). Deeper networks
 * number their hidden layers h1, h2, ... A shorthand: its spec becomes tensor
 * equations (equations.ts) that the generic engine derives.
 */
import { nodeBudget } from '../../expr/graph.js';
import { BudgetExceededError } from '../../errors.js';
import type { Field } from '../../input/field.js';
import { parseActivation, type Activation } from '../core/activation.js';
import type { BuildContext, BuiltNetwork } from '../core/built.js';
import { parseLossSpec, type LossSpec } from '../core/loss.js';
import { bindDeclaredShapes, buildTensorNetwork } from '../core/tensor-network.js';
import { mlpEquations, mlpParameters } from './equations.js';

export interface MlpSpec {
  readonly kind: 'mlp';
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly output: Activation;
  readonly bias: boolean;
  readonly loss?: LossSpec;
  /** the `network` section, where the equations' errors are reported */
  readonly field: Field;
}

export const MAX_LAYER_WIDTH = 4096;

export function parseMlpSpec(f: Field): MlpSpec {
  f.only(['kind', 'sizes', 'activation', 'output', 'bias', 'loss']);
  const sf = f.required('sizes');
  const sizes = sf.items().map((s) => s.int(1, MAX_LAYER_WIDTH));
  if (sizes.length < 2 || sizes.length > 32) sf.fail('sizes lists from 2 to 32 layer widths (input first)');
  // Count the graph's nodes before building it: [4096, 4096, 4096] is 33 million weights, which
  // would exhaust memory long before the graph's own budget check (issue 8).
  const bias = f.get('bias').exists ? f.get('bias').bool() : true;
  let nodes = sizes[0]!;
  for (let l = 1; l < sizes.length; l++) nodes += sizes[l]! * sizes[l - 1]! + sizes[l]! * (bias ? 3 : 2); // W, b, z, act
  if (nodes > nodeBudget()) throw new BudgetExceededError(`the scalar graph of this network (${nodes.toLocaleString('en-US')} nodes)`, nodeBudget(), '--max-nodes', sf.file, sf.line, sf.key);
  return {
    kind: 'mlp', sizes,
    activation: f.get('activation').exists ? parseActivation(f.get('activation')) : 'sigmoid',
    output: f.get('output').exists ? parseActivation(f.get('output')) : 'linear',
    bias,
    loss: f.get('loss').exists ? parseLossSpec(f.get('loss')) : undefined,
    field: f,
  };
}

export function buildMlp(spec: MlpSpec, ctx: BuildContext): BuiltNetwork {
  const part = mlpEquations(spec);
  bindDeclaredShapes(part, ctx);
  const built = buildTensorNetwork(part, ctx);
  return { ...built, parameters: mlpParameters(spec), output: 'o', input: 'x', loss: spec.loss?.name };
}
