/**
 * Validate a problem file's text (contract sections 1, 3, 4). No file system here, so a web
 * page can parse a problem too (issue 18); `loadProblem` (read.ts) reads the file from disk.
 */
import { LineCounter, parseDocument, visit } from 'yaml';
import { ProblemError } from '../errors.js';
import { Rational } from '../expr/rational.js';
import { FN_NAMES } from '../expr/expr.js';
import { MAX_INIT_ELEMENTS, type Initializer } from './initializer.js';
import { parseNetwork } from '../networks/spec.js';
import { Field, NAME_RE } from '../input/field.js';
import { isSafeMath } from '../render/format.js';
import type { AskItem, GivenEntry, GivenValue, LmsSpec, ProblemSpec, Published } from './spec.js';

const TOP_KEYS = ['id', 'title', 'statement', 'network', 'given', 'ask', 'symbols', 'exact', 'precision', 'notation', 'published', 'variants', 'lms'];
/** Largest problem file we read: a hand-written problem is a few KB; an MLP 784-128-10 written out is about 0.7 MB. */
export const MAX_FILE_BYTES = 4_000_000;

export function parseProblem(text: string, file: string): ProblemSpec {
  if (text.length > MAX_FILE_BYTES) throw new ProblemError(`file larger than ${MAX_FILE_BYTES} bytes`, file);
  if (/^\t/m.test(text)) {
    const line = text.split('\n').findIndex((l) => l.startsWith('\t')) + 1;
    throw new ProblemError('a tab indents this line; YAML indents with spaces', file, line);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const line = lines.linePos(err.pos[0]).line;
    // the error starts at the repeated key, so the message can name it
    const dup = /^("[^"\n]*"|'[^'\n]*'|[^:\s,{}[\]]+)/.exec(text.slice(err.pos[0], err.pos[0] + 100))?.[1] ?? '';
    const what = err.code === 'DUPLICATE_KEY' ? `the key '${dup}' appears twice in the same mapping` : err.message.split('\n')[0];
    throw new ProblemError(`YAML: ${what}`, file, line);
  }
  // An alias (*name) would be a second path to one node: a hand-written problem never needs one,
  // and a chain of them ("billion laughs") must not get a chance to expand (issue 8).
  visit(doc, {
    Alias(_, node) {
      throw new ProblemError(`YAML: aliases such as '*${node.source}' are not allowed in a problem file; write the value out`, file, node.range ? lines.linePos(node.range[0]).line : undefined);
    },
  });
  const root = Field.root(file, doc, lines);
  if (!root.isMap()) root.fail('a problem file is a mapping with keys id, title, network, given, ask');
  root.only(TOP_KEYS);

  const idField = root.required('id');
  const id = idField.str();
  if (!/^[a-z0-9-]+$/.test(id) || id.length > 100) idField.fail(`id must match [a-z0-9-]+ (at most 100 characters), got '${id}'`);

  const precisionField = root.get('precision');
  const network = parseNetwork(root.required('network'));
  const givenField = root.required('given');
  const spec: ProblemSpec = {
    file, id, root,
    title: root.required('title').text(),
    statement: root.get('statement').exists ? root.get('statement').text() : undefined,
    network,
    given: parseGiven(givenField),
    givenField,
    ask: root.required('ask').items().map(parseAsk),
    symbols: parseSymbols(root.get('symbols')),
    exact: root.get('exact').exists ? root.get('exact').bool() : true,
    precision: precisionField.exists ? precisionField.int(1, 17) : 4,
    notation: root.get('notation').exists ? root.get('notation').str() : undefined,
    published: root.get('published').exists ? parsePublished(root.get('published')) : undefined,
    variants: root.get('variants').exists ? root.get('variants') : undefined,
  };
  if (spec.ask.length === 0) root.get('ask').fail('ask lists nothing to compute');
  const lms = root.get('lms');
  return lms.exists ? { ...spec, lms: parseLms(lms, spec.ask) } : spec;
}

function parseGiven(f: Field): Map<string, GivenEntry> {
  const out = new Map<string, GivenEntry>();
  if (!f.exists) return out;
  for (const name of f.keys()) {
    const v = f.get(name);
    if (!NAME_RE.test(name)) v.fail(`'${name}' is not a name`);
    if ((FN_NAMES as readonly string[]).includes(name)) v.fail(`'${name}' is a function name and cannot be a value`);
    out.set(name, { value: parseGivenValue(v), field: v });
  }
  return out;
}

/** Largest tensor written out in `given`. */
export const MAX_GIVEN_ELEMENTS = 250_000;

