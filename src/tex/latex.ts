/** Expressions in LaTeX over the problem's typeset names. */
import { printExpr } from '../ops/print.js';
import type { Expr } from '../expr/expr.js';
import type { Namer } from './names.js';

export function latexOf(e: Expr, namer: Namer, name?: (key: string) => string | undefined): string {
  return printExpr(e, { latex: true, name: (k) => name?.(k) ?? namer.key(k) });
}

/** \frac{\partial a}{\partial b} */
export function partial(ofLatex: string, wrtLatex: string): string {
  return `\\frac{\\partial ${ofLatex}}{\\partial ${wrtLatex}}`;
}

/**
 * `\\left(\\left(-0.55\\right)\\right)` -> `\\left(-0.55\\right)`: a pair of
 * parentheses whose whole content is another pair (a negative number
 * substituted as a function's argument) is printed once.
 */
export function undoubledParens(latex: string): string {
  const open = '\\left(', close = '\\right)';
  // a negative number that opens a sum or product needs no parentheses of its own: (-0.6 - 0.4), sigma(-1.2 \cdot 0.78 + 0.4)
  let out = latex.replace(LEADING_NEGATIVE, (_m, lead: string, num: string) => `${lead}${num}`);
  for (let i = out.indexOf(open + open); i >= 0; i = out.indexOf(open + open, i + 1)) {
    const inner = i + open.length;
    const end = matchingClose(out, inner);
    if (end < 0 || !out.startsWith(close, end + close.length)) continue;
    // the outer pair closes right after the inner one: drop the outer pair
    out = out.slice(0, i) + out.slice(inner, end + close.length) + out.slice(end + 2 * close.length);
  }
  return out;
}

const NUMBER = String.raw`-\d+(?:\.\d+)?(?: \\times 10\^\{-?\d+\})?`;
/** `\left(-0.6\right)` at the start of the whole text or of a group, followed by an operator. */
const LEADING_NEGATIVE = new RegExp(String.raw`(^|\\left\(|\{)\\left\((${NUMBER})\\right\)(?=\s*(?:[-+]|\\cdot))`, 'g');

/** Index of the `\\right)` that closes the `\\left(` at `at`, or -1. */
function matchingClose(s: string, at: number): number {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    if (s.startsWith('\\left', i)) depth++;
    else if (s.startsWith('\\right', i)) { depth--; if (depth === 0) return i; }
  }
  return -1;
}
