/**
 * Smart constructors for tensor expressions. Each checks shapes through the
 * op's block (tensor-ops.ts) and folds only what is an identity everywhere:
 * zeros, ones, numbers, double negation and transposes, a transposed product
 * (A B)^T = B^T A^T, scalars pulled out of sums. Textbook forms (p - t) come
 * from the derivation and from simplify/tensor.ts, never from templates.
 */
import { Rational } from '../expr/rational.js';
import {
  isTNum, sameShape, sizeOf, tapplyRaw, tnum, type Shape, type TApply, type TAttrs, type TExpr,
} from '../expr/tensor.js';
import type { FnName } from '../expr/expr.js';
import { TOPS } from './tensor-ops.js';
import { broadcastShape, isSuffix } from './tensor-shapes.js';

/** Build `op(args)` with its shape from the op's rule; no folding. */
export function make(op: string, args: readonly TExpr[], attrs: TAttrs = {}): TExpr {
  const spec = TOPS[op];
  if (!spec) throw new Error(`internal error: unknown tensor op ${op}`);
  const shape = spec.shape(args.map((a) => a.shape), attrs, args);
  return tapplyRaw(op, args, attrs, shape);
}

export const zeros = (shape: Shape): TExpr => (shape.length === 0 ? tnum(0) : tapplyRaw('zeros', [], { shape: [...shape] }, shape));
export const isZero = (e: TExpr): boolean => isTNum(e, 0) || (e.kind === 'apply' && e.op === 'zeros');
export const isScalar = (e: TExpr): boolean => e.shape.length === 0;
/** Is `e` an application of `op`? (Not a type guard: a false answer must not narrow `e` to a non-application.) */
const isOp = (e: TExpr, op: string): boolean => e.kind === 'apply' && e.op === op;
/** The arguments of an application (callers check the op first). */
const argsOf = (e: TExpr): readonly TExpr[] => (e as TApply).args;
const attrsOf = (e: TExpr): TAttrs => (e as TApply).attrs;

/** `a` broadcast to `shape`; `axes` are the new axes (1-based in `shape`), the leading ones by default. */
export function bcast(a: TExpr, shape: Shape, axes?: readonly number[]): TExpr {
  if (sameShape(a.shape, shape)) return a;
  if (isZero(a)) return zeros(shape);
  // a broadcast of a broadcast of one value is the broadcast of that value
  if (isOp(a, 'bcast') && sizeOf(argsOf(a)[0]!.shape) === 1) return bcast(argsOf(a)[0]!, shape);
  // one value everywhere: the broadcast of its single entry, whatever the axes
  if (sizeOf(a.shape) === 1) {
    const one = isOp(a, 'bcast') || isOp(a, 'reshape') ? argsOf(a)[0]! : a;
    if (sameShape(one.shape, shape)) return one;
    return make('bcast', [one], { shape: [...shape], axes: Array.from({ length: shape.length - Math.min(one.shape.length, shape.length) }, (_, i) => i + 1) });
  }
  const newAxes = axes ?? Array.from({ length: shape.length - a.shape.length }, (_, i) => i + 1);
  return make('bcast', [a], { shape: [...shape], axes: [...newAxes] });
}

/** A leading-axes broadcast that elementwise broadcasting would do by itself. */
function implicitBroadcast(e: TExpr): TExpr | null {
  if (!isOp(e, 'bcast')) return null;
  const inner = argsOf(e)[0]!;
  const axes = attrsOf(e).axes as readonly number[];
  if (sizeOf(inner.shape) === 1) return inner;
  const leading = axes.every((a, i) => a === i + 1);
  return leading && isSuffix(inner.shape, e.shape) ? inner : null;
}

function resultShape(xs: readonly TExpr[], what: string): Shape {
  return xs.reduce<Shape>((s, x) => broadcastShape(s, x.shape, what), []);
}

/** Keep the exact result shape when folding left a single narrower operand. */
const fit = (e: TExpr, shape: Shape): TExpr => (sameShape(e.shape, shape) ? e : bcast(e, shape));

export function add(...xs: TExpr[]): TExpr {
  const shape = resultShape(xs, 'a sum');
  const flat: TExpr[] = [];
  let c = Rational.ZERO;
  const visit = (x: TExpr): void => {
    if (isOp(x, 'add')) argsOf(x).forEach(visit);
    else if (x.kind === 'num') c = c.add(x.value);
    else if (!isZero(x)) flat.push(x);
  };
  xs.forEach(visit);
  if (!c.isZero()) {
    const first = flat[0];
    // the constant leads before a subtracted term (1 - h), else it trails (W x + 1)
    if (first && isNegative(first)) flat.unshift(tnum(c)); else flat.push(tnum(c));
  }
  if (flat.length === 0) return zeros(shape);
  if (flat.length === 1) return fit(flat[0]!, shape);
  // the sum keeps its shape only if some term has it: otherwise broadcast one term
  if (!flat.some((t) => sameShape(t.shape, shape))) flat[0] = bcast(flat[0]!, shape);
  return make('add', flat);
}

