/**
 * An exam run's output folder (contract 7): per variant `001/` with
 * exam.{tex,pdf,html}, solutions.{tex,pdf,html} and the body-only fragments;
 * `katex/` once; the combined all-exams.pdf and all-solutions.pdf (one
 * pdflatex run each, every variant restarting its page numbers); answers.csv;
 * with `qti`, the LMS packages quiz-qti.zip and quiz-canvas.zip (exam/qti.ts).
 * Every file is rendered in memory first and only then written, each to a
 * temporary name and renamed, so a failure leaves the previous output as it was.
 */
import { join } from 'node:path';
import type { Format } from '../render/index.js';
import { compilePdf, hasPdflatex } from '../render/pdf.js';
import { copyKatexAssets, writeAtomic } from '../render/write.js';
import { combineTex } from '../variants/combined.js';
import { variantFolder } from '../variants/output/write.js';
import { qtiPackages } from '../variants/qti/index.js';
import { csvText } from './csv.js';
import { quizFromExam } from './qti.js';
import { renderVariant } from './document.js';
import type { ExamVariant } from './solve.js';
import type { ExamSpec } from './spec.js';

export interface OutputOptions {
  readonly formats: readonly Format[];
  readonly templateDir?: string;
  /** the run's number of variants (the folder names' width) */
  readonly count: number;
  /** false for `--only K`: the variant's folder alone */
  readonly combined: boolean;
  /** write quiz-qti.zip and quiz-canvas.zip beside answers.csv */
  readonly qti?: boolean;
  readonly progress?: (done: number, total: number) => void;
}

export interface ExamOutputs { readonly files: Map<string, string | Buffer>; readonly warnings: string[] }

export function renderExam(exam: ExamSpec, variants: readonly ExamVariant[], opts: OutputOptions): ExamOutputs {
  const files = new Map<string, string | Buffer>();
  const warnings: string[] = [];
  const combine = opts.combined && opts.formats.includes('pdf') && hasPdflatex();
  // TeX is rendered whenever PDFs are wanted: the combined documents are built from it.
  const formats: Format[] = combine && !opts.formats.includes('tex') ? [...opts.formats, 'tex'] : [...opts.formats];
  const texs = { exam: [] as string[], solutions: [] as string[] };
  if (formats.length) variants.forEach((v, i) => {
    opts.progress?.(i, variants.length);
    const r = renderVariant(exam, v, { formats, templateDir: opts.templateDir, katexCss: '../katex/katex.min.css' });
    warnings.push(...r.warnings);
    for (const [name, data] of r.files) {
      if (opts.formats.includes(name.slice(name.lastIndexOf('.') + 1) as Format)) files.set(join(variantFolder(v.number, opts.count), name), data);
    }
    texs.exam.push(r.tex.exam);
    texs.solutions.push(r.tex.solutions);
  });
  if (combine) {
    for (const which of ['exam', 'solutions'] as const) {
      const r = compilePdf(combineTex(texs[which]));
      const name = which === 'exam' ? 'all-exams.pdf' : 'all-solutions.pdf';
      if (r.ok) files.set(name, r.pdf);
      else warnings.push(`${name}: TeX failed (${r.log}); the per-variant files are written`);
    }
  }
  if (opts.combined) files.set('answers.csv', answersCsv(variants));
  if (opts.combined && opts.qti) {
    const quiz = quizFromExam(exam, variants, opts.count);
    warnings.push(...quiz.warnings);
    for (const [name, zip] of qtiPackages(quiz.set)) files.set(name, zip);
  }
  return { files, warnings };
}

/** Write rendered outputs into `dir`, each file atomically; KaTeX's assets once when there is HTML. */
export function writeExam(dir: string, out: ExamOutputs): void {
  if ([...out.files.keys()].some((f) => f.endsWith('.html'))) copyKatexAssets(dir);
  for (const [rel, data] of out.files) writeAtomic(join(dir, rel), data);
}

/**
 * answers.csv: one row per variant; columns variant, seed, then every graded
 * number, headed `item.part:of/wrt` (`2.1:o/b1`, `3.b:L/w[1]`). Numbers are
 * JavaScript's shortest round-trip form of the double.
 */
export function answersCsv(variants: readonly ExamVariant[]): string {
  const first = variants[0];
  if (!first) return '';
  const headers = first.units.flatMap((u) => u.scalars.map((s) => s.header));
  const rows: string[][] = [['variant', 'seed', ...headers]];
  for (const v of variants) {
    const values = new Map(v.units.flatMap((u) => u.scalars.map((s) => [s.header, String(s.value)] as const)));
    rows.push([String(v.number), v.seed, ...headers.map((h) => values.get(h) ?? '')]);
  }
  return csvText(rows);
}
