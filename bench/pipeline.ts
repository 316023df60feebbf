/**
 * Whole-pipeline figures, each a fresh process timed from its start (wall and
 * CPU from /usr/bin/time): every sheet of problems/ (tex, html), derive --json
 * on the T = 50 and T = 200 scalar tanh RNNs against a python3 SymPy script doing
 * the same three gradients, 1000 variants of the chain problem, one PDF sheet.
 * gradsheet runs compiled (tsc) from a private copy in a temporary folder, so
 * the shared working tree never gets a dist/ that would shadow its sources.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, relDiff, AGREE } from './cells.js';
import { fmtMs } from './table.js';
import { rnnProblem } from './problems.js';

const REPO = join(import.meta.dirname, '..');

export type FigureKey = 'sheets' | 'derive-50' | 'sympy-50' | 'derive-200' | 'variants' | 'pdf';

export interface Figure {
  readonly key: FigureKey;
  readonly what: string;
  readonly wallMs: number | null;
  readonly cpuMs: number | null;
  readonly runs: number;
  readonly note: string;
  /** every run exited 0 and its values (where checked) agreed with the reference */
  readonly ok: boolean;
}

interface ProcRun { wallMs: number; cpuMs: number | null; status: number | null; stdout: string; stderr: string }

const hasTime = existsSync('/usr/bin/time');

