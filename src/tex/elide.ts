/**
 * A definition with a long sum written by its first terms and its last, the
 * count said under a brace: o = sigma(w_111 y_111 + w_112 y_112 + ... + w_664 y_664),
 * "144 terms". A dense layer over a feature map sums hundreds of products of
 * the same form; writing them all out fills pages and teaches nothing more.
 */
import { FUNCTIONS } from '../ops/registry.js';
import type { Expr, FnName } from '../expr/expr.js';
import { latexOf } from './latex.js';
import type { Namer } from './names.js';

/** Sums with more terms than this are elided. */
export const MAX_SUM_TERMS = 8;

export function elidedLatex(e: Expr, namer: Namer, name?: (key: string) => string | undefined): string {
  const print = (x: Expr): string => latexOf(x, namer, name);
  if (e.kind !== 'apply') return print(e);
  if (e.op === 'add' && e.args.length > MAX_SUM_TERMS) {
    const term = (x: Expr, i: number): string => {
      const t = x.kind === 'apply' && x.op === 'add' ? `\\left(${print(x)}\\right)` : print(x);
      return i === 0 ? t : t.startsWith('-') ? `- ${t.slice(1)}` : `+ ${t}`;
    };
    const n = e.args.length;
    const head = e.args.slice(0, 3).map(term).join(' ');
    return `\\underbrace{${head} + \\cdots ${term(e.args[n - 1]!, n - 1)}}_{${n} \\text{ terms}}`;
  }
  if (e.args.length === 1 && e.op in FUNCTIONS) {
    const inner = e.args[0]!;
    if (inner.kind === 'apply' && inner.op === 'add' && inner.args.length > MAX_SUM_TERMS) return FUNCTIONS[e.op as FnName].latex(elidedLatex(inner, namer, name));
  }
  return print(e);
}
