/** Expressions in LaTeX over the problem's typeset names. */
import { printExpr } from '../expr/print.js';
import type { Expr } from '../expr/expr.js';
import type { Namer } from './names.js';

export function latexOf(e: Expr, namer: Namer, name?: (key: string) => string | undefined): string {
  return printExpr(e, { latex: true, name: (k) => name?.(k) ?? namer.key(k) });
}

/** \frac{\partial a}{\partial b} */
export function partial(ofLatex: string, wrtLatex: string): string {
  return `\\frac{\\partial ${ofLatex}}{\\partial ${wrtLatex}}`;
}
