/**
 * The side-by-side table: every problem (cell row) timed in every tool, in
 * rounds that alternate the tools (the order rotates each round), each run in
 * its own child process. A cell's time is the median over rounds of each
 * run's own median; a tool that runs out of time at one size is not started
 * at the larger sizes of the same family (the work only grows with the size).
 */
import type { BenchProblem } from './problems.js';
import type { Sizes, Tool, WorkerJob } from './peers/protocol.js';
import { runInChild } from './spawn.js';

export const TOOLS: readonly Tool[] = ['gradsheet', 'gradsheet+check', 'mathjs', 'mathjs+simplify', 'nerdamer', 'sympy'];

export interface CellResult {
  readonly tool: Tool;
  /** median wall / CPU ms over rounds, null when the tool did not finish */
  readonly wallMs: number | null;
  readonly cpuMs: number | null;
  readonly rounds: number;
  readonly sizes: Sizes | null;
  readonly values: readonly number[] | null;
  /** why there is no time: `> 60 s`, an error, or "not run" */
  readonly failure: string | null;
  readonly timeout: boolean;
}

export interface RowResult {
  readonly problem: BenchProblem;
  readonly cells: ReadonlyMap<Tool, CellResult>;
}

export interface CellOptions {
  readonly rounds: number;
  readonly limitMs: number;
  readonly tools: readonly Tool[];
  /** per run: repeat the work while this much time is left (ms), at most maxRuns times */
  readonly repeatBudgetMs: number;
  readonly maxRuns: number;
  readonly log: (line: string) => void;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function runRows(problems: readonly BenchProblem[], opts: CellOptions): Promise<RowResult[]> {
  const gaveUp = new Map<string, string>(); // `${family}|${tool}` -> label of the size where it ran out
  const rows: RowResult[] = [];
  for (const p of problems) {
    const walls = new Map<Tool, number[]>(), cpus = new Map<Tool, number[]>();
    const last = new Map<Tool, { sizes: Sizes; values: readonly number[] }>();
    const failed = new Map<Tool, { why: string; timeout: boolean }>();
    for (const t of opts.tools) {
      const at = gaveUp.get(`${p.family}|${t}`);
      if (at) failed.set(t, { why: `not run (> ${opts.limitMs / 1000} s at ${at})`, timeout: true });
    }
    for (let r = 0; r < opts.rounds; r++) {
      const order = rotate(opts.tools, r);
      for (const tool of order) {
        if (failed.has(tool)) continue;
        const job: WorkerJob = {
          tool, repeatBudgetMs: opts.repeatBudgetMs, maxRuns: opts.maxRuns,
          ...(tool.startsWith('gradsheet') ? { yaml: p.yaml, file: `${p.family}-${p.size}.yaml` } : { peer: p.peer }),
        };
        const out = await runInChild(job, opts.limitMs);
        if (!out.ok) {
          const timeout = 'timeout' in out;
          failed.set(tool, { why: out.error, timeout });
          if (timeout) gaveUp.set(`${p.family}|${tool}`, p.label);
          opts.log(`  ${p.family} ${p.label} ${tool}: ${out.error}`);
          continue;
        }
        (walls.get(tool) ?? walls.set(tool, []).get(tool)!).push(median(out.wallMs));
        (cpus.get(tool) ?? cpus.set(tool, []).get(tool)!).push(median(out.cpuMs));
        last.set(tool, { sizes: out.sizes, values: out.values });
        opts.log(`  ${p.family} ${p.label} round ${r + 1} ${tool}: ${median(out.wallMs).toFixed(1)} ms wall, ${median(out.cpuMs).toFixed(1)} ms CPU`);
      }
    }
    const cells = new Map<Tool, CellResult>();
    for (const tool of opts.tools) {
      const f = failed.get(tool), w = walls.get(tool), c = cpus.get(tool), l = last.get(tool);
      // A tool that finished some rounds and then failed keeps its failure: the row must say so.
      cells.set(tool, {
        tool, rounds: w?.length ?? 0,
        wallMs: f || !w ? null : median(w), cpuMs: f || !c ? null : median(c),
        sizes: l?.sizes ?? null, values: l?.values ?? null,
        failure: f?.why ?? null, timeout: f?.timeout ?? false,
      });
    }
    rows.push({ problem: p, cells });
  }
  return rows;
}

function rotate<T>(xs: readonly T[], by: number): T[] {
  const k = by % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

/** Largest relative difference between two value lists, |a - b| / |b| (b the reference side). */
export function relDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    const d = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(y), Number.MIN_VALUE);
    if (!(d <= worst)) worst = d;
  });
  return worst;
}

export const AGREE = 1e-9;

/**
 * The row's correctness verdict: every tool that finished against gradsheet (1e-9 relative), and
 * gradsheet against the dual-number reference; a disagreement names the tool the reference contradicts.
 */
export function verdict(row: RowResult): { ok: boolean; text: string; worst: number } {
  const gs = row.cells.get('gradsheet')?.values ?? row.cells.get('gradsheet+check')?.values;
  const ref = row.problem.reference;
  if (!gs) return { ok: false, text: 'gradsheet gave no value', worst: Infinity };
  const wrong: string[] = [];
  const gsRef = relDiff(gs, ref);
  let worst = gsRef;
  if (gsRef > AGREE) wrong.push(`gradsheet (${gsRef.toExponential(1)} from the reference)`);
  for (const [tool, c] of row.cells) {
    if (!c.values || tool === 'gradsheet') continue;
    const d = relDiff(c.values, gs);
    worst = Math.max(worst, d);
    if (d > AGREE) {
      const dr = relDiff(c.values, ref);
      wrong.push(dr > AGREE ? `${tool} wrong (${dr.toExponential(1)} from the reference)` : `${tool} differs from gradsheet by ${d.toExponential(1)}; the reference sides with ${tool}`);
    }
  }
  // `worst`: the largest relative difference among gradsheet vs reference and every tool vs gradsheet
  return wrong.length ? { ok: false, text: wrong.join('; '), worst } : { ok: true, text: `agree (${worst.toExponential(0)})`, worst };
}
