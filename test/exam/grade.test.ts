// `gradsheet grade` on made-up responses to exams/seed000-midterm.yaml (seed 5, 3 variants).
// The responses start from the key (rounded to 4 significant figures, as students write)
// and plant one mistake each; the expected points are worked out here from the exam
// file's points and the even split over graded numbers:
//   Q1 = 5 automatic points over 15 numbers (its 20-point proof is graded by hand), Q2 = two parts
//   of 5 points over 5 numbers each, Q3 = a 5 / b 10 over 4 / c 10 over 3, Q4 = a 10 over 6 /
//   b 20 over 4, Q5 = a 10 over 34 / b 20 over 21: 100 points graded automatically.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProblemError } from '../../src/errors.js';
import { runGrade } from '../../src/commands/grade.js';
import { loadExam } from '../../src/exam/load.js';
import { answersCsv } from '../../src/exam/output.js';
import { solveExam } from '../../src/exam/solve.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REPO } from '../helpers/oracles.js';
import { splitCsvLine } from './split.js';

const EXAM = join(REPO, 'exams', 'seed000-midterm.yaml');
let tmp: string;
let key: { header: string[]; rows: string[][] };
let graded: CliResult;
let grades: string[][];

const csvLine = (r: readonly string[]) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
const split = splitCsvLine;
const readCsv = (text: string) => text.trimEnd().split('\n').map(split);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gradsheet-grade-'));
  const rows = readCsv(answersCsv(solveExam(loadExam(EXAM), '5', 1, 3)));
  key = { header: rows[0]!, rows: rows.slice(1) };
  const h = key.header.slice(2);
  const answers = (variant: number, change: Record<string, (v: number) => string> = {}) =>
    h.map((c, i) => { const v = Number(key.rows[variant - 1]![i + 2]); return change[c] ? change[c]!(v) : String(Number(v.toPrecision(4))); });
  const responses = [
    ['id', 'variant', ...h],
    ['s1', '1', ...answers(1)],
    ['s2', '2', ...answers(2, { '2.1:o/b1': (v) => String(-v) })],
    ['s3', '3', ...answers(3, { '3.b:L/w[1]': (v) => String(v * 1.37) })],
    ['s4', '1', ...answers(1, { '4.b:E/K[1,1]': (v) => String(2 * v), '5.a:E': () => '' })],
    ['s5', '2', ...answers(2, { '1.1:z2': () => 'abc' })],
  ];
  writeFileSync(join(tmp, 'responses.csv'), responses.map(csvLine).join('\n') + '\n');
  graded = runCli(['grade', EXAM, '--answers', join(tmp, 'responses.csv'), '--seed', '5', '--count', '3']);
  grades = readCsv(readFileSync(join(tmp, 'grades.csv'), 'utf8'));
}, 120_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe('grade exams/seed000-midterm.yaml --answers responses.csv --seed 5', () => {
  it('succeeds and writes grades.csv beside the responses', () => {
    expect(graded.stderr).toBe('');
    expect(graded.status).toBe(0);
    expect(graded.stdout).toMatch(/^seed000-midterm: graded 5 students, mean [\d.]+ of the 100 points graded automatically \(the exam has 120\) -> /);
    expect(grades[0]!.slice(0, 10)).toEqual(['id', 'variant', 'Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'total', 'out of', 'by hand']);
    expect(grades[0]!.slice(10, -1)).toEqual(key.header.slice(2));
    expect(grades[0]!.at(-1)).toBe('notes');
  });

  const row = (id: string) => grades.find((r) => r[0] === id)!;
  const verdict = (id: string, col: string) => row(id)[grades[0]!.indexOf(col)];

  it('all right (rounded to 4 significant figures): every automatic point', () => {
    expect(row('s1').slice(0, 10)).toEqual(['s1', '1', '5', '10', '25', '30', '30', '100', '100', '1.2 (20)']);
    expect(row('s1').slice(10, -1).every((v) => v === 'ok')).toBe(true);
    expect(row('s1').at(-1)).toBe('');
  });

  it('a sign error on do/db1 of Q2(1): loses that number\'s 1 point (5 points over 5 numbers), diagnosed as sign', () => {
    expect(row('s2').slice(2, 8)).toEqual(['5', '9', '25', '30', '30', '99']);
    expect(verdict('s2', '2.1:o/b1')).toBe('sign');
    expect(row('s2').at(-1)).toMatch(/^2\.1:o\/b1: sign \(the answer is the negative of the value /);
  });

  it('a wrong value for dL/dw1 of Q3(b): loses 10/4 = 2.5 points, diagnosed as other', () => {
    expect(row('s3').slice(2, 8)).toEqual(['5', '10', '22.5', '30', '30', '97.5']);
    expect(verdict('s3', '3.b:L/w[1]')).toBe('other');
    expect(row('s3').at(-1)).toMatch(/^3\.b:L\/w\[1\]: other \(the value is /);
  });

  it('twice dE/dK11 (a factor) and no E in Q5(a): loses 20/4 = 5 and 10/34 points', () => {
    // Q5: 30 - 10/34 = 29.7058... -> 29.71; total 100 - 5 - 10/34 = 94.7058... -> 94.71
    expect(row('s4').slice(2, 8)).toEqual(['5', '10', '25', '25', '29.71', '94.71']);
    expect(verdict('s4', '4.b:E/K[1,1]')).toBe('factor');
    expect(verdict('s4', '5.a:E')).toBe('missing');
    expect(row('s4').at(-1)).toMatch(/4\.b:E\/K\[1,1\]: factor \(the answer is 2 times the value .*\); 5\.a:E: missing \(no answer\)/);
  });

  it('a cell that is not a number: wrong, not an input error (Q1 loses 5/15 points)', () => {
    // 5 - 1/3 = 4.666... -> 4.67; total 100 - 1/3 -> 99.67
    expect(row('s5').slice(2, 8)).toEqual(['4.67', '10', '25', '30', '30', '99.67']);
    expect(verdict('s5', '1.1:z2')).toBe('other');
    expect(row('s5').at(-1)).toBe("1.1:z2: other ('abc' is not a number)");
  });
});

describe('bad responses: exit 2 naming the file, line and column; nothing written', () => {
  const write = (name: string, text: string) => { const f = join(tmp, name); writeFileSync(f, text); return f; };
  const fails = (f: string): ProblemError => {
    const out = join(tmp, `${f.split('/').at(-1)}.grades.csv`);
    let err: unknown;
    try { runGrade([EXAM, '--answers', f, '--seed', '5', '--count', '3', '--out', out]); } catch (e) { err = e; }
    expect(existsSync(out)).toBe(false);
    expect(err).toBeInstanceOf(ProblemError);
    return err as ProblemError;
  };

  it('a column that is not a graded number (a typo)', () => {
    const e = fails(write('typo.csv', 'id,variant,2.1:o/b2\ns1,1,3\n'));
    expect([e.file?.endsWith('typo.csv'), e.line, e.key]).toEqual([true, 1, '2.1:o/b2']);
    expect(e.message).toMatch(/is not a graded number of this exam/);
  });

  it('a variant outside 1..count, and the same id twice', () => {
    const e = fails(write('variant.csv', 'id,variant\ns1,1\ns2,4\n'));
    expect([e.line, e.key]).toEqual([3, 'variant']);
    expect(e.message).toMatch(/from 1 to 3, got '4'/);
    const d = fails(write('dup.csv', 'id,variant\ns1,1\ns1,2\n'));
    expect([d.line, d.key]).toEqual([3, 'id']);
  });

  it('through the command line: exit 2, one line', () => {
    const r = runCli(['grade', EXAM, '--answers', write('novariant.csv', 'id,2.1:o/b1\ns1,3\n'), '--seed', '5', '--count', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/novariant\.csv:1: the header row must name the columns 'id' and 'variant'/);
    expect(existsSync(join(tmp, 'grades.csv'))).toBe(true); // the earlier run's, untouched
  });
});
