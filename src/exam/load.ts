/**
 * Loading and validating an exam file (contract 7). Every mistake names the
 * exam file, the line and the key (`items[2].points`); a mistake inside a
 * problem file names that file. Problem paths are relative to the exam file.
 *
 *   id: midterm                      # [a-z0-9-]+, names out/<id>/
 *   title: Deep learning midterm
 *   course: ..., date: ..., instructions: ...       # optional text
 *   variants: {count: 30, seed: 2026}               # --count / --seed override
 *   roster: roster.csv                               # optional: name, id per line
 *   tolerance: {relative: 1e-3}                      # optional: for `grade`
 *   items:
 *     - {problem: ../problems/a.yaml, points: 10}
 *     - {problem: ../problems/b.yaml, points: 25, parts: [a, b]}          # labels of its ask items
 *     - {problem: ../problems/c.yaml, parts: {a: 5, b: 10, c: 10}}        # ... with points each
 *     - {text: "Show that ...", points: 20, answer: "..."}
 *     - title: Gradient explosion and vanishing                           # a group
 *       parts:
 *         - {problem: ../problems/d.yaml, points: 5}                      # labelled (1), (2), ...
 *         - {text: "...", points: 5}
 *
 * A problem item may also give `title`, `statement` (replacing the problem's),
 * `variants` (a contract-5 section replacing the problem's, or false for its
 * fixed values), `tolerance` and `space` (cm of answer space on the exam).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Rational } from '../expr/rational.js';
import type { Field } from '../input/field.js';
import { loadProblem } from '../problem/read.js';
import { parseTolerance, type Tolerance } from '../input/tolerance.js';
import { readRoster } from './roster.js';
import type { ExamSpec, LabelledUnit, PartsSpec, ProblemUnit, Question, TextUnit, Unit } from './spec.js';
import { readYamlField } from './yaml.js';

const TOP_KEYS = ['id', 'title', 'course', 'date', 'instructions', 'items', 'variants', 'roster', 'tolerance'];
const PROBLEM_KEYS = ['problem', 'points', 'parts', 'title', 'statement', 'variants', 'tolerance', 'space'];
const TEXT_KEYS = ['text', 'points', 'answer', 'title', 'space'];
const GROUP_KEYS = ['title', 'statement', 'points', 'parts'];
export const SEED_RE = /^[A-Za-z0-9_.:-]{1,100}$/;
export const MAX_VARIANTS = 100_000;
const LABEL_RE = /^[A-Za-z0-9]{1,8}$/;
const MAX_TEXT = 20_000;

export function loadExam(file: string): ExamSpec {
  const root = readYamlField(file);
  if (!root.isMap()) root.fail('an exam file is a mapping with keys id, title, items');
  root.only(TOP_KEYS);
  const idField = root.required('id');
  const id = idField.str();
  if (!/^[a-z0-9-]{1,100}$/.test(id)) idField.fail(`id must match [a-z0-9-]+ (at most 100 characters), got '${id}'`);
  const dir = dirname(file);
  const examTolerance = root.get('tolerance').exists ? parseTolerance(root.get('tolerance')) : undefined;
  const ctx: Ctx = { dir, examTolerance, ids: new Map() };

  const itemsField = root.required('items');
  const items = itemsField.items();
  if (items.length === 0) itemsField.fail('the exam lists no items');
  const questions = items.map((f, i) => parseQuestion(f, i + 1, ctx));

  const vf = root.get('variants');
  let count: number | undefined, seed: string | undefined;
  if (vf.exists) {
    vf.only(['count', 'seed']);
    if (vf.get('count').exists) count = vf.get('count').int(1, MAX_VARIANTS);
    if (vf.get('seed').exists) seed = parseSeed(vf.get('seed'));
  }
  const rf = root.get('roster');
  const rosterFile = rf.exists ? resolve(dir, rf.str()) : undefined;
  return {
    file, id, root, questions, count, seed,
    title: text(root.required('title')),
    course: optText(root, 'course'),
    date: optText(root, 'date'),
    instructions: optText(root, 'instructions'),
    totalPoints: questions.reduce((a, q) => a.add(q.points), Rational.ZERO),
    roster: rosterFile ? { file: rosterFile, students: readRoster(rosterFile, rf), field: rf } : undefined,
  };
}

interface Ctx {
  readonly dir: string;
  readonly examTolerance?: Tolerance;
  /** problem id -> the label of the unit that uses it */
  readonly ids: Map<string, string>;
}

