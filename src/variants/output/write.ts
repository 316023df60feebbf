/**
 * Writing a variants folder (contract 6): per variant `001/` with its sheets,
 * `katex/` once, the combined problems.pdf and solutions.pdf, answers.json,
 * answers.csv and quiz.xml, and with `qti` the LMS packages quiz-qti.zip and
 * quiz-canvas.zip (variants/qti/). Sheets are rendered one variant at a time into a
 * private staging folder beside the target (1000 HTML solution sheets are
 * about 400 MB, too much to hold in memory), and only when every file exists
 * are they renamed into place, so a failure leaves the previous output as it was.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { renderSheets, type Format } from '../../render/index.js';
import { compilePdf, hasPdflatex } from '../../render/pdf.js';
import { copyKatexAssets } from '../../render/write.js';
import { answersCsv, answersJson, type SolvedVariant } from '../answers.js';
import { combineTex } from '../combined.js';
import { quizXml } from '../moodle.js';
import { quizFromVariants } from '../qti/from-variants.js';
import { qtiPackages } from '../qti/index.js';
import type { Tolerance } from '../spec.js';

export interface WriteOptions {
  readonly formats: readonly Format[];
  readonly templateDir?: string;
  /** number of variants of the whole run (the folder names' width) */
  readonly count: number;
  /** false for `--only k`: just the variant's folder, no combined files */
  readonly combined: boolean;
  readonly tolerance: Tolerance;
  /** write quiz-qti.zip and quiz-canvas.zip beside quiz.xml */
  readonly qti?: boolean;
  readonly progress?: (done: number, total: number) => void;
}

export interface WriteReport { readonly files: string[]; readonly warnings: string[] }

/** `001`, ..., wider when the count needs it (`0001` for 1000 variants), so folders sort in order. */
export const variantFolder = (k: number, count: number): string => String(k).padStart(Math.max(3, String(count).length), '0');

export function writeVariants(dir: string, variants: readonly SolvedVariant[], opts: WriteOptions): WriteReport {
  mkdirSync(dirname(dir), { recursive: true });
  const stage = join(dirname(dir), `.${basename(dir)}.staging-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  const files: string[] = [];
  const warnings: string[] = [];
  const put = (rel: string, data: string | Buffer) => {
    mkdirSync(dirname(join(stage, rel)), { recursive: true });
    writeFileSync(join(stage, rel), data);
    files.push(rel);
  };
  try {
    const pdf = opts.formats.includes('pdf');
    const combine = opts.combined && pdf && hasPdflatex();
    // TeX is rendered whenever PDFs are wanted: the combined documents are built from it.
    const formats: Format[] = combine && !opts.formats.includes('tex') ? [...opts.formats, 'tex'] : [...opts.formats];
    const texs = { problem: [] as string[], solution: [] as string[] };
    if (formats.length) variants.forEach((v, i) => {
      opts.progress?.(i, variants.length);
      const r = renderSheets(v.sol, { formats, templateDir: opts.templateDir, katexCss: '../katex/katex.min.css', subtitle: `variant ${v.number}, seed ${v.seedLabel}` });
      warnings.push(...r.warnings.map((w) => `variant ${v.number}: ${w}`));
      for (const [name, data] of r.files) {
        if (combine && name.endsWith('.tex')) texs[name.startsWith('problem') ? 'problem' : 'solution'].push(String(data));
        if (opts.formats.includes(name.slice(name.lastIndexOf('.') + 1) as Format)) put(join(variantFolder(v.number, opts.count), name), data);
      }
    });
    if (combine) {
      for (const which of ['problem', 'solution'] as const) {
        const r = compilePdf(combineTex(texs[which]));
        if (r.ok) put(`${which}s.pdf`, r.pdf);
        else warnings.push(`${which}s.pdf: TeX failed (${r.log}); the per-variant sheets are written`);
      }
    }
    if (opts.combined) {
      put('answers.json', answersJson(variants));
      put('answers.csv', answersCsv(variants));
      put('quiz.xml', quizXml(variants, opts.tolerance));
      if (opts.qti) for (const [name, zip] of qtiPackages(quizFromVariants(variants, opts.tolerance, opts.count))) put(name, zip);
    }
    // Everything exists: move it into place, file by file (each rename is atomic).
    if (opts.formats.includes('html')) copyKatexAssets(dir);
    for (const rel of files) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      renameSync(join(stage, rel), join(dir, rel));
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return { files, warnings };
}

/** Names of the numbered variant folders already in `dir` (to tell the user about leftovers). */
export function existingVariantFolders(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => /^\d{3,}$/.test(f)).sort();
  } catch {
    return [];
  }
}
