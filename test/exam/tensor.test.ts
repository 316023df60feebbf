// exams/tensor-midterm.yaml (seed 5, 3 variants): seed 000's sigmoid chain beside
// the MLP and the LSTM written as tensor equations. Its answers.csv has a column
// per entry; responses built from the key get full marks, and responses with a
// matrix answer transposed, negated, doubled or without relu' on its rows are
// diagnosed for the whole matrix. The wrong matrices are built here from the
// key's own entries (a transpose, a sign, a factor), and the missing factor from
// the variant's given values and the key's delta (W2^T delta2) x^T, by hand.
// Points: Q1 10 over 5 numbers; Q2 a 10 over z1 (4), p (3), E (1), b 25 over
// z2 (3), W2 (12), W1 (12), b1 (4) = 31 numbers; Q3 a 10 over c (6), h (6), E (1),
// b 30 over Wf (8), Wg (8), bf (2), c[2] (2) = 20 numbers; Q4 (15) by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGrade } from '../../src/commands/grade.js';
import { loadExam } from '../../src/exam/load.js';
import { answersCsv, renderExam } from '../../src/exam/output.js';
import { solveExam, type ExamVariant } from '../../src/exam/solve.js';
import { REPO } from '../helpers/oracles.js';
import { splitCsvLine } from './split.js';

const EXAM = join(REPO, 'exams', 'tensor-midterm.yaml');
let tmp: string;
let variants: ExamVariant[];
let key: { header: string[]; rows: string[][] };
let grades: string[][];
let out: string;
/** entries of the planted transposed dE/dW1 that differ from the key */
let transposedWrong = 0;

const csvLine = (r: readonly string[]) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
const readCsv = (t: string) => t.trimEnd().split('\n').map(splitCsvLine);
const round4 = (v: number) => String(Number(v.toPrecision(4)));
const keyOf = (variant: number, col: string) => Number(key.rows[variant - 1]![key.header.indexOf(col)]);
/** The key's entries of a matrix column family (`2.b:E/W1`), as rows. */
const matrix = (variant: number, prefix: string, r: number, c: number) =>
  Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => keyOf(variant, `${prefix}[${i + 1},${j + 1}]`)));
/** Answers for the columns `${prefix}[i,j]` from a matrix. */
const put = (prefix: string, m: number[][]) => Object.fromEntries(m.flatMap((row, i) => row.map((v, j) => [`${prefix}[${i + 1},${j + 1}]`, round4(v)])));

/** The MLP's W1 gradient without relu' on its rows: (W2^T delta2) x^T, from the variant's given values and the key's delta2 = dE/dz2. */
function withoutReluDerivative(v: ExamVariant): number[][] {
  const tn = v.units[1]!.sol!.tensor!.network;
  const W2 = tn.leaves.get('W2')!.data, x = tn.leaves.get('x')!.data;
  const d2 = [1, 2, 3].map((k) => keyOf(v.number, `2.b:E/z2[${k}]`));
  return Array.from({ length: 4 }, (_, i) => Array.from({ length: 3 }, (_, j) => (W2[i]! * d2[0]! + W2[4 + i]! * d2[1]! + W2[8 + i]! * d2[2]!) * x[j]!));
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gradsheet-tensor-exam-'));
  variants = solveExam(loadExam(EXAM), '5', 1, 3);
  const rows = readCsv(answersCsv(variants));
  key = { header: rows[0]!, rows: rows.slice(1) };
  const h = key.header.slice(2);
  const answers = (variant: number, change: Record<string, string> = {}) => h.map((c) => change[c] ?? round4(keyOf(variant, c)));
  const W1 = (v: number) => matrix(v, '2.b:E/W1', 4, 3);
  const transpose = (m: number[][]) => m[0]!.map((_, j) => m.map((row) => row[j]!));
  // the student's 3x4 transpose, read row by row into the 4x3 boxes
  const readInto = (m: number[][], r: number, c: number) => { const flat = m.flat(); return Array.from({ length: r }, (_, i) => flat.slice(i * c, (i + 1) * c)); };
  const planted = readInto(transpose(W1(2)), 4, 3);
  transposedWrong = planted.flat().filter((x, i) => Math.abs(Number(round4(x)) - W1(2).flat()[i]!) > 1e-3 * Math.abs(W1(2).flat()[i]!)).length;
  const responses = [
    ['id', 'variant', ...h],
    ['key1', '1', ...answers(1)],
    ['key2', '2', ...answers(2)],
    ['key3', '3', ...answers(3)],
    ['transposed', '2', ...answers(2, put('2.b:E/W1', planted))],
    ['norelu', '2', ...answers(2, put('2.b:E/W1', withoutReluDerivative(variants[1]!)))],
    ['double', '1', ...answers(1, put('2.b:E/W2', matrix(1, '2.b:E/W2', 3, 4).map((r) => r.map((x) => 2 * x))))],
    ['sign', '3', ...answers(3, put('3.b:E/Wg', matrix(3, '3.b:E/Wg', 2, 4).map((r) => r.map((x) => -x))))],
    ['one', '1', ...answers(1, { '2.b:E/W1[2,3]': round4(3 * keyOf(1, '2.b:E/W1[2,3]') + 1) })],
  ];
  writeFileSync(join(tmp, 'responses.csv'), responses.map(csvLine).join('\n') + '\n');
  out = join(tmp, 'grades.csv');
  runGrade([EXAM, '--answers', join(tmp, 'responses.csv'), '--seed', '5', '--count', '3', '--out', out]);
  grades = readCsv(readFileSync(out, 'utf8'));
}, 60_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

