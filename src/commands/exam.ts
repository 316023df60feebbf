/** `gradsheet exam FILE [--count N] [--seed S] [--only K] [--out DIR] [--format ...] [--template DIR]` (contract 7). */
import { join, resolve } from 'node:path';
import { ProblemError } from '../errors.js';
import { loadExam, MAX_VARIANTS, SEED_RE } from '../exam/load.js';
import { renderExam, writeExam } from '../exam/output.js';
import { failedChecks, solveExam } from '../exam/solve.js';
import type { ExamSpec } from '../exam/spec.js';
import { examTemplateNames } from '../exam/templates.js';
import { readTemplateOption } from '../input/templates.js';
import { hasPdflatex, TEX_INSTALL_HINT } from '../render/pdf.js';
import { variantFolder } from '../variants/output/write.js';
import { applyBudgetFlags, BUDGET_FLAGS, flagInt, flagString, parseArgs, parseOutputFormats, type ParsedArgs } from './args.js';

const HELP = `Usage: gradsheet exam FILE [--count N] [--seed S] [--only K] [--out DIR] [--format tex,html,pdf,qti] [--template DIR]

Builds N variants of the exam in FILE (exams/*.yaml). In DIR (default out/<id>/):
one folder per variant (001/, 002/, ...) with exam.pdf and solutions.pdf (the
answer key: same numbering and points, every solution sheet's derivation),
their .html and .tex, and exam-body.tex / solutions-body.tex (the document
body alone, to \\input into an institution's own document); all-exams.pdf and
all-solutions.pdf for printing; answers.csv (one row per variant, one column
per graded number, headed item.part:of/wrt). --format qti adds quiz-qti.zip
(IMS QTI 2.1) and quiz-canvas.zip (Canvas QTI 1.2): one quiz per variant, or
one question group per item when every problem has lms: {ask: ...}.
  --count N, --seed S   override the exam's variants: {count, seed}
  --only K              rebuild variant K alone, byte for byte, into its folder
  --template DIR        use DIR's exam templates (exam.tex.hbs, exam-body.tex.hbs,
                        exam-solutions-body.tex.hbs, exam.html.hbs, ...) and
                        partials; what DIR lacks comes from templates/
Question q of variant k uses variant k of its problem drawn with the seed
'S-q' ('S-q.p' for part p of a group), or the problem's fixed values when it
has no variants section. Everything is solved and rendered before any file is
written. Exit 1 if a gradient fails its finite-difference check, 2 on bad input.`;

export function runExam(args: string[]): number {
  const p = parseArgs(args, { count: true, seed: true, only: true, out: true, format: true, template: true, help: false, ...BUDGET_FLAGS });
  if (p.flags.has('help')) { process.stdout.write(HELP + '\n'); return 0; }
  applyBudgetFlags(p);
  if (p.positional.length !== 1) throw new ProblemError('exam takes one exam file (see --help)');
  const { sheets: formats, qti } = parseOutputFormats(flagString(p, 'format') ?? 'tex,html,pdf');
  const templateDir = readTemplateOption(flagString(p, 'template'), examTemplateNames(formats));
  const exam = loadExam(p.positional[0]!);
  const { count, seed } = countAndSeed(p, exam);
  const only = flagInt(p, 'only', 1, count);
  if (exam.roster && exam.roster.students.length > count) {
    exam.roster.field.fail(`the roster lists ${exam.roster.students.length} students, more than the ${count} variants (raise variants.count or --count)`);
  }

  const variants = solveExam(exam, seed, only ?? 1, only ?? count);
  if (formats.includes('pdf') && !hasPdflatex()) {
    process.stderr.write(`gradsheet: no TeX engine (pdflatex) found, PDFs are skipped; install one with: ${TEX_INSTALL_HINT}\n`);
  }
  const out = renderExam(exam, variants, { formats, qti, templateDir, count, combined: only === undefined });
  const dir = resolve(flagString(p, 'out') ?? join('out', exam.id));
  try {
    writeExam(dir, out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new ProblemError(`cannot write the exam to ${dir} (${code}: ${(e as Error).message})`);
    throw e;
  }
  for (const w of out.warnings) process.stderr.write(`gradsheet: ${w}\n`);
  const what = only === undefined ? `${count} variants` : `variant ${only} (${variantFolder(only, count)}/)`;
  process.stdout.write(`${exam.id}: ${what}, seed ${seed} -> ${dir}\n`);
  const failed = failedChecks(variants);
  for (const f of failed) process.stderr.write(`gradsheet: ${f}\n`);
  return failed.length ? 1 : 0;
}

/** --count and --seed, else the exam's `variants`; both are needed. */
export function countAndSeed(p: ParsedArgs, exam: ExamSpec): { count: number; seed: string } {
  const count = flagInt(p, 'count', 1, MAX_VARIANTS) ?? exam.count;
  const seed = flagString(p, 'seed') ?? exam.seed;
  if (count === undefined) exam.root.fail('no number of variants: give variants: {count: N} in the exam or --count N');
  if (seed === undefined) exam.root.fail('no seed: give variants: {seed: S} in the exam or --seed S');
  if (!SEED_RE.test(seed)) throw new ProblemError(`--seed takes letters, digits and . _ : - (at most 100), got '${seed}'`);
  return { count, seed };
}
