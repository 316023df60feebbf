/**
 * `kind: lstm`: an LSTM over `steps`, written as the seven textbook lines of
 * contract 2.7 (equations.ts). The names are the textbook's: gates f, i, o,
 * candidate g, cell state c, hidden state h, weights Wf, Wi, Wo, Wg acting on
 * a[t] = [h[t-1]; x[t]], biases bf, bi, bo, bg; with an output layer, Wy and
 * by give u[t] and p[t]. Targets are y; the initial states h0 and c0.
 */
import type { Field } from '../../input/field.js';

export const LSTM_OUTPUT = ['none', 'identity', 'softmax'] as const;
export type LstmOutput = (typeof LSTM_OUTPUT)[number];
export const LSTM_LOSS = ['half-squared-error', 'squared-error', 'cross-entropy'] as const;
export type LstmLoss = (typeof LSTM_LOSS)[number];
export const LSTM_MODES = ['many-to-many', 'many-to-one'] as const;
export type LstmMode = (typeof LSTM_MODES)[number];

export const MAX_STEPS = 1000;
export const MAX_UNITS = 256;

export interface LstmSpec {
  readonly kind: 'lstm';
  readonly mode: LstmMode;
  readonly steps: number;
  readonly sizes: { readonly input: number; readonly hidden: number; readonly output: number };
  readonly output: LstmOutput;
  readonly loss: LstmLoss;
  /** the `network` field, for errors found while building */
  readonly field: Field;
}

export function parseLstmSpec(f: Field): LstmSpec {
  f.only(['kind', 'mode', 'steps', 'sizes', 'output', 'loss']);
  const stepsField = f.required('steps');
  const steps = stepsField.int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (steps < 1) stepsField.fail(`steps is the length of the sequence and must be at least 1, got ${steps}`);
  if (steps > MAX_STEPS) stepsField.fail(`at most ${MAX_STEPS} steps, got ${steps}`);
  const mode = f.get('mode').exists ? f.get('mode').oneOf(LSTM_MODES) : 'many-to-many';
  const output = f.get('output').exists ? f.get('output').oneOf(LSTM_OUTPUT) : 'none';
  const loss = f.required('loss').oneOf(LSTM_LOSS);
  const s = f.required('sizes');
  s.only(['input', 'hidden', 'output']);
  const hidden = s.required('hidden').int(1, MAX_UNITS);
  const outField = s.get('output');
  if (output === 'none' && outField.exists) outField.fail('sizes.output is the size of an output layer: set output: identity or softmax (without one, the loss reads h[t])');
  if (output !== 'none' && !outField.exists) s.fail(`output: ${output} needs sizes.output, the number of outputs`);
  const sizes = { input: s.required('input').int(1, MAX_UNITS), hidden, output: output === 'none' ? hidden : outField.int(1, MAX_UNITS) };
  if (loss === 'cross-entropy' && output !== 'softmax') f.get('loss').fail('cross-entropy needs probabilities: use output: softmax');
  if (output === 'softmax' && sizes.output === 1) f.get('output').fail('a softmax over one output is always 1');
  return { kind: 'lstm', mode, steps, sizes, output, loss, field: f };
}
