/**
 * Benchmark: the gradient of a 2-D convolution (`npx tsx bench/conv.ts`).
 * For inputs 4x4, 8x8, 16x16 and 28x28 and a 3x3 kernel (valid, stride 1):
 * Y = K * X, o = sigmoid(sum W (.) Y), E = 1/2 (z - o)^2, asking dE/dK.
 * Prints the forward and gradient DAG node counts (solution.sizes: distinct
 * Expr nodes, shared nodes counted once), their ratio (acceptance: gradient
 * <= 3 x forward), the node count of the scalar graph, the finite-difference
 * check, the layer-level check, and the median wall time of solve() from an
 * in-memory problem (parse + build + evaluate + differentiate + check).
 */
import { parseProblem } from '../src/problem/load.js';
import { solve } from '../src/derive/solve.js';

const SIZES = [4, 8, 16, 28];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MAX_RATIO = 3;

/** Deterministic values in [-1, 1) with one decimal: ((7r + 3c) mod 20 - 10) / 10. */
const grid = (h: number, w: number, salt: number): number[][] =>
  Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => (((7 * r + 3 * c + salt) % 20) - 10) / 10));

function problemText(n: number): string {
  const out = n - 2;
  return [
    `id: conv-${n}`,
    `title: conv ${n}x${n}`,
    'network:',
    '  kind: layers',
    `  input: {name: X, shape: [${n}, ${n}]}`,
    '  layers:',
    '    - {kind: conv2d, name: Y, kernel: {name: K, shape: [3, 3]}}',
    '    - {kind: dense, name: o, weights: {name: W}, activation: sigmoid}',
    '  loss: {kind: half-squared-error, target: z, name: E}',
    'given:',
    `  X: ${JSON.stringify(grid(n, n, 1))}`,
    `  K: ${JSON.stringify(grid(3, 3, 5))}`,
    // small output weights keep the sigmoid away from saturation at every size
    `  W: ${JSON.stringify(grid(out, out, 2).map((r) => r.map((v) => v / out)))}`,
    '  z: 1',
    'ask:',
    '  - gradient: {of: E, wrt: [K]}',
    '',
  ].join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const header = ['input', 'graph nodes', 'forward DAG', 'gradient DAG', 'gradient/forward', 'fd check', 'layer check', `median solve() ms (${RUNS} runs)`];
const rows: string[][] = [header];
let worst = 0;
for (const n of SIZES) {
  const text = problemText(n);
  let sol = solve(parseProblem(text, `conv-${n}.yaml`)); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    sol = solve(parseProblem(text, `conv-${n}.yaml`));
    times.push(performance.now() - t0);
  }
  const { forward, gradient } = sol.sizes;
  worst = Math.max(worst, gradient / forward);
  const lc = sol.report.layerCheck;
  rows.push([`${n}x${n}`, String(sol.graph.nodes.size), String(forward), String(gradient), (gradient / forward).toFixed(2),
    sol.check.passed ? `ok ${sol.check.maxRelError.toExponential(1)}` : 'FAILED',
    lc ? `${lc.maxRelError.toExponential(1)} (${lc.compared})` : '-', median(times).toFixed(1)]);
}

const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
console.log(`\nlargest gradient/forward ratio ${worst.toFixed(2)} (bound ${MAX_RATIO}): ${worst <= MAX_RATIO ? 'ok' : 'EXCEEDED'}`);
if (worst > MAX_RATIO) process.exitCode = 1;
