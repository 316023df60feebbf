/**
 * Benchmark: sigmoid chains of depth 5, 10, 20, 50 (`npx tsx bench/chain.ts`).
 * For each depth, the forward and gradient DAG node counts (solution.sizes:
 * distinct Expr nodes, shared nodes counted once) and the median wall time of
 * solve() from an in-memory problem (parseProblem + solve, finite-difference
 * check included), asking do/db1 alone and then every parameter.
 * The no-swell acceptance bound is gradient <= 3 x forward.
 */
import { parseProblem } from '../src/problem/load.js';
import { solve } from '../src/derive/solve.js';
import { deriveJson } from '../src/derive/json.js';
import { chainYaml } from '../test/helpers/chain.js';

const DEPTHS = [5, 10, 20, 50];
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function measure(text: string, file: string) {
  let sol = solve(parseProblem(text, file)); // warm-up (JIT, module init)
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    sol = solve(parseProblem(text, file));
    times.push(performance.now() - t0);
  }
  const forms = deriveJson(sol).closedForms.o as Record<string, string>;
  return { sol, ms: median(times), longest: Math.max(...Object.values(forms).map((f) => f.length)) };
}

const rows: string[][] = [['depth', 'ask', 'forward nodes', 'gradient nodes', 'gradient/forward', 'longest closed form (chars)', 'check', `median solve() ms (${RUNS} runs)`]];
for (const depth of DEPTHS) {
  const params = Array.from({ length: depth + 1 }, (_, i) => [`w${i + 1}`, `b${i + 1}`]).flat();
  for (const [label, wrt] of [['do/db1', ['b1']], [`all ${params.length}`, params]] as const) {
    const { sol, ms, longest } = measure(chainYaml(depth, wrt), `chain-${depth}.yaml`);
    const { forward, gradient } = sol.sizes;
    rows.push([String(depth), label, String(forward), String(gradient), (gradient / forward).toFixed(2), String(longest),
      sol.check.passed ? `ok ${sol.check.maxRelError.toExponential(1)}` : 'FAILED', ms.toFixed(2)]);
  }
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
console.log(line(rows[0]!));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
