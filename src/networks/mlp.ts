/**
 * `kind: mlp` (seed 000 Q1): fully connected layers. With sizes [n0, n1, n2]:
 * z1 = W1 x + b1, h = act(z1), z2 = W2 h + b2, o = out(z2). Deeper networks
 * number their hidden layers h1, h2, ...
 */
import { add, mul, ref } from '../expr/expr.js';
import { GraphBuilder, elementKey, nodeBudget } from '../expr/graph.js';
import { BudgetExceededError } from '../errors.js';
import type { Field } from '../input/field.js';
import { applyActivation, parseActivation, type Activation } from './activation.js';
import type { BuiltNetwork } from './built.js';
import { addLoss, parseLossSpec, type LossSpec } from './loss.js';

export interface MlpSpec {
  readonly kind: 'mlp';
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly output: Activation;
  readonly bias: boolean;
  readonly loss?: LossSpec;
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
  };
}

export function buildMlp(spec: MlpSpec): BuiltNetwork {
  const b = new GraphBuilder();
  const L = spec.sizes.length - 1;
  b.leaf('x', [spec.sizes[0]!], 'input');
  const params: string[] = [];
  for (let l = 1; l <= L; l++) {
    b.leaf(`W${l}`, [spec.sizes[l]!, spec.sizes[l - 1]!], 'parameter');
    params.push(`W${l}`);
    if (spec.bias) { b.leaf(`b${l}`, [spec.sizes[l]!], 'parameter'); params.push(`b${l}`); }
  }
  let prev = 'x';
  for (let l = 1; l <= L; l++) {
    const n = spec.sizes[l]!, m = spec.sizes[l - 1]!;
    const input = prev;
    b.define(`z${l}`, [n], ([i]) => add(
      ...Array.from({ length: m }, (_, j) => mul(ref(elementKey(`W${l}`, [i!, j + 1])), ref(elementKey(input, [j + 1])))),
      ...(spec.bias ? [ref(elementKey(`b${l}`, [i!]))] : []),
    ));
    const name = l === L ? 'o' : L === 2 ? 'h' : `h${l}`;
    const act = l === L ? spec.output : spec.activation;
    b.define(name, [n], ([i]) => applyActivation(act, ref(elementKey(`z${l}`, [i!]))));
    prev = name;
  }
  if (spec.loss) addLoss(b, spec.loss, b.tensor('o')!.keys, [spec.sizes[L]!]);
  return { graph: b.build(), parameters: params, output: 'o', input: 'x', loss: spec.loss?.name };
}
