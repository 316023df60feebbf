/**
 * The syntax tree of a hand-written answer, shared by the plain-text and the
 * LaTeX readers. It is richer than the problem-format formula tree: answers
 * may hold matrices, transposes, Hadamard products, sums over a bound index and
 * Leibniz quotients. Names stay as written (base and subscripts); the lowering
 * stage resolves them against the problem's graph.
 */
import type { FnName } from '../expr/expr.js';
import type { Rational } from '../expr/rational.js';
import { ProblemError } from '../errors.js';

/** One subscript item, e.g. `11` in `w_{11}` or `t-1` in `s_{t-1}`: its text and its tree. */
export interface SubItem { readonly text: string; readonly ast: Ast }

export type Ast =
  | { readonly t: 'num'; readonly value: Rational; readonly col: number }
  /** `w`, `w_{11}` (subs: [[11]]), `W_{x}`, `K[1,1]` (index) */
  | { readonly t: 'name'; readonly base: string; readonly subs: readonly (readonly SubItem[])[]; readonly index?: readonly Ast[]; readonly col: number }
  /** a function; `primes` counts derivative marks (sigma'(u)) */
  | { readonly t: 'call'; readonly fn: FnName; readonly arg: Ast; readonly primes: number; readonly col: number }
  | { readonly t: 'bin'; readonly op: '+' | '-' | '*' | '/' | '^' | 'odot'; readonly l: Ast; readonly r: Ast; readonly col: number }
  | { readonly t: 'neg'; readonly x: Ast; readonly col: number }
  | { readonly t: 'transpose'; readonly x: Ast; readonly col: number }
  /** rows of cells; `flat` for a plain-text list [a, b, c] (a vector) */
  | { readonly t: 'matrix'; readonly rows: readonly (readonly Ast[])[]; readonly flat: boolean; readonly col: number }
  /** \sum_{v=from}^{to} body and \prod; a `to` that names nothing means "as far as the names exist" (\sum_{t=1}^{T}) */
  | { readonly t: 'big'; readonly op: 'sum' | 'prod'; readonly v: string; readonly from: Ast; readonly to: Ast; readonly body: Ast; readonly col: number }
  /** the partial symbol before a name, only valid inside a quotient */
  | { readonly t: 'partial'; readonly x: Ast; readonly col: number }
  /** a Leibniz quotient d of / d wrt */
  | { readonly t: 'deriv'; readonly of: Ast; readonly wrt: Ast; readonly col: number };

/** A mistake in the answer text: names the column (1-based) where it was found. */
export class AnswerError extends ProblemError {
  constructor(message: string, readonly col: number, readonly kind: 'syntax' | 'name' | 'shape' | 'limit' = 'syntax') {
    super(`column ${col}: ${message}`);
    this.name = 'AnswerError';
  }
}

/** Count of nodes in a tree (for tests and limits). */
export function astSize(a: Ast): number {
  switch (a.t) {
    case 'num': return 1;
    case 'name': return 1 + (a.index ?? []).reduce((s, x) => s + astSize(x), 0) + a.subs.flat().reduce((s, x) => s + astSize(x.ast), 0);
    case 'call': return 1 + astSize(a.arg);
    case 'bin': return 1 + astSize(a.l) + astSize(a.r);
    case 'neg': case 'transpose': case 'partial': return 1 + astSize(a.x);
    case 'matrix': return 1 + a.rows.flat().reduce((s, x) => s + astSize(x), 0);
    case 'big': return 1 + astSize(a.from) + astSize(a.to) + astSize(a.body);
    case 'deriv': return 1 + astSize(a.of) + astSize(a.wrt);
  }
}
