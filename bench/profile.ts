/**
 * Hot spots of gradsheet's cell work: `node --cpu-prof --import tsx bench/profile.ts FAMILY SIZE [RUNS]`
 * repeats parseProblem + solve (skipCheck) on one benchmark problem, then
 * `npx tsx bench/profile-summary.ts PROFILE.cpuprofile` lists the functions by self and total time.
 * Set CHECK=1 to include the finite-difference check, BENCH_WRT=w,u,v for the RNN's three gradients.
 */
import { clearInternTable } from '../src/expr/expr.js';
import { parseProblem } from '../src/problem/load.js';
import { solve } from '../src/derive/solve.js';
import { chainProblem, convProblem, rnnProblem } from './problems.js';

const [family = 'rnn', sizeText = '50', runsText = '20'] = process.argv.slice(2);
const size = Number(sizeText);
const wrt = (process.env.BENCH_WRT?.split(',') ?? ['w']) as Array<'w' | 'u' | 'v'>;
const p = family === 'chain' ? chainProblem(size) : family === 'conv' ? convProblem(size) : rnnProblem(size, wrt);
const wall: number[] = [], cpu: number[] = [];
for (let i = 0; i < Number(runsText); i++) {
  clearInternTable();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  solve(parseProblem(p.yaml, `${family}-${size}.yaml`), { skipCheck: process.env.CHECK !== '1' });
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const stats = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return `median ${s[s.length >> 1]!.toFixed(2)} ms, min ${s[0]!.toFixed(2)} ms`; };
console.log(`${family} ${p.label} over ${wall.length} runs: wall ${stats(wall)}; CPU ${stats(cpu)}`);
