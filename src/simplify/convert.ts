/**
 * Between expressions and rational functions over atoms. Refs and function
 * applications (sigmoid(z), step(o - t)) are atoms, and so is anything past
 * the size caps of ratfun.ts; sums, products, negations, quotients and
 * integer powers are taken apart.
 */
import { add, div, FN_NAMES, mul, num, pow, type Expr } from '../expr/expr.js';
import { Rational } from '../expr/rational.js';
import { costOf, compareCost } from './cost.js';
import { compareMono, type Poly, type Term } from './poly.js';
import { addRat, atomRat, constRat, invRat, mulRat, powRat, type Factor, type RatFun } from './ratfun.js';

/** Atoms numbered in the order they are met, so printed sums keep the input's order of names. */
export class Atoms {
  private readonly index = new Map<number, number>();
  readonly exprs: Expr[] = [];

  of(e: Expr): number {
    let i = this.index.get(e.id);
    if (i === undefined) { i = this.exprs.length; this.index.set(e.id, i); this.exprs.push(e); }
    return i;
  }
}

/** Tree nodes up to which a division-free expression is expanded as a polynomial. */
export const SMALL_POLYNOMIAL = 24;

/** Function applications: atoms, whatever their arguments hold. */
const FUNCTION_OPS: ReadonlySet<string> = new Set(FN_NAMES);

/** A factor as an expression: expr = scale * factor. */
interface Written { readonly scale: Rational; readonly expr: Expr }

/** Rational functions of expressions, memoized by node (nodes are immutable and interned). */
export class RationalView {
  private readonly memo = new Map<number, RatFun>();
  /**
   * Sums as written, by factor key: expr = scale * factor. A factor is stored
   * primitive with a positive leading term (h - 1) and prints as the input
   * wrote it (1 - h, scale -1; the same node, so it stays shared).
   */
  readonly written = new Map<string, Written>();
  constructor(readonly atoms: Atoms) {}

  /**
   * Is the rational pass worth running on e? Only a quotient can cancel; a
   * division-free expression can only collect terms, which is tried while it
   * is small (expanding a large product of sums costs much and gains nothing).
   * A large division-free part of a quotient is an atom of it.
   */
  worthTrying(e: Expr): boolean {
    const s = this.shape(e);
    return s.quotient || s.tree <= SMALL_POLYNOMIAL;
  }

  private readonly shapes = new Map<number, { quotient: boolean; tree: number }>();

  private shape(e: Expr): { quotient: boolean; tree: number } {
    let s = this.shapes.get(e.id);
    if (!s) {
      let quotient = e.kind === 'apply' && (e.op === 'div' || (e.op === 'pow' && e.args[1]!.kind === 'num' && e.args[1].value.sign() < 0));
      let tree = 1;
      if (e.kind === 'apply' && !FUNCTION_OPS.has(e.op)) {
        for (const a of e.args) { const t = this.shape(a); quotient ||= t.quotient; tree = Math.min(tree + t.tree, SMALL_POLYNOMIAL + 1); }
      }
      s = { quotient, tree };
      this.shapes.set(e.id, s);
    }
    return s;
  }

  of(e: Expr): RatFun {
    const hit = this.memo.get(e.id);
    if (hit) return hit;
    const r = (this.worthTrying(e) ? this.build(e) : null) ?? atomRat(this.atoms.of(e));
    // a sum that is one factor, term for term (not one whose terms cancelled: a + p - a is no way to write p)
    if (e.kind === 'apply' && e.op === 'add' && !r.reduced && r.num.length === 1 && r.den.length === 0 && r.num[0]!.exp === 1 && r.num[0]!.poly.size > 1) {
      const key = r.num[0]!.key;
      if (!this.written.has(key)) this.written.set(key, { scale: r.c, expr: e });
    }
    this.memo.set(e.id, r);
    return r;
  }

