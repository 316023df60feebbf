/**
 * The symbolic first pass: a canonical polynomial form over atoms. Products
 * are expanded, factors sorted, like terms collected with exact rational
 * coefficients; refs (h3, o, bar:o), function applications and powers that do
 * not expand are atoms named by the canonical form of their arguments. Two
 * expressions with the same form are equal as functions, so "same form" may
 * decide equivalence; a different form decides nothing (numeric comparison
 * follows). A cap on the number of terms keeps this cheap; past it there is
 * simply no symbolic verdict.
 */
import { Rational } from '../expr/rational.js';
import type { Expr } from '../expr/expr.js';
import type { Budget } from './limits.js';

type Factors = ReadonlyArray<readonly [number, number]>; // [atom id, exponent], sorted by id
interface Mono { readonly coef: Rational; readonly factors: Factors }
type Poly = ReadonlyMap<string, Mono>; // monomial key -> monomial

/** Most terms of one canonical form. */
export const MAX_TERMS = 2_000;
/** Deepest expression given a canonical form. */
const MAX_DEPTH = 400;
/** Largest power of a sum that is expanded. */
const MAX_EXPANDED_POWER = 6;

class TooLarge extends Error {}


const monoKey = (f: Factors): string => f.map(([a, n]) => (n === 1 ? `${a}` : `${a}^${n}`)).join('*');

function polyKey(p: Poly): string {
  return [...p.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, m]) => `${m.coef}|${k}`).join('+');
}

function constant(r: Rational): Poly {
  return r.isZero() ? new Map() : new Map([['', { coef: r, factors: [] }]]);
}

const single = (id: number, n = 1): Poly => new Map([[monoKey([[id, n]]), { coef: Rational.ONE, factors: [[id, n]] }]]);

function addInto(out: Map<string, Mono>, key: string, m: Mono): void {
  const prev = out.get(key);
  const coef = prev ? prev.coef.add(m.coef) : m.coef;
  if (coef.isZero()) out.delete(key); else out.set(key, { coef, factors: m.factors });
}

function mulFactors(a: Factors, b: Factors): Factors {
  const out: Array<[number, number]> = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i], y = b[j];
    if (y === undefined || (x !== undefined && x[0] < y[0])) { out.push([x![0], x![1]]); i++; }
    else if (x === undefined || y[0] < x[0]) { out.push([y[0], y[1]]); j++; }
    else { if (x[1] + y[1] !== 0) out.push([x[0], x[1] + y[1]]); i++; j++; }
  }
  return out;
}

/**
 * p = coef * common * rest: the factors every term shares (lowest exponent of each atom) and a number
 * taken out, so that rest does not depend on how p was scaled (2a + 2b and a + b share rest).
 * rest is null when p is a monomial.
 */
function content(p: Poly): { coef: Rational; common: Factors; rest: Poly | null } {
  const monos = [...p.values()];
  const lowest = new Map<number, number>(monos[0]!.factors.map(([a, k]) => [a, k]));
  for (const m of monos) {
    const here = new Map(m.factors.map(([a, k]) => [a, k] as const));
    for (const [a, k] of lowest) lowest.set(a, Math.min(k, here.get(a) ?? 0));
  }
  const common: Array<[number, number]> = [...lowest].filter(([, k]) => k !== 0);
  if (monos.length === 1) return { coef: monos[0]!.coef, common: monos[0]!.factors, rest: null };
  const divided = monos.map((m) => {
    const factors = mulFactors(m.factors, common.map(([a, k]) => [a, -k] as const));
    return [monoKey(factors), { coef: m.coef, factors }] as const;
  }).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const coef = divided[0]![1].coef;
  return { coef, common, rest: new Map(divided.map(([k, m]) => [k, { coef: m.coef.div(coef), factors: m.factors }])) };
}

export class Canonicalizer {
  private readonly memo = new Map<number, Poly>();
  /** atoms are numbered so that nested canonical forms stay short keys (per canonicalizer: one check) */
  private readonly atomIds = new Map<string, number>();
  private depth = 0;
  constructor(private readonly budget: Budget, private readonly maxTerms = MAX_TERMS) {}

  /** Do a and b have the same canonical form? (false when either has none) */
  same(a: Expr, b: Expr): boolean {
    const ka = this.key(a);
    return ka !== null && ka === this.key(b);
  }

  /**
   * The canonical key of `e`, or null when its form would exceed the term cap. Atoms are numbered per
   * canonicalizer: keys are comparable only between expressions of the same instance.
   */
  key(e: Expr): string | null {
    try {
      this.depth = 0;
      return polyKey(this.poly(e));
    } catch (err) {
      if (err instanceof TooLarge) return null;
      throw err;
    }
  }

