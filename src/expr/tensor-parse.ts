/**
 * A bounded parser for tensor equations (contract 2.7): numbers, names,
 * selections `h[t-1]`, `W[2, :]`, `a[1:3]`, calls with positional and keyword
 * arguments (`conv2d(X, K, stride=(2, 1), padding=same)`), `+ - * / ^ @`,
 * `^T`, unary minus and parentheses. It builds a syntax tree; nothing is ever
 * evaluated as code. Precedence, tightest first: selection, `^` and `^T`,
 * unary minus, `@`, `*` and `/`, `+` and `-` (so `W2^T @ d * step(z1)` is
 * `(W2^T d) * step(z1)`, as textbooks read it).
 */
import { ProblemError } from '../errors.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH } from './parse.js';
import { Rational } from './rational.js';

export type SelAst = { kind: 'all' } | { kind: 'at'; e: TAst } | { kind: 'range'; from: TAst; to: TAst };

export type TAst =
  | { readonly t: 'num'; readonly value: Rational; readonly col: number }
  | { readonly t: 'name'; readonly name: string; readonly col: number }
  | { readonly t: 'select'; readonly x: TAst; readonly parts: readonly SelAst[]; readonly col: number }
  | { readonly t: 'call'; readonly fn: string; readonly args: readonly TAst[]; readonly kwargs: ReadonlyMap<string, TAst>; readonly col: number }
  | { readonly t: 'bin'; readonly op: '+' | '-' | '*' | '/' | '^' | '@'; readonly l: TAst; readonly r: TAst; readonly col: number }
  | { readonly t: 'neg'; readonly x: TAst; readonly col: number }
  | { readonly t: 'transpose'; readonly x: TAst; readonly col: number }
  | { readonly t: 'tuple'; readonly items: readonly TAst[]; readonly col: number };

type Tok = { k: 'num' | 'name' | 'op' | 'end'; s: string; col: number };

const OPS = '+-*/^@(),[]:=';

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const col = i + 1;
    const numM = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (numM) { toks.push({ k: 'num', s: numM[0], col }); i += numM[0].length; continue; }
    const nameM = /^[A-Za-z][A-Za-z0-9_]*/.exec(text.slice(i, i + 256));
    if (nameM) { toks.push({ k: 'name', s: nameM[0], col }); i += nameM[0].length; continue; }
    if (OPS.includes(c)) { toks.push({ k: 'op', s: c, col }); i++; continue; }
    throw new ProblemError(`unexpected character '${c}' at column ${col}`, undefined, undefined, undefined, col);
  }
  toks.push({ k: 'end', s: '', col: text.length + 1 });
  return toks;
}

