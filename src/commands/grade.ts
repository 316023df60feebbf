/** `gradsheet grade FILE --answers responses.csv [--out grades.csv] [--seed S] [--count N]` (contract 7). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ProblemError } from '../errors.js';
import { Rational } from '../expr/rational.js';
import { csvText, parseCsv } from '../exam/csv.js';
import { checkColumns, gradeStudent, gradesRows, parseResponses } from '../exam/grade.js';
import { loadExam } from '../exam/load.js';
import { formatPoints } from '../exam/points.js';
import { solveExam, type ExamVariant } from '../exam/solve.js';
import { writeAtomic } from '../render/write.js';
import { countAndSeed } from './exam.js';
import { applyBudgetFlags, BUDGET_FLAGS, flagString, parseArgs } from './args.js';

const HELP = `Usage: gradsheet grade FILE --answers responses.csv [--out grades.csv] [--seed S] [--count N]

Grades the responses to the exam in FILE. responses.csv has a header row and
one row per student: 'id', 'variant', then the student's numbers under the
headers of the exam's answers.csv (item.part:of/wrt; a 'seed' or 'name'
column is ignored, a missing column or an empty cell is no answer).
Each variant's key is computed again from FILE and the seed (--seed and
--count as given to gradsheet exam). A number is right within the exam's
tolerance (else its problem's variants tolerance, else 1e-3 relative); each
graded number is worth an even share of its item's (or part's) points.
Writes grades.csv (default: beside the responses): points per question,
total, the points graded by hand (text items), one verdict per number (ok,
missing, sign, factor, other) and notes with each wrong entry's diagnosis.
Exit 2 on bad input (nothing is written).`;

export function runGrade(args: string[]): number {
  const p = parseArgs(args, { answers: true, out: true, seed: true, count: true, help: false, ...BUDGET_FLAGS });
  if (p.flags.has('help')) { process.stdout.write(HELP + '\n'); return 0; }
  applyBudgetFlags(p);
  if (p.positional.length !== 1) throw new ProblemError('grade takes one exam file (see --help)');
  const answersFile = flagString(p, 'answers') ?? fail('--answers F is required (the students\' responses, CSV)');
  const exam = loadExam(p.positional[0]!);
  const { count, seed } = countAndSeed(p, exam);
  let text: string;
  try {
    text = readFileSync(answersFile, 'utf8');
  } catch (e) {
    throw new ProblemError(`cannot read the responses (${(e as NodeJS.ErrnoException).code ?? 'error'})`, answersFile);
  }
  const parsed = parseResponses(parseCsv(text, answersFile), answersFile, count);
  // Only the variants someone answered are solved (from the lowest to the highest: `distinct` draws depend on earlier ones anyway).
  const needed = new Set(parsed.responses.map((r) => r.variant));
  const lo = needed.size ? Math.min(...needed) : 1, hi = needed.size ? Math.max(...needed) : 1;
  const variants = new Map<number, ExamVariant>();
  for (const v of solveExam(exam, seed, lo, hi)) if (needed.has(v.number) || v.number === lo) variants.set(v.number, v);
  const headers = variants.get(lo)!.units.flatMap((u) => u.scalars.map((s) => s.header));
  checkColumns(parsed, answersFile, headers);

  const grades = parsed.responses.map((r) => gradeStudent(exam, variants.get(r.variant)!, r));
  for (const r of parsed.responses) {
    const st = exam.roster?.students[r.variant - 1];
    if (st && st.id !== r.id) process.stderr.write(`gradsheet: ${answersFile}:${r.line}: note: '${r.id}' answered variant ${r.variant}, which the roster gives to '${st.id}' (${st.name})\n`);
  }
  const out = resolve(flagString(p, 'out') ?? join(dirname(answersFile), 'grades.csv'));
  writeAtomic(out, csvText(gradesRows(exam, variants, headers, grades)));
  const auto = variants.get(lo)!.units.flatMap((u) => u.scalars).reduce((a, s) => a.add(s.points), Rational.ZERO);
  const mean = grades.length ? grades.reduce((a, g) => a + g.total.toNumber(), 0) / grades.length : 0;
  process.stdout.write(`${exam.id}: graded ${grades.length} student${grades.length === 1 ? '' : 's'}, mean ${mean.toFixed(2)} of the ${formatPoints(auto)} points graded automatically (the exam has ${formatPoints(exam.totalPoints)}) -> ${out}\n`);
  return 0;
}

function fail(msg: string): never {
  throw new ProblemError(msg);
}
