/**
 * The guard on every accepted rewrite: both expressions evaluated at a few
 * pseudo-random points (a fixed seed, so simplify stays a pure function).
 * Points where the original has no value (log of a negative, 0/0) are
 * skipped; a rewrite is refused unless enough points agree and it is defined
 * wherever the original is.
 */
import { refsOf, type Expr } from '../expr/expr.js';
import { evalExpr } from '../numeric/evaluate.js';

export const VERIFY_POINTS = 6;
/** Points that must agree (the others may be outside the original's domain). */
const MIN_AGREEING = 2;
const REL_TOL = 1e-8;

/** mulberry32: a small seeded generator, good enough to pick test points. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sameValues(a: Expr, b: Expr): boolean {
  const keys = [...new Set([...refsOf(a), ...refsOf(b)])].sort();
  const next = generator(0x5eed);
  let agreeing = 0;
  for (let i = 0; i < VERIFY_POINTS; i++) {
    // half the points in [0.15, 0.85], where probabilities, logs and square roots are defined;
    // half of either sign, |v| in [0.3, 1.7], so a rewrite true only for positive values is caught
    const draw = i % 2 === 0 ? () => 0.15 + 0.7 * next() : () => (next() < 0.5 ? -1 : 1) * (0.3 + 1.4 * next());
    const env = new Map(keys.map((k) => [k, draw()]));
    const x = evalExpr(a, (k) => env.get(k));
    if (!Number.isFinite(x)) continue;
    const y = evalExpr(b, (k) => env.get(k));
    if (!Number.isFinite(y) || Math.abs(x - y) > REL_TOL * Math.max(1, Math.abs(x), Math.abs(y))) return false;
    agreeing++;
  }
  return agreeing >= MIN_AGREEING;
}
