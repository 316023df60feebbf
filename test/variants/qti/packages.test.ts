// The LMS packages (issue 19) as a user gets them: `variants --format qti`
// and `exam --format qti` run as commands; the zips are opened with Debian's
// unzip, every XML and SVG file is checked by libxml2 (xmllint) and by the
// structural checks of structure.ts, every answer is compared with
// answers.json (or the exam's answers.csv) and every tolerance with the one
// in the problem file, read here from the YAML itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO } from '../../helpers/oracles.js';
import { kid, kids, parseXml, type XmlElement } from '../xml.js';
import { checkCanvasAssessment, checkItem, checkManifest, checkTest, IMSCP_NS, type CanvasQuestion } from './structure.js';

const CANVAS_CP_NS = 'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1';
const PROBLEM = 'problems/variants-sigmoid-chain.yaml';
const COUNT = 20;
const BIN = join(REPO, 'bin', 'gradsheet.js');

function run(args: readonly string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The zip opened with the standard unzip: its test mode must pass, then it is extracted into `dir`. */
function unzip(zip: string, dir: string): Map<string, string> {
  const t = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
  expect(t.status, t.stdout + t.stderr).toBe(0);
  expect(t.stdout).toMatch(/No errors detected/);
  mkdirSync(dir, { recursive: true });
  const x = spawnSync('unzip', ['-q', zip, '-d', dir], { encoding: 'utf8' });
  expect(x.status, x.stderr).toBe(0);
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  // libxml2 must find every XML and SVG document well-formed
  const docs = [...files.keys()].filter((f) => /\.(xml|svg)$/.test(f)).map((f) => join(dir, f));
  const lint = spawnSync('xmllint', ['--noout', ...docs], { encoding: 'utf8' });
  expect(lint.status, lint.stderr).toBe(0);
  return files;
}

/** The value answers.json holds for a column of answers.csv (`h1`, `o/b1`). */
function answerOf(entry: { values: Record<string, number>; gradients: Record<string, Record<string, number>> }, column: string): number {
  const slash = column.indexOf('/');
  const v = slash < 0 ? entry.values[column] : entry.gradients[column.slice(0, slash)]?.[column.slice(slash + 1)];
  expect(typeof v, column).toBe('number');
  return v!;
}

/** Exact decimal difference of two plain decimal strings, as a number (the way Canvas computes a margin with BigDecimal). */
function decimalDiff(a: string, b: string): { exact: string; value: number } {
  const parse = (s: string) => { const [i, f = ''] = s.replace('-', '').split('.'); return { n: BigInt((s.startsWith('-') ? '-' : '') + i + f), k: f.length }; };
  const x = parse(a), y = parse(b), k = Math.max(x.k, y.k);
  const d = x.n * 10n ** BigInt(k - x.k) - y.n * 10n ** BigInt(k - y.k);
  const neg = d < 0n, digits = (neg ? -d : d).toString().padStart(k + 1, '0');
  const exact = `${neg ? '-' : ''}${digits.slice(0, digits.length - k)}${k ? '.' + digits.slice(digits.length - k) : ''}`;
  return { exact, value: Number(exact) };
}

interface Item { file: string; root: XmlElement; title: string; answer: number; tolerance: number }

/** Every QTI 2.1 item, checked; with the test and the manifest checked against the package's files. */
function qti21(files: Map<string, string>): { items: Item[]; test: XmlElement } {
  const paths = new Set(files.keys());
  const manifest = parseXml(files.get('imsmanifest.xml')!);
  expect(checkManifest(manifest, paths, IMSCP_NS)).toEqual([]);
  const resources = kids(kid(manifest, 'resources'), 'resource');
  const itemFiles = resources.filter((r) => r.attrs.type === 'imsqti_item_xmlv2p1').map((r) => r.attrs.href!);
  const testFiles = resources.filter((r) => r.attrs.type === 'imsqti_test_xmlv2p1').map((r) => r.attrs.href!);
  expect(testFiles.length).toBe(1);
  const items = itemFiles.map((file): Item => {
    const root = parseXml(files.get(file)!);
    expect(checkItem(root, paths), file).toEqual([]);
    const correct = Number(kid(kid(kid(root, 'responseDeclaration'), 'correctResponse'), 'value').text);
    const equal = kid(kid(kid(kid(root, 'responseProcessing'), 'responseCondition'), 'responseIf'), 'equal');
    expect(equal.attrs.toleranceMode).toBe('absolute');
    const [lo, hi] = equal.attrs.tolerance!.split(' ').map(Number);
    expect(lo).toBe(hi);
    expect(Number(kid(equal, 'baseValue').text)).toBe(correct);
    return { file, root, title: root.attrs.title!, answer: correct, tolerance: lo! };
  });
  const test = parseXml(files.get(testFiles[0]!)!);
  expect(checkTest(test, new Map(items.map((i) => [i.file, i.root.attrs.identifier!])))).toEqual([]);
  return { items, test };
}

/** Every Canvas assessment, checked, with the manifest. */
function canvas(files: Map<string, string>): Array<ReturnType<typeof checkCanvasAssessment>> {
  const paths = new Set(files.keys());
  const manifest = parseXml(files.get('imsmanifest.xml')!);
  expect(checkManifest(manifest, paths, CANVAS_CP_NS)).toEqual([]);
  const quizzes = kids(kid(manifest, 'resources'), 'resource').filter((r) => r.attrs.type === 'imsqti_xmlv1p2');
  return quizzes.map((r) => {
    const a = checkCanvasAssessment(parseXml(files.get(kid(r, 'file').attrs.href!)!));
    expect(a.problems).toEqual([]);
    for (const q of [...a.items, ...a.groups.flatMap((g) => g.items)]) {
      // figures point at files of the package; math is \( ... \)
      for (const m of q.html.matchAll(/<img src="\$IMS-CC-FILEBASE\$\/([^"]+)"/g)) expect(paths.has(m[1]!), m[1]).toBe(true);
      expect(q.html).toMatch(/\\\(.+\\\)/);
    }
    return a;
  });
}

/** Canvas reads margin = upper - answer; the window must be symmetric and equal to the tolerance. */
function expectCanvasMargin(q: CanvasQuestion, answer: number, margin: number): void {
  expect(Number(q.answer), q.title).toBe(answer);
  const up = decimalDiff(q.upper, q.answer), down = decimalDiff(q.answer, q.lower);
  expect(up.exact).toBe(down.exact);
  expect(Math.abs(up.value - margin)).toBeLessThanOrEqual(1e-11 * margin);
}

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'gradsheet-qti-')); });
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe(`variants --format qti, ${COUNT} variants`, () => {
  const yaml = parseYaml(readFileSync(join(REPO, PROBLEM), 'utf8')) as { variants: { tolerance: { relative: number } } };
  const rel = yaml.variants.tolerance.relative;
  type Entry = { variant: number; values: Record<string, number>; gradients: Record<string, Record<string, number>> };
  let answers: Entry[];
  let qtiFiles: Map<string, string>, canvasFiles: Map<string, string>;

  beforeAll(() => {
    // the second run in another time zone: zip timestamps must not depend on it
    for (const [dir, tz] of [['a', 'UTC'], ['b', 'Pacific/Auckland']] as const) {
      const r = run(['variants', PROBLEM, '--count', String(COUNT), '--seed', '7', '--format', 'qti', '--out', join(tmp, dir)], { TZ: tz });
      expect(r.status, r.stderr).toBe(0);
    }
    answers = JSON.parse(readFileSync(join(tmp, 'a', 'answers.json'), 'utf8')) as Entry[];
    qtiFiles = unzip(join(tmp, 'a', 'quiz-qti.zip'), join(tmp, 'qti'));
    canvasFiles = unzip(join(tmp, 'a', 'quiz-canvas.zip'), join(tmp, 'canvas'));
  }, 120_000);

  it('writes no sheets with --format qti alone, and the same seed gives byte-identical zips in any time zone', () => {
    expect(readdirSync(join(tmp, 'a')).sort()).toEqual(['answers.csv', 'answers.json', 'quiz-canvas.zip', 'quiz-qti.zip', 'quiz.xml']);
    for (const z of ['quiz-qti.zip', 'quiz-canvas.zip']) {
      expect(readFileSync(join(tmp, 'a', z)).equals(readFileSync(join(tmp, 'b', z))), z).toBe(true);
    }
  });

  it('QTI 2.1: every item validates, answers equal answers.json, the tolerance is the problem\'s', () => {
    const { items, test } = qti21(qtiFiles);
    expect(items.length).toBe(COUNT * 12); // h1, h2, h3, o and eight derivatives per variant
    for (const it of items) {
      const m = /: variant (\d+), (.+)$/.exec(it.title)!;
      const a = answerOf(answers[Number(m[1]) - 1]!, m[2]!);
      expect(it.answer, it.title).toBe(a);
      expect(Math.abs(it.tolerance - rel * Math.abs(a))).toBeLessThanOrEqual(1e-11 * rel * Math.abs(a));
      // the network figure is a file of the package, and the prompt holds the answer box
      expect(kids(kid(it.root, 'itemBody'), 'div').length).toBeGreaterThan(0);
    }
    // one quiz per variant: a section that draws one whole variant section
    const top = kid(kid(test, 'testPart'), 'assessmentSection');
    expect(kid(top, 'selection').attrs.select).toBe('1');
    const sections = kids(top, 'assessmentSection');
    expect(sections.length).toBe(COUNT);
    for (const s of sections) expect(kids(s, 'assessmentItemRef').length).toBe(12);
  });

  it('Canvas QTI 1.2: one quiz per variant; every answer and margin as answers.json and the problem say', () => {
    const quizzes = canvas(canvasFiles);
    expect(quizzes.length).toBe(COUNT);
    for (const q of quizzes) {
      expect(q.groups).toEqual([]);
      expect(q.items.length).toBe(12);
      for (const item of q.items) {
        const m = /: variant (\d+), (.+)$/.exec(item.title)!;
        const a = answerOf(answers[Number(m[1]) - 1]!, m[2]!);
        expectCanvasMargin(item, a, rel * Math.abs(a));
        expect(item.points).toBe('1');
      }
    }
    expect([...canvasFiles.keys()].filter((f) => f.endsWith('.svg')).length).toBeGreaterThan(0);
  });
});

