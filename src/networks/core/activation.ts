/** Activation names shared by the network kinds, and how a tensor formula applies one. */
import type { Field } from '../../input/field.js';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'step', 'linear', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const parseActivation = (f: Field): Activation => f.oneOf(ACTIVATIONS);

/** An activation applied to a tensor formula: linear and identity leave it as it is. */
export const activateFormula = (act: Activation, u: string): string => (act === 'linear' || act === 'identity' ? u : `${act}(${u})`);
