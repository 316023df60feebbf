/**
 * `npx tsx bench/check.ts`: time per `check` over the hand-written cases of test/check/case-list.ts.
 * Prints the median and the worst time of one check against a prepared problem (the derivative solved
 * once, as when a class's answers are checked) and of a cold check (load, solve and check, as one
 * `gradsheet check` call does after start-up).
 */
import { performance } from 'node:perf_hooks';
import { loadProblem } from '../src/problem/read.js';
import { prepareCheck, type CheckContext } from '../src/check/context.js';
import { checkAnswer } from '../src/check/check.js';
import { correct, mistakes } from '../test/check/case-list.js';

const REPEATS = 5;
const cases = [...correct, ...mistakes];
const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * q))]!; };
const median = (xs: number[]) => quantile(xs, 0.5);
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

// cold: load + solve + check, each case once (first runs include JIT warm-up, as a real call would)
const cold: number[] = [];
for (const c of cases) {
  const t = performance.now();
  checkAnswer(prepareCheck(loadProblem(c.file), c.of, c.wrt), c.answer, { latex: c.latex });
  cold.push(performance.now() - t);
}

const contexts = new Map<string, CheckContext>();
const ctxOf = (c: (typeof cases)[number]) => {
  const k = `${c.file}|${c.of}|${c.wrt}`;
  if (!contexts.has(k)) contexts.set(k, prepareCheck(loadProblem(c.file), c.of, c.wrt));
  return contexts.get(k)!;
};
const warm: Array<{ name: string; ms: number; ops: number }> = [];
for (let r = 0; r < REPEATS; r++) {
  for (const c of cases) {
    const ctx = ctxOf(c);
    const t = performance.now();
    const res = checkAnswer(ctx, c.answer, { latex: c.latex });
    warm.push({ name: c.name, ms: performance.now() - t, ops: res.ops });
  }
}
const worst = warm.reduce((a, b) => (b.ms > a.ms ? b : a));
console.log(`check over ${cases.length} cases (${correct.length} correct, ${mistakes.length} mistakes), ${REPEATS} rounds`);
console.log(`  prepared problem: median ${fmt(median(warm.map((w) => w.ms)))}, 95th percentile ${fmt(quantile(warm.map((w) => w.ms), 0.95))}, worst ${fmt(worst.ms)} (${worst.name}, ${worst.ops} operations)`);
console.log(`  cold (load + solve + check): median ${fmt(median(cold))}, worst ${fmt(Math.max(...cold))}`);
console.log(`  operations per check: median ${median(warm.map((w) => w.ops))}, most ${Math.max(...warm.map((w) => w.ops))}`);
