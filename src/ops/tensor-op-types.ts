/**
 * The shape of a tensor op's block (one block per op: shape rule, value,
 * vector-Jacobian product, scalar expansion, printed forms, rule text), and
 * the printing vocabulary the blocks share.
 */
import { Rational } from '../expr/rational.js';
import type { Expr } from '../expr/expr.js';
import type { Shape, TApply, TAttrs, TExpr } from '../expr/tensor.js';
import type { Tensor } from '../expr/tensor-value.js';

/** Printing precedence, loosest first (contract 2.7: + -, then * /, then @, then unary minus, then ^ and ^T). */
export const PREC = { add: 1, mul: 2, matmul: 3, neg: 4, pow: 5, atom: 6 } as const;

export interface TPrinter {
  readonly latex: boolean;
  /** argument i printed, in parentheses when its precedence is below `min` */
  arg(i: number, min: number): string;
  /** any expression printed, in parentheses when its precedence is below `min` */
  expr(e: TExpr, min: number): string;
}

/** An argument of the scalar expansion: its entries (row-major) and its float64 values at the given point. */
export interface ScalarArg { readonly shape: Shape; readonly entries: readonly Expr[]; readonly values: Float64Array }

export interface TOpSpec {
  readonly name: string;
  /** precedence of the printed form */
  readonly prec: number | ((e: TApply) => number);
  readonly shape: (args: readonly Shape[], attrs: TAttrs, exprs: readonly TExpr[]) => Shape;
  readonly eval: (args: readonly Tensor[], attrs: TAttrs, shape: Shape) => Tensor;
  /** the contribution of the cotangent G of `out` to argument i (with argument i's shape) */
  readonly vjp: (e: TApply, out: TExpr, G: TExpr, i: number) => TExpr;
  readonly scalar: (args: readonly ScalarArg[], attrs: TAttrs, shape: Shape) => Expr[];
  readonly print: (p: TPrinter, e: TApply) => string;
  /** the backward rule, in LaTeX, as a sheet prints it beside a step */
  readonly rule: string;
  /** true where the op has no derivative at these values (relu at 0, a tie of max) */
  readonly kink?: (args: readonly Tensor[], attrs: TAttrs) => boolean;
}

export const fmtNum = (r: Rational, latex: boolean): string => {
  if (r.isInteger()) return r.toString();
  const d = r.toNumber();
  // a short decimal reads as written in the problem (0.5, 0.25); other fractions stay exact
  const dec = String(d);
  if (dec.length <= 6 && Rational.fromNumber(d).eq(r)) return dec;
  if (!latex) return `${r.num}/${r.den}`;
  const neg = r.sign() < 0;
  return `${neg ? '-' : ''}\\frac{${neg ? -r.num : r.num}}{${r.den}}`;
};

/** Print `x` of printed precedence `prec` where the context needs at least `min`. */
export function parenthesize(s: string, prec: number, min: number, latex: boolean): string {
  if (prec >= min) return s;
  return latex ? `\\left(${s}\\right)` : `(${s})`;
}


/**
 * The base of a sub- or superscript: a parenthesized group stands as it is
 * (so a line break may open it), anything else goes in braces (h_t^T must not
 * read as a double subscript).
 */
export function scriptBase(s: string): string {
  if (s.startsWith('\\left(') && s.endsWith('\\right)')) {
    let depth = 0;
    for (let i = 0; i < s.length; i++) {
      if (s.startsWith('\\left', i)) depth++;
      else if (s.startsWith('\\right', i) && --depth === 0 && i !== s.length - 7) return `{${s}}`;
    }
    return s;
  }
  return `{${s}}`;
}
