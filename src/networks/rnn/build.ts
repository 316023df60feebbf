/**
 * The Elman RNN unrolled over its steps as a scalar graph (contract 2.5):
 *   z_t = H1 h_{t-1} + W1 x_t + b1 (+ bh),  h_t = act(z_t)
 *   [stacked: z2_t = H3 s_{t-1} + W3 h_t + b3,  s_t = act(z2_t)]
 *   u_t = W2 h_t + b2,  y_t = out(u_t),  e_t = loss(y_t, t_t),  E = sum_t e_t
 * (many-to-one: the output layer and the loss only at the last step).
 * Every element is a node named as the problem names it, so BPTT is reverse
 * accumulation over the unrolled graph: a shared weight sums over all steps.
 */
import { add, div, fn, mul, neg, num, one, ref, square, sub, type Expr } from '../../expr/expr.js';
import { elementKey } from '../../expr/graph.js';
import { BudgetExceededError } from '../../errors.js';
import { Rational } from '../../expr/rational.js';
import type { BuildContext, BuiltNetwork } from '../built.js';
import { checkGiven } from './given-check.js';
import { registerLayout, shapeOf } from './layout.js';
import { buildReport } from './report.js';
import { PARAMETER_ROLES, type Role, type RnnHidden, type RnnSpec } from './spec.js';
import { TimeGraphBuilder } from '../../expr/time-graph.js';
import './notation.js'; // registers the seed-000, seed-001 and seed-003 presets

export function buildRnn(spec: RnnSpec, ctx: BuildContext): BuiltNetwork {
  checkGiven(spec, ctx);
  const n = spec.names;
  const has = (r: Role): boolean => spec.roles.includes(r);
  const steps = spec.field.get('steps');
  const g = new TimeGraphBuilder((limit) => {
    throw new BudgetExceededError(`the scalar graph of this RNN unrolled over ${spec.steps} steps`, limit, '--max-nodes', steps.file, steps.line, steps.key);
  });
  const { input: I, hidden: H, hidden2: H2, output: O } = spec.sizes;
  const T = spec.steps;
  const m2m = spec.mode === 'many-to-many';
  const leafRole = (r: Role) => (PARAMETER_ROLES.includes(r) ? 'parameter' as const : r === 't' ? 'target' as const : 'input' as const);
  for (const r of ['x', 'h0', 's0', ...PARAMETER_ROLES, 't'] as const) if (has(r)) g.leaf(n[r], shapeOf(spec, r), leafRole(r));
  for (const r of ['z', 'h', 'z2', 's', 'u', 'y', 'e', 'E'] as const) if (has(r)) g.tensor(n[r], shapeOf(spec, r));

  const el = (r: Role, ...index: number[]) => ref(elementKey(n[r], index));
  /** W v: row i of a weight matrix times a vector given by its element refs */
  const dot = (w: Role, i: number, v: readonly Expr[]) => v.map((vj, j) => mul(el(w, i, j + 1), vj));
  const stateAt = (state: 'h' | 's', init: 'h0' | 's0', t: number, size: number): Expr[] =>
    Array.from({ length: size }, (_, j) => (t === 0 ? el(init, j + 1) : el(state, t, j + 1)));
  const outIndex = (t: number, k: number) => (m2m ? [t, k] : [k]);

  for (let t = 1; t <= T; t++) {
    const xt = Array.from({ length: I }, (_, j) => el('x', t, j + 1));
    const prev = stateAt('h', 'h0', t - 1, H);
    for (let i = 1; i <= H; i++) {
      g.set(n.z, [t, i], add(...dot('H1', i, prev), ...dot('W1', i, xt), ...(has('b1') ? [el('b1', i)] : []), ...(has('bh') ? [el('bh', i)] : [])));
    }
    for (let i = 1; i <= H; i++) g.set(n.h, [t, i], activation(spec.hidden, el('z', t, i)));
    let top = stateAt('h', 'h0', t, H);
    if (spec.stacked === 2) {
      const prev2 = stateAt('s', 's0', t - 1, H2);
      for (let i = 1; i <= H2; i++) g.set(n.z2, [t, i], add(...dot('H3', i, prev2), ...dot('W3', i, top), ...(has('b3') ? [el('b3', i)] : [])));
      for (let i = 1; i <= H2; i++) g.set(n.s, [t, i], activation(spec.hidden, el('z2', t, i)));
      top = stateAt('s', 's0', t, H2);
    }
    if (!m2m && t < T) continue;
    for (let k = 1; k <= O; k++) g.set(n.u, outIndex(t, k), add(...dot('W2', k, top), ...(has('b2') ? [el('b2', k)] : [])));
    const u = Array.from({ length: O }, (_, k) => el('u', ...outIndex(t, k + 1)));
    for (let k = 1; k <= O; k++) g.set(n.y, outIndex(t, k), outputUnit(spec, u, k - 1));
    const y = Array.from({ length: O }, (_, k) => el('y', ...outIndex(t, k + 1)));
    const target = Array.from({ length: O }, (_, k) => el('t', ...outIndex(t, k + 1)));
    const loss = stepLoss(spec, y, target);
    if (m2m) g.set(n.e, [t], loss);
    else g.set(n.E, [], loss);
  }
  if (m2m) g.set(n.E, [], add(...Array.from({ length: T }, (_, t) => el('e', t + 1))));

  const graph = g.build();
  const layout = registerLayout(graph, spec, ctx.problem.symbols);
  return {
    graph,
    parameters: PARAMETER_ROLES.filter(has).map((r) => n[r]),
    loss: n.E,
    output: n.y,
    input: n.x,
    report: (sol) => buildReport(layout, sol),
  };
}

function activation(act: RnnHidden, z: Expr): Expr {
  return fn(act, z);
}

/** Softmax expands to exp/div in the scalar graph: y_k = e^{u_k} / sum_j e^{u_j}. */
function outputUnit(spec: RnnSpec, u: readonly Expr[], k: number): Expr {
  switch (spec.output) {
    case 'identity': return u[k]!;
    case 'sigmoid': return fn('sigmoid', u[k]!);
    case 'softmax': return div(fn('exp', u[k]!), add(...u.map((uj) => fn('exp', uj))));
  }
}

const HALF = num(Rational.of(1n, 2n));

/**
 * The loss of one step. Cross-entropy after a softmax is -sum_k t_k log y_k;
 * after sigmoid units, the binary form summed over the units.
 */
function stepLoss(spec: RnnSpec, y: readonly Expr[], t: readonly Expr[]): Expr {
  switch (spec.loss) {
    case 'squared-error': return add(...y.map((yk, k) => square(sub(yk, t[k]!))));
    case 'half-squared-error': return mul(HALF, add(...y.map((yk, k) => square(sub(yk, t[k]!)))));
    case 'cross-entropy':
      if (spec.output === 'softmax') return neg(add(...y.map((yk, k) => mul(t[k]!, fn('log', yk)))));
      if (spec.output === 'sigmoid') {
        return neg(add(...y.map((yk, k) => add(mul(t[k]!, fn('log', yk)), mul(sub(one, t[k]!), fn('log', sub(one, yk)))))));
      }
      return spec.field.get('loss').fail('cross-entropy needs a softmax or sigmoid output'); // rejected by the parser already
  }
}
