/**
 * `npm run bench`: gradsheet side by side with mathjs, nerdamer and SymPy on
 * the sigmoid chain, the scalar tanh RNN and the 2x2 convolution (bench/cells.ts),
 * then the whole-pipeline figures (bench/pipeline.ts). Prints the tables and
 * writes them to bench/results/latest.{json,md}.
 *
 * Options: --rounds N (3)  --limit SECONDS (60, per cell)  --only chain,rnn,conv
 *          --tools gradsheet,mathjs,...  --pipeline-rounds N (3)  --sympy-rounds N (3)
 *          --no-pipeline  --pipeline-only  --quick (1 round, 10 s limit, no pipeline)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS, runRows, verdict, type RowResult } from './cells.js';
import { allProblems, type Family } from './problems.js';
import { pipelineFigures, type Figure } from './pipeline.js';
import { machine, type Machine } from './machine.js';
import { fmtMs, markdown, plain, tableRows } from './table.js';
import { targets } from './targets.js';
import type { Tool } from './peers/protocol.js';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const opt = (name: string): string | undefined => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const quick = flag('quick');
const rounds = Number(opt('rounds') ?? (quick ? 1 : 3));
const limitMs = Number(opt('limit') ?? (quick ? 10 : 60)) * 1000;
const families = (opt('only')?.split(',') ?? ['chain', 'rnn', 'conv']) as Family[];
const tools = (opt('tools')?.split(',') ?? [...TOOLS]) as Tool[];
if (!tools.includes('gradsheet')) tools.unshift('gradsheet'); // every ratio is against it
const pipelineRounds = Number(opt('pipeline-rounds') ?? 3);
const sympyRounds = Number(opt('sympy-rounds') ?? 3);
const log = (s: string): void => { process.stderr.write(s + '\n'); };

const start = machine();
log(`${start.cpu}, ${start.cores} cores, ${start.memoryGiB} GiB, Node ${start.node}, load ${start.load.join(' ')}`);

let rows: RowResult[] = [];
if (!flag('pipeline-only')) {
  const problems = allProblems().filter((p) => families.includes(p.family));
  log(`${problems.length} rows x ${tools.length} tools, ${rounds} rounds, limit ${limitMs / 1000} s per cell`);
  rows = await runRows(problems, { rounds, limitMs, tools, repeatBudgetMs: 1500, maxRuns: 25, log });
}
let figures: Figure[] = [];
if (!flag('no-pipeline') && !quick) figures = pipelineFigures({ rounds: pipelineRounds, sympyRounds, log });
const end = machine();

const report = render(start, end, rows, figures);
process.stdout.write(report.text);
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.md'), report.md);
writeFileSync(join(dir, 'latest.json'), JSON.stringify({ machine: { start, end }, options: { rounds, limitMs, tools, families, pipelineRounds, sympyRounds }, rows: rows.map((r) => ({ problem: { family: r.problem.family, size: r.problem.size, reference: r.problem.reference }, cells: Object.fromEntries(r.cells), verdict: verdict(r) })), figures }, null, 2) + '\n');
log(`written: bench/results/latest.md, bench/results/latest.json`);
if (rows.some((r) => !verdict(r).ok) || rows.some((r) => { const s = r.cells.get('gradsheet')?.sizes; return s ? s.result > 3 * s.input : false; })) process.exitCode = 1;

function render(m0: Machine, m1: Machine, rs: readonly RowResult[], figs: readonly Figure[]): { text: string; md: string } {
  const head = [
    `date ${m0.date}; commit ${m0.commit}; ${m0.cpu}; ${m0.cores} cores; ${m0.memoryGiB} GiB; Node ${m0.node}; python ${m0.python}; ` +
      Object.entries(m0.versions).map(([k, v]) => `${k} ${v}`).join(', '),
    `load average (1, 5, 15 min) at start ${m0.load.join(' ')}, at end ${m1.load.join(' ')}`,
    ...(rs.length ? [`${rounds} rounds alternating the tools, one child process per run, limit ${limitMs / 1000} s per cell; ` +
      'cell = median time, result nodes, time / gradsheet time'] : []),
  ];
  let text = head.join('\n') + '\n\n', md = head.map((h) => `${h}  `).join('\n') + '\n\n';
  if (rs.length) {
    for (const [clock, title] of [['wallMs', 'wall-clock time'], ['cpuMs', 'CPU time (user + system of the worker)']] as const) {
      const t = tableRows(rs, tools, clock);
      text += `${title}\n${plain(t)}\n\n`;
      md += `#### ${title}\n\n${markdown(t)}\n\n`;
    }
  }
  if (figs.length) {
    const t = [['whole pipeline', 'wall (median)', 'CPU (median)', 'runs', 'note'],
      ...figs.map((f) => [f.what, f.wallMs === null ? '-' : fmtMs(f.wallMs), f.cpuMs === null ? '-' : fmtMs(f.cpuMs), String(f.runs), f.note])];
    text += `${plain(t)}\n`;
    md += `#### whole pipeline\n\n${markdown(t)}\n`;
  }
  const tg = targets(rs, figs);
  if (tg.length) {
    const t = [['target', 'measured', 'met'], ...tg.map((x) => [x.target, x.measured, x.met === null ? 'n/a' : x.met ? 'yes' : 'NO'])];
    text += `\ntargets\n${plain(t)}\n`;
    md += `\n#### targets\n\n${markdown(t)}\n`;
  }
  return { text, md };
}