export function parseTensorFormula(text: string, maxLength = DEFAULT_MAX_LENGTH, maxDepth = DEFAULT_MAX_DEPTH): TAst {
  if (text.length > maxLength) throw new ProblemError(`formula longer than ${maxLength} characters`);
  const toks = tokenize(text);
  let p = 0;
  let depth = 0;
  const peek = (k = 0) => toks[p + k]!;
  const isOp = (s: string, k = 0) => peek(k).k === 'op' && peek(k).s === s;
  const fail = (msg: string, col = peek().col): never => {
    throw new ProblemError(`${msg} at column ${col}`, undefined, undefined, undefined, col);
  };
  const expect = (s: string) => {
    if (!isOp(s)) fail(peek().k === 'end' ? `missing '${s}'` : `expected '${s}' but found '${peek().s}'`);
    p++;
  };
  const enter = () => { if (++depth > maxDepth) fail(`nesting deeper than ${maxDepth}`); };

  const expr = (): TAst => {
    enter();
    let l = mulExpr();
    while (isOp('+') || isOp('-')) {
      const t = toks[p++]!;
      l = { t: 'bin', op: t.s as '+' | '-', l, r: mulExpr(), col: t.col };
    }
    depth--;
    return l;
  };
  const mulExpr = (): TAst => {
    let l = mmExpr();
    while (isOp('*') || isOp('/')) {
      const t = toks[p++]!;
      l = { t: 'bin', op: t.s as '*' | '/', l, r: mmExpr(), col: t.col };
    }
    return l;
  };
  const mmExpr = (): TAst => {
    let l = unary();
    while (isOp('@')) {
      const t = toks[p++]!;
      l = { t: 'bin', op: '@', l, r: unary(), col: t.col };
    }
    return l;
  };
  const unary = (): TAst => {
    if (isOp('-')) {
      const t = toks[p++]!;
      enter();
      const x = unary();
      depth--;
      return { t: 'neg', x, col: t.col };
    }
    if (isOp('+')) { p++; return unary(); }
    return powExpr();
  };
  const powExpr = (): TAst => {
    let base = postfix();
    while (isOp('^')) {
      const t = toks[p++]!;
      if (peek().k === 'name' && peek().s === 'T') { p++; base = { t: 'transpose', x: base, col: t.col }; continue; }
      enter();
      // an exponent: a signed primary (x^2, x^-1, x^(1/2))
      const r = isOp('-') ? (() => { const m = toks[p++]!; return { t: 'neg', x: postfix(), col: m.col } as TAst; })() : postfix();
      depth--;
      base = { t: 'bin', op: '^', l: base, r, col: t.col };
    }
    return base;
  };
  const postfix = (): TAst => {
    let x = primary();
    while (isOp('[')) {
      const t = toks[p++]!;
      const parts: SelAst[] = [];
      for (;;) {
        parts.push(selPart());
        if (isOp(',')) { p++; continue; }
        break;
      }
      expect(']');
      x = { t: 'select', x, parts, col: t.col };
    }
    return x;
  };
  const selPart = (): SelAst => {
    if (isOp(':')) { p++; return { kind: 'all' }; }
    const from = expr();
    if (isOp(':')) { p++; return { kind: 'range', from, to: expr() }; }
    return { kind: 'at', e: from };
  };
  const primary = (): TAst => {
    const t = peek();
    if (t.k === 'num') {
      p++;
      const value = Rational.parse(t.s) ?? fail(`'${t.s}' is not a number`, t.col);
      return { t: 'num', value, col: t.col };
    }
    if (t.k === 'name') {
      p++;
      if (isOp('(')) return call(t);
      return { t: 'name', name: t.s, col: t.col };
    }
    if (isOp('(')) {
      p++;
      enter();
      const first = expr();
      if (isOp(',')) {
        const items = [first];
        // a trailing comma makes a tuple of one, (2,), as in Python: a 1-D window
        while (isOp(',')) { p++; if (isOp(')')) break; items.push(expr()); }
        expect(')');
        depth--;
        return { t: 'tuple', items, col: t.col };
      }
      expect(')');
      depth--;
      return first;
    }
    return fail(t.k === 'end' ? 'the formula ends too early' : `unexpected '${t.s}'`, t.col);
  };
  const call = (name: Tok): TAst => {
    p++; // (
    enter();
    const args: TAst[] = [];
    const kwargs = new Map<string, TAst>();
    if (!isOp(')')) {
      for (;;) {
        if (peek().k === 'name' && isOp('=', 1)) {
          const k = toks[p]!;
          p += 2;
          if (kwargs.has(k.s)) fail(`'${k.s}' is given twice`, k.col);
          kwargs.set(k.s, expr());
        } else {
          if (kwargs.size) fail('a positional argument after a keyword argument');
          args.push(expr());
        }
        if (isOp(',')) { p++; continue; }
        break;
      }
    }
    expect(')');
    depth--;
    return { t: 'call', fn: name.s, args, kwargs, col: name.col };
  };

  const out = expr();
  if (peek().k !== 'end') fail(`unexpected '${peek().s}'`);
  return out;
}

/** Every name the formula mentions (not function names, not keyword names), with its column. */
export function tensorNamesIn(ast: TAst): Array<{ name: string; col: number }> {
  const out: Array<{ name: string; col: number }> = [];
  const visit = (a: TAst): void => {
    switch (a.t) {
      case 'num': return;
      case 'name': out.push({ name: a.name, col: a.col }); return;
      case 'select':
        visit(a.x);
        for (const s of a.parts) {
          if (s.kind === 'at') visit(s.e);
          else if (s.kind === 'range') { visit(s.from); visit(s.to); }
        }
        return;
      case 'call': a.args.forEach(visit); a.kwargs.forEach(visit); return;
      case 'bin': visit(a.l); visit(a.r); return;
      case 'neg': case 'transpose': visit(a.x); return;
      case 'tuple': a.items.forEach(visit); return;
    }
  };
  visit(ast);
  return out;
}
