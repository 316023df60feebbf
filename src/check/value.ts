/**
 * Values of a lowered answer: a scalar Expr or a matrix of Exprs. A vector is
 * a column (n x 1), as in the seeds' formulas; a 1 x 1 matrix is a scalar.
 * `*` and juxtaposition are the matrix product (scaling when one side is a
 * scalar); \odot is elementwise; + and - broadcast a scalar over a matrix.
 */
import { add, div, mul, neg, type Expr } from '../expr/expr.js';
import { AnswerError } from './ast.js';

export type Val =
  | { readonly k: 's'; readonly e: Expr }
  | { readonly k: 'm'; readonly rows: number; readonly cols: number; readonly a: readonly Expr[] };

export const scalar = (e: Expr): Val => ({ k: 's', e });

export function matrix(rows: number, cols: number, a: readonly Expr[]): Val {
  return rows === 1 && cols === 1 ? scalar(a[0]!) : { k: 'm', rows, cols, a };
}

export const shapeText = (v: Val): string => (v.k === 's' ? 'a scalar' : `${v.rows}x${v.cols}`);

/** Counts the expression nodes an operation builds, for the answer's budget. */
export type Charge = (n: number) => void;

/** Apply `f` to every entry. */
export function map(v: Val, f: (e: Expr) => Expr, charge: Charge): Val {
  if (v.k === 's') { charge(1); return scalar(f(v.e)); }
  charge(v.a.length);
  return matrix(v.rows, v.cols, v.a.map(f));
}

/** Entrywise combination with scalar broadcast; shapes must agree. */
export function zip(a: Val, b: Val, f: (x: Expr, y: Expr) => Expr, what: string, col: number, charge: Charge): Val {
  if (a.k === 's' && b.k === 's') { charge(1); return scalar(f(a.e, b.e)); }
  if (a.k === 's') return map(b, (y) => f(a.e, y), charge);
  if (b.k === 's') return map(a, (x) => f(x, b.e), charge);
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new AnswerError(`cannot ${what} a ${shapeText(a)} and a ${shapeText(b)} matrix`, col, 'shape');
  }
  charge(a.a.length);
  return matrix(a.rows, a.cols, a.a.map((x, i) => f(x, b.a[i]!)));
}

export const plus = (a: Val, b: Val, col: number, c: Charge): Val => zip(a, b, (x, y) => add(x, y), 'add', col, c);
export const minus = (a: Val, b: Val, col: number, c: Charge): Val => zip(a, b, (x, y) => add(x, neg(y)), 'subtract', col, c);
export const hadamard = (a: Val, b: Val, col: number, c: Charge): Val => zip(a, b, (x, y) => mul(x, y), 'take the elementwise product of', col, c);
export const quotient = (a: Val, b: Val, col: number, c: Charge): Val => zip(a, b, (x, y) => div(x, y), 'divide', col, c);

/** The product: scaling, or the matrix product when both sides are matrices. */
export function times(a: Val, b: Val, col: number, charge: Charge): Val {
  if (a.k === 's' || b.k === 's') return zip(a, b, (x, y) => mul(x, y), 'multiply', col, charge);
  if (a.cols !== b.rows) {
    throw new AnswerError(`cannot multiply a ${shapeText(a)} by a ${shapeText(b)} matrix (for the elementwise product write \\odot or .*)`, col, 'shape');
  }
  const out: Expr[] = [];
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      charge(2 * a.cols);
      const terms: Expr[] = [];
      for (let k = 0; k < a.cols; k++) terms.push(mul(a.a[i * a.cols + k]!, b.a[k * b.cols + j]!));
      out.push(add(...terms));
    }
  }
  return matrix(a.rows, b.cols, out);
}

export function transpose(v: Val): Val {
  if (v.k === 's') return v;
  const out: Expr[] = [];
  for (let j = 0; j < v.cols; j++) for (let i = 0; i < v.rows; i++) out.push(v.a[i * v.cols + j]!);
  return matrix(v.cols, v.rows, out);
}

/** The sum of many values as one n-ary sum per entry (scalars broadcast over matrices). */
export function sumAll(vals: readonly Val[], col: number, charge: Charge): Val {
  const m = vals.find((v) => v.k === 'm');
  if (!m || m.k !== 'm') { charge(vals.length); return scalar(add(...vals.map((v) => (v as { e: Expr }).e))); }
  for (const v of vals) {
    if (v.k === 'm' && (v.rows !== m.rows || v.cols !== m.cols)) throw new AnswerError(`cannot add a ${shapeText(m)} and a ${shapeText(v)} matrix`, col, 'shape');
  }
  charge(vals.length * m.a.length);
  return matrix(m.rows, m.cols, m.a.map((_, i) => add(...vals.map((v) => (v.k === 's' ? v.e : v.a[i]!)))));
}

/** Entries in row-major order (a scalar is one entry). */
export const entries = (v: Val): readonly Expr[] => (v.k === 's' ? [v.e] : v.a);