/** One process, timed by /usr/bin/time (elapsed, user + sys of it and its waited-for children). */
export function timeProcess(cmd: string, args: readonly string[], opts: { input?: string; cwd?: string; timeoutMs?: number } = {}): ProcRun {
  const tfile = join(tmpdir(), `gradsheet-bench-time-${process.pid}`);
  const argv = hasTime ? ['-f', '%e %U %S', '-o', tfile, cmd, ...args] : [...args];
  const t0 = performance.now();
  const r = spawnSync(hasTime ? '/usr/bin/time' : cmd, argv, {
    input: opts.input, cwd: opts.cwd ?? REPO, encoding: 'utf8', maxBuffer: 1 << 28, timeout: opts.timeoutMs ?? 120_000, killSignal: 'SIGKILL',
  });
  const wall = performance.now() - t0;
  let cpu: number | null = null;
  if (hasTime && existsSync(tfile)) {
    const parts = readFileSync(tfile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    if (parts.length === 3 && parts.every(Number.isFinite)) cpu = (parts[1]! + parts[2]!) * 1000;
    rmSync(tfile, { force: true });
  }
  return { wallMs: wall, cpuMs: cpu, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** A compiled copy of gradsheet (tsc into a temporary folder): its bin runs dist/, as after npm run build:ts. */
export function compiledCopy(log: (s: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'gradsheet-bench-dist-'));
  log(`compiling gradsheet into ${root} ...`);
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.json'), '--outDir', join(root, 'dist')], { encoding: 'utf8' });
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) throw new Error(`tsc produced no dist/src/cli.js:\n${r.stdout}${r.stderr}`);
  if (r.status !== 0) log(`  (tsc reported type errors in the working tree; the emitted JavaScript is used anyway)\n${r.stdout.split('\n').slice(0, 5).join('\n')}`);
  for (const d of ['bin', 'templates']) cpSync(join(REPO, d), join(root, d), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return root;
}

interface Alternative { label: string; run: () => ProcRun; check?: (r: ProcRun) => string | null }

/** Alternate several processes for `rounds` rounds; the median of each. */
function alternate(alts: readonly Alternative[], rounds: number, log: (s: string) => void): Map<string, { wall: number[]; cpu: number[]; notes: string[] }> {
  const out = new Map(alts.map((a) => [a.label, { wall: [] as number[], cpu: [] as number[], notes: [] as string[] }]));
  for (let i = 0; i < rounds; i++) {
    for (const a of i % 2 ? [...alts].reverse() : alts) {
      const r = a.run();
      const o = out.get(a.label)!;
      const bad = r.status !== 0 ? `exit ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}` : a.check?.(r) ?? null;
      if (bad) o.notes.push(bad);
      o.wall.push(r.wallMs);
      if (r.cpuMs !== null) o.cpu.push(r.cpuMs);
      log(`  ${a.label}: ${fmtMs(r.wallMs)} wall${r.cpuMs !== null ? `, ${fmtMs(r.cpuMs)} CPU` : ''}${bad ? ` (${bad})` : ''}`);
    }
  }
  return out;
}

const fig = (key: FigureKey, what: string, m: { wall: number[]; cpu: number[]; notes: string[] }, note: string): Figure => ({
  key, what, wallMs: median(m.wall), cpuMs: m.cpu.length ? median(m.cpu) : null, runs: m.wall.length,
  note: [...new Set(m.notes)].concat(note ? [note] : []).join('; '), ok: m.notes.length === 0,
});

export interface PipelineOptions { readonly rounds: number; readonly log: (s: string) => void; readonly sympyRounds: number }

export function pipelineFigures(opts: PipelineOptions): Figure[] {
  const root = compiledCopy(opts.log);
  const work = mkdtempSync(join(tmpdir(), 'gradsheet-bench-work-'));
  const gs = (...args: string[]) => timeProcess(process.execPath, [join(root, 'bin', 'gradsheet.js'), ...args]);
  const figures: Figure[] = [];
  try {
    // 1. every sheet in problems/, tex and html, cold
    opts.log('every sheet of problems/ (tex, html):');
    const nProblems = spawnSync('sh', ['-c', 'ls problems/*.yaml | wc -l'], { cwd: REPO, encoding: 'utf8' }).stdout.trim();
    const sheets = alternate([{ label: 'build', run: () => gs('build', join(REPO, 'problems'), '--format', 'tex,html', '--out', join(work, `out-${Math.random()}`)) }], opts.rounds, opts.log);
    figures.push(fig('sheets', `build every sheet of problems/ (${nProblems} problems, tex + html), one process`, sheets.get('build')!, 'target < 2 s'));

    // 2. derive --json, scalar tanh RNN, three gradients, T = 50 against SymPy diff + cse + evaluation
    for (const T of [50, 200]) {
      const p = rnnProblem(T, ['w', 'u', 'v']);
      const file = join(work, `rnn-${T}.yaml`);
      writeFileSync(file, p.yaml);
      const sympyJob = JSON.stringify({ tool: 'sympy', peer: p.peer, repeatBudgetMs: 0, maxRuns: 1 });
      const gsCheck = (r: ProcRun): string | null => {
        const g = (JSON.parse(r.stdout) as { gradients: { E: Record<string, number> } }).gradients.E;
        const d = relDiff([g.w!, g.u!, g.v!], p.reference);
        return d <= AGREE ? null : `values ${d.toExponential(1)} from the reference`;
      };
      const spCheck = (r: ProcRun): string | null => {
        const o = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: boolean; values?: number[]; error?: string };
        if (!o.ok) return o.error ?? 'failed';
        const d = relDiff(o.values!, p.reference);
        return d <= AGREE ? null : `values ${d.toExponential(1)} from the reference`;
      };
      opts.log(`derive --json, scalar tanh RNN, T = ${T}, dE/dw, dE/du, dE/dv:`);
      const alts: Alternative[] = [{ label: 'gradsheet', run: () => gs('derive', file, '--json'), check: gsCheck }];
      if (T === 50) alts.push({ label: 'sympy', run: () => timeProcess('python3', [join(REPO, 'bench', 'peers', 'sympy_worker.py')], { input: sympyJob }), check: spCheck });
      const m = alternate(alts, T === 50 ? opts.sympyRounds : opts.rounds, opts.log);
      const g = m.get('gradsheet')!;
      figures.push(fig(T === 50 ? 'derive-50' : 'derive-200', `derive --json, tanh RNN T = ${T}, 3 gradients, whole process`, g, T === 200 ? 'target < 3 s, values checked against the dual-number reference' : 'values checked against the dual-number reference'));
      const s = m.get('sympy');
      if (s) {
        const ratio = median(s.wall) / median(g.wall), cpuRatio = s.cpu.length && g.cpu.length ? median(s.cpu) / median(g.cpu) : NaN;
        figures.push(fig('sympy-50', `python3 + SymPy diff + cse + evaluation, same 3 gradients, whole process`, s,
          `gradsheet ${ratio.toFixed(1)}x faster (wall), ${cpuRatio.toFixed(1)}x (CPU); target >= 10x`));
      }
    }

    // 3. 1000 variants of the chain problem (when the variants command exists)
    const help = gs('variants', '--help');
    if (help.status === 0) {
      opts.log('variants problems/variants-sigmoid-chain.yaml --count 1000 --seed 1 --json:');
      const v = alternate([{
        label: 'variants', run: () => gs('variants', join(REPO, 'problems', 'variants-sigmoid-chain.yaml'), '--count', '1000', '--seed', '1', '--json'),
        check: (r) => ((JSON.parse(r.stdout) as unknown[]).length === 1000 ? null : 'not 1000 variants'),
      }], opts.rounds, opts.log);
      const m = v.get('variants')!;
      figures.push(fig('variants', '1000 variants of the chain problem (--json, no PDF), one process', m, `${Math.round(1000 / (median(m.wall) / 1000))} variants/s (target >= 200/s)`));
    } else {
      figures.push({ key: 'variants', what: '1000 variants of the chain problem', wallMs: null, cpuMs: null, runs: 0, note: 'pending: no variants command yet', ok: false });
    }

    // 4. one PDF sheet
    const pdfProblem = join(REPO, 'problems', 'seed000-q2-1-sigmoid-chain-explode.yaml');
    if (spawnSync('pdflatex', ['--version']).status === 0) {
      opts.log('one PDF sheet:');
      const out = join(work, 'pdf');
      mkdirSync(out, { recursive: true });
      const m = alternate([{ label: 'pdf', run: () => gs('build', pdfProblem, '--format', 'pdf', '--out', join(out, String(Math.random()))) }], opts.rounds, opts.log);
      figures.push(fig('pdf', 'build one problem as PDF (seed000-q2-1, problem + solution sheets), one process', m.get('pdf')!, 'pdflatex included'));
    } else {
      figures.push({ key: 'pdf', what: 'one PDF sheet', wallMs: null, cpuMs: null, runs: 0, note: 'no pdflatex on this machine', ok: false });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}
