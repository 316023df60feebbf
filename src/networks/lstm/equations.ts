/**
 * The LSTM as the tensor equations it is shorthand for (contract 2.7):
 *   a[t] = concat(h[t-1], x[t])
 *   f[t] = sigmoid(Wf @ a[t] + bf),  i[t] = sigmoid(Wi @ a[t] + bi),  o[t] = sigmoid(Wo @ a[t] + bo)
 *   g[t] = tanh(Wg @ a[t] + bg),  c[t] = f[t] * c[t-1] + i[t] * g[t],  h[t] = o[t] * tanh(c[t])
 * then the loss on h[t] (or on p[t] of an output layer), summed over the
 * steps (many-to-one: at the last step only). The generic engine derives them.
 */
import { parseTensorFormula } from '../../expr/tensor-parse.js';
import type { TensorEquation, TensorEquationsPart } from '../core/tensor-equations.js';
import type { LstmSpec } from './spec.js';

export const GATES = ['f', 'i', 'o', 'g'] as const;

export function lstmFormulas(spec: LstmSpec): Array<[string, string]> {
  const m2m = spec.mode === 'many-to-many';
  const out: Array<[string, string]> = [['a[t]', 'concat(h[t-1], x[t])']];
  for (const gate of GATES) out.push([`${gate}[t]`, `${gate === 'g' ? 'tanh' : 'sigmoid'}(W${gate} @ a[t] + b${gate})`]);
  out.push(['c[t]', 'f[t] * c[t-1] + i[t] * g[t]'], ['h[t]', 'o[t] * tanh(c[t])']);
  const at = m2m ? '[t]' : '';
  let y = m2m ? 'h[t]' : 'h[T]';
  if (spec.output !== 'none') {
    out.push([`u${at}`, `Wy @ ${y} + by`]);
    y = `u${at}`;
    if (spec.output === 'softmax') {
      out.push([`p${at}`, `softmax(u${at})`]);
      y = `p${at}`;
    }
  }
  const t = `y${at}`;
  const loss = spec.loss === 'cross-entropy' ? `-sum(${t} * log(${y}))`
    : spec.loss === 'squared-error' ? `sum((${y} - ${t})^2)` : `sum((${y} - ${t})^2) / 2`;
  if (m2m) out.push(['e[t]', loss], ['E', 'sum_t(e[t])']);
  else out.push(['E', loss]);
  return out;
}

/** Leaves and their shapes (a {fill} takes them). */
export function lstmShapes(spec: LstmSpec): Map<string, number[]> {
  const { input: I, hidden: H, output: O } = spec.sizes;
  const T = spec.steps;
  const shapes = new Map<string, number[]>([['x', [T, I]], ['h0', [H]], ['c0', [H]]]);
  for (const gate of GATES) shapes.set(`W${gate}`, [H, H + I]).set(`b${gate}`, [H]);
  if (spec.output !== 'none') shapes.set('Wy', [O, H]).set('by', [O]);
  shapes.set('y', spec.mode === 'many-to-many' ? [T, O] : [O]);
  return shapes;
}

export function lstmEquations(spec: LstmSpec): TensorEquationsPart {
  const equations: TensorEquation[] = lstmFormulas(spec).map(([key, text]) => {
    const name = key.replace(/\[t\]$/, '');
    return { name, seq: key !== name, ast: parseTensorFormula(text), text, field: spec.field };
  });
  return {
    steps: spec.steps,
    equations,
    targets: new Map([['y', null]]),
    shapes: new Map([...lstmShapes(spec)].map(([n, shape]) => [n, { shape, field: spec.field }])),
    initial: new Map([['h', { name: 'h0', field: spec.field }], ['c', { name: 'c0', field: spec.field }]]),
    field: spec.field,
  };
}
