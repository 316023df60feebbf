/**
 * The Elman RNN (contract 2.5) is a shorthand: its spec becomes tensor
 * equations (equations.ts) that the generic engine derives, BPTT included;
 * the deltas of z and u (and z2) keep their names, as the seeds print them.
 * Its graph's elements are named as the contract names them (h[2,1] is unit 1
 * at step 2).
 */
import type { BuildContext, BuiltNetwork } from '../core/built.js';
import { buildTensorNetwork } from '../core/tensor-network.js';
import { rnnEquations } from './equations.js';
import { checkGiven } from './given-check.js';
import { registerLayout } from './layout.js';
import { buildReport } from './report.js';
import { PARAMETER_ROLES, type RnnSpec } from './spec.js';

export function buildRnn(spec: RnnSpec, ctx: BuildContext): BuiltNetwork {
  checkGiven(spec, ctx);
  const n = spec.names;
  const parameters = PARAMETER_ROLES.filter((r) => spec.roles.includes(r)).map((r) => n[r]);
  const built = buildTensorNetwork(rnnEquations(spec), ctx, { keepAdjoints: [n.z, n.u, ...(spec.stacked === 2 ? [n.z2] : []), ...parameters] });
  const layout = registerLayout(built.graph, spec, ctx.problem.symbols);
  return {
    ...built,
    parameters,
    loss: n.E,
    output: n.y,
    input: n.x,
    report: (sol) => buildReport(layout, sol),
  };
}
