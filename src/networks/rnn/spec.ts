/**
 * `kind: rnn` (contract 2.5): the Elman recurrent network unrolled over
 * `steps`. This module validates the `network` section; names are resolved to
 * roles here so that every later stage (graph, BPTT, notation) speaks in roles
 * (`W1`, `h`, ...) and prints the problem's own names.
 */
import type { Field } from '../../input/field.js';

export const RNN_HIDDEN = ['tanh', 'sigmoid', 'relu'] as const;
export type RnnHidden = (typeof RNN_HIDDEN)[number];
export const RNN_OUTPUT = ['softmax', 'identity', 'sigmoid'] as const;
export type RnnOutput = (typeof RNN_OUTPUT)[number];
export const RNN_LOSS = ['cross-entropy', 'half-squared-error', 'squared-error'] as const;
export type RnnLoss = (typeof RNN_LOSS)[number];
export const RNN_MODES = ['many-to-many', 'many-to-one'] as const;
export type RnnMode = (typeof RNN_MODES)[number];

/**
 * Every tensor of the unrolled network by its role. Parameters: W1 (input ->
 * hidden), H1 (hidden -> hidden), b1, bh (recurrentBias), W3/H3/b3 (second
 * layer), W2/b2 (output). Data: x, h0, s0, t (target). Nodes: z/h (layer 1
 * pre-activation/state), z2/s (layer 2), u/y (output pre-activation/output),
 * e (loss per step), E (loss).
 */
export type Role =
  | 'W1' | 'H1' | 'b1' | 'bh' | 'W3' | 'H3' | 'b3' | 'W2' | 'b2'
  | 'x' | 'h0' | 's0' | 't'
  | 'z' | 'h' | 'z2' | 's' | 'u' | 'y' | 'e' | 'E';

export type RnnNames = Readonly<Record<Role, string>>;

/** Keys of `names:` (contract 2.5) and the role each renames. */
const NAME_KEYS: Readonly<Record<string, Role>> = {
  input: 'W1', recurrent: 'H1', hiddenBias: 'b1', output: 'W2', outputBias: 'b2',
  input2: 'W3', recurrent2: 'H3', hiddenBias2: 'b3',
  x: 'x', h0: 'h0', s0: 's0', target: 't',
  z: 'z', h: 'h', z2: 'z2', s: 's', u: 'u', y: 'y', e: 'e', E: 'E',
};

const DEFAULT_NAMES: Readonly<Record<Role, string>> = {
  W1: 'W1', H1: 'H1', b1: 'b1', bh: 'bh', W3: 'W3', H3: 'H3', b3: 'b3', W2: 'W2', b2: 'b2',
  x: 'x', h0: 'h0', s0: 's0', t: 't',
  z: 'z', h: 'h', z2: 'z2', s: 's', u: 'u', y: 'y', e: 'e', E: 'E',
};

export interface RnnSizes { readonly input: number; readonly hidden: number; readonly hidden2: number; readonly output: number }

export interface RnnSpec {
  readonly kind: 'rnn';
  readonly mode: RnnMode;
  readonly steps: number;
  readonly sizes: RnnSizes;
  readonly hidden: RnnHidden;
  readonly output: RnnOutput;
  readonly loss: RnnLoss;
  readonly bias: boolean;
  readonly stacked: 1 | 2;
  readonly recurrentBias: boolean;
  readonly names: RnnNames;
  /** roles that exist in this network, in the order sheets list them */
  readonly roles: readonly Role[];
  /** the `network` field, for errors found while building (given values, budget) */
  readonly field: Field;
}

export const MAX_STEPS = 1000;
export const MAX_UNITS = 256;

export const PARAMETER_ROLES: readonly Role[] = ['W1', 'H1', 'b1', 'bh', 'W3', 'H3', 'b3', 'W2', 'b2'];

/** Roles present for these options, parameters first in the order sheets list them. */
export function activeRoles(o: { bias: boolean; stacked: 1 | 2; recurrentBias: boolean; mode: RnnMode }): Role[] {
  const roles: Role[] = ['W1', 'H1'];
  if (o.bias) roles.push('b1');
  if (o.recurrentBias) roles.push('bh');
  if (o.stacked === 2) roles.push('W3', 'H3', ...(o.bias ? ['b3' as const] : []));
  roles.push('W2', ...(o.bias ? ['b2' as const] : []));
  roles.push('x', 'h0', ...(o.stacked === 2 ? ['s0' as const] : []), 't', 'z', 'h');
  if (o.stacked === 2) roles.push('z2', 's');
  roles.push('u', 'y', ...(o.mode === 'many-to-many' ? ['e' as const] : []), 'E');
  return roles;
}

