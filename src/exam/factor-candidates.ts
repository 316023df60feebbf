/**
 * The factors a student most often leaves out of every entry of a matrix
 * answer: the derivatives of the network's activations, one per unit
 * (relu'(z1) = step(z1), sigmoid'(u) = s(1 - s), tanh'(u) = 1 - tanh(u)^2),
 * evaluated at the solution's values. For a network written as tensor
 * equations these are the nodes outside time defined as an elementwise
 * function of their input; the grader tries each along the rows and columns
 * of a wrong matrix (matrix-diagnosis.ts).
 */
import type { Solution } from '../derive/solve.js';
import { tref } from '../expr/tensor.js';
import { evalT } from '../numeric/tensor-eval.js';
import { isElementwiseFn, liftedDerivative } from '../ops/tensor-ops.js';
import { toTextT } from '../ops/tensor-print.js';
import { sideEnv } from '../variants/tensor-require.js';
import type { FactorCandidate } from './matrix-diagnosis.js';

const cache = new WeakMap<Solution, FactorCandidate[]>();

export function factorCandidates(sol: Solution): FactorCandidate[] {
  let out = cache.get(sol);
  if (!out) cache.set(sol, (out = compute(sol)));
  return out;
}

function compute(sol: Solution): FactorCandidate[] {
  const ts = sol.tensor;
  if (!ts) return [];
  const g = ts.network.graph;
  const env = sideEnv(g, ts.forward);
  const out: FactorCandidate[] = [];
  for (const name of g.order) {
    const n = g.nodes.get(name)!;
    const def = n.def;
    if (!def || n.seq || n.shape.length !== 1 || def.kind !== 'apply' || !isElementwiseFn(def.op)) continue;
    const u = def.args[0]!;
    const d = evalT(liftedDerivative(def.op, u, tref(name, n.shape)), env, null);
    const arg = toTextT(u);
    out.push({ label: def.op === 'relu' ? `relu'(${arg}) = step(${arg})` : `${def.op}'(${arg})`, values: d.data });
  }
  return out;
}