  private build(e: Expr): RatFun | null {
    if (e.kind === 'num') return constRat(e.value);
    if (e.kind === 'ref') return null;
    const a = e.args;
    switch (e.op) {
      case 'add': return a.slice(1).reduce<RatFun | null>((s, t) => s && addRat(s, this.of(t)), this.of(a[0]!));
      case 'mul': return a.slice(1).reduce<RatFun | null>((s, t) => s && mulRat(s, this.of(t)), this.of(a[0]!));
      case 'neg': { const r = this.of(a[0]!); return { ...r, c: r.c.neg(), reduced: false }; }
      case 'div': { const d = invRat(this.of(a[1]!)); return d && mulRat(this.of(a[0]!), d); }
      case 'pow': {
        const n = a[1]!;
        return n.kind === 'num' && n.value.isInteger() ? powRat(this.of(a[0]!), Number(n.value.num)) : null;
      }
      default: return null; // a function application is an atom
    }
  }
}

/**
 * The best expression for r (by cost.ts): every sum as it was written where
 * it was (1 - h, not -(h - 1)), its positive terms first otherwise (p - t,
 * not -t + p), and a negative constant tried folded into each factor of odd
 * power (-(t - p) x1 -> (p - t) x1).
 */
export function toExpr(r: RatFun, view: RationalView): Expr {
  const asWritten = (f: Factor): Written => view.written.get(f.key) ?? { scale: Rational.ONE, expr: polyExpr(f.poly, view.atoms, false) };
  const turned = (f: Factor): Written => {
    const negate = asWritten(f).scale.sign() > 0;
    return { scale: Rational.int(negate ? -1 : 1), expr: polyExpr(f.poly, view.atoms, negate) };
  };
  const build = (flip: Factor | null): { e: Expr; c: Rational } => {
    let c = r.c;
    const side = (fs: readonly Factor[], up: boolean): Expr[] => [...fs].sort((f, g) => firstAtom(f) - firstAtom(g)).map((f) => {
      const w = f === flip ? turned(f) : asWritten(f);
      const k = w.scale.pow(f.exp);
      c = up ? c.div(k) : c.mul(k); // above the line (scale f)^n needs c / scale^n, below c * scale^n
      return pow(w.expr, int(f.exp));
    });
    const top = side(r.num, true), bottom = side(r.den, false);
    const e = mul(num(c), ...top);
    return { e: bottom.length ? div(e, mul(...bottom)) : e, c };
  };
  const first = build(null);
  let best = first.e;
  if (first.c.sign() < 0) {
    let bestCost = costOf(best);
    for (const f of [...r.num, ...r.den]) {
      if (f.exp % 2 === 0 || f.poly.size < 2) continue;
      const cand = build(f).e;
      const cost = costOf(cand);
      if (compareCost(cost, bestCost) < 0) { best = cand; bestCost = cost; }
    }
  }
  return best;
}

/** An integer exponent as a number node (without the decimal parsing of num(number)). */
const int = (n: number): Expr => num(Rational.int(n));

/** Factors print in the order their first atom was met (exp(u1)*exp(u2), whichever the chain met first). */
function firstAtom(f: Factor): number {
  let m = Infinity;
  for (const t of f.poly.values()) if (t.mono.length) m = Math.min(m, t.mono[0]!);
  return m;
}

function polyExpr(p: Poly, atoms: Atoms, negate: boolean): Expr {
  const terms = [...p.values()].map((t): Term => (negate ? { mono: t.mono, coef: t.coef.neg() } : t));
  terms.sort((s, t) => (t.coef.sign() - s.coef.sign()) || compareMono(t.mono, s.mono));
  return add(...terms.map((t) => {
    const factors: Expr[] = [num(t.coef)];
    for (let i = 0; i < t.mono.length; i += 2) factors.push(pow(atoms.exprs[t.mono[i]!]!, int(t.mono[i + 1]!)));
    return mul(...factors);
  }));
}
