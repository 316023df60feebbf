/**
 * `require` expressions (contract 5): comparisons `< <= > >= == !=` between
 * formulas of the problem's syntax, joined by `and`, `or`, `not` and
 * parentheses; `-4 <= w1*x + b1 <= 4` chains as in Python. This module only
 * splits the text at the logical level; every arithmetic side is parsed by a
 * bounded formula parser: src/expr/parse.ts for a scalar network (here), the
 * tensor parser for tensor equations (tensor-require.ts). Nothing is
 * evaluated as code.
 */
import { ProblemError } from '../errors.js';
import { ref, refsOf, type Expr } from '../expr/expr.js';
import { elementKey, type Graph } from '../expr/graph.js';
import type { Rational } from '../expr/rational.js';
import { parseFormula, toExpr } from '../expr/parse.js';
import type { Field } from '../input/field.js';

export type RelOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** A condition whose compared sides are values of type S (a scalar `Expr`, or a tensor-level side). */
export type CondOf<S> =
  | { readonly t: 'cmp'; readonly op: RelOp; readonly l: S; readonly r: S }
  | { readonly t: 'and' | 'or'; readonly parts: readonly CondOf<S>[] }
  | { readonly t: 'not'; readonly x: CondOf<S> };

export type Cond = CondOf<Expr>;

/** Parses one side of a comparison: the text `piece`, which starts at column `start` (0-based) of the requirement. */
export type SideParser<S> = (piece: string, start: number, fail: (msg: string, at?: number) => never) => S;

/** Longest requirement we read: a hand-written constraint is a line. */
export const MAX_REQUIRE_LENGTH = 2000;
const MAX_NESTING = 50;

type TokKind = 'and' | 'or' | 'not' | 'rel' | 'open' | 'close' | 'other';
interface Tok { readonly k: TokKind; readonly s: string; readonly start: number; readonly end: number }

const WORDS: ReadonlyMap<string, TokKind> = new Map([['and', 'and'], ['or', 'or'], ['not', 'not']]);

/**
 * Parse one requirement into a condition over graph nodes. `field` is the
 * YAML item, so every error names the file, line and key, plus the column.
 */
export function parseCondition(text: string, field: Field, graph: Graph): Cond {
  return parseConditionWith(text, field, (piece, start, fail) => {
    try {
      const ast = parseFormula(piece, { maxLength: MAX_REQUIRE_LENGTH, maxDepth: MAX_NESTING });
      return toExpr(ast, (name, index, col) => ref(resolveKey(graph, name, index, (m) => fail(m, start + col - 1))));
    } catch (e) {
      return rethrowAt(e, start, fail);
    }
  });
}

/**
 * A formula parser's error (its columns count within the side) as an error
 * of the whole requirement, at the column within the requirement.
 */
export function rethrowAt(e: unknown, start: number, fail: (msg: string, at?: number) => never): never {
  if (!(e instanceof ProblemError) || e.file !== undefined) throw e;
  const col = e.column;
  return fail(e.message.replace(/ at column \d+$/, ''), col === undefined ? undefined : start + col - 1);
}

