/**
 * Time to build N variants (default 30) of exams/seed000-midterm.yaml, as
 * `gradsheet exam` does: solve every question's variant, render the exam and
 * its key per variant, and write the folder; once without PDFs (tex, html) and
 * once with them (per-variant exam.pdf and solutions.pdf, all-exams.pdf and
 * all-solutions.pdf). Run: npx tsx bench/exam.ts [--count 30] [--pdf-count 30].
 * Writes into a temporary folder, removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExam } from '../src/exam/load.js';
import { renderExam, writeExam } from '../src/exam/output.js';
import { solveExam } from '../src/exam/solve.js';
import { hasPdflatex } from '../src/render/pdf.js';
import type { Format } from '../src/render/index.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

const exam = loadExam(join(import.meta.dirname, '..', 'exams', 'seed000-midterm.yaml'));

function run(count: number, formats: Format[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'gradsheet-bench-exam-'));
  try {
    const t0 = performance.now();
    const variants = solveExam(exam, 'bench', 1, count);
    const t1 = performance.now();
    const out = renderExam(exam, variants, { formats, count, combined: true });
    const t2 = performance.now();
    writeExam(join(dir, 'exam'), out);
    const t3 = performance.now();
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`${count} variants of ${exam.id}, formats ${formats.join(',')}: ${s(t3 - t0)} in all (${((t3 - t0) / count / 1000).toFixed(2)} s per variant)`);
    console.log(`  solve (draw, derive, check; 6 problems): ${s(t1 - t0)}; render${formats.includes('pdf') ? ' + pdflatex' : ''}: ${s(t2 - t1)}; write ${out.files.size} files: ${s(t3 - t2)}`);
    for (const w of out.warnings) console.log(`  warning: ${w}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run(arg('count', 30), ['tex', 'html']);
if (hasPdflatex()) run(arg('pdf-count', 30), ['tex', 'html', 'pdf']);
else console.log('no pdflatex: the PDF run is skipped');
