/** `gradsheet variants FILE --count N --seed S [--only K] [--out DIR] [--json] [--format ...]` (contract 5, 6.2). */
import { join, resolve } from 'node:path';
import { ProblemError } from '../errors.js';
import { loadProblem } from '../problem/read.js';
import { readTemplateOption } from '../input/templates.js';
import { sheetTemplateNames } from '../render/templates.js';
import { hasPdflatex, TEX_INSTALL_HINT } from '../render/pdf.js';
import { answersJson } from '../variants/answers.js';
import { solveVariants } from '../variants/job.js';
import { existingVariantFolders, variantFolder, writeVariants } from '../variants/output/write.js';
import { applyBudgetFlags, BUDGET_FLAGS, flagInt, flagString, parseArgs, parseOutputFormats } from './args.js';

const HELP = `Usage: gradsheet variants FILE --count N --seed S [--only K] [--out DIR] [--json] [--format tex,html,pdf,qti] [--template DIR] [--max-nodes N]

Draws N versions of the problem's given values from its 'variants' section,
solves each and writes, in DIR (default out/<id>/variants/): one folder per
variant (001/, 002/, ...) with problem and solution sheets, problems.pdf and
solutions.pdf for printing, answers.json, answers.csv and quiz.xml (Moodle).
--format qti adds quiz-qti.zip (IMS QTI 2.1) and quiz-canvas.zip (Canvas QTI
1.2): one quiz per variant, or with lms: {ask: ...} in the problem one
question group of that number over the variants. --format qti alone writes
the answer files and the packages, no sheets. --template DIR reads the
sheets' templates from DIR (what DIR lacks comes from templates/).
Variant k draws from its own stream (seed, k): --only K rebuilds variant K
alone, byte for byte, into its folder (the combined files are left as they are).
--json prints the answers (contract 6.2) on stdout; with --json, files are
written only when --out is given. Everything is drawn and solved before any
file is written. Exit 1 if a gradient fails its finite-difference check, 2 on
bad input or when no draw meets the constraints within the allowed tries.`;

export const MAX_COUNT = 100_000;
const SEED_RE = /^[A-Za-z0-9_.:-]{1,100}$/;

export function runVariants(args: string[]): number {
  const p = parseArgs(args, { count: true, seed: true, only: true, out: true, json: false, format: true, template: true, help: false, ...BUDGET_FLAGS });
  if (p.flags.has('help')) { process.stdout.write(HELP + '\n'); return 0; }
  applyBudgetFlags(p);
  if (p.positional.length !== 1) throw new ProblemError('variants takes one problem file (see --help)');
  const count = flagInt(p, 'count', 1, MAX_COUNT) ?? fail('--count N is required (how many variants)');
  const seed = flagString(p, 'seed') ?? fail('--seed S is required (the same seed gives the same variants)');
  if (!SEED_RE.test(seed)) throw new ProblemError(`--seed takes letters, digits and . _ : - (at most 100), got '${seed}'`);
  const only = flagInt(p, 'only', 1, count);
  const { sheets: formats, qti } = parseOutputFormats(flagString(p, 'format') ?? 'tex,html,pdf');
  const templateDir = readTemplateOption(flagString(p, 'template'), sheetTemplateNames(formats));
  const problem = loadProblem(p.positional[0]!);

  const progress = progressBar();
  const { spec, variants } = solveVariants(problem, seed, only ?? 1, only ?? count, progress('solving'));

  const json = p.flags.has('json');
  const outFlag = flagString(p, 'out');
  if (outFlag !== undefined || !json) {
    const dir = resolve(outFlag ?? join('out', problem.id, 'variants'));
    if (formats.includes('pdf') && !hasPdflatex()) {
      process.stderr.write(`gradsheet: no TeX engine (pdflatex) found, PDFs are skipped; install one with: ${TEX_INSTALL_HINT}\n`);
    }
    const report = writeOrFail(dir, () => writeVariants(dir, variants, {
      formats, qti, count, combined: only === undefined, tolerance: spec.tolerance,
      templateDir, progress: progress('writing'),
    }));
    for (const w of report.warnings) process.stderr.write(`gradsheet: ${w}\n`);
    const extra = only === undefined ? existingVariantFolders(dir).filter((f) => Number(f) > count) : [];
    if (extra.length) process.stderr.write(`gradsheet: note: ${dir} still holds ${extra.length} variant folders of an earlier, larger run (${extra[0]}...)\n`);
    if (!json) {
      const what = only === undefined ? `${count} variants` : `variant ${only} (${variantFolder(only, count)}/)`;
      process.stdout.write(`${problem.id}: ${what}, seed ${seed} -> ${dir}\n`);
    }
  }
  if (json) process.stdout.write(answersJson(variants));

  let failed = 0;
  for (const v of variants) {
    const c = v.sol.check;
    if (c.entries > 0 && !c.passed) {
      failed++;
      process.stderr.write(`gradsheet: variant ${v.number} (seed ${v.seedLabel}): finite-difference check failed (${c.worst}: ${c.maxRelError.toExponential(2)})\n`);
    }
  }
  return failed ? 1 : 0;
}

/** A folder we cannot write (a file in the way, no permission) is the user's to fix: exit 2 with one line. */
function writeOrFail<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new ProblemError(`cannot write the variants to ${dir} (${code}: ${(e as Error).message})`);
    throw e;
  }
}

function fail(msg: string): never {
  throw new ProblemError(msg);
}

/** A one-line progress bar on stderr when it is a terminal (and not in CI); silent otherwise. */
function progressBar(): (phase: string) => ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY || process.env.CI) return () => undefined;
  let last = 0;
  return (phase) => (done, total) => {
    const now = Date.now();
    if (done + 1 < total && now - last < 100) return;
    last = now;
    const width = 30, filled = Math.round((width * (done + 1)) / total);
    process.stderr.write(`\r${phase} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done + 1}/${total}${done + 1 === total ? '\r\x1b[K' : ''}`);
  };
}
