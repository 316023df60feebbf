/**
 * Vanishing and exploding gradients for any recurrent network: the Jacobian
 * of the last state with respect to an earlier one, ds_T/ds_k, and its norms
 * for every k. The state s is every sequence read at [t-1], stacked (h for a
 * vanilla RNN or a GRU; [h; c] for an LSTM). One step's Jacobian
 * A_t = ds_t/ds_{t-1} comes from the same pullback the reverse pass uses:
 * its row i is A_t^T e_i, the cotangent e_i of s_t pulled back through the
 * step's equations to s_{t-1}; then ds_T/ds_k = A_T A_{T-1} ... A_{k+1}.
 */
import { sizeOf, tref, ttopo, type TExpr } from '../expr/tensor.js';
import type { Phases, TGraph } from '../expr/tensor-graph.js';
import { tensor, type Tensor } from '../expr/tensor-value.js';
import { frobenius, identity, matMul, spectralNorm, type Mat } from '../numeric/matrix.js';
import { evalT, withSteps, type ForwardValues, type TEnv } from '../numeric/tensor-eval.js';
import * as T from '../ops/tensor-build.js';
import { pullback } from './tensor-reverse.js';

export interface StateNorm { readonly k: number; readonly spectral: number; readonly frobenius: number }
export interface StateJacobianNorms {
  /** the sequences whose stacked value is the state */
  readonly states: readonly string[];
  /** rows k = 0..T: ||ds_T/ds_k|| (k = T is the identity) */
  readonly values: readonly StateNorm[];
}

/** The state of a recurrent network: its sequences read at [t-1], in the order of the graph. */
export function recurrentState(g: TGraph): string[] {
  return g.order.filter((n) => { const node = g.nodes.get(n)!; return node.seq && !!node.def && !!node.initial; });
}

/** Most Jacobian entries (state size squared, times the steps) computed for a norm table. */
export const MAX_JACOBIAN_WORK = 2_000_000;

export function stateJacobianNorms(g: TGraph, phases: Phases, fwd: ForwardValues, states: readonly string[] = recurrentState(g)): StateJacobianNorms | null {
  const T = g.steps;
  if (!T || states.length === 0) return null;
  const sizes = states.map((s) => sizeOf(g.nodes.get(s)!.shape));
  const D = sizes.reduce((a, b) => a + b, 0);
  if (D * D * T > MAX_JACOBIAN_WORK) return null;
  const back = stepPullback(g, phases, states);
  const seeds = states.map((s) => `\u0000u:${s}`);
  // The pullback is linear in the seeds u; what does not read them (slopes 1 - h^2, Wh^T) is
  // evaluated once per step and shared by the D rows, so a row costs its products with u only.
  const roots = states.map((s) => back.get(s)!);
  const order = ttopo(roots);
  const readsSeed = new Set<number>();
  for (const e of order) {
    if (e.kind === 'ref' ? seeds.includes(e.name) : e.kind === 'apply' && e.args.some((a) => readsSeed.has(a.id))) readsSeed.add(e.id);
  }
  const fixed = order.filter((e) => !readsSeed.has(e.id) && e.kind !== 'num');
  const rowsAt = (t: number): Mat => {
    const shared = new Map<number, Tensor>();
    const sharedEnv = withSteps(forwardEnv(g, fwd, new Map()), T);
    for (const e of fixed) evalT(e, sharedEnv, t, shared);
    const rows: Mat = [];
    for (let i = 0; i < D; i++) {
      const values = new Map<string, Tensor>();
      let offset = 0;
      states.forEach((s, j) => {
        const u = tensor(g.nodes.get(s)!.shape);
        if (i >= offset && i < offset + sizes[j]!) u.data[i - offset] = 1;
        values.set(seeds[j]!, u);
        offset += sizes[j]!;
      });
      const env = withSteps(forwardEnv(g, fwd, values), T);
      const memo = new Map(shared);
      rows.push(states.flatMap((s) => [...evalT(back.get(s)!, env, t, memo).data]));
    }
    return rows;
  };
  const values: StateNorm[] = [];
  let J = identity(D);
  values.push({ k: T, spectral: 1, frobenius: frobenius(J) });
  for (let k = T - 1; k >= 0; k--) {
    J = matMul(J, rowsAt(k + 1));
    values.push({ k, spectral: spectralNorm(J), frobenius: frobenius(J) });
  }
  return { states, values: values.reverse() };
}

/** For each state s, the cotangent of s[t-1] from cotangents u_s of every state at step t, through step t's equations. */
function stepPullback(g: TGraph, phases: Phases, states: readonly string[]): Map<string, TExpr> {
  const cot = new Map<string, TExpr[]>(states.map((s) => [s, [tref(`\u0000u:${s}`, g.nodes.get(s)!.shape)]]));
  const result = new Map<string, TExpr[]>(states.map((s) => [s, []]));
  const isSeq = (name: string) => g.nodes.get(name)?.seq === true && !!g.nodes.get(name)?.def;
  for (const c of [...phases.seq].reverse()) {
    const list = cot.get(c);
    if (!list?.length) continue;
    const node = g.nodes.get(c)!;
    const out = tref(c, node.shape, { kind: 'rel', offset: 0 });
    for (const { ref, cot: piece } of pullback(node.def!, T.add(...list), out, (r) => !r.adjoint && isSeq(r.name) && r.step?.kind === 'rel')) {
      const offset = (ref.step as { offset: number }).offset;
      if (offset === 0) (cot.get(ref.name) ?? cot.set(ref.name, []).get(ref.name)!).push(piece);
      else if (offset === -1 && result.has(ref.name)) result.get(ref.name)!.push(piece);
    }
  }
  return new Map(states.map((s) => [s, T.add(T.zeros(g.nodes.get(s)!.shape), ...result.get(s)!)]));
}

/** Forward values by step, and the seed cotangents by name. */
function forwardEnv(g: TGraph, fwd: ForwardValues, seeds: ReadonlyMap<string, Tensor>): TEnv {
  return (r, t) => {
    const seed = seeds.get(r.name);
    if (seed) return seed;
    const node = g.nodes.get(r.name)!;
    if (!node.seq) return fwd.values.get(r.name)!;
    const s = r.step!.kind === 'abs' ? r.step!.step : t! + r.step!.offset;
    return s === 0 ? fwd.values.get(node.initial!)! : fwd.seq.get(r.name)![s - 1]!;
  };
}
