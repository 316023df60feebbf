/**
 * The `rnn` kind (contract 2.5) as the textbook equations it is shorthand for
 * (contract 2.7), in the problem's own names:
 *   z[t] = H1 @ h[t-1] + W1 @ x[t] + b1 (+ bh),   h[t] = f(z[t])
 *   [stacked: z2[t] = H3 @ s[t-1] + W3 @ h[t] + b3,   s[t] = f(z2[t])]
 *   u[t] = W2 @ h[t] + b2,  y[t] = out(u[t]),  e[t] = loss(y[t], t[t]),  E = sum_t(e[t])
 * (many-to-one: u, y and the loss once, from the last state). The generic
 * engine derives them; this module only writes them.
 */
import { parseTensorFormula } from '../../expr/tensor-parse.js';
import type { TensorEquation, TensorEquationsPart } from '../core/tensor-equations.js';
import { shapeOf } from './layout.js';
import { PARAMETER_ROLES, type Role, type RnnSpec } from './spec.js';

const LEAF_ROLES: readonly Role[] = [...PARAMETER_ROLES, 'x', 'h0', 's0', 't'];

/** The equations of an RNN spec, each as text (name -> formula), in order. */
export function rnnFormulas(spec: RnnSpec): Array<[string, string]> {
  const n = spec.names;
  const has = (r: Role) => spec.roles.includes(r);
  const m2m = spec.mode === 'many-to-many';
  const out: Array<[string, string]> = [];
  const bias = (...rs: Role[]) => rs.filter(has).map((r) => ` + ${n[r]}`).join('');
  out.push([`${n.z}[t]`, `${n.H1} @ ${n.h}[t-1] + ${n.W1} @ ${n.x}[t]${bias('b1', 'bh')}`]);
  out.push([`${n.h}[t]`, `${spec.hidden}(${n.z}[t])`]);
  let top = n.h;
  if (spec.stacked === 2) {
    out.push([`${n.z2}[t]`, `${n.H3} @ ${n.s}[t-1] + ${n.W3} @ ${n.h}[t]${bias('b3')}`]);
    out.push([`${n.s}[t]`, `${spec.hidden}(${n.z2}[t])`]);
    top = n.s;
  }
  const at = m2m ? '[t]' : '';
  out.push([`${n.u}${at}`, `${n.W2} @ ${top}${m2m ? '[t]' : '[T]'}${bias('b2')}`]);
  const u = `${n.u}${at}`, y = `${n.y}${at}`, t = `${n.t}${at}`;
  out.push([y, spec.output === 'identity' ? u : `${spec.output}(${u})`]);
  const loss = ((): string => {
    switch (spec.loss) {
      case 'squared-error': return `sum((${y} - ${t})^2)`;
      case 'half-squared-error': return `sum((${y} - ${t})^2) / 2`;
      case 'cross-entropy':
        return spec.output === 'softmax' ? `-sum(${t} * log(${y}))` : `-sum(${t} * log(${y}) + (1 - ${t}) * log(1 - ${y}))`;
    }
  })();
  if (m2m) {
    out.push([`${n.e}[t]`, loss]);
    out.push([n.E, `sum_t(${n.e}[t])`]);
  } else out.push([n.E, loss]);
  return out;
}

/** The spec's equations as a tensor-equations network (every equation placed at the spec's `network` key). */
export function rnnEquations(spec: RnnSpec): TensorEquationsPart {
  const n = spec.names;
  const equations: TensorEquation[] = rnnFormulas(spec).map(([key, text]) => {
    const name = key.replace(/\[t\]$/, '');
    return { name, seq: key !== name, ast: parseTensorFormula(text), text, field: spec.field };
  });
  const initial = new Map([[n.h, { name: n.h0, field: spec.field }]]);
  if (spec.stacked === 2) initial.set(n.s, { name: n.s0, field: spec.field });
  return {
    steps: spec.steps,
    equations,
    targets: new Map([[n.t, null]]),
    // every leaf's shape from the sizes (a {fill} or a number then takes it, as the rnn kind always allowed)
    shapes: new Map(spec.roles.filter((r) => LEAF_ROLES.includes(r)).map((r) => [n[r], { shape: shapeOf(spec, r), field: spec.field }])),
    initial,
    field: spec.field,
  };
}
