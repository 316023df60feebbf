/**
 * The tensor level at the sizes users meet: `npx tsx bench/tensor.ts [--quick]`.
 *
 * 1. `derive --json` as a whole process (node bin/gradsheet.js, checks
 *    included): an MLP 784-128-10 with softmax and cross-entropy, its weights
 *    from seeded initializers and, separately, written out in the YAML; a
 *    tanh RNN (softmax, cross-entropy, input 4, hidden 64, output 3) over 10,
 *    50, 100, 200 and 400 steps; an LSTM with hidden 32 over 50 steps.
 * 2. In process, side by side in one run: gradsheet's tensor backward pass
 *    (adjoints evaluated from the forward values) against a hand-written
 *    NumPy forward and backward of the same network and values
 *    (bench/peers/numpy_tensor.py, timing its own loop).
 * 3. The gradient graph against the forward graph (tensor DAG nodes).
 *
 * NumPy runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (this machine
 * sets both, which slows a current NumPy; DESIGN.md), in its own command only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProblem } from '../src/problem/read.js';
import { solve } from '../src/derive/solve.js';
import { evaluateAdjoints } from '../src/numeric/tensor-adjoint-eval.js';
import { machine } from './machine.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 1 : 5;
const ROOT = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'gradsheet-bench-tensor-'));

/** Deterministic values on a grid of 0.001 in (-a, a). */
function values(n: number, seed: number, a: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return Math.round(((s / 2 ** 32) * 2 - 1) * a * 1000) / 1000;
  });
}
const rows = (v: number[], cols: number) => Array.from({ length: v.length / cols }, (_, i) => `[${v.slice(i * cols, (i + 1) * cols).join(', ')}]`).join(', ');
const oneHot = (k: number, n: number) => `[${Array.from({ length: n }, (_, i) => (i === k ? 1 : 0)).join(', ')}]`;

function mlp(written: boolean): string {
  const given = written
    ? [
      `  x: [${values(784, 1, 1).map(Math.abs).join(', ')}]`,
      `  W1: [${rows(values(128 * 784, 2, 0.05), 784)}]`,
      `  b1: [${values(128, 3, 0.01).join(', ')}]`,
      `  W2: [${rows(values(10 * 128, 4, 0.2), 128)}]`,
      `  b2: [${values(10, 5, 0.01).join(', ')}]`,
    ]
    : [
      '  x: {uniform: [0, 1], shape: [784], seed: 1, step: 0.001}',
      '  W1: {normal: [0, 0.05], shape: [128, 784], seed: 2, step: 0.001}',
      '  b1: {uniform: [-0.01, 0.01], shape: [128], seed: 3, step: 0.001}',
      '  W2: {normal: [0, 0.1], shape: [10, 128], seed: 4, step: 0.001}',
      '  b2: {uniform: [-0.01, 0.01], shape: [10], seed: 5, step: 0.001}',
    ];
  return `id: bench-mlp
title: MLP 784-128-10
network:
  kind: equations
  equations:
    z1: W1 @ x + b1
    h: relu(z1)
    z2: W2 @ h + b2
    p: softmax(z2)
    E: -sum(t * log(p))
  targets: [t]
given:
${given.join('\n')}
  t: ${oneHot(3, 10)}
ask:
  - gradient: {of: E, wrt: [W1, b1, W2, b2]}
`;
}

