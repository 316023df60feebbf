/**
 * Grading (contract 7): a CSV of student responses, one row per student
 * (`id`, `variant`, then answers under the headers of answers.csv), compared
 * number by number with the key of that student's variant. A number is right
 * when it agrees within the unit's tolerance (the exam's `tolerance`, else the
 * problem's variants tolerance, else 1e-3 relative); a wrong one gets the
 * check module's numeric diagnosis (sign, factor or other), and the entries
 * of an asked vector or matrix are read together for a pattern of the whole
 * (matrix-diagnosis.ts: transposed, sign, factor, missing-factor). Each number
 * earns its share of the points (see scalars.ts); text items and parts that
 * ask for no single number are left to the grader and listed as such.
 */
import { ProblemError } from '../errors.js';
import { close } from '../check/compare.js';
import { diagnoseValue, fmt } from '../check/diagnose.js';
import { Rational } from '../expr/rational.js';
import type { Tolerance } from '../variants/spec.js';
import { diagnoseMatrix, type MatrixVerdict } from './matrix-diagnosis.js';
import { factorCandidates } from './factor-candidates.js';
import type { CsvRow } from './csv.js';
import { formatPoints } from './points.js';
import type { ExamVariant, SolvedUnit } from './solve.js';
import type { ExamSpec } from './spec.js';

export interface Response { readonly id: string; readonly variant: number; readonly line: number; readonly answers: ReadonlyMap<string, string> }

export type Verdict = 'ok' | 'missing' | 'sign' | 'factor' | 'other' | MatrixVerdict;

export interface EntryGrade {
  readonly header: string;
  readonly verdict: Verdict;
  /** null when right, or when the whole matrix's diagnosis (its `matrix`) explains it */
  readonly detail: string | null;
  readonly points: Rational;
  /** the id of the whole-matrix diagnosis that covers this entry */
  readonly matrix?: string;
}

/** A vector or matrix answer whose given entries all show one mistake. */
export interface MatrixGrade { readonly id: string; readonly verdict: MatrixVerdict; readonly detail: string }

export interface StudentGrade {
  readonly response: Response;
  /** points per question, in order */
  readonly questions: readonly Rational[];
  readonly total: Rational;
  readonly entries: readonly EntryGrade[];
  readonly matrices: readonly MatrixGrade[];
}

export interface Responses { readonly responses: readonly Response[]; readonly columns: readonly string[]; readonly headerLine: number }

/** Read the responses: a header row naming `id`, `variant` and graded columns, then one row per student. */
export function parseResponses(rows: readonly CsvRow[], file: string, count: number): Responses {
  const head = rows[0];
  if (!head) throw new ProblemError('the responses file is empty (expected a header row: id,variant,...)', file);
  const cols = head.fields;
  const idCol = cols.indexOf('id'), variantCol = cols.indexOf('variant');
  if (idCol < 0 || variantCol < 0) throw new ProblemError("the header row must name the columns 'id' and 'variant'", file, head.line);
  const seen = new Set<string>();
  for (const c of cols) {
    if (seen.has(c)) throw new ProblemError(`the column '${c}' appears twice`, file, head.line, c);
    seen.add(c);
  }
  const graded = cols.filter((_, i) => i !== idCol && i !== variantCol && !IGNORED.has(cols[i]!));
  const ids = new Map<string, number>();
  const responses = rows.slice(1).map((r) => {
    if (r.fields.length !== cols.length) throw new ProblemError(`the row has ${r.fields.length} fields, the header ${cols.length}`, file, r.line);
    const id = r.fields[idCol]!;
    if (!id) throw new ProblemError('the id is empty', file, r.line, 'id');
    const before = ids.get(id);
    if (before !== undefined) throw new ProblemError(`the id '${id}' is already on line ${before}`, file, r.line, 'id');
    ids.set(id, r.line);
    const v = r.fields[variantCol]!;
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > count) throw new ProblemError(`the variant is a whole number from 1 to ${count}, got '${v}'`, file, r.line, 'variant');
    const answers = new Map<string, string>();
    cols.forEach((c, i) => { if (i !== idCol && i !== variantCol && !IGNORED.has(c)) answers.set(c, r.fields[i]!); });
    return { id, variant: Number(v), line: r.line, answers };
  });
  return { responses, columns: graded, headerLine: head.line };
}

