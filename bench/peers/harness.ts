/**
 * Shared loop of the JavaScript workers: read the job, run the work once
 * (cold: module JIT included), then repeat it while the repeat budget lasts,
 * resetting the tool's global state between runs (an intern table, nerdamer's
 * expression list) so a repeat does not profit from the previous one. The
 * reported times are the warm repeats when there are any, else the cold run.
 */
import { readFileSync } from 'node:fs';
import type { Sizes, WorkerJob, WorkerResult } from './protocol.js';
import { READY } from './protocol.js';

export interface Work<R> {
  run(job: WorkerJob): R;
  reset(): void;
  sizes(result: R): Sizes;
  values(result: R): number[];
}

export function readJob(): WorkerJob {
  return JSON.parse(readFileSync(0, 'utf8')) as WorkerJob;
}

function timed<R>(f: () => R): { result: R; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { result, wall, cpu: (c.user + c.system) / 1000 };
}

export function runWorker<R>(work: Work<R>): void {
  const job = readJob();
  let out: WorkerResult;
  process.stderr.write(`${READY}\n`); // the parent's time limit starts now
  try {
    const first = timed(() => work.run(job));
    const wall: number[] = [], cpu: number[] = [];
    let spent = first.wall;
    let last = first.result;
    while (spent < job.repeatBudgetMs && wall.length < job.maxRuns - 1) {
      work.reset();
      const r = timed(() => work.run(job));
      wall.push(r.wall); cpu.push(r.cpu);
      spent += r.wall;
      last = r.result;
    }
    if (wall.length === 0) { wall.push(first.wall); cpu.push(first.cpu); }
    out = { ok: true, wallMs: wall, cpuMs: cpu, sizes: work.sizes(last), values: work.values(last) };
  } catch (e) {
    out = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

/** Tree nodes of a tree whose subtrees may be shared objects, counted as a tree (every occurrence). */
export function treeSize<T extends object>(root: T, children: (n: T) => readonly T[]): number {
  const memo = new Map<T, number>();
  const size = (n: T): number => {
    let s = memo.get(n);
    if (s === undefined) {
      s = 1;
      for (const c of children(n)) s += size(c);
      memo.set(n, s);
    }
    return s;
  };
  return size(root);
}
