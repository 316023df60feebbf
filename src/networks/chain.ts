/** `kind: chain` (seed 000 Q2): x -> h1 -> ... -> h_depth -> o, one unit per layer. */
import { add, mul, ref } from '../expr/expr.js';
import { GraphBuilder } from '../expr/graph.js';
import type { Field } from '../input/field.js';
import { applyActivation, parseActivation, type Activation } from './activation.js';
import type { BuiltNetwork } from './built.js';
import { addLoss, parseLossSpec, type LossSpec } from './loss.js';

export interface ChainSpec {
  readonly kind: 'chain';
  readonly depth: number;
  readonly activation: Activation;
  readonly output: Activation;
  readonly loss?: LossSpec;
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
  };
}

export function buildChain(spec: ChainSpec): BuiltNetwork {
  const b = new GraphBuilder();
  const n = spec.depth;
  b.leaf('x', [], 'input');
  const params: string[] = [];
  for (let i = 1; i <= n + 1; i++) {
    b.leaf(`w${i}`, [], 'parameter');
    b.leaf(`b${i}`, [], 'parameter');
  }
  for (let i = 1; i <= n + 1; i++) params.push(`w${i}`);
  for (let i = 1; i <= n + 1; i++) params.push(`b${i}`);
  let prev = 'x';
  for (let i = 1; i <= n; i++) {
    const p = prev;
    b.define(`h${i}`, [], () => applyActivation(spec.activation, add(mul(ref(`w${i}`), ref(p)), ref(`b${i}`))));
    prev = `h${i}`;
  }
  const last = prev;
  b.define('o', [], () => applyActivation(spec.output, add(mul(ref(`w${n + 1}`), ref(last)), ref(`b${n + 1}`))));
  if (spec.loss) addLoss(b, spec.loss, ['o'], []);
  return { graph: b.build(), parameters: params, output: 'o', input: 'x', loss: spec.loss?.name };
}
