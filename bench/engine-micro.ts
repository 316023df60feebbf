/**
 * Engine stages timed apart, for A/B comparisons of engine changes:
 * `node --import tsx bench/engine-micro.ts [ROOT] FAMILY SIZE` times (CPU medians)
 * parseProblem, reverseAccumulate and the finite-difference check of every
 * asked entry on one benchmark problem (RNN: dE/dw, dE/du, dE/dv), importing the engine
 * from ROOT (a checkout; default this one), so two checkouts can be run alternately.
 */
import { join } from 'node:path';
import type { BenchProblem } from './problems.js';

const args = process.argv.slice(2);
const root = args.length === 3 ? args.shift()! : join(import.meta.dirname, '..');
const [family = 'rnn', sizeText = '200'] = args;
const size = Number(sizeText);

interface Engine {
  parseProblem: typeof import('../src/problem/load.js').parseProblem;
  solve: typeof import('../src/derive/solve.js').solve;
  reverseAccumulate: typeof import('../src/diff/reverse.js').reverseAccumulate;
  finiteDifference: typeof import('../src/numeric/gradcheck.js').finiteDifference;
}
const engine: Engine = {
  ...(await import(join(root, 'src/problem/load.ts')) as Pick<Engine, 'parseProblem'>),
  ...(await import(join(root, 'src/derive/solve.ts')) as Pick<Engine, 'solve'>),
  ...(await import(join(root, 'src/diff/reverse.ts')) as Pick<Engine, 'reverseAccumulate'>),
  ...(await import(join(root, 'src/numeric/gradcheck.ts')) as Pick<Engine, 'finiteDifference'>),
};
const { chainProblem, convProblem, rnnProblem } = await import('./problems.js');
const p: BenchProblem = family === 'chain' ? chainProblem(size) : family === 'conv' ? convProblem(size) : rnnProblem(size, ['w', 'u', 'v']);

const sol = engine.solve(engine.parseProblem(p.yaml, 'x.yaml'), { skipCheck: true });
const entries = sol.gradients.flatMap((g) => g.entries);
const cpu = (f: () => void, n: number): string => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    xs.push((c.user + c.system) / 1000);
  }
  xs.sort((a, b) => a - b);
  return xs[xs.length >> 1]!.toFixed(2);
};
const parse = cpu(() => engine.parseProblem(p.yaml, 'x.yaml'), 30);
const rev = cpu(() => engine.reverseAccumulate(sol.graph, p.of, entries.map((e) => e.key)), 30);
const fd = cpu(() => { for (const e of entries) engine.finiteDifference(sol.graph, sol.values, p.of, e.key, e.value); }, 10);
console.log(`${root} ${p.family} ${p.label}: parseProblem ${parse} ms, reverseAccumulate ${rev} ms, finite differences of ${entries.length} entries ${fd} ms (CPU medians)`);
