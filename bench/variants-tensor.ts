/**
 * Variants per second for the tensor-equation problems of issue 20, without
 * PDFs: problems/variants-mlp-softmax.yaml (200 variants) and
 * problems/variants-lstm.yaml (50), each
 *   1. in process: draw (every try one forward pass of the tensor graph and
 *      the require lines) + solve (tensor level, scalar level, checks) + the
 *      answer files (answers.json, answers.csv, quiz.xml), medians of rounds;
 *      the draw alone is timed apart;
 *   2. as a user runs it, a whole process: `gradsheet variants FILE --count N
 *      --seed S --json` (node startup and module loading included), and the same
 *      with the sheets (`--format tex,html --out DIR`).
 * Run: npm run build:ts && npx tsx bench/variants-tensor.ts [--rounds 3] [--mlp 200] [--lstm 50]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNetwork } from '../src/networks/registry.js';
import { loadProblem } from '../src/problem/read.js';
import { answersCsv, answersJson } from '../src/variants/answers.js';
import { drawVariants } from '../src/variants/generate.js';
import { solveVariants } from '../src/variants/job.js';
import { quizXml } from '../src/variants/moodle.js';
import { parseVariants } from '../src/variants/spec.js';
import { machine } from './machine.js';

const ROOT = join(import.meta.dirname, '..');
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const rounds = arg('rounds', 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function bench(file: string, count: number): void {
  const path = join(ROOT, 'problems', file);
  const problem = loadProblem(path);
  const draw: number[] = [], all: number[] = [];
  let tries = 0;
  for (let r = 0; r < rounds; r++) {
    const seed = `bench-${r}`;
    let t = performance.now();
    const net = buildNetwork(problem.network, { problem, givenShape: () => undefined });
    const drawn = drawVariants(problem, net.graph, parseVariants(problem, net.graph, net.tensor ?? null), seed, 1, count);
    draw.push(performance.now() - t);
    tries = drawn.reduce((a, v) => a + v.tries, 0);
    t = performance.now();
    const run = solveVariants(problem, seed, 1, count);
    answersJson(run.variants);
    answersCsv(run.variants);
    quizXml(run.variants, run.spec.tolerance);
    all.push(performance.now() - t);
  }
  const cli = (extra: string[]): number => {
    const dir = mkdtempSync(join(tmpdir(), 'gradsheet-bench-vt-'));
    try {
      const times: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const t = performance.now();
        const p = spawnSync(process.execPath, [join(ROOT, 'bin', 'gradsheet.js'), 'variants', path, '--count', String(count), '--seed', `cli-${r}`, ...extra.map((x) => x.replace('DIR', join(dir, String(r))))], { encoding: 'utf8', maxBuffer: 1 << 30 });
        if (p.status !== 0) throw new Error(p.stderr);
        times.push(performance.now() - t);
      }
      return median(times);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const json = cli(['--json']);
  const sheets = cli(['--format', 'tex,html', '--out', 'DIR']);
  const perSec = (ms: number) => ((count * 1000) / ms).toFixed(0);
  console.log(`${file}, ${count} variants (${tries} draws tried, median of ${rounds} rounds):`);
  console.log(`  draw alone (forward pass + require lines per try): ${median(draw).toFixed(0)} ms = ${perSec(median(draw))} variants/s`);
  console.log(`  in process, draw + solve + answers.json/csv + quiz.xml: ${median(all).toFixed(0)} ms = ${perSec(median(all))} variants/s (${(median(all) / count).toFixed(1)} ms each)`);
  console.log(`  whole process, --json: ${json.toFixed(0)} ms = ${perSec(json)} variants/s`);
  console.log(`  whole process, tex + html sheets and answer files: ${sheets.toFixed(0)} ms = ${perSec(sheets)} variants/s`);
}

const m = machine();
console.log(`${m.cpu}, ${m.cores} cores, Node ${m.node}, commit ${m.commit}, load ${m.load.join(' ')}`);
bench('variants-mlp-softmax.yaml', arg('mlp', 200));
bench('variants-lstm.yaml', arg('lstm', 50));
console.log(`load at the end ${machine().load.join(' ')}`);