/** The logical level of a requirement, each compared side read by `side`. */
export function parseConditionWith<S>(text: string, field: Field, side: SideParser<S>): CondOf<S> {
  const fail = (msg: string, at?: number): never => field.fail(at === undefined ? `${msg} in "${text}"` : `${msg} at column ${at + 1} of "${text}"`);
  if (text.length > MAX_REQUIRE_LENGTH) field.fail(`a requirement is longer than ${MAX_REQUIRE_LENGTH} characters`);
  const toks = tokenize(text, fail);
  let depth = 0;

  // Index of the token closing the group opened at i, within [i, j).
  const closing = (i: number, j: number): number => {
    let d = 0;
    for (let p = i; p < j; p++) {
      if (toks[p]!.k === 'open') d++;
      else if (toks[p]!.k === 'close' && --d === 0) return p;
    }
    return fail("missing ')'", toks[i]!.start);
  };
  // Positions of top-level tokens of the given kinds within [i, j).
  const topLevel = (i: number, j: number, kinds: readonly TokKind[]): number[] => {
    const out: number[] = [];
    let d = 0;
    for (let p = i; p < j; p++) {
      const k = toks[p]!.k;
      if (k === 'open') d++;
      else if (k === 'close') { if (--d < 0) fail("unbalanced ')'", toks[p]!.start); }
      else if (d === 0 && kinds.includes(k)) out.push(p);
    }
    if (d > 0) fail("missing ')'", toks[j - 1]?.end ?? text.length);
    return out;
  };
  const splitAt = (i: number, j: number, at: readonly number[]): Array<[number, number]> => {
    const bounds = [i - 1, ...at, j];
    return bounds.slice(1).map((b, n): [number, number] => {
      const a = bounds[n]! + 1;
      if (a >= b) { const sep = toks[at[Math.min(n, at.length - 1)]!]!; fail(`nothing on one side of '${sep.s}'`, sep.start); }
      return [a, b];
    });
  };

  const disjunction = (i: number, j: number): CondOf<S> => {
    if (++depth > MAX_NESTING) fail(`nested deeper than ${MAX_NESTING}`);
    const ors = topLevel(i, j, ['or']);
    const out: CondOf<S> = ors.length ? { t: 'or', parts: splitAt(i, j, ors).map(([a, b]) => conjunction(a, b)) } : conjunction(i, j);
    depth--;
    return out;
  };
  const conjunction = (i: number, j: number): CondOf<S> => {
    const ands = topLevel(i, j, ['and']);
    return ands.length ? { t: 'and', parts: splitAt(i, j, ands).map(([a, b]) => negation(a, b)) } : negation(i, j);
  };
  const negation = (i: number, j: number): CondOf<S> => {
    if (toks[i]!.k === 'not') {
      if (i + 1 >= j) fail("'not' needs a condition after it", toks[i]!.start);
      if (++depth > MAX_NESTING) fail(`nested deeper than ${MAX_NESTING}`);
      const x = negation(i + 1, j);
      depth--;
      return { t: 'not', x };
    }
    // A parenthesized condition, `(a < b)`, as opposed to a parenthesized value, `(a + b) < c`.
    // (A value never holds a comparison, so a wrapped group with one anywhere inside is a condition: `((a < b))`.)
    if (toks[i]!.k === 'open' && closing(i, j) === j - 1 && toks.slice(i + 1, j - 1).some((t) => t.k !== 'other' && t.k !== 'open' && t.k !== 'close')) {
      return disjunction(i + 1, j - 1);
    }
    return comparison(i, j);
  };
  const comparison = (i: number, j: number): CondOf<S> => {
    const rels = topLevel(i, j, ['rel']);
    if (rels.length === 0) fail('a requirement compares values (e.g. "o != 0" or "abs(w1*x + b1) < 4")', toks[i]!.start);
    for (const p of [i, j - 1]) {
      const k = toks[p]!.k;
      if (k === 'and' || k === 'or' || k === 'not') fail(`'${toks[p]!.s}' cannot stand here`, toks[p]!.start);
    }
    const sides = splitAt(i, j, rels).map(([a, b]) => sideAt(a, b));
    // a < b < c means a < b and b < c
    const cmps: CondOf<S>[] = rels.map((p, n) => ({ t: 'cmp', op: toks[p]!.s as RelOp, l: sides[n]!, r: sides[n + 1]! }));
    return cmps.length === 1 ? cmps[0]! : { t: 'and', parts: cmps };
  };
  const sideAt = (a: number, b: number): S => {
    for (let p = a; p < b; p++) if (toks[p]!.k !== 'other' && toks[p]!.k !== 'open' && toks[p]!.k !== 'close') fail(`'${toks[p]!.s}' cannot stand inside a value`, toks[p]!.start);
    const start = toks[a]!.start;
    return side(text.slice(start, toks[b - 1]!.end), start, fail);
  };

  if (toks.length === 0) fail('an empty requirement');
  return disjunction(0, toks.length);
}

