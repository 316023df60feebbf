/**
 * `npm run build:ts && npx tsx bench/check-process.ts [ROUNDS]`: one `gradsheet check` as a whole
 * process (node bin/gradsheet.js check ..., what a student's or a TA's script runs), over the 138 hand
 * answers of test/check/check-cases.json, against `node -e 0` measured in the same run, alternated
 * case by case so that both see the same machine load. Issue 16's acceptance: the median under the
 * median of `node -e 0` + 200 ms, the worst under 1.5 s. Also checks every exit code (0 equivalent,
 * 1 not) against the case's verdict, so a fast wrong answer cannot pass for a result.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '..');
const ROUNDS = Number(process.argv[2] ?? 1);

interface Case { id: string; problem: string; of: string; wrt: string; answer: string; latex: boolean; expected_equivalent: boolean }
const cases = JSON.parse(readFileSync(join(ROOT, 'test/check/check-cases.json'), 'utf8')) as Case[];

/**
 * Wall time, and CPU time (user + system, from /usr/bin/time where there is one): on a machine shared with
 * other work, wall time grows with the load and CPU time much less, so both are printed.
 */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
function timed(args: string[]): { ms: number; cpu: number | null; status: number | null; stderr: string } {
  const t = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', 'CPU %U %S', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8' })
    : spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t;
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { ms, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : null, status: r.status, stderr: m ? r.stderr.slice(0, m.index) : r.stderr };
}

const quantile = (xs: readonly number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((s.length - 1) * q))]!; };
const ms = (x: number) => `${x.toFixed(0)} ms`;

const load0 = loadavg();
const node: number[] = [];
const nodeCpu: number[] = [];
const check: Array<{ id: string; ms: number; cpu: number | null }> = [];
const wrongExit: string[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cases) {
    const n = timed(['-e', '0']);
    node.push(n.ms);
    if (n.cpu !== null) nodeCpu.push(n.cpu);
    const args = ['bin/gradsheet.js', 'check', c.problem, '--of', c.of, '--wrt', c.wrt, '--answer', c.answer, ...(c.latex ? ['--latex'] : [])];
    const run = timed(args);
    check.push({ id: c.id, ms: run.ms, cpu: run.cpu });
    if (run.status !== (c.expected_equivalent ? 0 : 1)) wrongExit.push(`${c.id}: exit ${run.status} ${run.stderr.split('\n')[0] ?? ''}`);
  }
}
const load1 = loadavg();

const base = quantile(node, 0.5);
const times = check.map((x) => x.ms);
const med = quantile(times, 0.5);
const worst = check.reduce((a, b) => (b.ms > a.ms ? b : a));
console.log(`gradsheet check as a whole process, ${cases.length} cases x ${ROUNDS} round(s), Node ${process.version}`);
console.log(`load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')}`);
console.log(`node -e 0:  median ${ms(base)}, p90 ${ms(quantile(node, 0.9))}`);
console.log(`check:      median ${ms(med)} (node -e 0 + ${ms(med - base)}), p90 ${ms(quantile(times, 0.9))}, worst ${ms(worst.ms)} (${worst.id})`);
console.log(`target:     median < node -e 0 + 200 ms: ${med < base + 200 ? 'met' : 'MISSED'}; worst < 1500 ms: ${worst.ms < 1500 ? 'met' : 'MISSED'}`);
const cpu = check.map((x) => x.cpu).filter((x): x is number => x !== null);
if (cpu.length && nodeCpu.length) {
  const nc = quantile(nodeCpu, 0.5), cc = quantile(cpu, 0.5);
  console.log(`CPU time:   node -e 0 median ${ms(nc)}; check median ${ms(cc)} (+ ${ms(cc - nc)}), p90 ${ms(quantile(cpu, 0.9))}, worst ${ms(Math.max(...cpu))}`);
}
console.log('slowest five:', [...check].sort((a, b) => b.ms - a.ms).slice(0, 5).map((x) => `${x.id} ${ms(x.ms)}`).join(', '));
if (wrongExit.length) {
  console.log(`exit codes that disagree with the verdicts: ${wrongExit.length}\n  ${wrongExit.join('\n  ')}`);
  process.exitCode = 1;
} else console.log(`every exit code agrees with the case's verdict (${check.length} runs)`);