/** A term printed after a minus sign. */
export function isNegative(t: TExpr): boolean {
  if (isOp(t, 'bcast') || isOp(t, 'reshape')) return isNegative(argsOf(t)[0]!);
  if (t.kind === 'num') return t.value.sign() < 0;
  return isOp(t, 'neg') || (isOp(t, 'mul') && argsOf(t)[0]!.kind === 'num' && (argsOf(t)[0] as { value: Rational }).value.sign() < 0);
}

export function neg(a: TExpr): TExpr {
  if (a.kind === 'num') return tnum(a.value.neg());
  if (isZero(a)) return a;
  if (isOp(a, 'neg')) return argsOf(a)[0]!;
  if (isOp(a, 'mul') && argsOf(a)[0]!.kind === 'num') return mul(tnum((argsOf(a)[0] as { value: Rational }).value.neg()), ...argsOf(a).slice(1));
  return make('neg', [a]);
}

export const sub = (a: TExpr, b: TExpr): TExpr => add(a, neg(b));

/** Elementwise (Hadamard) product, or a scalar times a tensor. Scalars lead, as a textbook writes lambda W. */
export function mul(...xs: TExpr[]): TExpr {
  const shape = resultShape(xs, 'a product');
  const scalars: TExpr[] = [];
  const tensors: TExpr[] = [];
  let c = Rational.ONE;
  let zero = false;
  const visit = (x: TExpr): void => {
    const inner = implicitBroadcast(x);
    if (inner) { visit(inner); return; }
    if (isOp(x, 'mul')) argsOf(x).forEach(visit);
    else if (isOp(x, 'neg')) { c = c.neg(); visit(argsOf(x)[0]!); }
    else if (x.kind === 'num') c = c.mul(x.value);
    else if (isZero(x)) zero = true;
    else (x.shape.length === 0 ? scalars : tensors).push(x);
  };
  xs.forEach(visit);
  if (zero || c.isZero()) return zeros(shape);
  const factors = [...scalars, ...tensors];
  let body: TExpr;
  if (factors.length === 0) return fit(tnum(c), shape);
  if (factors.length === 1) body = factors[0]!;
  else {
    // an implicit broadcast needs some factor of the full shape
    if (!factors.some((f) => sameShape(f.shape, shape))) factors[factors.length - 1] = bcast(factors[factors.length - 1]!, shape);
    body = make('mul', factors);
  }
  if (c.isOne()) return fit(body, shape);
  if (c.eq(Rational.int(-1))) return fit(make('neg', [body]), shape);
  const args = isOp(body, 'mul') ? argsOf(body) : [body];
  return fit(make('mul', [tnum(c), ...args]), shape);
}

export function div(a: TExpr, b: TExpr): TExpr {
  if (isZero(a)) return zeros(broadcastShape(a.shape, b.shape, 'a quotient'));
  if (b.kind === 'num') {
    if (b.value.isZero()) return make('div', [a, b]);
    return mul(tnum(Rational.ONE.div(b.value)), a);
  }
  return make('div', [a, b]);
}

export function pow(a: TExpr, n: TExpr): TExpr {
  if (isTNum(n, 1)) return a;
  if (isTNum(n, 0)) return fit(tnum(1), a.shape);
  if (isZero(a) && n.kind === 'num' && n.value.sign() > 0) return a;
  return make('pow', [a, n]);
}

export const square = (a: TExpr): TExpr => pow(a, tnum(2));

export function fn(name: FnName, a: TExpr): TExpr {
  return make(name, [a]);
}

/** The matrix product; with a scalar operand it is the scalar multiple. */
export function matmul(a: TExpr, b: TExpr): TExpr {
  if (isScalar(a) || isScalar(b)) return mul(a, b);
  // diag(c 1) B = c B: a diagonal of one value scales
  const one = (d: TExpr): TExpr | null => (isOp(d, 'diag') && argsOf(d)[0]!.shape.length === 1 ? constantOf(argsOf(d)[0]!) : null);
  const ca = one(a), cb = one(b);
  if (ca) return mul(ca, b);
  if (cb) return mul(a, cb);
  const e = make('matmul', [a, b]);
  return isZero(a) || isZero(b) ? zeros(e.shape) : e;
}

/** The single value of a tensor that holds one value everywhere (a number, or its broadcast), else null. */
function constantOf(e: TExpr): TExpr | null {
  if (e.kind === 'num') return e;
  if (isOp(e, 'bcast') && argsOf(e)[0]!.kind === 'num') return argsOf(e)[0]!;
  return null;
}

export function transpose(a: TExpr): TExpr {
  if (isScalar(a)) return a;
  if (isZero(a)) return zeros(transposedShape(a.shape));
  if (isOp(a, 'transpose')) return argsOf(a)[0]!;
  if (isOp(a, 'matmul')) return matmul(transpose(argsOf(a)[1]!), transpose(argsOf(a)[0]!));
  if (isOp(a, 'neg')) return neg(transpose(argsOf(a)[0]!));
  if (isOp(a, 'mul') && argsOf(a).filter((x) => !isScalar(x)).length === 1) {
    return mul(...argsOf(a).map((x) => (isScalar(x) ? x : transpose(x))));
  }
  return make('transpose', [a]);
}