function parseQuestion(f: Field, number: number, ctx: Ctx): Question {
  if (!f.isMap()) f.fail('an item is a mapping: {problem: FILE, points: P}, {text: ..., points: P} or {title: ..., parts: [...]}');
  const label = String(number);
  if (f.get('problem').exists || f.get('text').exists) {
    const unit = parseUnit(f, label, ctx);
    return { number, field: f, points: unit.points, units: [{ label, unit }] };
  }
  if (!f.get('parts').exists) f.fail("an item needs 'problem' (a problem file), 'text' (a question in words) or 'parts' (a group)");
  f.only(GROUP_KEYS);
  const pf = f.required('parts');
  const parts = pf.items();
  if (parts.length === 0) pf.fail('a group lists no parts');
  const labels = new Set<string>();
  const units: LabelledUnit[] = parts.map((p, i) => {
    if (!p.isMap() || !(p.get('problem').exists || p.get('text').exists)) p.fail("a part of a group is {problem: FILE, points: P} or {text: ..., points: P}");
    const lf = p.get('label');
    const partLabel = lf.exists ? partLabelOf(lf) : String(i + 1);
    if (labels.has(partLabel)) (lf.exists ? lf : p).fail(`the label '${partLabel}' is used twice in this group`);
    labels.add(partLabel);
    if (p.get('parts').exists) p.get('parts').fail('a part of a group cannot have parts of its own (make it an item of its own)');
    return { label: `${label}.${partLabel}`, partLabel, unit: parseUnit(p, `${label}.${partLabel}`, ctx, ['label']) };
  });
  const sum = units.reduce((a, u) => a.add(u.unit.points), Rational.ZERO);
  const points = f.get('points').exists ? positive(f.get('points')) : sum;
  if (!points.eq(sum)) f.get('points').fail(`the item is worth ${points} points but its parts add up to ${sum}`);
  return { number, field: f, points, units, title: text(f.required('title')), statement: optText(f, 'statement') };
}

function parseUnit(f: Field, label: string, ctx: Ctx, extraKeys: readonly string[] = []): Unit {
  if (f.get('problem').exists && f.get('text').exists) f.fail("an item has 'problem' or 'text', not both");
  return f.get('text').exists ? parseText(f.only([...TEXT_KEYS, ...extraKeys])) : parseProblemUnit(f.only([...PROBLEM_KEYS, ...extraKeys]), label, ctx);
}

function parseText(f: Field): TextUnit {
  return {
    kind: 'text', field: f,
    text: text(f.required('text')),
    answer: optText(f, 'answer'),
    title: optText(f, 'title'),
    points: positive(f.required('points')),
    space: f.get('space').exists ? space(f.get('space')) : 8,
  };
}