/** Columns of answers.csv that are not answers. */
const IGNORED: ReadonlySet<string> = new Set(['seed', 'name']);

/** Every answer column must be a graded number of the exam (a typo must not silently cost a student points). */
export function checkColumns(r: Responses, file: string, headers: readonly string[]): void {
  const known = new Set(headers);
  for (const c of r.columns) {
    if (!known.has(c)) throw new ProblemError(`'${c}' is not a graded number of this exam (the columns are those of answers.csv, e.g. ${headers.slice(0, 3).join(', ')})`, file, r.headerLine, c);
  }
}

export function gradeStudent(exam: ExamSpec, v: ExamVariant, response: Response): StudentGrade {
  const entries: EntryGrade[] = [];
  const matrices: MatrixGrade[] = [];
  const byQuestion = new Map<number, Rational>(exam.questions.map((q) => [q.number, Rational.ZERO]));
  for (const u of v.units) {
    const q = Number(u.lu.label.split('.')[0]);
    const unitEntries = u.scalars.map((s) => gradeEntry(s.header, response.answers.get(s.header), s.value, u, s.points));
    matrices.push(...diagnoseMatrices(u, unitEntries, response));
    for (const e of unitEntries) {
      entries.push(e);
      byQuestion.set(q, byQuestion.get(q)!.add(e.points));
    }
  }
  const questions = exam.questions.map((q) => byQuestion.get(q.number)!);
  return { response, questions, entries, matrices, total: questions.reduce((a, b) => a.add(b), Rational.ZERO) };
}

/**
 * The whole-matrix diagnosis of each asked vector or matrix of a unit with a
 * wrong entry: where the student's entries show one pattern, each wrong entry
 * takes the pattern as its verdict (in place, in `entries`).
 */
function diagnoseMatrices(u: SolvedUnit, entries: EntryGrade[], response: Response): MatrixGrade[] {
  const groups = new Map<string, number[]>();
  u.scalars.forEach((s, i) => { if (s.entryOf) (groups.get(s.entryOf.id) ?? groups.set(s.entryOf.id, []).get(s.entryOf.id)!).push(i); });
  const out: MatrixGrade[] = [];
  for (const [id, members] of groups) {
    if (members.every((i) => entries[i]!.verdict === 'ok')) continue;
    const first = u.scalars[members[0]!]!.entryOf!;
    const size = first.shape.reduce((a, b) => a * b, 1);
    const got: Array<number | null> = new Array(size).fill(null);
    const key = new Float64Array(size);
    for (const i of members) {
      const s = u.scalars[i]!;
      got[s.entryOf!.index] = readNumber(response.answers.get(s.header) ?? '');
      key[s.entryOf!.index] = s.value;
    }
    // an entry graded elsewhere (asked twice) is not in this group: its key comes from the solution
    if (members.length !== size) continue;
    // an absolute tolerance is read relative to the matrix's largest entry
    let scale = 0;
    for (const x of key) scale = Math.max(scale, Math.abs(x));
    const finding = diagnoseMatrix(first.shape, got, key, relativeOf(u.tolerance, scale), u.sol ? factorCandidates(u.sol) : []);
    if (!finding) continue;
    out.push({ id, ...finding });
    for (const i of members) {
      const e = entries[i]!;
      if (e.verdict !== 'ok' && e.verdict !== 'missing') entries[i] = { ...e, verdict: finding.verdict, detail: null, matrix: id };
    }
  }
  return out;
}

