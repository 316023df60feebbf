/**
 * Where gradsheet's time goes: `npx tsx bench/stages.ts [RUNS]` profiles
 * parseProblem + solve (no check) on one small and one large problem of each
 * family with V8's sampling profiler (node:inspector) and prints the share of
 * each stage (inclusive time of the functions named below).
 */
import { Session } from 'node:inspector/promises';
import { clearInternTable } from '../src/expr/expr.js';
import { parseProblem } from '../src/problem/load.js';
import { solve } from '../src/derive/solve.js';
import { chainProblem, convProblem, rnnProblem, type BenchProblem } from './problems.js';
import { markdown, plain } from './table.js';

/** stage -> function names whose inclusive time it is (the first match on a stack, innermost wins) */
const STAGES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['YAML + validation', ['parseProblem']],
  ['graph build', ['buildNetwork', 'bindGiven']],
  ['forward values', ['evaluateGraph']],
  ['exact values', ['evaluateGraphExact', 'exactOf']],
  ['reverse pass', ['reverseAccumulate']],
  ['closed-form simplification', ['simplify']],
  ['closed forms (naming, inlining)', ['closedForms']],
  ['adjoint values', ['evalExpr']],
  ['graph sizes', ['graphSizes', 'forwardSize']],
];

interface CpuProfileNode { id: number; callFrame: { functionName: string }; children?: number[] }
interface CpuProfile { nodes: CpuProfileNode[]; samples: number[]; timeDeltas: number[] }

const runs = Number(process.argv[2] ?? 30);
const problems: BenchProblem[] = [chainProblem(5), chainProblem(50), rnnProblem(5), rnnProblem(50), convProblem(3), convProblem(16)];
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });

const rows: string[][] = [['problem', 'ms per solve (under the profiler)', ...STAGES.map(([s]) => s), 'other']];
for (const p of problems) {
  for (let i = 0; i < 5; i++) solve(parseProblem(p.yaml, 'warm.yaml'), { skipCheck: true }); // JIT warm-up
  await session.post('Profiler.start');
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    clearInternTable();
    solve(parseProblem(p.yaml, `${p.family}.yaml`), { skipCheck: true });
  }
  const ms = (performance.now() - t0) / runs;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  const share = stageShares(profile);
  rows.push([`${p.family} ${p.label}`, ms.toFixed(2), ...STAGES.map(([s]) => pct(share.get(s) ?? 0)), pct(share.get('other') ?? 0)]);
}
session.disconnect();
console.log(plain(rows));
if (process.argv.includes('--markdown')) console.log(`\n${markdown(rows)}`);

function pct(x: number): string { return `${(100 * x).toFixed(0)}%`; }

/** Fraction of the samples inside the solve loop charged to each stage (innermost named stage on the stack). */
function stageShares(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<string, string>();
  for (const [s, fns] of STAGES) for (const f of fns) stageOf.set(f, s);
  const out = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    let stage: string | null = null, inSolve = false;
    for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
      const name = byId.get(k)!.callFrame.functionName;
      if (stage === null && stageOf.has(name)) stage = stageOf.get(name)!;
      if (name === 'solve' || name === 'parseProblem') inSolve = true;
    }
    if (!inSolve) return; // idle, GC outside, the profiler itself
    total += dt;
    const s = stage ?? 'other';
    out.set(s, (out.get(s) ?? 0) + dt);
  });
  for (const [k, v] of out) out.set(k, v / total);
  return out;
}
