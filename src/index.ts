/**
 * The library API: the command line is a thin layer over these.
 *
 *   const problem = loadProblem('problems/sigmoid-chain.yaml');
 *   const solution = solve(problem);
 *   deriveJson(solution).gradients.o.b1;          // 93750
 *   renderSheets(solution, { formats: ['tex', 'html'] }).files;
 */
export { parseProblem } from './problem/load.js';
export { loadProblem } from './problem/read.js';
export type { ProblemSpec, AskItem, GivenValue } from './problem/spec.js';
export { solve, type Solution, type GradientResult, type GradientEntry, type CheckReport } from './derive/solve.js';
export { deriveJson, type DeriveJson } from './derive/json.js';
export { renderSheets, type Format, type RenderOptions } from './render/index.js';
export { ProblemError, BudgetExceededError } from './errors.js';
export { main } from './cli.js';