describe('lms: {ask: ...} makes one question group over the variants', () => {
  let answers: Array<{ gradients: { o: Record<string, number> } }>;
  let qtiFiles: Map<string, string>, canvasFiles: Map<string, string>;
  beforeAll(() => {
    const file = join(tmp, 'grouped.yaml');
    writeFileSync(file, readFileSync(join(REPO, PROBLEM), 'utf8') + 'lms: {ask: "o/w2"}\n');
    const r = run(['variants', file, '--count', String(COUNT), '--seed', '11', '--format', 'qti', '--out', join(tmp, 'g')]);
    expect(r.status, r.stderr).toBe(0);
    answers = JSON.parse(readFileSync(join(tmp, 'g', 'answers.json'), 'utf8')) as typeof answers;
    qtiFiles = unzip(join(tmp, 'g', 'quiz-qti.zip'), join(tmp, 'g-qti'));
    canvasFiles = unzip(join(tmp, 'g', 'quiz-canvas.zip'), join(tmp, 'g-canvas'));
  }, 60_000);

  it('Canvas: one quiz, one group drawing 1 of the 20 questions of do/dw2', () => {
    const quizzes = canvas(canvasFiles);
    expect(quizzes.length).toBe(1);
    const [q] = quizzes;
    expect(q!.items).toEqual([]);
    expect(q!.groups.length).toBe(1);
    const g = q!.groups[0]!;
    expect(g.select).toBe(1);
    expect(g.points).toBe('1');
    expect(g.items.length).toBe(COUNT);
    g.items.forEach((item, k) => {
      const a = answers[k]!.gradients.o.w2!;
      expect(item.title).toMatch(new RegExp(`variant ${k + 1}, o/w2$`));
      expectCanvasMargin(item, a, 1e-3 * Math.abs(a));
    });
  });

  it('QTI 2.1: one section selecting one of the 20 items', () => {
    const { items, test } = qti21(qtiFiles);
    expect(items.map((i) => i.answer)).toEqual(answers.map((a) => a.gradients.o.w2));
    const sections = kids(kid(test, 'testPart'), 'assessmentSection');
    expect(sections.length).toBe(1);
    expect(kid(sections[0]!, 'selection').attrs.select).toBe('1');
    expect(kids(sections[0]!, 'assessmentItemRef').length).toBe(COUNT);
  });
});