export function parseRnnSpec(f: Field): RnnSpec {
  f.only(['kind', 'mode', 'steps', 'sizes', 'hidden', 'output', 'loss', 'bias', 'stacked', 'recurrentBias', 'names']);
  const stepsField = f.required('steps');
  const steps = stepsField.int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (steps < 1) stepsField.fail(`steps is the length of the sequence and must be at least 1, got ${steps}`);
  if (steps > MAX_STEPS) stepsField.fail(`at most ${MAX_STEPS} steps, got ${steps}`);
  const mode = f.get('mode').exists ? f.get('mode').oneOf(RNN_MODES) : 'many-to-many';
  const stacked = f.get('stacked').exists ? (f.get('stacked').int(1, 2) as 1 | 2) : 1;
  const bias = f.get('bias').exists ? f.get('bias').bool() : true;
  const sizes = parseSizes(f.required('sizes'), stacked);
  const hidden = f.get('hidden').exists ? f.get('hidden').oneOf(RNN_HIDDEN) : 'tanh';
  const output = f.required('output').oneOf(RNN_OUTPUT);
  const loss = f.required('loss').oneOf(RNN_LOSS);
  if (loss === 'cross-entropy' && output === 'identity') {
    f.get('loss').fail('cross-entropy needs probabilities: use output: softmax (classes) or sigmoid (independent units)');
  }
  if (output === 'softmax' && sizes.output === 1) {
    f.get('output').fail('a softmax over one output is always 1; use output: sigmoid for a single probability');
  }
  // `recurrentBias: b_h` names the bias on the recurrent term (seed 003); `true` takes the default name.
  const rb = f.get('recurrentBias');
  let recurrentBias = false, bhName = DEFAULT_NAMES.bh;
  if (rb.exists) {
    if (rb.isScalar() && typeof rb.scalarValue() === 'boolean') recurrentBias = rb.bool();
    else { recurrentBias = true; bhName = rb.name(); }
  }
  const roles = activeRoles({ bias, stacked, recurrentBias, mode });
  const names = parseNames(f.get('names'), roles, bhName, rb);
  return { kind: 'rnn', mode, steps, sizes, hidden, output, loss, bias, stacked, recurrentBias, names, roles, field: f };
}

function parseSizes(f: Field, stacked: 1 | 2): RnnSizes {
  f.only(['input', 'hidden', 'hidden2', 'output']);
  const hidden = f.required('hidden').int(1, MAX_UNITS);
  const h2 = f.get('hidden2');
  if (h2.exists && stacked !== 2) h2.fail('hidden2 is the size of the second recurrent layer: set stacked: 2');
  return {
    input: f.required('input').int(1, MAX_UNITS),
    hidden,
    hidden2: h2.exists ? h2.int(1, MAX_UNITS) : hidden,
    output: f.required('output').int(1, MAX_UNITS),
  };
}

function parseNames(f: Field, roles: readonly Role[], bhName: string, bhField: Field): RnnNames {
  const names: Record<Role, string> = { ...DEFAULT_NAMES, bh: bhName };
  const fieldOf = new Map<Role, Field>([['bh', bhField]]);
  if (f.exists) {
    for (const key of f.keys()) {
      const role = NAME_KEYS[key];
      const kf = f.get(key);
      if (!role) kf.fail(`unknown name key '${key}' (expected one of: ${Object.keys(NAME_KEYS).join(', ')})`);
      if (!roles.includes(role)) kf.fail(absentReason(key, role));
      names[role] = kf.name();
      fieldOf.set(role, kf);
    }
  }
  // Every name of this network must be distinct (renaming h to s needs s renamed too).
  const seen = new Map<string, Role>();
  for (const role of roles) {
    const other = seen.get(names[role]);
    if (other) {
      const where = fieldOf.get(role) ?? fieldOf.get(other) ?? f;
      where.fail(`'${names[role]}' would name both ${describeRole(other)} and ${describeRole(role)}; rename one of them under names`);
    }
    seen.set(names[role], role);
  }
  return names;
}

function absentReason(key: string, role: Role): string {
  switch (role) {
    case 'W3': case 'H3': case 'z2': case 's': case 's0': return `'${key}' belongs to the second recurrent layer: set stacked: 2`;
    case 'b1': case 'b2': case 'b3': return `'${key}' names a bias, but bias is false`;
    case 'e': return "'e' is the loss per step of a many-to-many network; a many-to-one network has only E";
    default: return `'${key}' does not exist in this network`;
  }
}

const ROLE_TEXT: Readonly<Record<Role, string>> = {
  W1: 'the input weights', H1: 'the recurrent weights', b1: 'the hidden bias', bh: 'the recurrent bias',
  W3: 'the second layer input weights', H3: 'the second layer recurrent weights', b3: 'the second layer bias',
  W2: 'the output weights', b2: 'the output bias', x: 'the inputs', h0: 'the initial state', s0: 'the second layer initial state',
  t: 'the target', z: 'the hidden pre-activations', h: 'the hidden states', z2: 'the second layer pre-activations',
  s: 'the second layer states', u: 'the output pre-activations', y: 'the outputs', e: 'the loss per step', E: 'the loss',
};

export const describeRole = (r: Role): string => ROLE_TEXT[r];
