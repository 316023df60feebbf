/**
 * Sparse multivariate polynomials with exact rational coefficients, over
 * numbered atoms (an atom is a ref or a function application: `p`, `x1`,
 * `step(o - t)`). Only what the rational-function cancellation needs: sums,
 * products, exact division and normalization. Every operation that could
 * grow without bound returns null past MAX_TERMS, and the caller then keeps
 * the expression as it was.
 */
import { Rational } from '../expr/rational.js';

/** Largest polynomial handled, in terms; larger ones are left alone. */
export const MAX_TERMS = 48;

/** A monomial: pairs [atom, exponent] flattened, atoms ascending, exponents > 0. */
export type Mono = readonly number[];

export interface Term { readonly mono: Mono; readonly coef: Rational }

/** Terms by monomial key; no zero coefficients. */
export type Poly = ReadonlyMap<string, Term>;

const monoKey = (m: Mono): string => m.join(',');

export const ZERO_POLY: Poly = new Map();

export function constPoly(c: Rational): Poly {
  return c.isZero() ? ZERO_POLY : new Map([['', { mono: [], coef: c }]]);
}

export function atomPoly(atom: number): Poly {
  return new Map([[`${atom},1`, { mono: [atom, 1], coef: Rational.ONE }]]);
}

function accumulate(out: Map<string, Term>, mono: Mono, coef: Rational): void {
  const k = monoKey(mono);
  const old = out.get(k);
  const c = old ? old.coef.add(coef) : coef;
  if (c.isZero()) out.delete(k); else out.set(k, { mono, coef: c });
}

export function addPoly(a: Poly, b: Poly): Poly | null {
  const out = new Map(a);
  for (const t of b.values()) accumulate(out, t.mono, t.coef);
  return out.size > MAX_TERMS ? null : out;
}

export function scalePoly(a: Poly, c: Rational): Poly {
  if (c.isZero()) return ZERO_POLY;
  return new Map([...a].map(([k, t]) => [k, { mono: t.mono, coef: t.coef.mul(c) }]));
}

function mulMono(a: Mono, b: Mono): Mono {
  const out: number[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) { out.push(a[i]!, a[i + 1]!); i += 2; }
    else if (i >= a.length || b[j]! < a[i]!) { out.push(b[j]!, b[j + 1]!); j += 2; }
    else { out.push(a[i]!, a[i + 1]! + b[j + 1]!); i += 2; j += 2; }
  }
  return out;
}

export function mulPoly(a: Poly, b: Poly): Poly | null {
  if (a.size * b.size > MAX_TERMS * MAX_TERMS) return null;
  const out = new Map<string, Term>();
  for (const s of a.values()) for (const t of b.values()) accumulate(out, mulMono(s.mono, t.mono), s.coef.mul(t.coef));
  return out.size > MAX_TERMS ? null : out;
}

export function powPoly(a: Poly, n: number): Poly | null {
  let out: Poly | null = constPoly(Rational.ONE);
  for (let i = 0; i < n && out; i++) out = mulPoly(out, a);
  return out;
}

const degree = (m: Mono): number => { let d = 0; for (let i = 1; i < m.length; i += 2) d += m[i]!; return d; };

/**
 * Graded lexicographic order (atom 0 > atom 1 > ...): a monomial order, so the
 * leading term of a product is the product of the leading terms, which is
 * what makes the exact division below decide divisibility.
 */
export function compareMono(a: Mono, b: Mono): number {
  const d = degree(a) - degree(b);
  if (d !== 0) return d;
  for (let i = 0; i < Math.min(a.length, b.length); i += 2) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? 1 : -1;
    if (a[i + 1] !== b[i + 1]) return a[i + 1]! - b[i + 1]!;
  }
  return a.length - b.length;
}

export function leadingTerm(a: Poly): Term | null {
  let best: Term | null = null;
  for (const t of a.values()) if (!best || compareMono(t.mono, best.mono) > 0) best = t;
  return best;
}

/** a / b for monomials, or null when b does not divide a. */
function divMono(a: Mono, b: Mono): Mono | null {
  const out: number[] = [];
  let i = 0;
  for (let j = 0; j < b.length; j += 2) {
    while (i < a.length && a[i]! < b[j]!) { out.push(a[i]!, a[i + 1]!); i += 2; }
    if (i >= a.length || a[i] !== b[j] || a[i + 1]! < b[j + 1]!) return null;
    if (a[i + 1]! > b[j + 1]!) out.push(a[i]!, a[i + 1]! - b[j + 1]!);
    i += 2;
  }
  for (; i < a.length; i += 2) out.push(a[i]!, a[i + 1]!);
  return out;
}

/**
 * The quotient a / b when b divides a exactly, else null. Division by one
 * polynomial: if b | a then lt(b) | lt(r) at every step (r stays a multiple
 * of b), so a leading term that b's does not divide proves b does not divide a.
 */
export function divExact(a: Poly, b: Poly): Poly | null {
  const lb = leadingTerm(b);
  if (!lb) return null;
  let r: Poly = a;
  const q = new Map<string, Term>();
  for (let steps = 0; r.size > 0; steps++) {
    if (steps > 4 * MAX_TERMS) return null;
    const lr = leadingTerm(r)!;
    const m = divMono(lr.mono, lb.mono);
    if (!m) return null;
    const c = lr.coef.div(lb.coef);
    accumulate(q, m, c);
    const sub = mulPoly(b, new Map([[monoKey(m), { mono: m, coef: c.neg() }]]));
    const next = sub && addPoly(r, sub);
    if (!next) return null;
    r = next;
  }
  return q;
}

/** The largest monomial dividing every term (the atoms common to all terms). */
export function monoContent(a: Poly): Mono {
  let g: Map<number, number> | null = null;
  for (const t of a.values()) {
    const here = new Map<number, number>();
    for (let i = 0; i < t.mono.length; i += 2) here.set(t.mono[i]!, t.mono[i + 1]!);
    if (!g) g = here;
    else for (const [atom, e] of g) { const f = here.get(atom); if (f === undefined) g.delete(atom); else g.set(atom, Math.min(e, f)); }
  }
  return g ? [...g].sort((x, y) => x[0] - y[0]).flat() : [];
}

export function divideMono(a: Poly, m: Mono): Poly {
  return new Map([...a.values()].map((t) => { const q = divMono(t.mono, m)!; return [monoKey(q), { mono: q, coef: t.coef }]; }));
}

/**
 * a = c * p with p primitive: integer coefficients without a common factor
 * and a positive leading coefficient. Equal factors then have equal keys.
 */
export function primitive(a: Poly): { c: Rational; p: Poly } {
  let den = 1n, num = 0n;
  for (const t of a.values()) { den = lcm(den, t.coef.den); num = gcd(num, abs(t.coef.num)); }
  if (num === 0n) return { c: Rational.ZERO, p: ZERO_POLY };
  const lead = leadingTerm(a)!;
  const c = Rational.of(lead.coef.sign() < 0 ? -num : num, den);
  return { c, p: scalePoly(a, Rational.ONE.div(c)) };
}

/** A canonical string: equal polynomials, equal keys. */
export function polyKey(a: Poly): string {
  return [...a.keys()].sort().map((k) => `${a.get(k)!.coef.toString()}@${k}`).join(' ');
}

export const isConstant = (a: Poly): boolean => a.size === 0 || (a.size === 1 && a.has(''));

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint { while (b !== 0n) [a, b] = [b, a % b]; return a; }
const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;
