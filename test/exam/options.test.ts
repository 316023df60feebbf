// The exam's smaller pieces, in process: --template (an institution's wrapper and partials,
// with the project's bodies as fallback), a roster on the cover page, text items, the even
// split of points (worked out here as fractions), CSV reading, and how points print.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProblemError } from '../../src/errors.js';
import { runExam } from '../../src/commands/exam.js';
import { parseCsv } from '../../src/exam/csv.js';
import { loadExam } from '../../src/exam/load.js';
import { formatPoints } from '../../src/exam/points.js';
import { solveExam } from '../../src/exam/solve.js';
import { Rational } from '../../src/expr/rational.js';
import { REPO } from '../helpers/oracles.js';

let tmp: string;
const XOR = join(REPO, 'problems', 'seed000-q1-xor-corrected.yaml');

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gradsheet-exam-opt-'));
  writeFileSync(join(tmp, 'roster.csv'), 'name,id\nAda Lovelace,A1\n"Bob & Co, Jr.",B2\n');
  writeFileSync(join(tmp, 'quiz.yaml'), [
    'id: quiz', 'title: Quiz 1', 'variants: {count: 2, seed: 9}', 'roster: roster.csv', 'items:',
    `  - {problem: ${XOR}, parts: [a, b, c], points: 6}`,
    '  - {text: "Why is XOR not linearly separable?", points: 4, answer: "The two classes have intersecting convex hulls: $(0,1)$ and $(1,0)$ average to $(1/2, 1/2)$, as do $(0,0)$ and $(1,1)$."}',
    '',
  ].join('\n'));
  const tpl = join(tmp, 'tpl');
  mkdirSync(join(tpl, 'partials'), { recursive: true });
  writeFileSync(join(tpl, 'exam.tex.hbs'), '% my-institution\n\\documentclass{myexam}\n\\begin{document}\n{{{body}}}\n\\end{document}\n');
  writeFileSync(join(tpl, 'partials', 'head.html.hbs'), '<meta name="institution" content="mine">\n<link rel="stylesheet" href="{{katexCss}}">\n');
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  expect(runExam([join(tmp, 'quiz.yaml'), '--format', 'tex,html', '--template', tpl, '--out', join(tmp, 'out')])).toBe(0);
  vi.restoreAllMocks();
}, 120_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

const read = (rel: string) => readFileSync(join(tmp, 'out', rel), 'utf8');

describe('--template DIR', () => {
  it("uses DIR's wrapper and partials, and the project's bodies where DIR has none", () => {
    const tex = read('001/exam.tex');
    expect(tex.startsWith('% my-institution\n\\documentclass{myexam}\n\\begin{document}\n')).toBe(true);
    // the body is the project's exam-body.tex.hbs: the answer boxes and the cover's table
    expect(tex).toContain(read('001/exam-body.tex'));
    expect(tex).toContain('\\providecommand{\\answerbox}');
    expect(read('001/solutions.tex').startsWith('% my-institution\n')).toBe(true);
    const html = read('002/exam.html');
    expect(html).toContain('<meta name="institution" content="mine">');
    expect(html).toContain('<link rel="stylesheet" href="../katex/katex.min.css">');
    expect(html).not.toContain('max-width: 52rem'); // the project's head partial is replaced, not added to
  });

  it('a template that is not valid Handlebars is an input error naming the template', () => {
    const bad = join(tmp, 'bad-tpl');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'exam-body.tex.hbs'), '{{#each questions}} no end\n');
    let err: unknown;
    try { runExam([join(tmp, 'quiz.yaml'), '--format', 'tex', '--template', bad, '--out', join(tmp, 'never')]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ProblemError);
    expect((err as ProblemError).file).toBe(join(bad, 'exam-body.tex.hbs'));
  });
});

describe('roster and text items', () => {
  it("prints line k's student on variant k's cover, escaped for TeX and HTML", () => {
    expect(read('001/exam.tex')).toContain('\\makebox[7.5cm][l]{ Ada Lovelace }');
    expect(read('001/exam.tex')).toContain('\\makebox[4cm][l]{ A1 }');
    expect(read('002/exam.tex')).toContain('\\makebox[7.5cm][l]{ Bob \\& Co, Jr. }');
    expect(read('002/exam.html')).toContain('<span>Name: Bob &amp; Co, Jr.</span>');
    expect(read('002/solutions.tex')).toContain('Student: Bob \\& Co, Jr. (B2)');
  });

  it('a text item is on the exam without its answer; the key gives the model answer and says it is graded by hand', () => {
    const exam = read('001/exam.tex'), key = read('001/solutions.tex');
    expect(exam).toContain('Why is XOR not linearly separable?');
    expect(exam).not.toContain('intersecting convex hulls');
    expect(key).toContain('Model answer. The two classes have intersecting convex hulls: $(0,1)$');
    expect(key).toContain('Graded by hand (4 points).');
    // the fixed problem's table part has no single number: the key says it is graded by hand
    expect(key).toContain('Part c asks for no single number and earns no points of its own');
  });

  it('answers.csv: the fixed problem has the same numbers in both variants', () => {
    const [head, r1, r2] = read('answers.csv').trimEnd().split('\n');
    expect(head!.startsWith('variant,seed,1.a:z1[1],1.a:z1[2],1.a:h[1],1.a:h[2],1.a:z2,1.a:o,"1.b:z2/W1[1,1]"')).toBe(true);
    expect(r1!.slice(r1!.indexOf(',', 2))).toBe(r2!.slice(r2!.indexOf(',', 2)));
  });
});

describe('points', () => {
  it("split evenly over each part's numbers: seed000-midterm Q3 is a 5 (1 number), b 10 (4), c 10 (3)", () => {
    const exam = loadExam(join(REPO, 'exams', 'seed000-midterm.yaml'));
    const q3 = solveExam({ ...exam, questions: [exam.questions[2]!] }, '5', 1, 1)[0]!.units[0]!;
    const third = Rational.of(10n, 3n);
    expect(q3.scalars.map((s) => [s.header, s.points.toString()])).toEqual([
      ['3.a:parameters', '5'],
      ...[1, 2, 3, 4].map((i) => [`3.b:L/w[${i}]`, '5/2']),
      ...[1, 2, 3].map((i) => [`3.c:L/v[${i}]`, third.toString()]),
    ]);
    expect(q3.manual).toEqual([]);
  });

  it('print as whole numbers or to two decimals', () => {
    expect([Rational.int(25), Rational.of(5n, 2n), Rational.of(25n, 3n), Rational.of(1n, 3n), Rational.of(2n, 3n)].map(formatPoints)).toEqual(['25', '2.5', '8.33', '0.33', '0.67']);
  });
});

describe('CSV', () => {
  it('reads quotes, doubled quotes, commas and line breaks in quotes, CRLF, a byte-order mark, and blank lines', () => {
    const rows = parseCsv('\uFEFFid,variant\r\n"a, b",1\r\n\r\n"say ""hi""\nthere",2\n', 'x.csv');
    expect(rows).toEqual([
      { line: 1, fields: ['id', 'variant'] },
      { line: 2, fields: ['a, b', '1'] },
      { line: 4, fields: ['say "hi"\nthere', '2'] },
    ]);
    expect(() => parseCsv('"open,1\n', 'x.csv')).toThrow(/never closed/);
  });
});
