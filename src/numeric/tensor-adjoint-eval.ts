/**
 * The values of the backward pass at the tensor level: the adjoints outside
 * time that read the end of a sequence (delta_p of a many-to-one loss), then
 * every sequence adjoint from the last step back to the first, then the
 * gradients of the weights, which sum over the steps. Each step evaluates
 * the form that holds there: at t = T an adjoint read past the last step is
 * zero; a term read at a fixed step counts at that step only.
 */
import { trefsOf, type TExpr } from '../expr/tensor.js';
import type { TGraph, Phases } from '../expr/tensor-graph.js';
import { tensor, type Tensor } from '../expr/tensor-value.js';
import { atInnerStep, atLastStep, atSpecialStep, fixedSteps } from '../ops/tensor-rebuild.js';
import { evalT, withSteps, type ForwardValues, type TEnv } from './tensor-eval.js';

export interface AdjointValues {
  readonly values: ReadonlyMap<string, Tensor>;
  readonly seq: ReadonlyMap<string, readonly Tensor[]>;
}

/** The forms of a sequence adjoint that hold at each kind of step. */
export interface StepCases {
  readonly last: TExpr;
  readonly inner: TExpr;
  readonly special: ReadonlyMap<number, TExpr>;
}

export function stepCases(e: TExpr, steps: number): StepCases {
  const special = new Map<number, TExpr>();
  for (const j of fixedSteps(e)) if (j !== steps) special.set(j, atSpecialStep(e, j));
  return { last: atLastStep(e, steps), inner: atInnerStep(e), special };
}

export function evaluateAdjoints(g: TGraph, phases: Phases, fwd: ForwardValues, forms: ReadonlyMap<string, TExpr>): AdjointValues {
  const values = new Map<string, Tensor>();
  const seq = new Map<string, Tensor[]>();
  const steps = g.steps ?? 0;
  const env: TEnv = withSteps((r, t) => {
    const node = g.nodes.get(r.name)!;
    if (r.adjoint) {
      if (!node.seq) return values.get(r.name) ?? missing(`delta_${r.name}`);
      const s = r.step!.kind === 'abs' ? r.step!.step : t! + r.step!.offset;
      if (s > steps || s < 1) return tensor(node.shape);
      return seq.get(r.name)?.[s - 1] ?? missing(`delta_${r.name}[${s}]`);
    }
    if (!node.seq) return fwd.values.get(r.name) ?? missing(r.name);
    const s = r.step!.kind === 'abs' ? r.step!.step : t! + r.step!.offset;
    if (s === 0) return fwd.values.get(node.initial!) ?? missing(node.initial!);
    if (s > steps) throw new Error(`internal error: ${r.name} read at step ${s} past the last`);
    return fwd.seq.get(r.name)![s - 1]!;
  }, g.steps);

  const afterSet = new Set(phases.after);
  const kept = [...forms.keys()];
  const afterNames = [...phases.after].reverse().filter((n) => forms.has(n));
  for (const name of afterNames) values.set(name, evalT(forms.get(name)!, env, null));

  const seqNames = sameStepOrder(kept.filter((n) => g.nodes.get(n)?.seq), forms);
  if (seqNames.length) {
    const cases = new Map(seqNames.map((n) => [n, stepCases(forms.get(n)!, steps)]));
    for (const n of seqNames) seq.set(n, new Array<Tensor>(steps));
    for (let t = steps; t >= 1; t--) {
      const memo = new Map<number, Tensor>();
      for (const n of seqNames) {
        const c = cases.get(n)!;
        const e = t === steps ? c.last : c.special.get(t) ?? c.inner;
        seq.get(n)![t - 1] = evalT(e, env, t, memo);
      }
    }
  }
  // gradients of weights and leaves, and adjoints of nodes before the sequences
  for (const name of [...g.order].reverse()) {
    if (!forms.has(name) || afterSet.has(name) || g.nodes.get(name)!.seq) continue;
    values.set(name, evalT(forms.get(name)!, env, null));
  }
  return { values, seq };
}

/** Sequence adjoints in an order where each comes after those it reads at the same step. */
function sameStepOrder(names: readonly string[], forms: ReadonlyMap<string, TExpr>): string[] {
  const set = new Set(names);
  const deps = new Map(names.map((n) => [n, [...new Set(trefsOf(forms.get(n)!).filter((r) => r.adjoint && set.has(r.name) && r.name !== n && r.step?.kind === 'rel' && r.step.offset === 0).map((r) => r.name))]]));
  const out: string[] = [];
  const state = new Map<string, number>();
  const visit = (n: string): void => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) throw new Error(`internal error: adjoints read each other at one step (${n})`);
    state.set(n, 1);
    for (const d of deps.get(n)!) visit(d);
    state.set(n, 2);
    out.push(n);
  };
  names.forEach(visit);
  return out;
}

function missing(name: string): never {
  throw new Error(`internal error: ${name} has no value`);
}
