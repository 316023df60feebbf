/**
 * The expression DAG. Nodes are immutable and interned: building the same
 * node twice returns the same object, so identical subexpressions are shared
 * and `a === b` is structural equality.
 *
 * Atoms are numbers (exact rationals) and references to graph nodes by key
 * (`h1`, `W1[1,2]`, an adjoint `bar:h1`). Named intermediates therefore stay
 * named: a closed form over `h3` refers to the node, never to its expansion.
 */
import { Rational } from './rational.js';

export type FnName = 'exp' | 'log' | 'sqrt' | 'abs' | 'sigmoid' | 'tanh' | 'relu' | 'step' | 'softplus';
export type OpName = 'add' | 'mul' | 'neg' | 'div' | 'pow' | FnName;
export const FN_NAMES: readonly FnName[] = ['exp', 'log', 'sqrt', 'abs', 'sigmoid', 'tanh', 'relu', 'step', 'softplus'];

export interface NumExpr { readonly kind: 'num'; readonly id: number; readonly value: Rational }
export interface RefExpr { readonly kind: 'ref'; readonly id: number; readonly key: string }
export interface ApplyExpr { readonly kind: 'apply'; readonly id: number; readonly op: OpName; readonly args: readonly Expr[] }
export type Expr = NumExpr | RefExpr | ApplyExpr;

const table = new Map<string, Expr>();
let nextId = 1;

function intern<E extends Expr>(key: string, make: (id: number) => E): E {
  const found = table.get(key);
  if (found) return found as E;
  const e = make(nextId++);
  table.set(key, e);
  return e;
}

/** Expression nodes created so far: a caller that builds a graph measures its size by the difference. */
export const exprsCreated = (): number => nextId;

/** Frees the intern table between independent jobs (e.g. many variants in one process). */
export function clearInternTable(): void {
  table.clear();
  // The module's constants stay the canonical nodes, so num(0) === zero still holds afterwards.
  for (const c of [zero, one]) table.set(`n${c.value.toString()}`, c);
}

export function num(value: Rational | number): NumExpr {
  const r = typeof value === 'number' ? Rational.fromNumber(value) : value;
  return intern(`n${r.toString()}`, (id) => ({ kind: 'num', id, value: r }));
}

export function ref(key: string): RefExpr {
  return intern(`r${key}`, (id) => ({ kind: 'ref', id, key }));
}

/** Raw node construction, no simplification. Prefer the smart constructors below. */
export function apply(op: OpName, args: readonly Expr[]): ApplyExpr {
  return intern(`${op}(${args.map((a) => a.id).join(',')})`, (id) => ({ kind: 'apply', id, op, args: Object.freeze([...args]) }));
}

export const zero = num(Rational.ZERO);
export const one = num(Rational.ONE);

/** Is `e` the number `v`? */
export const isNum = (e: Expr, v: number): boolean => e.kind === 'num' && e.value.eq(Rational.int(v));

/** Sum with flattening, constant folding and zero elimination. */
export function add(...terms: Expr[]): Expr {
  const flat: Expr[] = [];
  let c = Rational.ZERO;
  for (const t of terms) {
    for (const u of t.kind === 'apply' && t.op === 'add' ? t.args : [t]) {
      if (u.kind === 'num') c = c.add(u.value);
      else flat.push(u);
    }
  }
  // The constant leads when the next term is subtracted (1 - h, not -h + 1), else it trails (w x + 3).
  if (!c.isZero()) {
    const first = flat[0];
    const subtracted = first !== undefined && (
      (first.kind === 'apply' && first.op === 'neg') ||
      (first.kind === 'apply' && first.op === 'mul' && first.args[0]!.kind === 'num' && first.args[0].value.sign() < 0));
    if (subtracted) flat.unshift(num(c)); else flat.push(num(c));
  }
  if (flat.length === 0) return zero;
  if (flat.length === 1) return flat[0]!;
  return apply('add', flat);
}

export function neg(e: Expr): Expr {
  if (e.kind === 'num') return num(e.value.neg());
  if (e.kind === 'apply' && e.op === 'neg') return e.args[0]!;
  if (e.kind === 'apply' && e.op === 'mul' && e.args[0]!.kind === 'num') {
    return mul(num(e.args[0].value.neg()), ...e.args.slice(1));
  }
  return apply('neg', [e]);
}