export function transposedShape(s: Shape): Shape {
  if (s.length === 1) return [1, s[0]!];
  if (s.length === 2 && s[0] === 1) return [s[1]!];
  if (s.length === 2) return [s[1]!, s[0]!];
  return s;
}

/** Sum over `axes` (1-based), or over everything. Scalars and signs come out of the sum. */
export function sum(a: TExpr, axes: readonly number[] | null = null): TExpr {
  const e = make('sum', [a], { axes: axes ? [...axes] : null });
  if (isZero(a)) return zeros(e.shape);
  if (isOp(a, 'neg')) return neg(sum(argsOf(a)[0]!, axes));
  if (isOp(a, 'mul')) {
    const sc = argsOf(a).filter(isScalar);
    const rest = argsOf(a).filter((x) => !isScalar(x));
    if (sc.length && rest.length) return mul(...sc, sum(rest.length === 1 ? rest[0]! : make('mul', rest), axes));
  }
  if (isOp(a, 'div') && isScalar(argsOf(a)[1]!) && !isScalar(argsOf(a)[0]!)) return div(sum(argsOf(a)[0]!, axes), argsOf(a)[1]!);
  return e;
}

export const mean = (a: TExpr, axes: readonly number[] | null = null): TExpr => make('mean', [a], { axes: axes ? [...axes] : null });
export const max = (a: TExpr, axes: readonly number[] | null = null): TExpr => make('max', [a], { axes: axes ? [...axes] : null });
/** 1 at the first maximum of `a` (over `axes`), 0 elsewhere: where max routes its gradient. */
export const argmaxMask = (a: TExpr, axes: readonly number[] | null): TExpr => make('argmaxMask', [a], { axes: axes ? [...axes] : null });
export const softmax = (a: TExpr, axis: number | null = null): TExpr => make('softmax', [a], { axis });
export const logsumexp = (a: TExpr, axis: number | null = null): TExpr => make('logsumexp', [a], { axis });
export const dot = (a: TExpr, b: TExpr): TExpr => (isZero(a) || isZero(b) ? tnum(0) : make('dot', [a, b]));
export const outer = (a: TExpr, b: TExpr): TExpr => {
  const e = make('outer', [a, b]);
  return isZero(a) || isZero(b) ? zeros(e.shape) : e;
};
export const diag = (a: TExpr): TExpr => {
  const e = make('diag', [a]);
  return isZero(a) ? zeros(e.shape) : e;
};
export const norm = (a: TExpr): TExpr => make('norm', [a]);
export const concat = (...xs: TExpr[]): TExpr => make('concat', xs);
export const flatten = (a: TExpr): TExpr => (a.shape.length === 1 ? a : make('flatten', [a]));
export const reshape = (a: TExpr, shape: Shape): TExpr => {
  if (sameShape(a.shape, shape)) return a;
  if (isZero(a)) return zeros(shape);
  return make('reshape', [a], { shape: [...shape] });
};

/** One entry of a selection per axis: an index (drops the axis), an inclusive range, or the whole axis. */
export type SelectPart = { kind: 'index'; i: number } | { kind: 'range'; from: number; to: number } | { kind: 'all' };
export const encodeSelection = (parts: readonly SelectPart[]): number[][] =>
  parts.map((p) => (p.kind === 'index' ? [0, p.i] : p.kind === 'range' ? [1, p.from, p.to] : [2]));
export const decodeSelection = (enc: readonly (readonly number[])[]): SelectPart[] =>
  enc.map((p) => (p[0] === 0 ? { kind: 'index', i: p[1]! } : p[0] === 1 ? { kind: 'range', from: p[1]!, to: p[2]! } : { kind: 'all' }));

export function select(a: TExpr, parts: readonly SelectPart[]): TExpr {
  const e = make('select', [a], { sel: encodeSelection(parts) });
  return isZero(a) ? zeros(e.shape) : e;
}

/** The selected part `g` put back in a zero tensor of `shape` (the adjoint of a selection). */
export function place(g: TExpr, shape: Shape, parts: readonly SelectPart[]): TExpr {
  if (isZero(g)) return zeros(shape);
  return make('place', [g], { shape: [...shape], sel: encodeSelection(parts) });
}

/** sum_t(body): the body is a template over the step t. */
export const sumT = (body: TExpr): TExpr => (isZero(body) ? body : make('sumT', [body]));
/** `e` at step `step` only, zero at every other step (a contribution read at a fixed step, such as h[T]). */
export const atStep = (e: TExpr, step: number): TExpr => (isZero(e) ? e : make('atStep', [e], { step }));

/** The binary operators of the tensor syntax (contract 2.7), as the parser names them. */
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '@';

/** `l op r` with the smart constructors above; one table for the equations' builder and the variants' require lines. */
export function binary(op: BinaryOp, l: TExpr, r: TExpr): TExpr {
  switch (op) {
    case '+': return add(l, r);
    case '-': return sub(l, r);
    case '*': return mul(l, r);
    case '/': return div(l, r);
    case '^': return pow(l, r);
    case '@': return matmul(l, r);
  }
}
