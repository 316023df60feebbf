/**
 * The syntax tree of a hand-written answer, shared by the plain-text and the
 * LaTeX readers. It is richer than the problem-format formula tree: answers
 * may hold matrices, transposes, Hadamard and matrix products, sums over a
 * bound index, Leibniz quotients, comparisons (indicators) and definitions
 * (`d := p - t; d h^T`). Names stay as written (base, accent, superscript
 * index, subscripts); the lowering stage resolves them against the problem.
 */
import type { Rational } from '../expr/rational.js';
import { ProblemError } from '../errors.js';
import type { AnswerFn } from './vocabulary.js';

/** How a subscript or superscript item was bracketed: `x_{(t)}`, `h^{[t]}`, or plainly. */
export type Wrap = '' | '()' | '[]';

/** One subscript item, e.g. `11` in `w_{11}`, `t-1` in `s_{t-1}`, `(t)` in `x_{(t)}`: its text, tree and brackets. */
export interface SubItem { readonly text: string; readonly ast: Ast; readonly wrap: Wrap }

/** A decoration over a name: `\bar{h}`, `\overline{h}`, `\hat{o}`, `\tilde{x}`, or a prime (`\delta'`). */
export type Accent = 'bar' | 'hat' | 'tilde' | 'prime';

export type NameAst = {
  readonly t: 'name';
  readonly base: string;
  /** `w_{11}` (subs: [[11]]), `\delta_{z_{1,1}}`, `x_{(t),2}` */
  readonly subs: readonly (readonly SubItem[])[];
  /** an index written as a superscript: `h^{[t]}`, `y^{(3)}`, `\delta^{z}` (never a power) */
  readonly sup?: readonly SubItem[];
  readonly accent?: Accent;
  /** `K[1,1]`, `h[t-1]` */
  readonly index?: readonly Ast[];
  readonly col: number;
};

export type CmpOp = '>' | '<' | '>=' | '<=';

/** One entry of a selection: an index, or a range `i:j` (either end may be left out: `:`, `i:`, `:j`). */
export type SelectItem = { readonly k: 'at'; readonly ast: Ast } | { readonly k: 'range'; readonly from: Ast | null; readonly to: Ast | null };

export type Ast =
  | { readonly t: 'num'; readonly value: Rational; readonly col: number }
  | NameAst
  /** a function; `primes` counts derivative marks (sigma'(u)) */
  | { readonly t: 'call'; readonly fn: AnswerFn; readonly arg: Ast; readonly primes: number; readonly col: number; readonly more?: readonly Ast[] }
  /** a selection as in 2.7: `x[2]`, `(...)[1:2]`, `A[i, :]`, `A[:, j]` (1-based, inclusive) */
  | { readonly t: 'select'; readonly x: Ast; readonly index: readonly SelectItem[]; readonly col: number }
  /**
   * `*` is the product that fits (Hadamard for equal shapes, else the matrix product); `mm` is the matrix
   * product (juxtaposition, \cdot, @); `odot` the Hadamard product (\odot, \circ, .*)
   */
  | { readonly t: 'bin'; readonly op: '+' | '-' | '*' | 'mm' | '/' | '^' | 'odot'; readonly l: Ast; readonly r: Ast; readonly col: number }
  | { readonly t: 'neg'; readonly x: Ast; readonly col: number }
  | { readonly t: 'transpose'; readonly x: Ast; readonly col: number }
  /** rows of cells; `flat` for a plain-text list [a, b, c] (a vector) */
  | { readonly t: 'matrix'; readonly rows: readonly (readonly Ast[])[]; readonly flat: boolean; readonly col: number }
  /**
   * \sum_{v=from}^{to} body and \prod. A missing `from` is 1; a missing `to`, or one that names
   * nothing, means "as far as the names in the body exist" (\sum_t, \sum_{t=1}^{T}).
   */
  | { readonly t: 'big'; readonly op: 'sum' | 'prod'; readonly v: string; readonly from: Ast | null; readonly to: Ast | null; readonly body: Ast; readonly col: number }
  /** the partial symbol before a name, only valid inside a quotient */
  | { readonly t: 'partial'; readonly x: Ast; readonly col: number }
  /** a Leibniz quotient d of / d wrt */
  | { readonly t: 'deriv'; readonly of: Ast; readonly wrt: Ast; readonly col: number }
  /** `z > 0` inside brackets or an indicator: 1 where it holds, else 0 */
  | { readonly t: 'cmp'; readonly op: CmpOp; readonly l: Ast; readonly r: Ast; readonly col: number }
  /** `d := p - t; d h^T`: definitions, in order, then the result */
  | { readonly t: 'program'; readonly defs: ReadonlyArray<{ readonly name: NameAst; readonly value: Ast }>; readonly body: Ast; readonly col: number };

