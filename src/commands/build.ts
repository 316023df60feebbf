/** `gradsheet build`: problem and solution sheets per problem into out/<id>/. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { ProblemError } from '../errors.js';
import { loadProblem } from '../problem/read.js';
import { solve } from '../derive/solve.js';
import { deriveJson } from '../derive/json.js';
import { renderSheets } from '../render/index.js';
import { parseOutputFormats, type Format } from '../input/formats.js';
import { readTemplateOption } from '../input/templates.js';
import { sheetTemplateNames } from '../render/templates.js';
import { hasPdflatex, TEX_INSTALL_HINT } from '../render/pdf.js';
import { copyKatexAssets, writeAtomic } from '../render/write.js';
import { flagString, parseArgs, applyBudgetFlags, BUDGET_FLAGS } from './args.js';

const HELP = `Usage: gradsheet build [FILES or folders] [--out out] [--format tex,html,pdf] [--template DIR] [--max-nodes N]

Writes problem.{tex,html,pdf}, solution.{tex,html,pdf} and answers.json per
problem into OUT/<id>/. With no FILES, every problems/*.yaml. Every file is
validated, solved and rendered before anything is written. --template DIR
reads problem.{tex,html}.hbs, solution.{tex,html}.hbs and partials/ from DIR;
what DIR lacks comes from templates/. Exit 1 if a gradient fails its
finite-difference check, 2 on bad input.`;

export function runBuild(args: string[]): number {
  const p = parseArgs(args, { out: true, format: true, help: false, ...BUDGET_FLAGS, template: true });
  applyBudgetFlags(p);
  if (p.flags.has('help')) { process.stdout.write(HELP + '\n'); return 0; }
  const formats = parseFormats(flagString(p, 'format') ?? 'tex,html,pdf');
  const templateDir = readTemplateOption(flagString(p, 'template'), sheetTemplateNames(formats));
  const out = resolve(flagString(p, 'out') ?? 'out');
  const files = problemFiles(p.positional.length ? p.positional : ['problems']);

  // Solve and render everything first: a bad file stops the build before anything is written.
  const ids = new Map<string, string>();
  const jobs = files.map((file) => {
    const sol = solve(loadProblem(file));
    const other = ids.get(sol.problem.id);
    if (other) throw new ProblemError(`id '${sol.problem.id}' is also used by ${other}`, file, sol.problem.root.get('id').line, 'id');
    ids.set(sol.problem.id, file);
    return sol;
  });
  if (formats.includes('pdf') && !hasPdflatex()) {
    process.stderr.write(`gradsheet: no TeX engine (pdflatex) found, PDFs are skipped; install one with: ${TEX_INSTALL_HINT}\n`);
  }
  // Render everything before writing too: a template that fails while it runs leaves no partial output.
  const renders = jobs.map((sol) => {
    const dir = join(out, sol.problem.id);
    if (!(dir + sep).startsWith(out + sep)) throw new ProblemError(`id '${sol.problem.id}' would write outside ${out}`, sol.problem.file);
    return { sol, dir, rendered: renderSheets(sol, { formats, templateDir }) };
  });
  let failed = 0;
  for (const { sol, dir, rendered } of renders) {
    if (formats.includes('html')) copyKatexAssets(dir);
    for (const [name, data] of rendered.files) writeAtomic(join(dir, name), data);
    writeAtomic(join(dir, 'answers.json'), JSON.stringify(deriveJson(sol), null, 2) + '\n');
    for (const w of rendered.warnings) process.stderr.write(`gradsheet: ${w}\n`);
    if (sol.check.entries > 0 && !sol.check.passed) {
      failed++;
      process.stderr.write(`gradsheet: ${sol.problem.file}: finite-difference check failed (${sol.check.worst}: ${sol.check.maxRelError.toExponential(2)})\n`);
    }
    process.stdout.write(`${sol.problem.id}: ${[...rendered.files.keys()].join(', ')} -> ${dir}\n`);
  }
  return failed ? 1 : 0;
}

function parseFormats(s: string): Format[] {
  return parseOutputFormats(s, false).sheets;
}

/** Problem files from arguments: files as given, folders as their *.yaml files, sorted. */
export function problemFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new ProblemError('no such file or folder', p);
    if (statSync(p).isDirectory()) out.push(...readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(p, f)));
    else out.push(p);
  }
  if (!out.length) throw new ProblemError('no problem files (*.yaml) found', paths.join(', '));
  return out;
}
