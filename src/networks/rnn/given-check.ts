/**
 * Checks of `given` that only an RNN can explain: shapes in terms of the
 * sizes and steps, the initial states, and targets that cross-entropy can
 * read as distributions. Each failure names the file, line and key of the
 * value at fault (contract 6: exit 2, clear message).
 */
import { initNumbers } from '../../problem/initializer.js';
import type { Field } from '../../input/field.js';
import type { GivenValue } from '../../problem/spec.js';
import type { BuildContext } from '../built.js';
import { shapeOf } from './layout.js';
import { describeRole, type Role, type RnnSpec } from './spec.js';

const LEAF_ROLES: readonly Role[] = ['W1', 'H1', 'b1', 'bh', 'W3', 'H3', 'b3', 'W2', 'b2', 'x', 'h0', 's0', 't'];

export function checkGiven(spec: RnnSpec, ctx: BuildContext): void {
  const problem = ctx.problem;
  const fieldOf = (name: string): Field => problem.given.get(name)?.field ?? problem.givenField;
  for (const role of LEAF_ROLES) {
    if (!spec.roles.includes(role)) continue;
    const name = spec.names[role];
    const want = shapeOf(spec, role);
    const got = ctx.givenShape(name);
    if (got === undefined) continue; // absent or a fill: nothing to compare
    const single = got.length === 0 || got.every((n) => n === 1);
    if (single && want.reduce((a, b) => a * b, 1) === 1) continue; // a plain number for a one-element tensor
    if (got.join('x') !== want.join('x')) fieldOf(name).fail(shapeMessage(spec, role, name, want, got));
  }
  for (const role of ['h0', 's0'] as const) {
    if (!spec.roles.includes(role)) continue;
    const name = spec.names[role];
    if (!problem.given.has(name) && ctx.givenShape(name) === undefined) {
      const size = shapeOf(spec, role)[0]!;
      problem.givenField.fail(
        `${describeRole(role)} '${name}' is missing: the first step reads it (a vector of ${size} value${size > 1 ? 's' : ''}, e.g. ${name}: {fill: 0})`);
    }
  }
  if (spec.loss === 'cross-entropy') {
    const entry = problem.given.get(spec.names.t);
    if (entry) checkDistribution(spec, entry.value, entry.field);
  }
}

function shapeMessage(spec: RnnSpec, role: Role, name: string, want: number[], got: readonly number[]): string {
  const { input: I, hidden: H, hidden2: H2, output: O } = spec.sizes;
  const T = spec.steps;
  const gotText = got.length ? `[${got.join(', ')}]` : 'a single number';
  const why = ((): string => {
    switch (role) {
      case 'W1': return `hidden x input = ${H} x ${I}`;
      case 'H1': return `hidden x hidden = ${H} x ${H}`;
      case 'b1': case 'bh': case 'h0': return `a vector of the hidden size ${H}`;
      case 'W3': return `hidden2 x hidden = ${H2} x ${H}`;
      case 'H3': return `hidden2 x hidden2 = ${H2} x ${H2}`;
      case 'b3': case 's0': return `a vector of the second layer size ${H2}`;
      case 'W2': return `output x ${spec.stacked === 2 ? 'hidden2' : 'hidden'} = ${O} x ${want[1]}`;
      case 'b2': return `a vector of the output size ${O}`;
      case 'x': return `one row per step: steps x input = ${T} x ${I}`;
      case 't': return spec.mode === 'many-to-many' ? `one row per step: steps x output = ${T} x ${O}` : `one vector of the output size ${O} (many-to-one)`;
      default: return `[${want.join(', ')}]`;
    }
  })();
  const hint = role === 'x' && I === 1 && got.length === 1 ? `; write one row per step, e.g. [${Array.from({ length: Math.min(T, 3) }, () => '[..]').join(', ')}]` : '';
  return `'${name}' (${describeRole(role)}) is ${why}, but the given value has shape ${gotText}${hint}`;
}

/** Softmax targets: each row non-negative and summing to 1; sigmoid targets: each value in [0, 1]. */
function checkDistribution(spec: RnnSpec, v: GivenValue, field: Field): void {
  const O = spec.sizes.output;
  const values = v.kind === 'fill' ? Array.from({ length: O }, () => v.value.toNumber()) : v.kind === 'init' ? [...initNumbers(v)] : v.values.map((r) => r.toNumber());
  const rows = v.kind === 'fill' ? 1 : values.length / O;
  for (let r = 0; r < rows; r++) {
    const row = values.slice(r * O, (r + 1) * O);
    const where = spec.mode === 'many-to-many' && v.kind !== 'fill' ? ` (step ${r + 1})` : '';
    const bad = row.find((p) => !(p >= 0 && p <= 1));
    if (bad !== undefined) field.fail(`a cross-entropy target holds probabilities in [0, 1], but${where} it has ${bad}`);
    const sum = row.reduce((a, b) => a + b, 0);
    if (spec.output === 'softmax' && Math.abs(sum - 1) > 1e-9) {
      field.fail(`a cross-entropy target after a softmax is a distribution over the ${O} classes (a one-hot row for a label), but${where} it sums to ${sum}`);
    }
  }
}