function gradeEntry(header: string, cell: string | undefined, expected: number, u: SolvedUnit, points: Rational): EntryGrade {
  if (cell === undefined || cell === '') return { header, verdict: 'missing', detail: 'no answer', points: Rational.ZERO };
  const got = readNumber(cell);
  if (got === null) return { header, verdict: 'other', detail: `'${cell.slice(0, 40)}' is not a number`, points: Rational.ZERO };
  if (agrees(got, expected, u.tolerance)) return { header, verdict: 'ok', detail: null, points };
  const rel = relativeOf(u.tolerance, expected);
  const f = diagnoseValue(got, expected, rel);
  if (f.diagnosis === 'sign') return { header, verdict: 'sign', detail: f.detail, points: Rational.ZERO };
  // At a grading tolerance (1e-3) almost every ratio is near some p/q with q <= 100, which the
  // check module accepts as a factor; a student's slip is a small one (2, 1/2, 3, -4, 3/2).
  const r = simpleRatio(got / expected, rel);
  if (f.diagnosis === 'factor' && r) return { header, verdict: 'factor', detail: `the answer is ${r} times the value ${fmt(expected)}`, points: Rational.ZERO };
  return { header, verdict: 'other', detail: f.diagnosis === 'other' ? f.detail : `the value is ${fmt(expected)}, the answer ${fmt(got)}`, points: Rational.ZERO };
}

/** p/q with q <= 4 and |p| <= 12 within `rel` of x (x not 1), as text; else null. */
function simpleRatio(x: number, rel: number): string | null {
  for (let q = 1; q <= 4; q++) {
    const p = Math.round(x * q);
    if (p !== 0 && Math.abs(p) <= 12 && p !== q && Math.abs(p / q - x) <= rel * Math.abs(x)) return q === 1 ? `${p}` : `${p}/${q}`;
  }
  return null;
}

/** A decimal, a number in e-notation or a fraction (`-3/4`), as a student types it. */
function readNumber(s: string): number | null {
  const r = Rational.parse(s.replace(/\s+/g, ''));
  if (!r) return null;
  const x = r.toNumber();
  return Number.isFinite(x) ? x : null;
}

function agrees(got: number, expected: number, t: Tolerance): boolean {
  return t.kind === 'relative' ? close(got, expected, t.value) : Math.abs(got - expected) <= t.value;
}

/** The diagnosis compares with a relative tolerance; an absolute one is read relative to the expected value. */
function relativeOf(t: Tolerance, expected: number): number {
  return t.kind === 'relative' ? t.value : Math.min(0.5, t.value / Math.max(Math.abs(expected), 1e-300));
}

/**
 * grades.csv: id, variant, points per question (Q1, Q2, ...), total, the
 * points graded automatically ("out of"), what is left to grade by hand,
 * one verdict per graded number (ok, missing, sign, factor, other, and for an
 * entry of a vector or matrix whose entries show one pattern: transposed,
 * sign, factor, missing-factor), and notes with each matrix's diagnosis and
 * each other wrong entry's.
 */
export function gradesRows(exam: ExamSpec, variants: ReadonlyMap<number, ExamVariant>, headers: readonly string[], grades: readonly StudentGrade[]): string[][] {
  const head = ['id', 'variant', ...exam.questions.map((q) => `Q${q.number}`), 'total', 'out of', 'by hand', ...headers, 'notes'];
  const rows = [head];
  for (const g of grades) {
    const v = variants.get(g.response.variant)!;
    const auto = v.units.flatMap((u) => u.scalars).reduce((a, s) => a.add(s.points), Rational.ZERO);
    const hand = v.units.flatMap((u) => u.manual).map((m) => `${m.label} (${formatPoints(m.points)})`).join('; ');
    const verdicts = new Map(g.entries.map((e) => [e.header, e.verdict]));
    // a whole matrix's diagnosis once, then each wrong entry it does not explain
    const notes = [
      ...g.matrices.map((m) => `${m.id} (whole matrix): ${m.verdict} (${m.detail})`),
      ...g.entries.filter((e) => e.verdict !== 'ok' && !e.matrix).map((e) => `${e.header}: ${e.verdict}${e.detail ? ` (${e.detail})` : ''}`),
    ].join('; ');
    rows.push([
      g.response.id, String(g.response.variant), ...g.questions.map(formatPoints), formatPoints(g.total), formatPoints(auto), hand,
      ...headers.map((h) => verdicts.get(h) ?? ''), notes,
    ]);
  }
  return rows;
}
