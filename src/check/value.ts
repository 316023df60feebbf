/**
 * Values of a lowered answer: a scalar Expr, a matrix of Exprs, or c times an
 * identity whose size is decided by what it meets (`I - h h^T`). A vector is
 * a column (n x 1), as in the contract (2.7); a 1 x 1 matrix is a scalar.
 * Products (contract 6.3): `@`, `\cdot` and juxtaposition are the matrix
 * product (scaling when one side is a scalar; juxtaposed equal shapes that do
 * not fit a matrix product, as in h(1 - h), are elementwise); `*` between two
 * non-scalars is the Hadamard product when the shapes are equal, else the
 * matrix product when that fits; \odot is elementwise; + and - broadcast a
 * scalar over a matrix, and a vector [n] over the rows of an N x n matrix.
 */
import { add, div, mul, neg, num, type Expr } from '../expr/expr.js';
import { AnswerError } from './ast.js';

export type Val =
  | { readonly k: 's'; readonly e: Expr }
  | { readonly k: 'm'; readonly rows: number; readonly cols: number; readonly a: readonly Expr[] }
  /** c I, the identity of the size that fits */
  | { readonly k: 'I'; readonly c: Expr };

type Mat = Extract<Val, { k: 'm' }>;

export const scalar = (e: Expr): Val => ({ k: 's', e });
export const identity = (c: Expr): Val => ({ k: 'I', c });

export function matrix(rows: number, cols: number, a: readonly Expr[]): Val {
  return rows === 1 && cols === 1 ? scalar(a[0]!) : { k: 'm', rows, cols, a };
}

export const shapeText = (v: Val): string => (v.k === 's' ? 'a scalar' : v.k === 'I' ? 'an identity' : `${v.rows}x${v.cols}`);

/** Counts the expression nodes an operation builds, for the answer's budget. */
export type Charge = (n: number) => void;

/** c I as an n x n matrix. */
export function identityMatrix(c: Expr, n: number, charge: Charge): Mat {
  charge(n * n);
  const z = num(0);
  return { k: 'm', rows: n, cols: n, a: Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? c : z)) };
}

function sized(v: Val, other: Val, col: number, charge: Charge): Val {
  if (v.k !== 'I') return v;
  if (other.k === 'm') {
    if (other.rows !== other.cols) throw new AnswerError(`the identity meets a ${shapeText(other)} matrix, which is not square`, col, 'shape');
    return identityMatrix(v.c, other.rows, charge);
  }
  throw new AnswerError('the size of the identity I is not known here (it takes the size of the square matrix it is added to)', col, 'shape');
}

/** Apply `f` to every entry. */
export function map(v: Val, f: (e: Expr) => Expr, charge: Charge, col = 1): Val {
  if (v.k === 's') { charge(1); return scalar(f(v.e)); }
  if (v.k === 'I') throw new AnswerError('a function of the identity I needs its size: write the matrix', col, 'shape');
  charge(v.a.length);
  return matrix(v.rows, v.cols, v.a.map(f));
}

export function negate(v: Val, charge: Charge): Val {
  return v.k === 'I' ? identity(neg(v.c)) : map(v, neg, charge);
}

/** Entrywise combination with scalar broadcast; shapes must agree. */
export function zip(a: Val, b: Val, f: (x: Expr, y: Expr) => Expr, what: string, col: number, charge: Charge): Val {
  a = sized(a, b, col, charge);
  b = sized(b, a, col, charge);
  if (a.k === 's' && b.k === 's') { charge(1); return scalar(f(a.e, b.e)); }
  if (a.k === 's') return map(b, (y) => f(a.e, y), charge, col);
  if (b.k === 's') return map(a, (x) => f(x, b.e), charge, col);
  const [m, n] = [a as Mat, b as Mat];
  if (m.rows !== n.rows || m.cols !== n.cols) {
    // a vector [n] meets a matrix [N, n]: it goes with each row (contract 2.7; the forms derive prints use it)
    const row = (v: Mat, w: Mat) => (v.rows === 1 || v.cols === 1) && v.a.length === w.cols && w.rows > 1 && !(w.rows === v.rows && w.cols === v.cols);
    if (row(n, m)) { charge(m.a.length); return matrix(m.rows, m.cols, m.a.map((x, i) => f(x, n.a[i % m.cols]!))); }
    if (row(m, n)) { charge(n.a.length); return matrix(n.rows, n.cols, n.a.map((y, i) => f(m.a[i % n.cols]!, y))); }
    throw new AnswerError(`cannot ${what} a ${shapeText(m)} and a ${shapeText(n)} matrix`, col, 'shape');
  }
  charge(m.a.length);
  return matrix(m.rows, m.cols, m.a.map((x, i) => f(x, n.a[i]!)));
}

