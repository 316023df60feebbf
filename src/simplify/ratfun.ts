/**
 * Rational functions in factored form, c * prod N_i^a_i / prod D_j^b_j, with
 * every factor a primitive polynomial over atoms (poly.ts). A sum brings its
 * terms over a common denominator (the distinct factors at their highest
 * powers), expands the numerator, takes out its constant and monomial
 * content, and divides it exactly by each denominator factor that divides it:
 * t/p - (1 - t)/(1 - p) = (t - p)/(p (1 - p)), and then the product with
 * p (1 - p) cancels factor by factor. Anything past the size caps is null, and
 * the expression stays an atom.
 */
import { Rational } from '../expr/rational.js';
import {
  addPoly, atomPoly, constPoly, divExact, divideMono, isConstant, mulPoly, monoContent, polyKey, powPoly, primitive,
  type Poly,
} from './poly.js';

/** Most distinct factors above or below the line. */
export const MAX_FACTORS = 24;
/** Largest integer power taken apart (x^n with |n| larger stays an atom). */
export const MAX_POWER = 8;

export interface Factor { readonly poly: Poly; readonly key: string; readonly exp: number }

export interface RatFun {
  readonly c: Rational;
  readonly num: readonly Factor[];
  readonly den: readonly Factor[];
  /**
   * Did its last step cancel or collect anything (a factor above and below
   * the line, terms of a sum, a common factor of a sum's terms)? Only then can
   * writing it out beat the expression it came from, whose arguments were
   * tried already.
   */
  readonly reduced: boolean;
}

export const constRat = (c: Rational): RatFun => ({ c, num: [], den: [], reduced: false });

export function atomRat(atom: number): RatFun {
  const poly = atomPoly(atom);
  return { c: Rational.ONE, num: [{ poly, key: polyKey(poly), exp: 1 }], den: [], reduced: false };
}

/** A polynomial as c * monomial * primitive rest, the monomial split into one factor per atom. */
export function polyRat(a: Poly): RatFun {
  const { c, p } = primitive(a);
  if (c.isZero()) return constRat(Rational.ZERO);
  const m = monoContent(p);
  const rest = divideMono(p, m);
  const num: Factor[] = [];
  for (let i = 0; i < m.length; i += 2) {
    const poly = atomPoly(m[i]!);
    num.push({ poly, key: polyKey(poly), exp: m[i + 1]! });
  }
  if (!isConstant(rest)) num.push({ poly: rest, key: polyKey(rest), exp: 1 });
  return { c, num, den: [], reduced: m.length > 0 && a.size > 1 };
}

/** Factor lists merged (exponents added), then equal factors above and below cancelled. */
export function mulRat(a: RatFun, b: RatFun): RatFun | null {
  const c = a.c.mul(b.c);
  if (c.isZero()) return { ...constRat(Rational.ZERO), reduced: true };
  let reduced = false;
  const exps = new Map<string, number>();
  const polys = new Map<string, Poly>();
  const order: string[] = [];
  const put = (f: Factor, sign: number): void => {
    if (!polys.has(f.key)) { polys.set(f.key, f.poly); order.push(f.key); }
    const old = exps.get(f.key) ?? 0;
    if (old * sign < 0) reduced = true; // a factor meets its inverse
    exps.set(f.key, old + sign * f.exp);
  };
  for (const r of [a, b]) { r.num.forEach((f) => put(f, 1)); r.den.forEach((f) => put(f, -1)); }
  const num: Factor[] = [], den: Factor[] = [];
  for (const k of order) {
    const e = exps.get(k)!;
    if (e > 0) num.push({ poly: polys.get(k)!, key: k, exp: e });
    else if (e < 0) den.push({ poly: polys.get(k)!, key: k, exp: -e });
  }
  if (num.length > MAX_FACTORS || den.length > MAX_FACTORS) return null;
  return cancelByDivision({ c, num, den, reduced });
}

export function invRat(a: RatFun): RatFun | null {
  return a.c.isZero() ? null : { c: Rational.ONE.div(a.c), num: a.den, den: a.num, reduced: false };
}

export function powRat(a: RatFun, n: number): RatFun | null {
  if (!Number.isInteger(n) || Math.abs(n) > MAX_POWER) return null;
  if (n === 0) return constRat(Rational.ONE);
  const b = n < 0 ? invRat(a) : a;
  if (!b) return null;
  const k = Math.abs(n);
  const scale = (fs: readonly Factor[]): Factor[] => fs.map((f) => ({ ...f, exp: f.exp * k }));
  return { c: b.c.pow(k), num: scale(b.num), den: scale(b.den), reduced: false };
}

/** a + b over the common denominator, cancelled where a denominator factor divides the new numerator. */
export function addRat(a: RatFun, b: RatFun): RatFun | null {
  if (a.c.isZero()) return b;
  if (b.c.isZero()) return a;
  const den = new Map<string, Factor>();
  for (const f of [...a.den, ...b.den]) { const g = den.get(f.key); if (!g || g.exp < f.exp) den.set(f.key, f); }
  let total: Poly | null = constPoly(Rational.ZERO);
  let expanded = 0;
  for (const r of [a, b]) {
    // r = c N / D_r, so over the common denominator D its numerator is c N (D / D_r)
    let term: Poly | null = constPoly(r.c);
    const own = new Map(r.den.map((f) => [f.key, f.exp]));
    for (const f of r.num) term = term && expandTimes(term, f.poly, f.exp);
    for (const f of den.values()) term = term && expandTimes(term, f.poly, f.exp - (own.get(f.key) ?? 0));
    if (!term) return null;
    expanded += term.size;
    total = total && addPoly(total, term);
    if (!total) return null;
  }
  const top = polyRat(total);
  // terms that met and combined or cancelled (x - x, t (1 - p) - (1 - t) p = t - p)
  if (top.c.isZero()) return { ...top, reduced: true };
  const inv = invRat({ c: Rational.ONE, num: [...den.values()], den: [], reduced: false })!;
  const r = mulRat(top, inv);
  return r && { ...r, reduced: r.reduced || top.reduced || total.size < expanded };
}

function expandTimes(a: Poly, f: Poly, exp: number): Poly | null {
  if (exp === 0) return a;
  const p = powPoly(f, exp);
  return p && mulPoly(a, p);
}

/** Cancels a denominator factor into every numerator factor it divides exactly ((1 - p^2)/(1 - p) = 1 + p). */
function cancelByDivision(r: RatFun): RatFun | null {
  if (r.den.length === 0 || r.num.length === 0) return r;
  for (const d of r.den) {
    if (d.poly.size < 2) continue; // a single monomial cancels by equal factors already
    for (const n of r.num) {
      if (n.poly.size <= 1 || n.key === d.key) continue;
      const q = divExact(n.poly, d.poly);
      if (!q) continue;
      // n / d = q: one power of each goes, q comes in (its factors merge and may cancel further)
      const num = dec(r.num, n.key), den = dec(r.den, d.key);
      const out = mulRat({ c: r.c, num, den, reduced: true }, polyRat(q));
      return out && { ...out, reduced: true };
    }
  }
  return r;
}

const dec = (fs: readonly Factor[], key: string): Factor[] =>
  fs.flatMap((f) => (f.key !== key ? [f] : f.exp > 1 ? [{ ...f, exp: f.exp - 1 }] : []));
