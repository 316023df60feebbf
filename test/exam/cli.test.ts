// `gradsheet exam exams/seed000-midterm.yaml --count 3 --seed 5`, run as a user runs it
// (twice, and once with --only 2). Every number of answers.csv is checked two ways:
// against the library re-solving each problem's variant under the documented seed
// `${seed}-${item}`, and against the independent float models of test/exam/models.ts
// (checked against seed-answers.json in models.test.ts) at that variant's drawn values.
// Points and numbering are compared between the exam and its key and with the exam file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCliMany, type CliResult } from '../helpers/cli.js';
import { REPO } from '../helpers/oracles.js';
import { splitCsvLine } from './split.js';
import { loadExam } from '../../src/exam/load.js';
import { solveVariants } from '../../src/variants/job.js';
import { givenJson, variantJson } from '../../src/variants/answers.js';
import { allUnits } from '../../src/exam/spec.js';
import { chain, conv1d, conv2d, rnn, xorAt11, type Mat, type Values, type Vec } from './models.js';

const EXAM = 'exams/seed000-midterm.yaml';
let tmp: string;
let full: CliResult, again: CliResult, only: CliResult;
const A = () => join(tmp, 'a'), B = () => join(tmp, 'b'), C = () => join(tmp, 'c');
const VARIANT_FILES = ['exam-body.tex', 'exam.html', 'exam.pdf', 'exam.tex', 'solutions-body.tex', 'solutions.html', 'solutions.pdf', 'solutions.tex'];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gradsheet-exam-'));
  const args = (dir: string, ...extra: string[]) => ['exam', EXAM, '--count', '3', '--seed', '5', '--out', dir, ...extra];
  [full, again] = await runCliMany([args(A()), args(B())]);
  [only] = await runCliMany([args(C(), '--only', '2')]);
}, 300_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** answers.csv as header list and rows of string cells (no field of ours needs more than RFC 4180 quoting of commas). */
function readCsv(file: string): { header: string[]; rows: string[][] } {
  const split = splitCsvLine;
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: split(lines[0]!), rows: lines.slice(1).map(split) };
}

// The graded columns, written out from the exam file and the problems' asks (not from gradsheet's output).
const idx2 = (r: number, c: number, f: (i: number, j: number) => string) => Array.from({ length: r * c }, (_, n) => f(Math.floor(n / c) + 1, (n % c) + 1));
const EXPECTED_HEADERS = [
  ...['z1[1]', 'z1[2]', 'h[1]', 'h[2]', 'z2', 'o', ...idx2(2, 2, (i, j) => `z2/W1[${i},${j}]`), 'z2/b1[1]', 'z2/b1[2]', 'z2/W2[1,1]', 'z2/W2[1,2]', 'z2/b2'].map((c) => `1.1:${c}`),
  ...['h1', 'h2', 'h3', 'o', 'o/b1'].map((c) => `2.1:${c}`),
  ...['h1', 'h2', 'h3', 'o', 'o/b1'].map((c) => `2.2:${c}`),
  '3.a:parameters', ...[1, 2, 3, 4].map((i) => `3.b:L/w[${i}]`), ...[1, 2, 3].map((i) => `3.c:L/v[${i}]`),
  ...[...idx2(2, 2, (i, j) => `Y[${i},${j}]`), 'o', 'E'].map((c) => `4.a:${c}`), ...idx2(2, 2, (i, j) => `4.b:E/K[${i},${j}]`),
  ...[...idx2(3, 3, (t, i) => `s[${t},${i}]`), ...idx2(3, 3, (t, i) => `h[${t},${i}]`), ...idx2(3, 2, (t, k) => `z[${t},${k}]`),
    ...idx2(3, 2, (t, k) => `ohat[${t},${k}]`), 'Et[1]', 'Et[2]', 'Et[3]', 'E'].map((c) => `5.a:${c}`),
  ...[...idx2(2, 3, (i, j) => `E/V[${i},${j}]`), ...idx2(3, 2, (i, j) => `E/U[${i},${j}]`), ...idx2(3, 3, (i, j) => `E/W[${i},${j}]`)].map((c) => `5.b:${c}`),
];