export function plus(a: Val, b: Val, col: number, c: Charge): Val {
  if (a.k === 'I' && b.k === 'I') return identity(add(a.c, b.c));
  return zip(a, b, (x, y) => add(x, y), 'add', col, c);
}
export function minus(a: Val, b: Val, col: number, c: Charge): Val {
  if (a.k === 'I' && b.k === 'I') return identity(add(a.c, neg(b.c)));
  return zip(a, b, (x, y) => add(x, neg(y)), 'subtract', col, c);
}
export function hadamard(a: Val, b: Val, col: number, c: Charge): Val {
  if (a.k === 'I' && b.k === 'I') return identity(mul(a.c, b.c));
  return zip(a, b, (x, y) => mul(x, y), 'take the elementwise product of', col, c);
}
export const quotient = (a: Val, b: Val, col: number, c: Charge): Val => zip(a, b, (x, y) => div(x, y), 'divide', col, c);

/** Scaling by a scalar or c I; null when both sides are matrices. */
function scale(a: Val, b: Val, charge: Charge, col: number): Val | null {
  if (a.k === 'I' && b.k === 'I') return identity(mul(a.c, b.c));
  if (a.k === 'I') return b.k === 's' ? identity(mul(a.c, b.e)) : map(b, (y) => mul(a.c, y), charge, col);
  if (b.k === 'I') return a.k === 's' ? identity(mul(a.e, b.c)) : map(a, (x) => mul(x, b.c), charge, col);
  if (a.k === 's' || b.k === 's') return zip(a, b, (x, y) => mul(x, y), 'multiply', col, charge);
  return null;
}

function matmul(a: Mat, b: Mat, charge: Charge): Val {
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

/**
 * The matrix product (`@`, `\cdot`, juxtaposition). `loose`: juxtaposed equal shapes that do not fit a
 * matrix product are multiplied elementwise (h(1 - h) of a column h), as students write them.
 */
export function times(a: Val, b: Val, col: number, charge: Charge, loose = false): Val {
  const s = scale(a, b, charge, col);
  if (s) return s;
  const [m, n] = [a as Mat, b as Mat];
  if (m.cols === n.rows) return matmul(m, n, charge);
  if (loose && m.rows === n.rows && m.cols === n.cols) return hadamard(m, n, col, charge);
  throw new AnswerError(`cannot multiply a ${shapeText(m)} by a ${shapeText(n)} matrix (a matrix product needs ${m.cols} rows on the right; for the elementwise product write \\odot or .*, for a dot product a^T b)`, col, 'shape');
}

/** `*` between two non-scalars: Hadamard for equal shapes, else the matrix product where that fits (contract 6.3). */
export function star(a: Val, b: Val, col: number, charge: Charge): Val {
  const s = scale(a, b, charge, col);
  if (s) return s;
  const [m, n] = [a as Mat, b as Mat];
  if (m.rows === n.rows && m.cols === n.cols) return hadamard(m, n, col, charge);
  if (m.cols === n.rows) return matmul(m, n, charge);
  throw new AnswerError(`'*' between a ${shapeText(m)} and a ${shapeText(n)} matrix: neither the elementwise product (equal shapes) nor the matrix product fits`, col, 'shape');
}

export function transpose(v: Val): Val {
  if (v.k !== 'm') return v;
  const out: Expr[] = [];
  for (let j = 0; j < v.cols; j++) for (let i = 0; i < v.rows; i++) out.push(v.a[i * v.cols + j]!);
  return matrix(v.cols, v.rows, out);
}

/** The sum of many values as one n-ary sum per entry (scalars broadcast over matrices). */
export function sumAll(vals: readonly Val[], col: number, charge: Charge): Val {
  const m = vals.find((v): v is Mat => v.k === 'm');
  if (!m) {
    if (vals.some((v) => v.k === 'I')) return vals.reduce((x, y) => plus(x, y, col, charge));
    charge(vals.length);
    return scalar(add(...vals.map((v) => (v as { e: Expr }).e)));
  }
  const full = vals.map((v) => sized(v, m, col, charge));
  for (const v of full) {
    if (v.k === 'm' && (v.rows !== m.rows || v.cols !== m.cols)) throw new AnswerError(`cannot add a ${shapeText(m)} and a ${shapeText(v)} matrix`, col, 'shape');
  }
  charge(full.length * m.a.length);
  return matrix(m.rows, m.cols, m.a.map((_, i) => add(...full.map((v) => (v.k === 's' ? v.e : (v as Mat).a[i]!)))));
}

/** Entries in row-major order (a scalar is one entry); c I needs its size from the caller. */
export function entries(v: Val): readonly Expr[] {
  if (v.k === 'I') throw new AnswerError('the answer is a multiple of the identity I of unknown size: write its size, e.g. as a matrix', 1, 'shape');
  return v.k === 's' ? [v.e] : v.a;
}

/** Rows and columns of a value (a scalar is 1 x 1). */
export const dims = (v: Val): [number, number] => (v.k === 'm' ? [v.rows, v.cols] : [1, 1]);
