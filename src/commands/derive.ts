/** `gradsheet derive FILE --json`: the derivation's results on stdout (contract 6.1). */
import { loadProblem } from '../problem/read.js';
import { solve } from '../derive/solve.js';
import { deriveJson } from '../derive/json.js';
import { ProblemError } from '../errors.js';
import { parseArgs, applyBudgetFlags, BUDGET_FLAGS } from './args.js';

const HELP = `Usage: gradsheet derive FILE --json [--max-nodes N] [--scalar-check]

Prints values, gradients, closed forms, updates and the finite-difference
check of one problem as JSON. Exit 1 if the check fails, 2 on bad input.
A network written as tensor equations runs its scalar level (per-entry closed
forms and checks) while that stays under 20,000 nodes; --scalar-check runs it
up to the node budget (--max-nodes).`;

export function runDerive(args: string[]): number {
  const p = parseArgs(args, { json: false, help: false, ...BUDGET_FLAGS });
  applyBudgetFlags(p);
  if (p.flags.has('help')) { process.stdout.write(HELP + '\n'); return 0; }
  if (p.positional.length !== 1) throw new ProblemError('derive takes one problem file');
  if (!p.flags.has('json')) throw new ProblemError('derive prints JSON: add --json');
  const sol = solve(loadProblem(p.positional[0]!));
  process.stdout.write(JSON.stringify(deriveJson(sol), null, 2) + '\n');
  return sol.check.passed || sol.check.entries === 0 ? 0 : 1;
}