function rnn(T: number, H = 64): string {
  return `id: bench-rnn
title: tanh RNN, hidden ${H}, ${T} steps
network:
  kind: equations
  steps: ${T}
  equations:
    z[t]: Wh @ h[t-1] + Wx @ x[t] + b
    h[t]: tanh(z[t])
    y[t]: softmax(Wy @ h[t] + c)
    e[t]: -sum(l[t] * log(y[t]))
    E: sum_t(e[t])
  targets: [l]
  shapes: {h0: [${H}]}
given:
  x: {uniform: [-1, 1], shape: [${T}, 4], seed: 1, step: 0.01}
  l: [${Array.from({ length: T }, (_, t) => oneHot(t % 3, 3)).join(', ')}]
  h0: {fill: 0}
  Wh: {normal: [0, ${(0.9 / Math.sqrt(H)).toFixed(3)}], shape: [${H}, ${H}], seed: 2, step: 0.0001}
  Wx: {normal: [0, 0.3], shape: [${H}, 4], seed: 3, step: 0.0001}
  b: {uniform: [-0.1, 0.1], shape: [${H}], seed: 4, step: 0.001}
  Wy: {normal: [0, 0.2], shape: [3, ${H}], seed: 5, step: 0.0001}
  c: {uniform: [-0.1, 0.1], shape: [3], seed: 6, step: 0.001}
ask:
  - gradient: {of: E, wrt: [Wh, Wx, b, Wy, c]}
`;
}

function lstm(T: number, H = 32, I = 4): string {
  const gate = (n: string, k: number) => `  W${n}: {normal: [0, ${(0.5 / Math.sqrt(H + I)).toFixed(3)}], shape: [${H}, ${H + I}], seed: ${k}, step: 0.0001}\n  b${n}: {uniform: [-0.1, 0.1], shape: [${H}], seed: ${k + 10}, step: 0.001}`;
  return `id: bench-lstm
title: LSTM, hidden ${H}, ${T} steps
network:
  kind: equations
  steps: ${T}
  equations:
    a[t]: concat(h[t-1], x[t])
    f[t]: sigmoid(Wf @ a[t] + bf)
    i[t]: sigmoid(Wi @ a[t] + bi)
    o[t]: sigmoid(Wo @ a[t] + bo)
    g[t]: tanh(Wg @ a[t] + bg)
    c[t]: f[t] * c[t-1] + i[t] * g[t]
    h[t]: o[t] * tanh(c[t])
    E: sum_t(sum((h[t] - y[t])^2)) / 2
  targets: [y]
  shapes: {h0: [${H}], c0: [${H}]}
given:
  x: {uniform: [-1, 1], shape: [${T}, ${I}], seed: 1, step: 0.01}
  y: {uniform: [-0.5, 0.5], shape: [${T}, ${H}], seed: 2, step: 0.01}
  h0: {fill: 0}
  c0: {fill: 0}
${gate('f', 3)}
${gate('i', 4)}
${gate('o', 5)}
${gate('g', 6)}
ask:
  - gradient: {of: E, wrt: [Wf, Wi, Wo, Wg, bf, bi, bo, bg]}
`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time of `derive --json` as a whole process, median of RUNS; the check must pass. */
function deriveProcess(name: string, text: string): number {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'gradsheet.js'), 'derive', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${name}: derive exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

/** In process: the tensor backward pass alone (adjoints from forward values), and the whole solve, median of RUNS. */
function inProcess(text: string, name: string): { backward: number; solve: number; forward: number; gradient: number; sol: ReturnType<typeof solve> } {
  const file = join(dir, `${name}-in.yaml`);
  writeFileSync(file, text);
  const problem = loadProblem(file);
  let sol = solve(problem, { skipCheck: true }); // warm up
  const solves: number[] = [], backs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    sol = solve(problem, { skipCheck: true });
    solves.push(performance.now() - t0);
    const ts = sol.tensor!;
    const t1 = performance.now();
    for (const p of ts.passes) evaluateAdjoints(ts.network.graph, ts.network.phases, ts.forward, p.forms.forms);
    backs.push(performance.now() - t1);
  }
  return { backward: median(backs), solve: median(solves), forward: sol.sizes.forward, gradient: sol.sizes.gradient, sol };
}