describe('exam --format qti', () => {
  it('packs every graded number of every variant; answers equal answers.csv; text items are left to the grader', () => {
    const out = join(tmp, 'exam');
    const r = run(['exam', 'exams/seed000-midterm.yaml', '--count', '2', '--format', 'qti', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/text items and asks with no single number to enter are left out/);
    const [header, ...rows] = readFileSync(join(out, 'answers.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.replace(/^"|"$/g, '').replace(/""/g, '"')));
    const csv = (variant: number, column: string) => Number(rows[variant - 1]![header!.indexOf(column)]);
    const tolerance = (parseYaml(readFileSync(join(REPO, 'exams/seed000-midterm.yaml'), 'utf8')) as { tolerance: { relative: number } }).tolerance.relative;
    const { items } = qti21(unzip(join(out, 'quiz-qti.zip'), join(tmp, 'exam-qti')));
    expect(items.length).toBe(2 * (header!.length - 2));
    for (const it of items) {
      const m = /: variant (\d+), (.+)$/.exec(it.title)!;
      expect(it.answer, it.title).toBe(csv(Number(m[1]), m[2]!));
      expect(Math.abs(it.tolerance - tolerance * Math.abs(it.answer))).toBeLessThanOrEqual(1e-11 * tolerance * Math.abs(it.answer));
    }
    const quizzes = canvas(unzip(join(out, 'quiz-canvas.zip'), join(tmp, 'exam-canvas')));
    expect(quizzes.length).toBe(2);
    for (const q of quizzes) {
      expect(q.items.length).toBe(header!.length - 2);
      // points of an item are shared among its numbers; they add up to the exam's graded points
      for (const item of q.items) {
        const m = /: variant (\d+), (.+)$/.exec(item.title)!;
        expectCanvasMargin(item, csv(Number(m[1]), m[2]!), tolerance * Math.abs(csv(Number(m[1]), m[2]!)));
      }
    }
  }, 120_000);

  it('with lms in every problem item: one question group per item, each question worth the item\'s points', () => {
    const dir = join(tmp, 'exam-groups');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'conv.yaml'), readFileSync(join(REPO, 'problems/variants-conv2d.yaml'), 'utf8') + 'lms: {ask: "E/K[1,2]"}\n');
    writeFileSync(join(dir, 'chain.yaml'), readFileSync(join(REPO, PROBLEM), 'utf8') + 'lms: {ask: "o/b1"}\n');
    writeFileSync(join(dir, 'exam.yaml'), 'id: grouped\ntitle: Grouped\nitems:\n  - {problem: conv.yaml, points: 4}\n  - {problem: chain.yaml, points: 2}\nvariants: {count: 4, seed: 9}\n');
    const r = run(['exam', join(dir, 'exam.yaml'), '--format', 'qti', '--out', join(dir, 'out')]);
    expect(r.status, r.stderr).toBe(0);
    const [header, ...rows] = readFileSync(join(dir, 'out', 'answers.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.replace(/^"|"$/g, '')));
    const column = (name: string) => rows.map((row) => Number(row[header!.indexOf(name)]));
    const [quiz] = canvas(unzip(join(dir, 'out', 'quiz-canvas.zip'), join(dir, 'canvas')));
    expect(quiz!.groups.map((g) => [g.select, g.points, g.items.length])).toEqual([[1, '4', 4], [1, '2', 4]]);
    expect(quiz!.groups[0]!.items.map((q) => Number(q.answer))).toEqual(column('1:E/K[1,2]'));
    expect(quiz!.groups[1]!.items.map((q) => Number(q.answer))).toEqual(column('2:o/b1'));
    const { items, test } = qti21(unzip(join(dir, 'out', 'quiz-qti.zip'), join(dir, 'qti')));
    expect(items.length).toBe(8);
    expect(kids(kid(test, 'testPart'), 'assessmentSection').map((sec) => kid(sec, 'selection').attrs.select)).toEqual(['1', '1']);
  }, 60_000);
});
