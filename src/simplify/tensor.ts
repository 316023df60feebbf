/**
 * Textbook forms at the tensor level, by rule. Elementwise algebra is the
 * algebra of numbers entry by entry, so each elementwise region of a tensor
 * expression (sums, products, quotients, powers and activations of tensors
 * that broadcast together) goes through the scalar simplifier with every
 * other subexpression an atom: -(t/p) * p cancels to -t. Reductions take
 * their scalars and signs out (the constructors), and one fact about the
 * problem is used where it holds: a target whose rows sum to 1 (one-hot or a
 * distribution) has sum 1, which turns the softmax-cross-entropy delta into
 * p - t. Each use of the fact is recorded, so the sheet can state it.
 */
import {
  add as sadd, div as sdiv, fn as sfn, mul as smul, neg as sneg, num as snum, pow as spow, ref as sref,
  type Expr, type FnName,
} from '../expr/expr.js';
import type { Rational } from '../expr/rational.js';
import { tapplyRaw, tnum, ttopo, type TApply, type TExpr } from '../expr/tensor.js';
import * as T from '../ops/tensor-build.js';
import { isElementwiseFn } from '../ops/tensor-ops.js';
import { rebuildApply } from '../ops/tensor-rebuild.js';
import { simplify } from './index.js';

/** Which references are targets whose rows sum to 1 (the fact the softmax delta needs). */
export interface TargetFacts {
  /** the target's rows (its last axis) each sum to 1 */
  sumsToOne(name: string): boolean;
  /** called when the fact was used for `name` */
  used(name: string): void;
}

const ELEMENTWISE = new Set(['add', 'neg', 'mul', 'div', 'pow']);
const isElementwise = (e: TExpr): boolean => e.kind === 'apply' && (ELEMENTWISE.has(e.op) || isElementwiseFn(e.op));

/** Passes over the expression until nothing changes (at most this many). */
const MAX_PASSES = 4;