/** NumPy's forward + backward of the same network and values, timed in its own loop (ms per iteration). */
function numpy(kind: 'mlp' | 'rnn', sol: ReturnType<typeof solve>): number | null {
  const ts = sol.tensor!;
  const data: Record<string, { shape: readonly number[]; data: number[] }> = {};
  for (const [k, v] of ts.network.leaves) data[k] = { shape: v.shape, data: [...v.data] };
  const json = join(dir, `${kind}-leaves.json`);
  writeFileSync(json, JSON.stringify(data));
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync('python3', [join(import.meta.dirname, 'peers', 'numpy_tensor.py'), kind, json, String(quick ? 20 : 200)], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  if (r.status !== 0) { process.stderr.write(`numpy: ${r.stderr}\n`); return null; }
  const out = JSON.parse(r.stdout) as { ms: number; grads: Record<string, number[]> };
  // the same numbers, or the comparison means nothing
  const g = ts.gradients;
  for (const [name, vals] of Object.entries(out.grads)) {
    const mine = g.find((x) => x.wrt === name)!.value.data;
    const worst = vals.reduce((m, v, i) => Math.max(m, Math.abs(v - mine[i]!) / Math.max(1, Math.abs(v))), 0);
    if (!(worst < 1e-9)) throw new Error(`numpy and gradsheet disagree on ${name}: ${worst}`);
  }
  return out.ms;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const m = machine();
console.log(`# Tensor level benchmark\n\n${m.date}; ${m.cpu}; ${m.cores} cores; Node ${m.node}; ${m.python}; commit ${m.commit}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}; median of ${RUNS}\n`);

console.log('| derive --json, whole process, checks included | time | target |\n| --- | --- | --- |');
console.log(`| MLP 784-128-10, weights from seeded initializers | ${fmt(deriveProcess('mlp-init', mlp(false)))} | < 1 s |`);
console.log(`| MLP 784-128-10, every weight written out in the YAML (${(mlp(true).length / 1e6).toFixed(1)} MB) | ${fmt(deriveProcess('mlp-written', mlp(true)))} | none (YAML parsing) |`);
const rnnTimes = new Map<number, number>();
for (const T of quick ? [10, 100] : [10, 50, 100, 200, 400]) rnnTimes.set(T, deriveProcess(`rnn-${T}`, rnn(T)));
for (const [T, ms] of rnnTimes) console.log(`| tanh RNN, hidden 64, ${T} steps | ${fmt(ms)} | ${T === 100 ? '< 1 s' : ''} |`);
console.log(`| LSTM, hidden 32, 50 steps | ${fmt(deriveProcess('lstm-50', lstm(50)))} | < 1.5 s |`);
if (!quick) {
  const d = (a: number, b: number) => rnnTimes.get(a)! - rnnTimes.get(b)!;
  // Per step: time linear in T has the same cost per added step from 200 to 400 as from 100 to 200.
  // (Read literally, T(400) - T(200) <= 1.3 x (T(200) - T(100)) compares 200 added steps with 100 and
  // would need time that grows slower than the steps; the per-step reading is printed beside it.)
  const perStep = (a: number, b: number) => d(a, b) / (a - b);
  console.log(`\nLinear in the steps: per added step, ${(perStep(200, 100)).toFixed(2)} ms from 100 to 200 steps and ${(perStep(400, 200)).toFixed(2)} ms from 200 to 400, a ratio of ${(perStep(400, 200) / perStep(200, 100)).toFixed(2)} (target: at most 1.3). Literally: T(400) - T(200) = ${fmt(d(400, 200))} against 1.3 x (T(200) - T(100)) = ${fmt(1.3 * d(200, 100))}.`);
}

console.log('\n| in process | gradsheet tensor backward | gradsheet solve (no check) | NumPy forward + backward | ratio backward / NumPy | gradient / forward DAG |\n| --- | --- | --- | --- | --- | --- |');
for (const [kind, text] of [['mlp', mlp(false)], ['rnn', rnn(100)]] as const) {
  const r = inProcess(text, kind);
  const np = numpy(kind, r.sol);
  console.log(`| ${kind === 'mlp' ? 'MLP 784-128-10' : 'RNN hidden 64, 100 steps'} | ${r.backward.toFixed(2)} ms | ${fmt(r.solve)} | ${np === null ? 'n/a' : `${np.toFixed(2)} ms`} | ${np === null ? '' : `${(r.backward / np).toFixed(1)}x`} | ${r.gradient} / ${r.forward} = ${(r.gradient / r.forward).toFixed(2)} |`);
}

