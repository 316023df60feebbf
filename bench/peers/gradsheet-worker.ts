/**
 * gradsheet's cell: problem text -> parseProblem -> solve (closed forms and
 * values of every asked gradient), with or without the finite-difference check.
 */
import { clearInternTable } from '../../src/expr/expr.js';
import { parseProblem } from '../../src/problem/load.js';
import { solve, type Solution } from '../../src/derive/solve.js';
import { runWorker } from './harness.js';

runWorker<Solution>({
  run: (job) => solve(parseProblem(job.yaml!, job.file!), { skipCheck: job.tool === 'gradsheet' }),
  reset: clearInternTable,
  sizes: (sol) => ({ input: sol.sizes.forward, result: sol.sizes.gradient }),
  values: (sol) => {
    if (!sol.check.passed && sol.check.entries > 0) throw new Error(`finite-difference check failed (${sol.check.maxRelError})`);
    return sol.gradients.filter((g) => g.asked).flatMap((g) => g.entries.map((e) => e.value));
  },
});
