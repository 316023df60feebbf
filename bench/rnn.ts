/**
 * BPTT cost as the sequence grows: `npx tsx bench/rnn.ts [--quick] [--no-check]`.
 * For T = 5, 10, 20, 50, 100 and hidden sizes 3 and 8 (input 2, output 2,
 * tanh, softmax, cross-entropy, many-to-many, gradients of every parameter),
 * prints the time of solve() without the finite-difference check (build,
 * forward, reverse accumulation, closed forms, layer-level BPTT report) and
 * with it, the DAG node counts of the forward and gradient graphs
 * (solution.sizes) and the size of the printed closed forms. Expectations:
 * gradient nodes within 3x forward nodes; derivation time, nodes and
 * closed-form size growing linearly in T. (The check's time is superlinear:
 * its Ridders fallback, see the closing note of issue 4.)
 */
import { performance } from 'node:perf_hooks';
import { solve } from '../src/derive/solve.js';
import { deriveJson } from '../src/derive/json.js';
import { parseProblem } from '../src/problem/load.js';
import { clearInternTable } from '../src/expr/expr.js';

const quick = process.argv.includes('--quick');
const skipCheck = process.argv.includes('--no-check');
const STEPS = quick ? [5, 10, 20] : [5, 10, 20, 50, 100];
const HIDDEN = [3, 8];

/** Deterministic values in (-0.5, 0.5), so the problem text is the same on every run. */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.round((s / 2147483648 - 0.5) * 100) / 100;
  });
}
const rows = (v: number[], cols: number) => Array.from({ length: v.length / cols }, (_, i) => v.slice(i * cols, (i + 1) * cols));

function problem(T: number, H: number): string {
  const I = 2, O = 2;
  const target = Array.from({ length: T }, (_, t) => (t % 2 === 0 ? [1, 0] : [0, 1]));
  const given = {
    x: rows(values(T * I, 1), I), t: target, h0: { fill: 0 },
    W1: rows(values(H * I, 2), I), H1: rows(values(H * H, 3), H), b1: values(H, 4), W2: rows(values(O * H, 5), H), b2: values(O, 6),
  };
  return `id: bench-rnn
title: bench
network: {kind: rnn, mode: many-to-many, steps: ${T}, sizes: {input: ${I}, hidden: ${H}, output: ${O}}, hidden: tanh, output: softmax, loss: cross-entropy}
given: ${JSON.stringify(given)}
ask:
  - gradient: {of: E, wrt: [W1, H1, b1, W2, b2]}
`;
}

interface Row { H: number; T: number; derive: number; checked: number; forward: number; gradient: number; ratio: number; formChars: number; layer: number }
const results: Row[] = [];
// Warm the JIT up first, so that the smallest sizes measure the derivation and not the compiler.
for (let i = 0; i < 3; i++) solve(parseProblem(problem(5, 3), 'warm-up.yaml'));
for (const H of HIDDEN) {
  for (const T of STEPS) {
    clearInternTable();
    const spec = parseProblem(problem(T, H), `bench-T${T}-H${H}.yaml`);
    let t0 = performance.now();
    const sol = solve(spec, { skipCheck: true });
    const derive = performance.now() - t0;
    let checked = NaN;
    if (!skipCheck) {
      clearInternTable();
      t0 = performance.now();
      const full = solve(parseProblem(problem(T, H), `bench-T${T}-H${H}.yaml`));
      checked = performance.now() - t0;
      if (!full.check.passed) throw new Error(`finite-difference check failed at T=${T}, H=${H}`);
    }
    const json = deriveJson(sol);
    const formChars = JSON.stringify(json.closedForms).length + JSON.stringify(json.definitions ?? {}).length;
    results.push({ H, T, derive, checked, forward: sol.sizes.forward, gradient: sol.sizes.gradient, ratio: sol.sizes.gradient / sol.sizes.forward, formChars, layer: sol.report.layerCheck?.maxRelError ?? NaN });
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log('BPTT benchmark: solve() without the finite-difference check (derive) and with it (checked)');
console.log(`${pad('H', 3)} ${pad('T', 4)} ${pad('derive ms', 10)} ${pad('ms/T', 6)} ${pad('checked ms', 11)} ${pad('fwd nodes', 10)} ${pad('grad nodes', 11)} ${pad('grad/fwd', 9)} ${pad('form chars', 11)} ${pad('chars/T', 8)} ${pad('layer err', 10)}`);
for (const r of results) {
  console.log(`${pad(r.H, 3)} ${pad(r.T, 4)} ${pad(r.derive.toFixed(0), 10)} ${pad((r.derive / r.T).toFixed(1), 6)} ${pad(Number.isNaN(r.checked) ? '-' : r.checked.toFixed(0), 11)} ${pad(r.forward, 10)} ${pad(r.gradient, 11)} ${pad(r.ratio.toFixed(2), 9)} ${pad(r.formChars, 11)} ${pad(Math.round(r.formChars / r.T), 8)} ${pad(r.layer.toExponential(1), 10)}`);
}
const worst = Math.max(...results.map((r) => r.ratio));
console.log(`largest gradient/forward node ratio: ${worst.toFixed(2)} (${worst <= 3 ? 'within' : 'OVER'} 3x)`);
for (const H of HIDDEN) {
  const rs = results.filter((r) => r.H === H);
  const a = rs[rs.length - 2]!, b = rs[rs.length - 1]!;
  const checked = Number.isNaN(b.checked) ? '' : `, checked x${(b.checked / a.checked).toFixed(2)}`;
  console.log(`H=${H}: T ${a.T} -> ${b.T} (x${(b.T / a.T).toFixed(1)}): derive x${(b.derive / a.derive).toFixed(2)}${checked}, closed forms x${(b.formChars / a.formChars).toFixed(2)}, nodes x${(b.gradient / a.gradient).toFixed(2)}`);
}
