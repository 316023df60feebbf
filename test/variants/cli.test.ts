// `gradsheet variants` end to end on problems/variants-sigmoid-chain.yaml, run as a
// user runs it. Every answer is recomputed here with a float forward pass of the
// chain and five-point finite differences on the drawn values (never gradsheet's
// solver), every `require` is re-checked, and repeated runs are compared byte for byte.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, runCliMany, type CliResult } from '../helpers/cli.js';
import { fivePoint } from '../helpers/numbers.js';
import { kid, kids, parseXml } from './xml.js';
import { main } from '../../src/cli.js';

const PROBLEM = 'problems/variants-sigmoid-chain.yaml';
const COUNT = 200;
const PARAMS = ['x', 'w1', 'w2', 'w3', 'w4', 'b1', 'b2', 'b3', 'b4'] as const;
const WRT = ['b1', 'w1', 'w2', 'w3', 'w4', 'b2', 'b3', 'b4'] as const;
type Given = Record<(typeof PARAMS)[number], number>;
interface Answer {
  variant: number; seed: string; given: Given;
  values: Record<string, number>; gradients: { o: Record<string, number> };
  closedForms: { o: Record<string, string> }; check: { passed: boolean };
}

let tmp: string;
let full: CliResult, again: CliResult;
let answers: Answer[];
const A = () => join(tmp, 'a'), B = () => join(tmp, 'b');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gradsheet-variants-'));
  const args = (dir: string) => ['variants', PROBLEM, '--count', String(COUNT), '--seed', '7', '--format', 'tex,html', '--out', dir];
  [full, again] = await runCliMany([args(A()), args(B())]);
  answers = JSON.parse(readFileSync(join(A(), 'answers.json'), 'utf8')) as Answer[];
}, 180_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

// ---- an independent model of the chain: h_i = sigmoid(w_i h_{i-1} + b_i), o = w4 h3 + b4 ----
const sigmoid = (u: number) => 1 / (1 + Math.exp(-u));
function forward(g: Given): { h1: number; h2: number; h3: number; o: number } {
  const h1 = sigmoid(g.w1 * g.x + g.b1), h2 = sigmoid(g.w2 * h1 + g.b2), h3 = sigmoid(g.w3 * h2 + g.b3);
  return { h1, h2, h3, o: g.w4 * h3 + g.b4 };
}

/** SHA-256 of every file under dir, by relative path. */
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

