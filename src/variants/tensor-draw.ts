/**
 * Judging one draw of a network written as tensor equations: the drawn
 * values become float64 leaves beside the problem's fixed ones (converted as
 * the engine converts them, so the values judged are the values solved), one
 * forward pass of the tensor graph runs, and the draw is tested for finite
 * values, for activations on their kinks, and against every `require` line.
 *
 * Kinks: grid values make exact ties common (z1 = 0.5*0.2 - 0.1 = 0), and in
 * float64 such a tie comes out as 1e-17 or -1e-17, on either side of the
 * kink: step(z1) would then be 1 where exact arithmetic gives step(0) = 0, and
 * the finite-difference check straddles the kink. So a draw is rejected when
 * any argument of an op with a kink (relu, step and abs at 0, a tie of max or
 * min, a max-pool tie) is within 1e-9 of it, exactly on it included: a
 * student's answer there would hang on a convention.
 */
import type { Rational } from '../expr/rational.js';
import { sizeOf, ttopo, type TExpr } from '../expr/tensor.js';
import type { TGraph } from '../expr/tensor-graph.js';
import { tensor, type Tensor } from '../expr/tensor-value.js';
import { evalT, forward, type ForwardValues, type TEnv } from '../numeric/tensor-eval.js';
import { TOPS } from '../ops/tensor-ops.js';
import { initNumbers } from '../input/initializer.js';
import type { GivenValue } from '../problem/spec.js';
import type { TensorNetwork } from '../networks/core/built.js';
import { scalarShape } from '../diff/scalar-level.js';
import { sideEnv } from './tensor-require.js';

/** Distance from a kink within which a value counts as on it. */
export const KINK_DISTANCE = 1e-9;

/** A given or drawn value as the leaf tensor the engine binds (tensor-network.ts: rationals rounded once to float64). */
export function leafTensor(g: TGraph, name: string, v: GivenValue): Tensor {
  const shape = scalarShape(g, g.nodes.get(name)!);
  switch (v.kind) {
    case 'array': return tensor(shape, Float64Array.from(v.values, (r: Rational) => r.toNumber()));
    case 'fill': return tensor(shape, new Float64Array(sizeOf(shape)).fill(v.value.toNumber()));
    case 'init': return tensor(shape, initNumbers(v));
  }
}

/** The leaves of one draw: the network's own (from `given`), the drawn ones replacing them. */
export function drawnLeaves(tn: TensorNetwork, drawn: ReadonlyMap<string, GivenValue>): Map<string, Tensor> {
  const leaves = new Map(tn.leaves);
  for (const [name, v] of drawn) leaves.set(name, leafTensor(tn.graph, name, v));
  return leaves;
}

/** The forward pass at these leaves (a missing leaf is the caller's input error: the forward pass throws it). */
export function forwardAt(tn: TensorNetwork, leaves: ReadonlyMap<string, Tensor>): ForwardValues {
  return forward(tn.graph, leaves, tn.phases);
}

export function allValuesFinite(fwd: ForwardValues): boolean {
  const finite = (t: Tensor) => t.data.every(Number.isFinite);
  for (const v of fwd.values.values()) if (!finite(v)) return false;
  for (const steps of fwd.seq.values()) if (!steps.every(finite)) return false;
  return true;
}

/** Nodes whose definition holds an op with a kink: the only ones that can sit on one. */
export function kinkedNodes(g: TGraph): string[] {
  return g.order.filter((name) => {
    const def = g.nodes.get(name)!.def;
    return def !== undefined && ttopo([def]).some((x) => x.kind === 'apply' && TOPS[x.op]?.kink !== undefined);
  });
}

/** The first node (and step) whose definition puts an op's argument within KINK_DISTANCE of its kink, or null. */
export function kinkAt(g: TGraph, fwd: ForwardValues, nodes: readonly string[]): string | null {
  const env = sideEnv(g, fwd);
  for (const name of nodes) {
    const n = g.nodes.get(name)!;
    const steps = n.seq ? Array.from({ length: g.steps! }, (_, i) => i + 1) : [null];
    for (const t of steps) if (onKink(n.def!, t, env, g.steps ?? 0)) return t === null ? name : `${name}[${t}]`;
  }
  return null;
}

/** Values rounded to the grid of KINK_DISTANCE: a tie or a zero up to float rounding becomes exact, where the ops' kink tests look. */
function snapped(t: Tensor): Tensor {
  const out = tensor(t.shape);
  for (let i = 0; i < t.data.length; i++) out.data[i] = Math.round(t.data[i]! / KINK_DISTANCE) * KINK_DISTANCE;
  return out;
}

function onKink(def: TExpr, t: number | null, env: TEnv, steps: number): boolean {
  const memo = new Map<number, Tensor>();
  let found = false;
  const visit = (e: TExpr): Tensor => {
    const hit = memo.get(e.id);
    if (hit) return hit;
    let v: Tensor;
    if (e.kind !== 'apply') v = evalT(e, env, t);
    else if (e.op === 'atStep') v = evalT(e, env, t);
    else if (e.op === 'sumT') {
      // the body at every step, each for its own kinks
      for (let s = 1; s <= steps && !found; s++) if (onKink(e.args[0]!, s, env, steps)) found = true;
      v = evalT(e, env, t);
    } else {
      const args = e.args.map(visit);
      const spec = TOPS[e.op]!;
      if (spec.kink?.(args.map(snapped), e.attrs)) found = true;
      v = spec.eval(args, e.attrs, e.shape);
    }
    memo.set(e.id, v);
    return v;
  };
  visit(def);
  return found;
}