function parseProblemUnit(f: Field, label: string, ctx: Ctx): ProblemUnit {
  const pathField = f.required('problem');
  const path = resolve(ctx.dir, pathField.str());
  if (!existsSync(path)) pathField.fail(`no problem file at ${path}`);
  if (!statSync(path).isFile()) pathField.fail(`${path} is not a file`);
  const loaded = loadProblem(path);
  const before = ctx.ids.get(loaded.id);
  if (before !== undefined) pathField.fail(`the problem id '${loaded.id}' is already used by item ${before}; an exam uses each problem once`);
  ctx.ids.set(loaded.id, label);

  // The exam's overrides: its own statement, its own variants section (or none), never the source's published values.
  const vf = f.get('variants');
  const variants = !vf.exists ? loaded.variants : vf.isScalar() && vf.bool() === false ? undefined : vf.isMap() ? vf : vf.fail('variants is a variants section (contract 5) or false');
  const statementField = f.get('statement');
  const problem = { ...loaded, variants, published: undefined, statement: statementField.exists ? text(statementField) : loaded.statement };

  const parts = parseParts(f.get('parts'), problem.ask.length, problem.ask.map((a) => a.kind));
  const pointsField = f.get('points');
  let points: Rational;
  if (parts.kind === 'points') {
    const sum = parts.points.reduce((a, b) => a.add(b), Rational.ZERO);
    points = pointsField.exists ? positive(pointsField) : sum;
    if (!points.eq(sum)) pointsField.fail(`the item is worth ${points} points but its parts add up to ${sum}`);
  } else {
    points = positive(f.required('points'));
  }
  return {
    kind: 'problem', problem, field: f, parts, points,
    title: f.get('title').exists ? text(f.get('title')) : problem.title,
    randomized: variants !== undefined,
    tolerance: f.get('tolerance').exists ? parseTolerance(f.get('tolerance')) : ctx.examTolerance,
    space: f.get('space').exists ? space(f.get('space')) : Math.min(20, 5 * problem.ask.length),
  };
}

/** `parts: [a, b]` (labels) or `parts: {a: 5, b: 10}` (labels with points), one per ask item of the problem. */
function parseParts(f: Field, asks: number, kinds: readonly string[]): PartsSpec {
  if (!f.exists) return { kind: 'none' };
  const labels = f.isMap() ? f.keys() : f.isList() ? f.items().map(partLabelOf) : f.fail('parts is a list of labels [a, b] or a mapping {a: 5, b: 10}');
  if (labels.length !== asks) {
    f.fail(`the problem asks ${asks} thing${asks === 1 ? '' : 's'} (${kinds.join(', ')}), so parts needs ${asks} label${asks === 1 ? '' : 's'}, got ${labels.length}`);
  }
  const seen = new Set<string>();
  for (const l of labels) {
    if (!LABEL_RE.test(l)) f.fail(`a part label is 1 to 8 letters or digits, got '${l}'`);
    if (seen.has(l)) f.fail(`the label '${l}' is used twice`);
    seen.add(l);
  }
  if (!f.isMap()) return { kind: 'labels', labels };
  return { kind: 'points', labels, points: labels.map((l) => positive(f.get(l))) };
}

function partLabelOf(f: Field): string {
  const l = f.text();
  if (!LABEL_RE.test(l)) f.fail(`a part label is 1 to 8 letters or digits, got '${l}'`);
  return l;
}

/** Points: a positive number (decimals and fractions such as "1/3" are fine). */
function positive(f: Field): Rational {
  const v = f.scalarValue();
  if (typeof v !== 'number' && typeof v !== 'string') f.fail(`points must be a positive number, got ${JSON.stringify(v)}`);
  const r = typeof v === 'number' ? (Number.isFinite(v) ? Rational.fromNumber(v) : null) : Rational.parse(v);
  if (!r || r.sign() <= 0) f.fail(`points must be a positive number, got ${JSON.stringify(v)}`);
  if (r.den > 1000n) f.fail(`points are whole numbers, decimals or simple fractions, got ${JSON.stringify(v)}`);
  return r;
}

function space(f: Field): number {
  const cm = f.number();
  if (!(cm >= 0 && cm <= 25)) f.fail(`space is the answer space in cm, from 0 to 25, got ${cm}`);
  return cm;
}

function parseSeed(f: Field): string {
  const s = f.text();
  if (!SEED_RE.test(s)) f.fail(`a seed is letters, digits and . _ : - (at most 100), got '${s}'`);
  return s;
}

function text(f: Field): string {
  const s = f.text();
  if (s.length > MAX_TEXT) f.fail(`text longer than ${MAX_TEXT} characters`);
  return s;
}

function optText(f: Field, key: string): string | undefined {
  return f.get(key).exists ? text(f.get(key)) : undefined;
}