  private poly(e: Expr): Poly {
    const hit = this.memo.get(e.id);
    if (hit) return hit;
    this.budget.charge();
    // Deep expressions (a long chain expanded) get no symbolic verdict rather than a deep recursion.
    if (++this.depth > MAX_DEPTH) { this.depth = 0; throw new TooLarge(); }
    const p = this.build(e);
    this.depth--;
    this.memo.set(e.id, p);
    return p;
  }

  private build(e: Expr): Poly {
    let p: Poly;
    if (e.kind === 'num') p = constant(e.value);
    else if (e.kind === 'ref') p = single(this.atom(`r:${e.key}`));
    else {
      const a = e.args;
      switch (e.op) {
        case 'add': {
          const out = new Map<string, Mono>();
          for (const x of a) for (const [k, m] of this.poly(x)) addInto(out, k, m);
          p = this.cap(out);
          break;
        }
        case 'mul': p = a.map((x) => this.poly(x)).reduce((x, y) => this.mul(x, y)); break;
        case 'neg': p = this.mul(constant(Rational.int(-1)), this.poly(a[0]!)); break;
        case 'div': p = this.mul(this.poly(a[0]!), this.inverseOf(a[1]!)); break;
        case 'pow': p = this.pow(a[0]!, a[1]!); break;
        default: p = single(this.atom(`${e.op}(${polyKey(this.poly(a[0]!))})`));
      }
    }
    return p;
  }

  private atom(key: string): number {
    let id = this.atomIds.get(key);
    if (id === undefined) this.atomIds.set(key, (id = this.atomIds.size + 1));
    return id;
  }

  private cap(p: Map<string, Mono>): Poly {
    if (p.size > this.maxTerms) throw new TooLarge();
    return p;
  }

  private mul(p: Poly, q: Poly): Poly {
    if (p.size * q.size > this.maxTerms * 4) throw new TooLarge();
    this.budget.charge(p.size * q.size);
    const out = new Map<string, Mono>();
    for (const m of p.values()) {
      for (const n of q.values()) {
        const factors = mulFactors(m.factors, n.factors);
        addInto(out, monoKey(factors), { coef: m.coef.mul(n.coef), factors });
      }
    }
    return this.cap(out);
  }

  /**
   * 1/e, factor by factor: 1/((a+b)(c+d)) is 1/(a+b) * 1/(c+d) however the product was grouped
   * (expanding it first would hide the factors). A sum is an atom, up to its number and common factors.
   */
  private inverseOf(e: Expr): Poly {
    if (e.kind === 'num' && !e.value.isZero()) return constant(Rational.ONE.div(e.value));
    if (e.kind === 'apply') {
      const a = e.args;
      switch (e.op) {
        case 'mul': return a.map((x) => this.inverseOf(x)).reduce((x, y) => this.mul(x, y));
        case 'neg': return this.mul(constant(Rational.int(-1)), this.inverseOf(a[0]!));
        case 'div': return this.mul(this.poly(a[1]!), this.inverseOf(a[0]!));
        case 'pow': {
          const n = a[1]!;
          if (n.kind === 'num' && n.value.isInteger() && n.value.num <= 64n && n.value.num >= -64n) return this.power(this.poly(a[0]!), -Number(n.value.num));
          break;
        }
        default: break;
      }
    }
    return this.power(this.poly(e), -1);
  }

  /** p^n for an integer n that is not expanded: a monomial exactly, else c^n g^n (q)^n with q an atom (see `content`). */
  private power(p: Poly, n: number): Poly {
    if (p.size === 0) return single(this.atom(`pow(0,${n})`));
    const { coef, common, rest } = content(p);
    if (n === 0) return constant(Rational.ONE);
    const factors = common.map(([a, k]) => [a, k * n] as [number, number]);
    // the sum is one atom whatever its exponent, so 1/q^2 and (1/q)^2 agree
    if (rest) factors.push([this.atom(`(${polyKey(rest)})`), n]);
    factors.sort((x, y) => x[0] - y[0]);
    return new Map([[monoKey(factors), { coef: coef.pow(n), factors }]]);
  }

  private pow(base: Expr, ex: Expr): Poly {
    const b = this.poly(base);
    if (ex.kind === 'num' && ex.value.isInteger() && ex.value.num <= 64n && ex.value.num >= -64n) {
      const n = Number(ex.value.num);
      if (b.size !== 1 && n >= 0 && n <= MAX_EXPANDED_POWER) {
        let out: Poly = constant(Rational.ONE);
        for (let i = 0; i < n; i++) out = this.mul(out, b);
        return out;
      }
      return this.power(b, n);
    }
    return single(this.atom(`pow(${polyKey(b)},${polyKey(this.poly(ex))})`));
  }
}