export function simplifyT(e: TExpr, facts: TargetFacts): TExpr {
  let cur = e;
  for (let i = 0; i < MAX_PASSES; i++) {
    const next = pass(cur, facts);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

function pass(e: TExpr, facts: TargetFacts): TExpr {
  const memo = new Map<number, TExpr>();
  const visit = (n: TExpr): TExpr => {
    const hit = memo.get(n.id);
    if (hit) return hit;
    let r: TExpr;
    if (n.kind !== 'apply') r = n;
    else if (isElementwise(n)) r = region(n, visit);
    else {
      const args = n.args.map(visit);
      r = args.every((x, i) => x === n.args[i]) ? n : rebuildApply(n, args);
      r = reduction(r, facts);
    }
    memo.set(n.id, r);
    return r;
  };
  return visit(e);
}

/** A sum of a target whose rows sum to 1: 1 for a vector (or one row), a vector of ones for each row of a matrix. */
function reduction(e: TExpr, facts: TargetFacts): TExpr {
  if (e.kind !== 'apply' || e.op !== 'sum') return e;
  const x = e.args[0]!;
  if (x.kind !== 'ref' || x.adjoint || !facts.sumsToOne(x.name)) return e;
  const axes = e.attrs.axes as readonly number[] | null;
  const last = x.shape.length;
  if (last === 1 && axes === null) { facts.used(x.name); return tnum(1); }
  if (last === 2 && axes !== null && axes.length === 1 && axes[0] === 2) { facts.used(x.name); return T.bcast(tnum(1), e.shape); }
  return e;
}

/**
 * An elementwise region through the scalar simplifier: its non-elementwise
 * parts (simplified first) become atoms, the region a scalar expression.
 */
function region(root: TApply, visit: (n: TExpr) => TExpr): TExpr {
  const atoms = new Map<string, TExpr>();
  const toScalar = (n: TExpr): Expr => {
    if (n.kind === 'num') return snum(n.value);
    if (n.kind === 'apply' && isElementwise(n)) {
      const a = n.args.map(toScalar);
      switch (n.op) {
        case 'add': return sadd(...a);
        case 'neg': return sneg(a[0]!);
        case 'mul': return smul(...a);
        case 'div': return sdiv(a[0]!, a[1]!);
        case 'pow': return spow(a[0]!, a[1]!);
        default: return sfn(n.op as FnName, a[0]!);
      }
    }
    const atom = visit(n);
    const key = `\u00a7${atom.id}`;
    atoms.set(key, atom);
    return sref(key);
  };
  const scalar = toScalar(root);
  const simplified = simplify(scalar);
  const fromScalar = (s: Expr): TExpr => {
    if (s.kind === 'num') return tnum(s.value);
    if (s.kind === 'ref') return atoms.get(s.key)!;
    const a = s.args.map(fromScalar);
    switch (s.op) {
      case 'add': return T.add(...a);
      case 'neg': return T.neg(a[0]!);
      case 'mul': return T.mul(...a);
      case 'div': return T.div(a[0]!, a[1]!);
      case 'pow': return T.pow(a[0]!, a[1]!);
      default: return T.fn(s.op, a[0]!);
    }
  };
  const out = commonFactor(positiveFirst(asMeans(fromScalar(simplified))));
  return sameShape(out, root) ? out : T.bcast(out, root.shape);
}

/** (1/n) sum(x) over n entries is mean(x), and -(1/n) sum(x) is -mean(x): the form a textbook writes. */
function asMeans(e: TExpr): TExpr {
  const memo = new Map<number, TExpr>();
  const visit = (x: TExpr): TExpr => {
    if (x.kind !== 'apply') return x;
    const hit = memo.get(x.id);
    if (hit) return hit;
    const args = x.args.map(visit);
    let r = args.every((a, i) => a === x.args[i]) ? x : rebuildApply(x, args);
    if (r.kind === 'apply' && r.op === 'mul' && r.args.length === 2 && r.args[0]!.kind === 'num') {
      const c = r.args[0].value, s = r.args[1]!;
      if (s.kind === 'apply' && s.op === 'sum') {
        const n = sizeOfShape(s.args[0]!.shape) / sizeOfShape(s.shape);
        const m = T.mean(s.args[0]!, (s.attrs.axes as readonly number[] | null) ?? null);
        if (c.toNumber() === 1 / n) r = m;
        else if (c.toNumber() === -1 / n) r = T.neg(m);
      }
    }
    memo.set(x.id, r);
    return r;
  };
  return visit(e);
}

const sizeOfShape = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** c a - c b = c (a - b): a number every term of a sum shares comes out of it ((P - Y)/2, not P/2 - Y/2). */
function commonFactor(e: TExpr): TExpr {
  if (e.kind !== 'apply' || e.op !== 'add') return e;
  const coeff = (t: TExpr): Rational | null => {
    if (t.kind === 'apply' && t.op === 'neg') { const c = coeff(t.args[0]!); return c ? c.neg() : null; }
    return t.kind === 'apply' && t.op === 'mul' && t.args[0]!.kind === 'num' ? t.args[0].value : null;
  };
  const cs = e.args.map(coeff);
  if (cs.some((c) => c === null)) return e;
  const c = cs[0]!.sign() < 0 ? cs[0]!.neg() : cs[0]!;
  if (c.isOne() || !cs.every((x) => x!.eq(c) || x!.neg().eq(c))) return e;
  return T.mul(tnum(c), T.add(...e.args.map((t) => T.div(t, tnum(c)))));
}

/** A sum that starts with a subtracted term starts with a positive one instead: p - t, not -t + p. */
function positiveFirst(e: TExpr): TExpr {
  if (e.kind !== 'apply' || e.op !== 'add' || !T.isNegative(e.args[0]!)) return e;
  const pos = e.args.filter((t) => !T.isNegative(t));
  if (pos.length === 0) return e;
  return tapplyRaw('add', [...pos, ...e.args.filter((t) => T.isNegative(t))], {}, e.shape);
}

const sameShape = (a: TExpr, b: TExpr): boolean => a.shape.length === b.shape.length && a.shape.every((n, i) => n === b.shape[i]);

/** Node count of the printed tree (for choosing the smaller of two forms). */
export const treeSize = (e: TExpr): number => ttopo([e]).length;
