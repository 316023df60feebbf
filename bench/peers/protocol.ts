/**
 * What a benchmark worker (one child process per tool, cell and round) reads
 * on stdin and writes on stdout. The parent kills a worker that runs past the
 * cell's time limit, so a worker never has to police its own time.
 */
import type { PeerJob } from '../problems.js';

/** The line a worker writes on stderr when its timed work starts. */
export const READY = 'GRADSHEET-BENCH-READY';

export type Tool = 'gradsheet' | 'gradsheet+check' | 'mathjs' | 'mathjs+simplify' | 'nerdamer' | 'sympy';

export interface WorkerJob {
  readonly tool: Tool;
  /** gradsheet: the problem text and its file name */
  readonly yaml?: string;
  readonly file?: string;
  /** peers: the equations */
  readonly peer?: PeerJob;
  /** stop repeating the work once this much wall time (ms) has been spent */
  readonly repeatBudgetMs: number;
  readonly maxRuns: number;
}

export interface Sizes {
  /** gradsheet: forward DAG nodes; peers: tree nodes of the inlined expression of `of` */
  readonly input: number;
  /** gradsheet: gradient DAG nodes; mathjs/nerdamer: tree nodes of the derivatives; sympy: nodes after cse */
  readonly result: number;
  /** sympy: tree nodes of the derivatives before cse */
  readonly raw?: number;
}

export type WorkerResult =
  | { readonly ok: true; readonly wallMs: readonly number[]; readonly cpuMs: readonly number[]; readonly sizes: Sizes; readonly values: readonly number[] }
  | { readonly ok: false; readonly error: string };