export function parseGivenValue(f: Field): GivenValue {
  if (f.isMap()) {
    if (f.get('uniform').exists || f.get('normal').exists) return parseInitializer(f);
    f.only(['fill']);
    return { kind: 'fill', value: f.required('fill').rational() };
  }
  if (!f.isList()) return { kind: 'array', shape: [], values: [f.rational()] };
  const values: Rational[] = [];
  const shapeOf = (g: Field, depth: number): number[] => {
    if (depth > 8) g.fail('nested deeper than 8 levels');
    if (!g.isList()) { values.push(g.rational()); return []; }
    const items = g.items();
    if (items.length === 0) g.fail('an empty list has no values');
    let inner: number[] | null = null;
    for (const it of items) {
      const s = shapeOf(it, depth + 1);
      if (inner && s.join('x') !== inner.join('x')) it.fail(`rows of different lengths (${inner.join('x') || 'a number'} and ${s.join('x') || 'a number'})`);
      inner = s;
      if (values.length > MAX_GIVEN_ELEMENTS) g.fail(`more than ${MAX_GIVEN_ELEMENTS} values`);
    }
    return [items.length, ...inner!];
  };
  const shape = shapeOf(f, 0);
  return { kind: 'array', shape, values };
}

/** `{uniform: [lo, hi], shape: [..], seed: 3, step: 0.001}` or `{normal: [mean, sd], ...}` (contract 3). */
function parseInitializer(f: Field): Initializer {
  f.only(['uniform', 'normal', 'shape', 'seed', 'step']);
  const dist = f.get('uniform').exists ? 'uniform' : 'normal';
  if (f.get('uniform').exists && f.get('normal').exists) f.fail("an initializer is either 'uniform' or 'normal'");
  const pair = f.get(dist).items();
  if (pair.length !== 2) f.get(dist).fail(dist === 'uniform' ? 'expected [lo, hi]' : 'expected [mean, sd]');
  const [a, b] = [pair[0]!.rational(), pair[1]!.rational()];
  if (dist === 'uniform' && !(a.cmp(b) < 0)) f.get(dist).fail('lo must be below hi');
  if (dist === 'normal' && b.sign() <= 0) f.get(dist).fail('the standard deviation must be positive');
  const shapeField = f.required('shape');
  const shape = shapeField.items().map((d) => {
    const n = d.number();
    if (!Number.isInteger(n) || n < 1) d.fail('a size is a whole number of at least 1');
    return n;
  });
  if (shape.length === 0 || shape.length > 4) shapeField.fail('a shape has 1 to 4 sizes');
  const count = shape.reduce((x, y) => x * y, 1);
  if (count > MAX_INIT_ELEMENTS) shapeField.fail(`${count} entries, more than ${MAX_INIT_ELEMENTS}`);
  const seedField = f.required('seed');
  const seed = seedField.text();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(seed)) seedField.fail('a seed is a number or a short word');
  const stepField = f.required('step');
  const step = stepField.rational();
  if (step.sign() <= 0) stepField.fail('the step must be positive');
  if (dist === 'uniform') {
    const q = b.sub(a).div(step);
    if (q.num / q.den + 1n > 2n ** 32n) stepField.fail('the step is too small for the range (more than 2^32 grid points)');
  }
  return { kind: 'init', dist, a, b, shape, seed, step };
}

const ELEMENT_RE = /^[A-Za-z][A-Za-z0-9_]*(\[\d+(,\s*\d+)*\])?$/;

function elementName(f: Field): string {
  const s = f.text().replace(/\s+/g, '');
  if (!ELEMENT_RE.test(s)) f.fail(`'${s}' is not a name or an element such as W1[2,3]`);
  return s;
}

function elementList(f: Field): string[] {
  return f.isList() ? f.items().map(elementName) : [elementName(f)];
}

const ASK_KINDS = ['forward', 'gradient', 'update', 'shape', 'padding', 'parameters', 'jacobian', 'table'] as const;

function parseAsk(f: Field): AskItem {
  const keys = f.keys();
  if (keys.length !== 1) f.fail(`each ask item has one key (one of ${ASK_KINDS.join(', ')})`);
  const kind = keys[0]!;
  const v = f.get(kind);
  switch (kind) {
    case 'forward': return { kind, names: elementList(v), field: v };
    case 'gradient': {
      v.only(['of', 'wrt', 'symbolic', 'upstream']);
      return {
        kind, field: v,
        of: elementName(v.required('of')),
        wrt: elementList(v.required('wrt')),
        symbolic: v.get('symbolic').exists ? v.get('symbolic').nameList() : [],
        ...(v.get('upstream').exists ? { upstream: v.get('upstream').name() } : {}),
      };
    }
    case 'update': {
      v.only(['rule', 'rate', 'of', 'params']);
      const rate = v.required('rate').rational();
      if (rate.sign() <= 0) v.get('rate').fail('the learning rate must be positive');
      return {
        kind, field: v, rule: v.get('rule').exists ? v.get('rule').oneOf(['sgd'] as const) : 'sgd', rate,
        of: v.get('of').exists ? elementName(v.get('of')) : undefined,
        params: v.get('params').exists ? v.get('params').nameList() : undefined,
      };
    }
    case 'shape': return { kind, names: v.nameList(), field: v };
    case 'padding': return { kind, mode: v.oneOf(['same'] as const), field: v };
    case 'parameters': {
      if (v.isScalar()) { v.oneOf(['count'] as const); return { kind, field: v }; }
      v.only(['compare']);
      return { kind, compare: v.required('compare').oneOf(['dense'] as const), field: v };
    }
    case 'jacobian': {
      v.only(['of', 'wrt']);
      return { kind, field: v, of: v.required('of').name(), wrt: v.required('wrt').name() };
    }
    case 'table': {
      v.only(['input', 'rows', 'expect', 'output']);
      const rows = v.required('rows').items().map((r) => (r.isList() ? r.items().map((x) => x.rational()) : [r.rational()]));
      const expect = v.get('expect').exists ? v.get('expect').items().map((x) => x.rational()) : undefined;
      if (expect && expect.length !== rows.length) v.get('expect').fail(`expect has ${expect.length} values for ${rows.length} rows`);
      if (rows.length > 4096) v.get('rows').fail('more than 4096 rows');
      return {
        kind, field: v, input: v.required('input').name(), rows, expect,
        output: v.get('output').exists ? v.get('output').name() : undefined,
      };
    }
    default:
      return f.get(kind).fail(`unknown ask '${kind}' (expected one of ${ASK_KINDS.join(', ')})`);
  }
}