/** A mistake in the answer text: names the column (1-based) where it was found. */
export class AnswerError extends ProblemError {
  constructor(message: string, readonly col: number, readonly kind: 'syntax' | 'name' | 'shape' | 'limit' | 'circular' = 'syntax') {
    super(`column ${col}: ${message}`);
    this.name = 'AnswerError';
  }
}

/** Count of nodes in a tree (for tests and limits). */
export function astSize(a: Ast): number {
  switch (a.t) {
    case 'num': return 1;
    case 'name': return 1 + (a.index ?? []).reduce((s, x) => s + astSize(x), 0) + [...a.subs.flat(), ...(a.sup ?? [])].reduce((s, x) => s + astSize(x.ast), 0);
    case 'call': return 1 + astSize(a.arg) + (a.more ?? []).reduce((n, x) => n + astSize(x), 0);
    case 'select': return 1 + astSize(a.x) + a.index.reduce((n, it) => n + (it.k === 'at' ? astSize(it.ast) : (it.from ? astSize(it.from) : 0) + (it.to ? astSize(it.to) : 0)), 0);
    case 'bin': case 'cmp': return 1 + astSize(a.l) + astSize(a.r);
    case 'neg': case 'transpose': case 'partial': return 1 + astSize(a.x);
    case 'matrix': return 1 + a.rows.flat().reduce((s, x) => s + astSize(x), 0);
    case 'big': return 1 + (a.from ? astSize(a.from) : 0) + (a.to ? astSize(a.to) : 0) + astSize(a.body);
    case 'deriv': return 1 + astSize(a.of) + astSize(a.wrt);
    case 'program': return 1 + a.defs.reduce((s, d) => s + astSize(d.name) + astSize(d.value), 0) + astSize(a.body);
  }
}

/** Does the tree use one of `vars` as a bound index (bare, in a subscript such as w_{ij}, or in an index)? */
export function mentions(a: Ast, vars: ReadonlySet<string>): boolean {
  switch (a.t) {
    case 'num': return false;
    case 'name':
      if (a.subs.length === 0 && !a.index && !a.sup && !a.accent && vars.has(a.base)) return true;
      return (a.index ?? []).some((x) => mentions(x, vars)) || [...a.subs.flat(), ...(a.sup ?? [])].some((it) => itemMentions(it, vars));
    case 'call': return mentions(a.arg, vars) || (a.more ?? []).some((x) => mentions(x, vars));
    case 'select': return mentions(a.x, vars) || a.index.some((it) => (it.k === 'at' ? mentions(it.ast, vars) : (it.from !== null && mentions(it.from, vars)) || (it.to !== null && mentions(it.to, vars))));
    case 'bin': case 'cmp': return mentions(a.l, vars) || mentions(a.r, vars);
    case 'neg': case 'transpose': case 'partial': return mentions(a.x, vars);
    case 'matrix': return a.rows.some((r) => r.some((c) => mentions(c, vars)));
    case 'big': return (a.from !== null && mentions(a.from, vars)) || (a.to !== null && mentions(a.to, vars)) || mentions(a.body, vars);
    case 'deriv': return mentions(a.of, vars) || mentions(a.wrt, vars);
    case 'program': return mentions(a.body, vars) || a.defs.some((d) => mentions(d.value, vars));
  }
}

/** A subscript item mentions a bound index: as an expression, or among letters run together (`w_{ij}` uses i and j). */
export function itemMentions(it: SubItem, vars: ReadonlySet<string>): boolean {
  const a = it.ast;
  if (mentions(a, vars)) return true;
  return a.t === 'name' && !a.subs.length && !a.index && !a.sup && !a.accent && /^[a-z]{2,4}$/.test(a.base) && [...a.base].some((c) => vars.has(c));
}

/** `ij` in w_{ij} with i and j both bound: the letters, else null. */
export function jointLetters(a: Ast, vars: ReadonlySet<string>): string[] | null {
  if (a.t !== 'name' || a.subs.length || a.index || a.sup || a.accent || a.base.length < 2 || a.base.length > 4) return null;
  const letters = [...a.base];
  return letters.every((c) => vars.has(c)) ? letters : null;
}
