/** Losses (contract 2.6), built on the scalar graph. */
import { add, fn, mul, num, ref, square, sub, one, neg, type Expr } from '../expr/expr.js';
import { Rational } from '../expr/rational.js';
import type { GraphBuilder } from '../expr/graph.js';
import type { Field } from '../input/field.js';

export const LOSS_KINDS = ['squared-error', 'half-squared-error', 'cross-entropy'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];
export interface LossSpec { readonly kind: LossKind; readonly target: string; readonly name: string }

export function parseLossSpec(f: Field): LossSpec {
  f.only(['kind', 'target', 'name']);
  return {
    kind: f.required('kind').oneOf(LOSS_KINDS),
    target: f.required('target').name(),
    name: f.get('name').exists ? f.get('name').name() : 'E',
  };
}

/**
 * Adds the target leaf (shape of the output) and the loss node.
 * Cross-entropy: -sum_k t_k log y_k over several outputs (after softmax);
 * for one output the binary form -(t log y + (1-t) log(1-y)).
 */
export function addLoss(b: GraphBuilder, loss: LossSpec, outputKeys: readonly string[], outputShape: readonly number[]): void {
  const target = b.leaf(loss.target, outputShape, 'target');
  const pairs = outputKeys.map((k, i) => [ref(k), ref(target.keys[i]!)] as const);
  let e: Expr;
  switch (loss.kind) {
    case 'squared-error':
      e = add(...pairs.map(([y, t]) => square(sub(y, t))));
      break;
    case 'half-squared-error':
      e = mul(num(Rational.of(1n, 2n)), add(...pairs.map(([y, t]) => square(sub(y, t)))));
      break;
    case 'cross-entropy':
      e = pairs.length === 1
        ? neg(add(mul(pairs[0]![1], fn('log', pairs[0]![0])), mul(sub(one, pairs[0]![1]), fn('log', sub(one, pairs[0]![0])))))
        : neg(add(...pairs.map(([y, t]) => mul(t, fn('log', y)))));
      break;
  }
  b.define(loss.name, [], () => e);
}
