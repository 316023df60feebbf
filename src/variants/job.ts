/** Drawing and solving variants, in memory: everything that can fail on the input happens here, before any file is written. */
import { buildNetwork } from '../networks/registry.js';
import { givenShape } from '../input/bind-given.js';
import { locate, solve } from '../derive/solve.js';
import type { ProblemSpec } from '../problem/spec.js';
import { variantProblem, type SolvedVariant } from './answers.js';
import { drawVariants } from './generate.js';
import { parseVariants, type VariantsSpec } from './spec.js';

export interface VariantsRun {
  readonly spec: VariantsSpec;
  readonly variants: readonly SolvedVariant[];
}

/** Variants `from`..`to` of a problem with a `variants` section, solved. */
export function solveVariants(problem: ProblemSpec, seed: string, from: number, to: number, progress?: (done: number, total: number) => void): VariantsRun {
  const network = locate(problem, () => buildNetwork(problem.network, {
    problem,
    givenShape: (n) => { const v = problem.given.get(n)?.value; return v ? givenShape(v) : undefined; },
  }));
  const graph = network.graph;
  const spec = parseVariants(problem, graph, network.tensor ?? null);
  const drawn = drawVariants(problem, graph, spec, seed, from, to);
  const solvable = variantProblem(problem);
  const variants = drawn.map((d, i) => {
    progress?.(i, drawn.length);
    return { number: d.number, seedLabel: d.seedLabel, sol: solve(solvable, { given: d.overrides }) };
  });
  return { spec, variants };
}