export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));

/**
 * Product with flattening; one leading constant; signs of negated factors
 * pulled into it. A product without divisions keeps its factors as written
 * (w4*w3*h3*(1 - h3)*...); one with a division becomes a single quotient
 * (see `quotient`).
 */
export function mul(...factors: Expr[]): Expr {
  const flat: Expr[] = [];
  let c = Rational.ONE;
  let hasDiv = false;
  const visit = (f: Expr): void => {
    if (f.kind === 'num') c = c.mul(f.value);
    else if (f.kind === 'apply' && f.op === 'mul') f.args.forEach(visit);
    else if (f.kind === 'apply' && f.op === 'neg') { c = c.neg(); visit(f.args[0]!); }
    else { if (isQuotient(f)) hasDiv = true; flat.push(f); }
  };
  factors.forEach(visit);
  if (c.isZero()) return zero;
  return hasDiv ? quotient(c, flat.map((f) => [f, 1])) : product(c, flat);
}

/** The product as written: constant first, -1 as a negation. `flat` holds no numbers, products or negations. */
function product(c: Rational, flat: readonly Expr[]): Expr {
  if (flat.length === 0) return num(c);
  if (c.isOne()) return flat.length === 1 ? flat[0]! : apply('mul', flat);
  if (c.eq(Rational.int(-1))) return apply('neg', [flat.length === 1 ? flat[0]! : apply('mul', flat)]);
  return apply('mul', [num(c), ...flat]);
}

/** A division node the quotient form can take apart (not a symbolic division by the number 0). */
const isQuotient = (f: Expr): boolean => f.kind === 'apply' && f.op === 'div' && !(f.args[1]!.kind === 'num' && f.args[1].value.isZero());

/**
 * One numerator over one denominator, as a textbook writes a quotient:
 * a*r/(2*s^2) * g/(2*r) -> a*g/(4*s^2). Factors are collected as powers of
 * their bases (integer exponents, a power of a product distributed), so equal
 * factors above and below the line cancel (r/r, s/s^4 -> 1/s^3) and the
 * numbers combine into one fraction p/q, p leading the numerator and q the
 * denominator. Cancelling x/x is exact wherever the input was defined.
 */
function quotient(c: Rational, items: ReadonlyArray<readonly [Expr, number]>): Expr {
  const bases: Expr[] = [];
  const exps = new Map<number, number>();
  const collect = (f: Expr, k: number): void => {
    if (f.kind === 'num' && (k > 0 || !f.value.isZero())) { c = c.mul(f.value.pow(k)); return; } // a division by 0 stays a factor
    if (f.kind === 'apply') {
      switch (f.op) {
        case 'mul': f.args.forEach((a) => collect(a, k)); return;
        case 'neg': if (k % 2 !== 0) c = c.neg(); collect(f.args[0]!, k); return;
        case 'div': if (isQuotient(f)) { collect(f.args[0]!, k); collect(f.args[1]!, -k); return; } break;
        case 'pow': {
          const [b, n] = f.args as [Expr, Expr];
          if (b.kind !== 'num' && n.kind === 'num' && n.value.isInteger() && Math.abs(Number(n.value.num) * k) <= MAX_FOLDED_EXPONENT) {
            collect(b, Number(n.value.num) * k);
            return;
          }
          break;
        }
        default: break;
      }
    }
    if (!exps.has(f.id)) bases.push(f);
    exps.set(f.id, (exps.get(f.id) ?? 0) + k);
  };
  for (const [f, k] of items) collect(f, k);
  if (c.isZero()) return zero;
  const above: Expr[] = [], below: Expr[] = [];
  for (const b of bases) {
    const k = exps.get(b.id)!;
    if (k > 0) above.push(pow(b, num(Rational.int(k))));
    else if (k < 0) below.push(pow(b, num(Rational.int(-k))));
  }
  if (below.length === 0) return product(c, above);
  const p = c.num < 0n ? -c.num : c.num;
  const q = apply('div', [product(Rational.of(p), above), product(Rational.of(c.den), below)]);
  return c.sign() < 0 ? apply('neg', [q]) : q;
}