function parseSymbols(f: Field): Record<string, string> {
  const out: Record<string, string> = {};
  if (!f.exists) return out;
  for (const k of f.keys()) {
    const latex = f.get(k).text();
    // Symbols go into TeX and KaTeX as they are: only plain math, no file or macro commands.
    if (!isSafeMath(latex) || latex.length > 200) f.get(k).fail(`'${latex}' is not plain math LaTeX (at most 200 characters, balanced braces, no \\input, \\def, # or %)`);
    out[k] = latex;
  }
  return out;
}

function parsePublished(f: Field): Published {
  f.only(['source', 'values']);
  const vf = f.required('values');
  return {
    source: f.required('source').text(),
    values: vf.keys().map((what) => ({ what, value: vf.get(what).number(), field: vf.get(what) })),
  };
}

/**
 * `lms: {ask: "E/W2[1,1]"}`: the one asked number that becomes a question
 * group in the LMS packages (one question per variant, a student draws one).
 * Written as an answers.csv column: `of/wrt` for a derivative, a node's name
 * for a value, `update:name` for a parameter after the update step. Here it
 * must name something the problem's `ask` asks for; whether an element index
 * fits its tensor is checked once the network is built (variants/qti).
 */
function parseLms(f: Field, ask: readonly AskItem[]): LmsSpec {
  if (!f.isMap()) f.fail('lms is a mapping such as {ask: "E/W2[1,1]"}');
  f.only(['ask']);
  const af = f.required('ask');
  if (!af.isScalar()) af.fail('lms.ask names one asked number, such as "E/W2[1,1]" (question groups draw each question on its own, so a group holds one number)');
  const text = af.text().replace(/\s+/g, '');
  const base = (n: string) => n.replace(/\[.*$/, '');
  const listed = (names: readonly string[], n: string) => names.some((x) => x.replace(/\s+/g, '') === n || x === base(n));
  const element = (n: string, what: string): string => {
    if (!ELEMENT_RE.test(n)) af.fail(`'${n}' in "${text}" is not a name or an element such as W2[1,1] (${what})`);
    return n;
  };
  const update = /^update:(.*)$/.exec(text);
  if (update) {
    const name = element(update[1]!, 'update:NAME is a parameter after the update step');
    const items = ask.filter((a): a is Extract<AskItem, { kind: 'update' }> => a.kind === 'update');
    if (!items.length) af.fail(`"${text}" asks for an updated parameter, but ask has no update item`);
    if (!items.some((a) => !a.params || listed(a.params, name))) af.fail(`"${text}": '${base(name)}' is not among the updated parameters (${items.flatMap((a) => a.params ?? []).join(', ')})`);
    return { ask: text, field: af };
  }
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const of = element(text.slice(0, slash), 'of/wrt names a derivative');
    const wrt = element(text.slice(slash + 1), 'of/wrt names a derivative');
    const items = ask.filter((a): a is Extract<AskItem, { kind: 'gradient' }> => a.kind === 'gradient');
    const ofs = items.filter((a) => a.of.replace(/\s+/g, '') === of);
    if (!ofs.length) af.fail(`"${text}": ask takes no gradient of '${of}'${items.length ? ` (it asks for gradients of ${[...new Set(items.map((a) => a.of))].join(', ')})` : ''}`);
    if (!ofs.some((a) => listed(a.wrt, wrt))) af.fail(`"${text}": the gradient of '${of}' is asked with respect to ${ofs.flatMap((a) => a.wrt).join(', ')}, not '${wrt}'`);
    return { ask: text, field: af };
  }
  const name = element(text, 'a value, of/wrt for a derivative, or update:NAME');
  const forward = ask.flatMap((a) => (a.kind === 'forward' ? a.names : []));
  if (!listed(forward, name)) af.fail(`"${text}" is not among the asked values${forward.length ? ` (forward: ${forward.join(', ')})` : ''}; write of/wrt for a derivative or update:NAME for an updated parameter`);
  return { ask: text, field: af };
}
