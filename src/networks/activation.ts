/** Activation names shared by the network builders, mapped to ops. */
import { fn, type Expr } from '../expr/expr.js';
import type { Field } from '../input/field.js';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'step', 'linear', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export function applyActivation(act: Activation, u: Expr): Expr {
  return act === 'linear' || act === 'identity' ? u : fn(act, u);
}

export const parseActivation = (f: Field): Activation => f.oneOf(ACTIVATIONS);
