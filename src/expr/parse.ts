/**
 * A small, bounded parser for the formula syntax of the problem format (2.1):
 * numbers, names, `W1[2,3]` elements, + - * / ^, parentheses and the
 * functions of the op registry. It builds a syntax tree; nothing is ever
 * evaluated as code. Limits on length and nesting keep hostile text cheap.
 */
import { ProblemError } from '../errors.js';
import { Rational } from './rational.js';
import { add, div, fn, mul, neg, num, pow, sub, FN_NAMES, type Expr, type FnName } from './expr.js';

export type Ast =
  | { t: 'num'; value: Rational; col: number }
  | { t: 'name'; name: string; index?: number[]; col: number }
  | { t: 'call'; fn: string; arg: Ast; col: number }
  | { t: 'bin'; op: '+' | '-' | '*' | '/' | '^'; l: Ast; r: Ast; col: number }
  | { t: 'neg'; x: Ast; col: number };

export interface ParseOptions {
  /** accept `2(z-o)z` as 2*(z-o)*z (answers typed by students) */
  implicitMul?: boolean;
  maxLength?: number;
  maxDepth?: number;
  /** extra function spellings, e.g. {sigma: 'sigmoid', ln: 'log'} */
  aliases?: Readonly<Record<string, string>>;
}

export const DEFAULT_MAX_LENGTH = 20_000;
export const DEFAULT_MAX_DEPTH = 200;

type Tok = { k: 'num' | 'name' | 'op' | 'end'; s: string; col: number };

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const col = i + 1;
    const numM = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (numM) { toks.push({ k: 'num', s: numM[0], col }); i += numM[0].length; continue; }
    const nameM = /^[A-Za-z\u0370-\u03ff][A-Za-z0-9_\u0370-\u03ff]*/.exec(text.slice(i, i + 256));
    if (nameM) { toks.push({ k: 'name', s: nameM[0], col }); i += nameM[0].length; continue; }
    if ('+-*/^(),[]'.includes(c)) { toks.push({ k: 'op', s: c, col }); i++; continue; }
    if (c === '·' || c === '×' || c === '⋅') { toks.push({ k: 'op', s: '*', col }); i++; continue; }
    if (c === '−') { toks.push({ k: 'op', s: '-', col }); i++; continue; }
    throw new ProblemError(`unexpected character '${c}' at column ${col}`, undefined, undefined, undefined, col);
  }
  toks.push({ k: 'end', s: '', col: text.length + 1 });
  return toks;
}