export function div(a: Expr, b: Expr): Expr {
  if (b.kind === 'num') {
    if (b.value.isZero()) return apply('div', [a, b]); // kept: evaluation reports it
    return mul(num(Rational.ONE.div(b.value)), a);
  }
  if (isNum(a, 0)) return zero;
  return quotient(Rational.ONE, [[a, 1], [b, -1]]);
}

/** Largest integer exponent folded exactly; beyond it the power stays symbolic. */
export const MAX_FOLDED_EXPONENT = 64;

export function pow(base: Expr, exponent: Expr): Expr {
  if (isNum(exponent, 1)) return base;
  if (isNum(exponent, 0)) return one;
  if (base.kind === 'num' && exponent.kind === 'num' && exponent.value.isInteger()) {
    const e = Number(exponent.value.num);
    if (Math.abs(e) <= MAX_FOLDED_EXPONENT && !(base.value.isZero() && e < 0)) return num(base.value.pow(e));
  }
  return apply('pow', [base, exponent]);
}

export const square = (e: Expr): Expr => pow(e, num(2));

/** A unary function application; folds the arguments where the result is exactly rational. */
export function fn(name: FnName, arg: Expr): Expr {
  if (arg.kind === 'num') {
    const v = arg.value;
    switch (name) {
      case 'relu': return v.sign() > 0 ? arg : zero;
      case 'step': return v.sign() > 0 ? one : zero;
      case 'abs': return v.sign() < 0 ? num(v.neg()) : arg;
      case 'sigmoid': if (v.isZero()) return num(Rational.of(1n, 2n)); break;
      case 'tanh': if (v.isZero()) return zero; break;
      case 'exp': if (v.isZero()) return one; break;
      case 'log': if (v.isOne()) return zero; break;
      case 'sqrt': if (v.isZero() || v.isOne()) return arg; break;
    }
  }
  return apply(name, [arg]);
}

/** Nodes of the DAG reachable from the roots, children before parents. */
export function topoOrder(roots: readonly Expr[]): Expr[] {
  const seen = new Set<number>();
  const out: Expr[] = [];
  const stack: Array<[Expr, boolean]> = roots.map((r) => [r, false]);
  while (stack.length) {
    const [e, done] = stack.pop()!;
    if (done) { out.push(e); continue; }
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    stack.push([e, true]);
    if (e.kind === 'apply') for (let i = e.args.length - 1; i >= 0; i--) if (!seen.has(e.args[i]!.id)) stack.push([e.args[i]!, false]);
  }
  return out;
}

/** Count of distinct DAG nodes (shared subexpressions counted once). */
export const dagSize = (roots: readonly Expr[]): number => topoOrder(roots).length;

const refsCache = new WeakMap<Expr, ReadonlySet<string>>();

/** Keys of every ref in the expression (cached: nodes are immutable). */
export function refsOf(e: Expr): ReadonlySet<string> {
  let keys = refsCache.get(e);
  if (!keys) {
    const s = new Set<string>();
    for (const n of topoOrder([e])) if (n.kind === 'ref') s.add(n.key);
    refsCache.set(e, (keys = s));
  }
  return keys;
}

/** Replace refs by expressions (memoized over the DAG, so shared nodes stay shared). */
export function substitute(e: Expr, replace: (key: string) => Expr | undefined): Expr {
  const memo = new Map<number, Expr>();
  for (const n of topoOrder([e])) memo.set(n.id, rebuild(n, memo, replace));
  return memo.get(e.id)!;
}

function rebuild(n: Expr, memo: Map<number, Expr>, replace: (key: string) => Expr | undefined): Expr {
  if (n.kind === 'num') return n;
  if (n.kind === 'ref') return replace(n.key) ?? n;
  const args = n.args.map((a) => memo.get(a.id)!);
  return rebuildApply(n.op, args);
}

/** Rebuild an application through the smart constructors (so substituted constants fold). */
export function rebuildApply(op: OpName, args: readonly Expr[]): Expr {
  switch (op) {
    case 'add': return add(...args);
    case 'mul': return mul(...args);
    case 'neg': return neg(args[0]!);
    case 'div': return div(args[0]!, args[1]!);
    case 'pow': return pow(args[0]!, args[1]!);
    default: return fn(op, args[0]!);
  }
}