/** The graph key a name in a requirement refers to: a scalar, an element, or a one-element tensor. */
function resolveKey(graph: Graph, name: string, index: number[] | undefined, fail: (msg: string) => never): string {
  const t = graph.tensors.get(name);
  if (!t) {
    return fail(`'${name}' is not a name of this network (its names: ${[...graph.tensors.keys()].slice(0, 30).join(', ')})`);
  }
  if (index) {
    const key = elementKey(name, index);
    if (!graph.nodes.has(key)) fail(`${key} is outside '${name}' of shape [${t.shape.join(', ')}]`);
    return key;
  }
  if (t.keys.length !== 1) fail(`'${name}' is a tensor; name one element, e.g. ${elementKey(name, t.shape.map(() => 1))}`);
  return t.keys[0]!;
}

function tokenize(text: string, fail: (msg: string, at?: number) => never): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const push = (k: TokKind, s: string, len: number) => { toks.push({ k, s, start: i, end: i + len }); i += len; };
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (/\s/.test(c)) { i++; continue; }
    if (two === '<=' || two === '>=' || two === '==' || two === '!=') { push('rel', two, 2); continue; }
    if (two === '&&') { push('and', 'and', 2); continue; }
    if (two === '||') { push('or', 'or', 2); continue; }
    if (c === '<' || c === '>') { push('rel', c, 1); continue; }
    if (c === '!') { push('not', 'not', 1); continue; }
    if (c === '=') fail("'=' is not a comparison; write '=='", i);
    if (c === '(') { push('open', c, 1); continue; }
    if (c === ')') { push('close', c, 1); continue; }
    const word = /^[A-Za-z\u0370-\u03ff][A-Za-z0-9_\u0370-\u03ff]*/.exec(text.slice(i, i + 256));
    if (word) { push(WORDS.get(word[0]) ?? 'other', word[0], word[0].length); continue; }
    // anything else belongs to a value; the formula parser judges it
    push('other', c, 1);
  }
  return toks;
}

/** How a condition reads its sides: exactly where every name is a rational leaf, else as float64. */
export interface CondEnv {
  exact(e: Expr): Rational | null;
  value(e: Expr): number;
}

export function holds(c: Cond, env: CondEnv): boolean {
  return holdsWith(c, (l, r) => {
    // Exact where possible, so `abs(1.3*3 + 0.1) <= 4` holds (in float64 the left side is 4.000000000000001).
    const a = env.exact(l), b = env.exact(r);
    return a && b ? a.cmp(b) : floatCmp(env.value(l), env.value(r));
  });
}

/** Does the condition hold, each comparison's sides ordered by `cmp` (-1, 0, 1; null when a side is NaN)? */
export function holdsWith<S>(c: CondOf<S>, cmp: (l: S, r: S) => number | null): boolean {
  switch (c.t) {
    case 'and': return c.parts.every((p) => holdsWith(p, cmp));
    case 'or': return c.parts.some((p) => holdsWith(p, cmp));
    case 'not': return !holdsWith(c.x, cmp);
    case 'cmp': {
      const d = cmp(c.l, c.r);
      if (d === null) return false; // a NaN side satisfies nothing
      return relHolds(c.op, d);
    }
  }
}

export function floatCmp(x: number, y: number): number | null {
  if (Number.isNaN(x) || Number.isNaN(y)) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

function relHolds(op: RelOp, d: number): boolean {
  switch (op) {
    case '<': return d < 0;
    case '<=': return d <= 0;
    case '>': return d > 0;
    case '>=': return d >= 0;
    case '==': return d === 0;
    case '!=': return d !== 0;
  }
}

/** Every graph key a condition reads. */
export function condKeys(c: Cond, out = new Set<string>()): Set<string> {
  switch (c.t) {
    case 'and': case 'or': c.parts.forEach((p) => condKeys(p, out)); break;
    case 'not': condKeys(c.x, out); break;
    case 'cmp': for (const e of [c.l, c.r]) for (const k of refsOf(e)) out.add(k); break;
  }
  return out;
}