export function parseFormula(text: string, opts: ParseOptions = {}): Ast {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) throw new ProblemError(`formula longer than ${maxLength} characters`);
  const toks = tokenize(text);
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  let p = 0;
  let depth = 0;
  const peek = () => toks[p]!;
  const fail = (msg: string, col = peek().col): never => {
    throw new ProblemError(`${msg} at column ${col}`, undefined, undefined, undefined, col);
  };
  const expect = (s: string) => {
    if (peek().s !== s || peek().k !== 'op') fail(peek().k === 'end' ? `missing '${s}'` : `expected '${s}' but found '${peek().s}'`);
    p++;
  };
  const enter = () => { if (++depth > maxDepth) fail(`nesting deeper than ${maxDepth}`); };

  // expr := term (('+'|'-') term)*
  const expr = (): Ast => {
    enter();
    let l = term();
    while (peek().k === 'op' && (peek().s === '+' || peek().s === '-')) {
      const t = toks[p++]!;
      l = { t: 'bin', op: t.s as '+' | '-', l, r: term(), col: t.col };
    }
    depth--;
    return l;
  };
  const startsFactor = (t: Tok) => t.k === 'num' || t.k === 'name' || (t.k === 'op' && t.s === '(');
  // term := unary (('*'|'/'|implicit) unary)*
  const term = (): Ast => {
    let l = unary();
    for (;;) {
      const t = peek();
      if (t.k === 'op' && (t.s === '*' || t.s === '/')) { p++; l = { t: 'bin', op: t.s, l, r: unary(), col: t.col }; }
      else if (opts.implicitMul && startsFactor(t)) l = { t: 'bin', op: '*', l, r: power(), col: t.col };
      else return l;
    }
  };
  // unary := '-' unary | '+' unary | power
  const unary = (): Ast => {
    const t = peek();
    if (t.k === 'op' && (t.s === '-' || t.s === '+')) {
      p++;
      enter();
      const x = unary();
      depth--;
      return t.s === '-' ? { t: 'neg', x, col: t.col } : x;
    }
    return power();
  };
  // power := atom ('^' unary)?   (right-associative; -x^2 = -(x^2))
  const power = (): Ast => {
    const base = atom();
    if (peek().k === 'op' && peek().s === '^') {
      const t = toks[p++]!;
      enter();
      const r = unary();
      depth--;
      return { t: 'bin', op: '^', l: base, r, col: t.col };
    }
    return base;
  };
  const atom = (): Ast => {
    const t = peek();
    if (t.k === 'num') {
      p++;
      const v = Rational.parse(t.s);
      if (!v) fail(`number '${t.s}' out of range`, t.col);
      return { t: 'num', value: v!, col: t.col };
    }
    if (t.k === 'op' && t.s === '(') {
      p++;
      const e = expr();
      expect(')');
      return e;
    }
    if (t.k === 'name') {
      p++;
      const fname = opts.aliases?.[t.s] ?? t.s;
      if ((FN_NAMES as readonly string[]).includes(fname) && peek().s === '(' && peek().k === 'op') {
        p++;
        const arg = expr();
        expect(')');
        return { t: 'call', fn: fname, arg, col: t.col };
      }
      // `sigma(x)` is a call of a function we do not know, unless `w(x + 1)` means w*(x + 1)
      if (!opts.implicitMul && peek().k === 'op' && peek().s === '(') {
        fail(`unknown function '${t.s}' (functions: ${FN_NAMES.join(', ')})`, t.col);
      }
      if (peek().k === 'op' && peek().s === '[') {
        p++;
        const index: number[] = [];
        for (;;) {
          const n = peek();
          if (n.k !== 'num' || !/^\d+$/.test(n.s) || Number(n.s) < 1) fail('expected a positive whole index');
          index.push(Number(n.s));
          p++;
          if (peek().s === ',') { p++; continue; }
          expect(']');
          break;
        }
        return { t: 'name', name: t.s, index, col: t.col };
      }
      return { t: 'name', name: t.s, col: t.col };
    }
    if (t.k === 'end') return fail('unexpected end of formula');
    return fail(`unexpected '${t.s}'`);
  };

  const tree = expr();
  if (peek().k !== 'end') fail(peek().s === ')' ? `unbalanced ')'` : `unexpected '${peek().s}'`);
  return tree;
}

/** Names (with indices) used by a formula. */
export function namesIn(ast: Ast, out: Array<{ name: string; index?: number[]; col: number }> = []): typeof out {
  switch (ast.t) {
    case 'num': break;
    case 'name': out.push(ast); break;
    case 'call': namesIn(ast.arg, out); break;
    case 'bin': namesIn(ast.l, out); namesIn(ast.r, out); break;
    case 'neg': namesIn(ast.x, out); break;
  }
  return out;
}

/** Build an Expr from a syntax tree; `resolve` maps each name to an Expr. */
export function toExpr(ast: Ast, resolve: (name: string, index: number[] | undefined, col: number) => Expr): Expr {
  switch (ast.t) {
    case 'num': return num(ast.value);
    case 'name': return resolve(ast.name, ast.index, ast.col);
    case 'call': return fn(ast.fn as FnName, toExpr(ast.arg, resolve));
    case 'neg': return neg(toExpr(ast.x, resolve));
    case 'bin': {
      const l = toExpr(ast.l, resolve), r = toExpr(ast.r, resolve);
      switch (ast.op) {
        case '+': return add(l, r);
        case '-': return sub(l, r);
        case '*': return mul(l, r);
        case '/': return div(l, r);
        case '^': return pow(l, r);
      }
    }
  }
}
