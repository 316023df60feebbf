/** Losses (contract 2.6): parsed from a shorthand's `loss:` and written as a tensor equation. */
import type { Field } from '../../input/field.js';

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
 * The loss on the output y (of `outSize` entries) and its target, as a tensor formula.
 * Cross-entropy: -sum_k t_k log y_k over several outputs (after a softmax);
 * for one output the binary form -(t log y + (1-t) log(1-y)).
 */
export function lossFormula(loss: LossSpec, y: string, outSize: number): string {
  const t = loss.target;
  switch (loss.kind) {
    case 'squared-error': return `sum((${y} - ${t})^2)`;
    case 'half-squared-error': return `sum((${y} - ${t})^2) / 2`;
    case 'cross-entropy': return outSize === 1 ? `-sum(${t} * log(${y}) + (1 - ${t}) * log(1 - ${y}))` : `-sum(${t} * log(${y}))`;
  }
}
