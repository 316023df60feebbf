/**
 * The PNG pages of docs/ that the README links: every page of three solution
 * sheets (seed 000 Q5, seed 001 RNN 1, the stride-2 convolution with three
 * channels of the stress set, and the LSTM over three steps), and one page
 * per network kind.
 * Rebuild them after a change to the sheets with
 *
 *     npx tsx test/sheets/docs-pages.ts
 *
 * (pdflatex as the build runs it, then pdftoppm -r 60 -png).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solve } from '../../src/derive/solve.js';
import { parseProblem } from '../../src/problem/load.js';
import { loadProblem } from '../../src/problem/read.js';
import type { ProblemSpec } from '../../src/problem/spec.js';
import { renderSheets } from '../../src/render/index.js';
import { ROOT } from './corpus.js';
import { wideConv } from './stress.js';

const DOCS = join(ROOT, 'docs');
const problem = (id: string): ProblemSpec => loadProblem(join(ROOT, 'problems', `${id}.yaml`));

/** Pages of one solution sheet as docs/<name>-<page>.png (all pages, or only `pages`). */
function pages(name: string, spec: ProblemSpec, only?: readonly number[]): string[] {
  const r = renderSheets(solve(spec), { formats: ['pdf'] });
  const pdf = r.files.get('solution.pdf');
  if (!pdf) throw new Error(`${name}: no PDF (${r.warnings.join('; ')})`);
  const dir = mkdtempSync(join(tmpdir(), 'gradsheet-docs-'));
  try {
    writeFileSync(join(dir, 'sheet.pdf'), pdf);
    const range = only ? ['-f', String(Math.min(...only)), '-l', String(Math.max(...only))] : [];
    const run = spawnSync('pdftoppm', ['-r', '60', '-png', ...range, join(dir, 'sheet.pdf'), join(dir, 'p')]);
    if (run.status !== 0) throw new Error(`pdftoppm failed: ${run.stderr}`);
    const made = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    return made.map((f) => {
      const n = Number(/-(\d+)\.png$/.exec(f)![1]);
      const target = only?.length === 1 ? `${name}.png` : `${name}-${n}.png`;
      renameSync(join(dir, f), join(DOCS, target));
      return target;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

mkdirSync(DOCS, { recursive: true });
for (const f of readdirSync(DOCS).filter((f) => /^(seed000-q5|seed001-rnn-1|conv-stride2-channels|time-lstm)-\d+\.png$/.test(f))) rmSync(join(DOCS, f));
const made = [
  ...pages('seed000-q5', problem('seed000-q5-bptt')),
  ...pages('seed001-rnn-1', problem('seed001-rnn-1-softmax-many-to-many')),
  ...pages('conv-stride2-channels', parseProblem(wideConv(8, 2).yaml, 'conv-stride2-channels.yaml')),
  ...pages('time-lstm', problem('time-lstm')),
  // one page per network kind, where its derivation starts
  ...pages('sheet-chain', problem('seed000-q2-1-sigmoid-chain-explode'), [2]),
  ...pages('sheet-mlp', problem('seed000-q1-xor-corrected'), [2]),
  ...pages('sheet-equations', problem('own-shared-weight'), [2]),
  ...pages('sheet-layers', problem('seed000-q4-conv2d'), [2]),
  ...pages('sheet-rnn', problem('seed004-bptt-scalar'), [2]),
];
console.log(made.join('\n'));