describe(`variants ${PROBLEM} --count ${COUNT} --seed 7`, () => {
  it('succeeds and writes one folder per variant with its sheets, and the answer files', () => {
    expect(full.stderr).toBe('');
    expect(full.status).toBe(0);
    expect(full.stdout).toBe(`variants-sigmoid-chain: ${COUNT} variants, seed 7 -> ${A()}\n`);
    const folders = readdirSync(A()).filter((f) => /^\d+$/.test(f)).sort();
    expect(folders).toEqual(Array.from({ length: COUNT }, (_, i) => String(i + 1).padStart(3, '0')));
    for (const f of folders) expect(readdirSync(join(A(), f)).sort()).toEqual(['problem.html', 'problem.tex', 'solution.html', 'solution.tex']);
    for (const f of ['answers.json', 'answers.csv', 'quiz.xml', 'katex/katex.min.css']) expect(existsSync(join(A(), f)), f).toBe(true);
    // no PDFs were asked for, so no combined PDFs; nothing left over from staging
    expect(readdirSync(A()).filter((f) => !/^\d+$/.test(f)).sort()).toEqual(['answers.csv', 'answers.json', 'katex', 'quiz.xml']);
    expect(readdirSync(tmp).sort()).toEqual(['a', 'b']);
  });

  it('answers.json holds every variant in order, with its seed and every given value', () => {
    expect(answers.map((a) => a.variant)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(answers.map((a) => a.seed)).toEqual(Array.from({ length: COUNT }, (_, i) => `7-${i + 1}`));
    for (const a of answers) {
      expect(Object.keys(a).slice(0, 3)).toEqual(['variant', 'seed', 'given']);
      expect(Object.keys(a.given)).toEqual([...PARAMS]);
      expect(Object.keys(a.values)).toEqual(['h1', 'h2', 'h3', 'o']);
      expect(Object.keys(a.gradients.o)).toEqual([...WRT]);
      expect(a.check.passed).toBe(true);
    }
  });

  it('every drawn value lies on its grid (x in {1, 2, 3}, weights in [-3, 3], biases in [-2, 2], step 0.1)', () => {
    for (const { given: g } of answers) {
      expect([1, 2, 3]).toContain(g.x);
      for (const p of PARAMS.slice(1)) {
        const tenths = g[p] * 10;
        expect(Math.abs(tenths - Math.round(tenths)), `${p} = ${g[p]}`).toBeLessThan(1e-9);
        // the printed decimal is the grid value itself (no 0.30000000000000004)
        expect(String(g[p]), p).toBe(String(Math.round(tenths) / 10));
        expect(Math.abs(g[p])).toBeLessThanOrEqual(p.startsWith('w') ? 3 : 2);
      }
    }
    // the draws use the whole range: all three inputs, and both signs of every weight
    expect(new Set(answers.map((a) => a.given.x))).toEqual(new Set([1, 2, 3]));
    for (const p of PARAMS.slice(1)) {
      expect(answers.some((a) => a.given[p] < -1) && answers.some((a) => a.given[p] > 1), p).toBe(true);
    }
  });

  it('every require holds (re-checked here; the first one in exact integer arithmetic)', () => {
    for (const { variant, given: g } of answers) {
      const f = forward(g);
      // abs(w1*x + b1) <= 4 with w1 = W/10, b1 = B/10: |W*x + B| <= 40 in integers
      expect(Math.abs(Math.round(g.w1 * 10) * g.x + Math.round(g.b1 * 10)), `variant ${variant}`).toBeLessThanOrEqual(40);
      expect(Math.abs(g.w2 * f.h1 + g.b2)).toBeLessThanOrEqual(4);
      expect(Math.abs(g.w3 * f.h2 + g.b3)).toBeLessThanOrEqual(4);
      expect(g.w1 !== 0 && g.w2 !== 0 && g.w3 !== 0 && g.w4 !== 0).toBe(true);
      expect(f.o).not.toBe(0);
    }
  });

  it('the constraints are active: without them about half the draws would break the first one', () => {
    // P(|w1 x + b1| > 4) for w1, b1, x uniform on their grids, counted exactly here: it is large,
    // so the accepted variants all passing it shows the generator redraws (not luck).
    let bad = 0, all = 0;
    for (let W = -30; W <= 30; W++) for (const x of [1, 2, 3]) for (let Bb = -20; Bb <= 20; Bb++) { all++; if (Math.abs(W * x + Bb) > 40) bad++; }
    expect(bad / all).toBeGreaterThan(0.2);
  });

  it('distinct: no two variants share their given values', () => {
    expect(new Set(answers.map((a) => JSON.stringify(a.given))).size).toBe(COUNT);
  });

  it('every value and gradient agrees with an independent forward pass and finite differences', () => {
    let worst = 0;
    for (const a of answers) {
      const f = forward(a.given);
      for (const k of ['h1', 'h2', 'h3', 'o'] as const) {
        expect(Math.abs(a.values[k]! - f[k]), `variant ${a.variant} ${k}`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(f[k])));
      }
      for (const p of WRT) {
        const fd = fivePoint((t) => forward({ ...a.given, [p]: t }).o, a.given[p]);
        const got = a.gradients.o[p]!;
        // five-point differences are accurate to about 1e-11 absolute here (rounding of o / h, h = 1e-4)
        const err = Math.abs(got - fd);
        worst = Math.max(worst, err / (1e-9 + 1e-6 * Math.abs(fd)));
        expect(err, `variant ${a.variant} do/d${p}: ${got} vs ${fd}`).toBeLessThanOrEqual(1e-9 + 1e-6 * Math.abs(fd));
      }
      expect(a.gradients.o.b4).toBe(1);
      expect(a.gradients.o.w4).toBe(a.values.h3);
    }
    expect(worst).toBeLessThan(1);
  });

  it('answers.csv has one row per variant: given values, then every asked scalar, the same numbers as answers.json', () => {
    const lines = readFileSync(join(A(), 'answers.csv'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const header = ['variant', 'seed', ...PARAMS, 'h1', 'h2', 'h3', 'o', ...WRT.map((w) => `o/${w}`)];
    expect(lines[0]).toBe(header.join(','));
    expect(lines.length).toBe(COUNT + 1);
    answers.forEach((a, i) => {
      const cells = lines[i + 1]!.split(',');
      expect(cells.length).toBe(header.length);
      expect(cells.slice(0, 2)).toEqual([String(a.variant), a.seed]);
      const nums = cells.slice(2).map(Number);
      expect(nums).toEqual([...PARAMS.map((p) => a.given[p]), ...['h1', 'h2', 'h3', 'o'].map((k) => a.values[k]), ...WRT.map((w) => a.gradients.o[w])]);
    });
  });

  it('quiz.xml is well-formed Moodle XML: one numerical question per variant and asked scalar', () => {
    const quiz = parseXml(readFileSync(join(A(), 'quiz.xml'), 'utf8'));
    expect(quiz.name).toBe('quiz');
    const qs = kids(quiz, 'question');
    expect(qs[0]!.attrs.type).toBe('category');
    expect(kid(kid(qs[0]!, 'category'), 'text').text).toBe('$course$/top/gradsheet/variants-sigmoid-chain');
    const numerical = qs.slice(1);
    expect(numerical.every((q) => q.attrs.type === 'numerical')).toBe(true);
    const perVariant = 4 + WRT.length;
    expect(numerical.length).toBe(COUNT * perVariant);
    numerical.forEach((q, n) => {
      const a = answers[Math.floor(n / perVariant)]!;
      const j = n % perVariant;
      const column = j < 4 ? ['h1', 'h2', 'h3', 'o'][j]! : `o/${WRT[j - 4]}`;
      const expected = j < 4 ? a.values[column]! : a.gradients.o[WRT[j - 4]!]!;
      expect(kid(kid(q, 'name'), 'text').text).toBe(`variants-sigmoid-chain variant ${a.variant} ${column}`);
      const qt = kid(q, 'questiontext');
      expect(qt.attrs.format).toBe('html');
      const text = kid(qt, 'text').text;
      // the statement, with this variant's values
      expect(text).toContain('A network with three hidden layers');
      expect(text).toContain('computes \\(h_1 = \\sigma(w_1 x + b_1)\\)'); // the statement's $...$ as MathJax math
      expect(text).toContain(`(variant ${a.variant}, seed ${a.seed})`);
      expect(text).toContain(`\\(x = ${a.given.x}\\)`);
      expect(text).toContain(`\\(w_{1} = ${a.given.w1}\\)`);
      expect(text).toContain(`\\(b_{4} = ${a.given.b4}\\)`);
      const ans = kid(q, 'answer');
      expect(ans.attrs.fraction).toBe('100');
      expect(Number(kid(ans, 'text').text)).toBe(expected);
      // the problem file's tolerance: relative 1e-3, written as Moodle's absolute tolerance
      const tol = Number(kid(ans, 'tolerance').text);
      expect(Math.abs(tol - 1e-3 * Math.abs(expected))).toBeLessThanOrEqual(1e-15 * Math.abs(expected));
    });
  });

  it('the sheets name their variant and seed, and link the KaTeX assets written once', () => {
    for (const k of [1, 57, COUNT]) {
      const dir = join(A(), String(k).padStart(3, '0'));
      for (const f of ['problem.tex', 'solution.tex', 'problem.html', 'solution.html']) {
        expect(readFileSync(join(dir, f), 'utf8'), f).toContain(`variant ${k}, seed 7-${k}`);
      }
      expect(readFileSync(join(dir, 'solution.html'), 'utf8')).toContain('href="../katex/katex.min.css"');
      // the given values table shows this variant's w1 as the problem writes it (a decimal on the 0.1 grid, e.g. -1.3)
      const w1 = answers[k - 1]!.given.w1;
      const tex = readFileSync(join(dir, 'problem.tex'), 'utf8');
      expect(tex, `w1 = ${w1}`).toContain(`$w_{1}$ & $${String(w1)}$`);
    }
  });

  it('a second run gives byte-identical files', () => {
    expect(again.status).toBe(0);
    const a = hashes(A()), b = hashes(B());
    expect(a.size).toBeGreaterThan(4 * COUNT);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [f, h] of a) expect(b.get(f), f).toBe(h);
  });
});

describe('--only and --json', () => {
  it('--only k rebuilds variant k alone, byte for byte, and leaves the combined files alone', async () => {
    const ks = [1, 37, COUNT];
    const runs = await runCliMany(ks.map((k) => ['variants', PROBLEM, '--count', String(COUNT), '--seed', '7', '--only', String(k), '--format', 'tex,html', '--out', join(tmp, `only-${k}`)]));
    ks.forEach((k, i) => {
      expect(runs[i]!.status, runs[i]!.stderr).toBe(0);
      const folder = String(k).padStart(3, '0');
      const dir = join(tmp, `only-${k}`);
      expect(readdirSync(dir).sort()).toEqual([folder, 'katex']);
      const mine = hashes(join(dir, folder)), theirs = hashes(join(A(), folder));
      expect(mine.size).toBe(4);
      expect(mine).toEqual(theirs);
    });
  }, 120_000);

  it('--json prints the answers array; --only k prints variant k of it', async () => {
    const [five, last] = await runCliMany([
      ['variants', PROBLEM, '--count', '5', '--seed', '7', '--json'],
      ['variants', PROBLEM, '--count', String(COUNT), '--seed', '7', '--only', String(COUNT), '--json'],
    ]);
    expect(five!.status).toBe(0);
    // the first five variants do not depend on the count
    expect(five!.stdout).toBe(JSON.stringify(answers.slice(0, 5), null, 2) + '\n');
    expect(last!.status).toBe(0);
    expect(last!.stdout).toBe(JSON.stringify([answers[COUNT - 1]], null, 2) + '\n');
  }, 120_000);
});

describe('PDFs', () => {
  it('per-variant PDFs and the combined problems.pdf and solutions.pdf are reproducible, one page group per variant', async () => {
    const args = (d: string) => ['variants', PROBLEM, '--count', '2', '--seed', '11', '--format', 'pdf', '--out', join(tmp, d)];
    const [p, q] = await runCliMany([args('pdf-a'), args('pdf-b')]);
    expect(p!.status, p!.stderr).toBe(0);
    expect(q!.status).toBe(0);
    const a = hashes(join(tmp, 'pdf-a')), b = hashes(join(tmp, 'pdf-b'));
    expect([...a.keys()].sort()).toEqual(['001/problem.pdf', '001/solution.pdf', '002/problem.pdf', '002/solution.pdf',
      'answers.csv', 'answers.json', 'problems.pdf', 'quiz.xml', 'solutions.pdf']);
    expect(b).toEqual(a);
    for (const [which, per] of [['problems', 'problem'], ['solutions', 'solution']] as const) {
      const combined = join(tmp, 'pdf-a', `${which}.pdf`);
      const pages = (f: string) => Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [f], { encoding: 'utf8' }).stdout)![1]);
      const p1 = pages(join(tmp, 'pdf-a', '001', `${per}.pdf`)), p2 = pages(join(tmp, 'pdf-a', '002', `${per}.pdf`));
      expect(pages(combined)).toBe(p1 + p2);
      const pageText = (n: number) => spawnSync('pdftotext', ['-f', String(n), '-l', String(n), combined, '-'], { encoding: 'utf8' }).stdout;
      // variant 2 starts on its own page, headed with its number and seed
      expect(pageText(1)).toContain('variant 1, seed 11-1');
      expect(pageText(p1 + 1)).toContain('variant 2, seed 11-2');
      expect(pageText(p1 + 1)).not.toContain('variant 1, seed');
    }
  }, 180_000);
});

