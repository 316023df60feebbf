/**
 * `npm run build:ts && npx tsx bench/check-phases.ts [RUNS]`: where one `gradsheet check` process spends its
 * CPU time, phase by phase (module loading by group, then the work), each phase measured in a fresh
 * `node` process over the compiled dist/ (as bin/gradsheet.js runs it) and the median of RUNS printed.
 * The companion of check-process.ts: that one times whole processes, this one says which part is whose.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 7);
const dist = (m: string) => JSON.stringify(join(ROOT, 'dist/src', m));

// one child: import the module groups in the order check needs them, then load, prepare and check one answer
const script = `
let last = process.cpuUsage();
const out = [];
const mark = (l) => { const u = process.cpuUsage(last); out.push([l, (u.user + u.system) / 1000]); last = process.cpuUsage(); };
await import(${JSON.stringify(join(ROOT, 'node_modules/yaml/dist/index.js'))}); mark('modules: yaml');
const { loadProblem } = await import(${dist('problem/read.js')}); mark('modules: problem/read (and what it imports)');
await import(${dist('networks/registry.js')}); mark('modules: networks/build');
await import(${dist('commands/args.js')}); mark('modules: commands/args');
const { prepareCheck } = await import(${dist('check/context.js')}); mark('modules: check/context (check)');
const { checkAnswer } = await import(${dist('check/check.js')}); mark('modules: check/check (check)');
const { checkText } = await import(${dist('check/report.js')}); await import(${dist('commands/check.js')}); mark('modules: report, command (check)');
const p = loadProblem(${JSON.stringify(join(ROOT, 'problems/seed003-elman-rnn.yaml'))}); mark('work: loadProblem');
const ctx = prepareCheck(p, 'E', 'W_y'); mark('work: prepare the derivative (check)');
checkText(checkAnswer(ctx, '(p - l)^T h')); mark('work: read, compare, report (check)');
console.log(JSON.stringify(out));
`;

const runs: Array<Array<[string, number]>> = [];
for (let i = 0; i < RUNS; i++) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  runs.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Array<[string, number]>);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`CPU time (user + system) per phase of one check, median of ${RUNS} processes (seed003-elman-rnn.yaml, dE/dW_y = (p - l)^T h)`);
runs[0]!.forEach(([name], i) => console.log(`${median(runs.map((r) => r[i]![1])).toFixed(1).padStart(7)} ms  ${name}`));
console.log(`${median(runs.map((r) => r.reduce((s, x) => s + x[1], 0))).toFixed(1).padStart(7)} ms  in all, after node's own start`);