describe(`exam ${EXAM} --count 3 --seed 5`, () => {
  it('succeeds and writes 3 exams and 3 keys (PDF, HTML, TeX, body fragments), the combined PDFs and answers.csv', () => {
    expect(full.stderr).toBe('');
    expect(full.status).toBe(0);
    expect(full.stdout).toBe(`seed000-midterm: 3 variants, seed 5 -> ${A()}\n`);
    expect(readdirSync(A()).sort()).toEqual(['001', '002', '003', 'all-exams.pdf', 'all-solutions.pdf', 'answers.csv', 'katex']);
    for (const f of ['001', '002', '003']) expect(readdirSync(join(A(), f)).sort()).toEqual(VARIANT_FILES);
    expect(existsSync(join(A(), 'katex', 'katex.min.css'))).toBe(true);
    // nothing left from the temporary names of the atomic writes
    expect([...hashes(A()).keys()].filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('every PDF was compiled by TeX (a failure would be reported on stderr, which is empty) and is a whole PDF file', () => {
    for (const f of [...['001', '002', '003'].flatMap((v) => [`${v}/exam.pdf`, `${v}/solutions.pdf`]), 'all-exams.pdf', 'all-solutions.pdf']) {
      const pdf = readFileSync(join(A(), f));
      expect(pdf.subarray(0, 5).toString('latin1'), f).toBe('%PDF-');
      expect(pdf.subarray(-8).toString('latin1'), f).toMatch(/%%EOF\s*$/);
    }
    // the combined files hold every variant: larger than any one of them
    const size = (f: string) => statSync(join(A(), f)).size;
    expect(size('all-exams.pdf')).toBeGreaterThan(Math.max(...['001', '002', '003'].map((v) => size(`${v}/exam.pdf`))));
    expect(size('all-solutions.pdf')).toBeGreaterThan(Math.max(...['001', '002', '003'].map((v) => size(`${v}/solutions.pdf`))));
  });

  it('answers.csv has one row per variant and one column per graded number, headed item.part:of/wrt', () => {
    const { header, rows } = readCsv(join(A(), 'answers.csv'));
    expect(header).toEqual(['variant', 'seed', ...EXPECTED_HEADERS]);
    expect(rows.map((r) => r.slice(0, 2))).toEqual([['1', '5'], ['2', '5'], ['3', '5']]);
    for (const r of rows) for (const c of r.slice(2)) expect(Number.isFinite(Number(c)), c).toBe(true);
  });

  it('every number equals the library re-solving that variant of its problem under the seed 5-<item>, and the independent models', () => {
    const { header, rows } = readCsv(join(A(), 'answers.csv'));
    const exam = loadExam(join(REPO, EXAM));
    // per unit: variant -> (column -> value), from the library and from the models
    const library = new Map<string, Values[]>(), model = new Map<string, Values[]>();
    for (const { label, unit } of allUnits(exam)) {
      if (unit.kind !== 'problem') continue;
      if (!unit.randomized) {
        expect(label).toBe('1.1');
        const xor = xorAt11();
        model.set(label, [xor, xor, xor]);
        continue;
      }
      const run = solveVariants(unit.problem, `5-${label}`, 1, 3);
      library.set(label, run.variants.map((v) => flatten(variantJson(v))));
      model.set(label, run.variants.map((v) => modelOf(label, givenJson(v.sol))));
    }
    let compared = 0;
    rows.forEach((row, r) => {
      header.slice(2).forEach((h, c) => {
        const got = Number(row[c + 2]);
        const prefix = h.slice(0, h.indexOf(':')), col = h.slice(h.indexOf(':') + 1);
        const label = /^[345]\./.test(prefix) ? prefix[0]! : prefix;
        const lib = library.get(label)?.[r]?.get(col);
        if (library.has(label)) {
          expect(lib, `${h}: the library's variant has it`).toBeDefined();
          expect(got, `${h} variant ${r + 1} (library)`).toBe(lib);
        }
        const m = model.get(label)![r]!.get(col);
        expect(m, `${h}: the model has it`).toBeDefined();
        // the RNN's gradients are finite differences in the model: good to ~1e-10 absolute
        const tol = label === '5' && col.startsWith('E/') ? 1e-7 * Math.abs(m!) + 1e-9 : 1e-9 * Math.abs(m!) + 1e-12;
        expect(Math.abs(got - m!), `${h} variant ${r + 1}: ${got} vs model ${m}`).toBeLessThanOrEqual(tol);
        compared++;
      });
    });
    expect(compared).toBe(3 * EXPECTED_HEADERS.length);
  });

  it('the drawn exploding chains keep every pre-activation at 0: h = 1/2 and do/db1 = w4 w3 w2 / 64 exactly', () => {
    const exam = loadExam(join(REPO, EXAM));
    const unit = allUnits(exam).find((u) => u.label === '2.1')!.unit;
    if (unit.kind !== 'problem') throw new Error('2.1 is a problem');
    const { header, rows } = readCsv(join(A(), 'answers.csv'));
    const col = (h: string) => header.indexOf(h);
    solveVariants(unit.problem, '5-2.1', 1, 3).variants.forEach((v, r) => {
      const g = givenJson(v.sol) as Record<string, number>;
      expect(g.w1! * g.x! + g.b1!).toBe(0);
      for (const h of ['2.1:h1', '2.1:h2', '2.1:h3']) expect(rows[r]![col(h)]).toBe('0.5');
      expect(rows[r]![col('2.1:o/b1')]).toBe(String((g.w4! * g.w3! * g.w2!) / 64));
    });
  });

  it('points and numbering agree between each exam and its key, and with the exam file (25/10/25/30/30, parts as given)', () => {
    const heads = (tex: string) => [...tex.matchAll(/\\section\*\{Question (\d+)(?:: ([^\\]*?))? \\hfill \{\\normalsize\\mdseries ([\d.]+) points\} \}/g)].map((m) => [m[1], m[2], m[3]]);
    const parts = (tex: string) => [...tex.matchAll(/\\subsection\*\{(\(\w+\))[^\\]*\\hfill\{\\normalsize\\mdseries ([\d.]+) points?\}\}/g)].map((m) => [m[1], m[2]]);
    const partPoints = (tex: string) => [...tex.matchAll(/\\textbf\{(\(\w+\))\} \\emph\{\[([\d.]+) points?\]\}/g)].map((m) => [m[1], m[2]]);
    for (const v of ['001', '002', '003']) {
      const exam = readFileSync(join(A(), v, 'exam.tex'), 'utf8');
      const key = readFileSync(join(A(), v, 'solutions.tex'), 'utf8');
      expect(heads(exam)).toEqual([
        ['1', 'Multi-layer perceptron', '25'], ['2', 'Gradient explosion and gradient vanishing', '10'],
        ['3', 'A 1-D convolutional network', '25'], ['4', 'Gradient of a 2-D convolution kernel', '30'],
        ['5', 'RNN: backpropagation through time', '30'],
      ]);
      expect(heads(key)).toEqual(heads(exam));
      expect(parts(exam)).toEqual([['(1)', '5'], ['(2)', '20'], ['(1)', '5'], ['(2)', '5']]);
      expect(parts(key)).toEqual(parts(exam));
      expect(partPoints(exam)).toEqual([['(a)', '5'], ['(b)', '10'], ['(c)', '10'], ['(a)', '10'], ['(b)', '20'], ['(a)', '10'], ['(b)', '20']]);
      // the cover's total
      expect(exam).toMatch(/\\textbf\{Total\} & \\textbf\{ 120 \}/);
      expect(key).toMatch(/\\textbf\{Total\} & \\textbf\{ 120 \}/);
    }
  });

  it("each variant's header names its number and seed; the key says how to rebuild it and which draw each problem used", () => {
    for (const k of [1, 2, 3]) {
      const dir = join(A(), `00${k}`);
      const exam = readFileSync(join(dir, 'exam.tex'), 'utf8');
      const key = readFileSync(join(dir, 'solutions.tex'), 'utf8');
      expect(exam).toContain(`\\markright{ Deep learning midterm \\quad variant ${k}, seed 5 }`);
      expect(exam).toContain(`Variant ${k} \\quad seed 5`);
      expect(key).toContain(`\\markright{Answer key: Deep learning midterm \\quad variant ${k}, seed 5 }`);
      expect(key).toContain(`gradsheet exam seed000-midterm.yaml -{}-seed 5 -{}-only ${k}`);
      for (const label of ['2.1', '2.2', '3', '4', '5']) expect(key).toContain(`under the seed 5-${label} (its draw 5-${label}-${k})`);
      // the exam never shows an answer: no key table, no model answer
      expect(exam).not.toContain('Model answer');
      expect(exam).not.toContain('\\textbf{quantity}');
      // the problem sheets' own question lists are replaced by the exam's numbered parts
      expect(exam).not.toContain('\\subsubsection*{Questions}');
      expect(key).toContain('Model answer.');
      const html = readFileSync(join(dir, 'exam.html'), 'utf8');
      expect(html).toContain('<link rel="stylesheet" href="../katex/katex.min.css">');
      expect(html).toContain(`Variant ${k} &middot; seed 5`);
      expect(html).toContain('class="katex"');
      expect(html).not.toMatch(/\{\{|\}\}/);
    }
  });

  it('the body-only fragments are the documents without preamble, ready to \\input', () => {
    for (const which of ['exam', 'solutions']) {
      const doc = readFileSync(join(A(), '002', `${which}.tex`), 'utf8');
      const body = readFileSync(join(A(), '002', `${which}-body.tex`), 'utf8');
      expect(body).not.toMatch(/\\documentclass|\\begin\{document\}|\\end\{document\}|\\usepackage/);
      expect(doc).toContain(`\\begin{document}\n${body}`);
    }
  });

  it('a second run gives identical bytes, every file', () => {
    expect(again.status).toBe(0);
    expect(hashes(B())).toEqual(hashes(A()));
  });

  it('--only 2 rebuilds variant 2 alone, byte for byte', () => {
    expect(only.stderr).toBe('');
    expect(only.status).toBe(0);
    expect(only.stdout).toBe(`seed000-midterm: variant 2 (002/), seed 5 -> ${C()}\n`);
    expect(readdirSync(C()).sort()).toEqual(['002', 'katex']);
    const a = hashes(A());
    for (const [f, h] of hashes(C())) expect(h, f).toBe(a.get(f));
  });
});

/** The 6.2 JSON of one variant as column -> value (values, then gradients), as answers.csv names them. */
function flatten(j: Record<string, unknown>): Values {
  const out: Values = new Map();
  const walk = (prefix: string, v: unknown, index: number[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(prefix, x, [...index, i + 1]));
    else if (typeof v === 'number') out.set(index.length ? `${prefix}[${index.join(',')}]` : prefix, v);
  };
  for (const [name, v] of Object.entries(j.values as Record<string, unknown>)) walk(name, v, []);
  for (const [of, byWrt] of Object.entries(j.gradients as Record<string, Record<string, unknown>>)) {
    for (const [wrt, v] of Object.entries(byWrt)) walk(`${of}/${wrt}`, v, []);
  }
  if (typeof j.parameterCount === 'number') out.set('parameters', j.parameterCount);
  return out;
}

function modelOf(label: string, g: Record<string, unknown>): Values {
  const n = (k: string) => g[k] as number;
  switch (label) {
    case '2.1': case '2.2':
      return chain({ x: n('x'), w1: n('w1'), w2: n('w2'), w3: n('w3'), w4: n('w4'), b1: n('b1'), b2: n('b2'), b3: n('b3'), b4: n('b4') });
    case '3': return conv1d({ x: g.x as Vec, v: g.v as Vec, w: g.w as Vec, y: n('y') });
    case '4': return conv2d({ X: g.X as Mat, K: g.K as Mat, W: g.W as Mat, z: n('z') });
    case '5': return rnn({ x: g.x as Mat, o: g.o as Mat, U: g.U as Mat, W: g.W as Mat, V: g.V as Mat });
    default: throw new Error(`no model for item ${label}`);
  }
}