describe('input errors exit 2 with file, line and key', () => {
  it('an impossible constraint stops after its bounded number of tries, naming it and its rejection rate; nothing is written', () => {
    const file = join(tmp, 'impossible.yaml');
    writeFileSync(file, [
      'id: impossible', 'title: Impossible', "network: {kind: equations, equations: {o: '2*x'}}", 'given: {x: 0.5}',
      'ask: [{forward: [o]}]', 'variants:', '  given: {x: {uniform: [0, 1]}}', '  require:', '    - "x > 5"', '',
    ].join('\n'));
    const out = join(tmp, 'impossible-out');
    const r = runCli(['variants', file, '--count', '3', '--seed', '1', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`gradsheet: ${file}:9: variants.require[0]: variant 1: no draw met every constraint in 1000 tries; "x > 5" failed most often, rejecting 1000 of 1000 tries (100.0%)\n`);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('bad options and a problem without variants', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['variants', PROBLEM, '--seed', '7'], /--count N is required/],
      [['variants', PROBLEM, '--count', '3'], /--seed S is required/],
      [['variants', PROBLEM, '--count', '0', '--seed', '7'], /--count takes a whole number from 1 to 100000/],
      [['variants', PROBLEM, '--count', '3', '--seed', '7', '--only', '4'], /--only takes a whole number from 1 to 3/],
      [['variants', PROBLEM, '--count', '3', '--seed', 'a b'], /--seed takes letters, digits/],
      [['variants', PROBLEM, '--count', '3', '--seed', '7', '--format', 'docx'], /unknown format 'docx'/],
      [['variants', PROBLEM, '--count', '3', '--seed', '7', '--shuffle'], /unknown option '--shuffle'/],
      [['variants', 'problems/seed000-q2-2-sigmoid-chain-vanish.yaml', '--count', '3', '--seed', '7', '--json'], /seed000-q2-2-sigmoid-chain-vanish\.yaml:1: the problem has no 'variants' section/],
      // a file where the output folder should be
      [['variants', PROBLEM, '--count', '1', '--seed', '7', '--format', 'tex', '--out', join(tmp, 'a-file', 'sub')], /cannot write the variants to .*a-file.*(EEXIST|ENOTDIR)/],
    ];
    writeFileSync(join(tmp, 'a-file'), 'not a folder');
    // in-process through the same entry point as bin/gradsheet.js (no TeX, nothing written): fast
    for (const [args, re] of cases) {
      let stderr = '';
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await main(args), args.join(' ')).toBe(2);
      } finally {
        spy.mockRestore();
        out.mockRestore();
      }
      expect(stderr, args.join(' ')).toMatch(re);
    }
  }, 120_000);
});