const row = (id: string) => grades.find((r) => r[0] === id)!;
const col = (name: string) => grades[0]!.indexOf(name);
const verdicts = (id: string, prefix: string) => grades[0]!.map((c, i) => [c, row(id)[i]] as const).filter(([c]) => c.startsWith(`${prefix}[`)).map(([, v]) => v);

describe('exam tensor-midterm: answers.csv and grading of matrix answers', () => {
  it('answers.csv: a column per entry of every asked vector and matrix, steps of sequences included', () => {
    expect(key.header.length).toBe(2 + 5 + 8 + 31 + 13 + 20);
    for (const c of ['1:o/b1', '2.a:z1[4]', '2.b:E/W1[4,3]', '3.a:c[3,2]', '3.b:E/Wf[2,4]', '3.b:E/c[2,1]']) expect(key.header).toContain(c);
  });

  it('responses built from the key (to 4 significant figures): full marks', () => {
    for (const id of ['key1', 'key2', 'key3']) {
      expect(row(id).slice(2, 9)).toEqual(['10', '35', '40', '0', '85', '85', '4 (15)']);
      expect(row(id).slice(9, -1).every((v) => v === 'ok')).toBe(true);
      expect(row(id).at(-1)).toBe('');
    }
  });

  it('a transposed dE/dW1 is diagnosed transposed for the whole matrix; it loses exactly its wrong entries', () => {
    const wrong = verdicts('transposed', '2.b:E/W1').filter((v) => v !== 'ok');
    expect(transposedWrong).toBeGreaterThanOrEqual(2);
    expect(wrong.length).toBe(transposedWrong);
    expect(new Set(wrong)).toEqual(new Set(['transposed']));
    expect(row('transposed').at(-1)).toBe('2.b:E/W1 (whole matrix): transposed (the entries, read row by row, are those of the transpose (3x4) of the 4x3 matrix)');
    // Q2 loses 25/31 per wrong entry
    expect(Number(row('transposed')[col('Q2')])).toBeCloseTo(35 - (25 / 31) * wrong.length, 2);
  });

  it('dE/dW1 without relu\'s derivative: missing-factor, named', () => {
    const wrong = verdicts('norelu', '2.b:E/W1').filter((v) => v !== 'ok');
    expect(wrong.length).toBeGreaterThan(0);
    expect(new Set(wrong)).toEqual(new Set(['missing-factor']));
    expect(row('norelu').at(-1)).toBe("2.b:E/W1 (whole matrix): missing-factor (each row lacks its factor relu'(z1) = step(z1): the answer times it gives the right entries)");
  });

  it('twice dE/dW2 and the negative of the LSTM\'s dE/dWg: factor and sign for the whole matrix', () => {
    expect(new Set(verdicts('double', '2.b:E/W2').filter((v) => v !== 'ok'))).toEqual(new Set(['factor']));
    expect(row('double').at(-1)).toBe('2.b:E/W2 (whole matrix): factor (every entry is 2 times the right one)');
    expect(new Set(verdicts('sign', '3.b:E/Wg').filter((v) => v !== 'ok'))).toEqual(new Set(['sign']));
    expect(row('sign').at(-1)).toBe('3.b:E/Wg (whole matrix): sign (every entry is the negative of the right one)');
    expect(row('sign')[col('Q3')]).toBe(String(40 - 30 * 8 / 20));
  });

  it('one wrong entry: its own diagnosis, no claim about the matrix', () => {
    expect(row('one')[col('2.b:E/W1[2,3]')]).toMatch(/^(other|factor)$/);
    expect(row('one').at(-1)).toMatch(/^2\.b:E\/W1\[2,3\]: (other|factor) \(/);
  });
});

describe('exam tensor-midterm: the printed exam and key in matrix notation', () => {
  it('asks and key tables name vectors, matrices and steps as the sheets do', () => {
    const r = renderExam(loadExam(EXAM), variants.slice(0, 1), { formats: ['tex'], count: 3, combined: false });
    const exam = String(r.files.get(join('001', 'exam.tex')));
    const key = String(r.files.get(join('001', 'solutions.tex')));
    expect(exam).toContain('An LSTM over three steps');
    expect(exam).toContain('$\\mathbf{c}_{t}$, $\\mathbf{h}_{t}$ and $E$ for $t = 1, \\ldots, 3$');
    expect(exam).toContain('$\\frac{\\partial E}{\\partial \\mathbf{c}_{2}}$');
    expect(key).toContain('\\frac{\\partial E}{\\partial \\left(\\mathbf{W}^{[1]}\\right)_{4,3}}');
    expect(key).toContain('\\left(\\mathbf{c}_{3}\\right)_{2}');
  });
});
