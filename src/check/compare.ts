/**
 * Is expression a equal to expression b? In order (contract 6.3):
 *   value     - one side is a number: compare at the problem's values, within --tolerance;
 *   symbolic  - the canonical forms agree (the difference reduces to 0);
 *   numeric   - equal at >= 8 random points (relative 1e-9; points where either
 *               side is undefined are skipped and others drawn), then at the
 *               problem's own values (within --tolerance).
 */
import { refsOf, substitute, type Expr } from '../expr/expr.js';
import { isBarKey } from '../diff/reverse.js';
import { Canonicalizer } from './canon.js';
import type { CheckContext, Point } from './context.js';
import type { Budget } from './limits.js';

export type Method = 'symbolic' | 'numeric' | 'value';

export interface Sample { readonly point: Point; readonly a: number; readonly b: number }

export interface Comparison {
  readonly equal: boolean;
  readonly method: Method;
  /** random points where both sides are defined */
  readonly samples: readonly Sample[];
  /** both sides at the problem's own values */
  readonly given: Sample;
  /** random points skipped because a side is undefined there */
  readonly skipped: number;
  /** where they differ (null when equal) */
  readonly mismatch: Sample | null;
}

export const REL_TOL = 1e-9;
/** Below this, two values count as equal whatever their ratio (rounding noise around 0). */
export const ABS_FLOOR = 1e-13;
export const MIN_POINTS = 8;
export const POINTS = 12;
/** Random points tried per comparison before the answer is called undefined. */
const MAX_TRIED = 60;

export const close = (a: number, b: number, rel: number): boolean =>
  a === b || Math.abs(a - b) <= Math.max(rel * Math.max(Math.abs(a), Math.abs(b)), ABS_FLOOR);

/** Relative closeness without the floor, for values the user typed. */
export const closeValue = (a: number, b: number, rel: number): boolean => a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

export interface CompareOptions {
  readonly tolerance: number;
  readonly budget: Budget;
  readonly canon: Canonicalizer;
  /** compare by value when either side is a number (between derivation steps); else only when `a` is */
  readonly valueIfEither?: boolean;
}

export function compareExprs(ctx: CheckContext, a: Expr, b: Expr, o: CompareOptions): Comparison {
  const at = (p: Point): Sample => {
    o.budget.charge(ctx.sizeOf(a) + ctx.sizeOf(b));
    return { point: p, a: ctx.valueAt(p, a), b: ctx.valueAt(p, b) };
  };
  const given = at(ctx.given);
  const givenOk = Number.isFinite(given.a) && Number.isFinite(given.b);
  if (refsOf(a).size === 0 || (o.valueIfEither && refsOf(b).size === 0)) {
    const equal = givenOk && closeValue(given.a, given.b, o.tolerance);
    return { equal, method: 'value', samples: [], given, skipped: 0, mismatch: equal ? null : given };
  }
  const samples: Sample[] = [];
  let skipped = 0;
  let next = 0;
  /** One more sample where both sides are finite; false when the points run out. */
  const drawOne = (): boolean => {
    while (next < MAX_TRIED) {
      const p = ctx.point(next++);
      if (!p) { next = MAX_TRIED; return false; }
      const s = at(p);
      if (Number.isFinite(s.a) && Number.isFinite(s.b)) { samples.push(s); return true; }
      skipped++;
    }
    return false;
  };
  // one random point first: a clear difference there makes the symbolic form (costly for a long
  // expansion such as an RNN's adjoints) pointless
  drawOne();
  const first = samples[0];
  const clearlyDifferent = first !== undefined && !close(first.a, first.b, 1e-6);
  if (!clearlyDifferent && symbolicWorthIt(ctx, a, b) && o.canon.same(expandAdjoints(ctx, a), expandAdjoints(ctx, b))) {
    return { equal: true, method: 'symbolic', samples: [], given, skipped: 0, mismatch: null };
  }
  while (samples.length < POINTS && drawOne());
  const bad = samples.find((s) => !close(s.a, s.b, REL_TOL));
  const givenBad = !givenOk ? Number.isFinite(given.b) : !close(given.a, given.b, o.tolerance);
  const equal = samples.length >= MIN_POINTS && !bad && !givenBad;
  return { equal, method: 'numeric', samples, given, skipped, mismatch: equal ? null : givenBad ? given : bad ?? given };
}

/**
 * The canonical form of a long expansion (an RNN's adjoints written out in full) costs more than the random
 * points it could save, and numbers decide anyway: symbolic comparison is tried only for small expressions.
 */
const SYMBOLIC_MAX_NODES = 400;
function symbolicWorthIt(ctx: CheckContext, a: Expr, b: Expr): boolean {
  return ctx.sizeOf(expandAdjoints(ctx, a)) + ctx.sizeOf(expandAdjoints(ctx, b)) <= SYMBOLIC_MAX_NODES;
}

/** Named adjoints replaced by their engine definitions, so that delta_o and its expansion compare equal. */
function expandAdjoints(ctx: CheckContext, e: Expr): Expr {
  if (![...refsOf(e)].some(isBarKey)) return e;
  let full = expansions.get(ctx);
  if (!full) {
    // defs run from `of` towards the leaves and refer only to earlier adjoints: one pass, no recursion
    const done = new Map<string, Expr>();
    for (const [k, d] of ctx.adjoints.defs) done.set(k, substitute(d, (r) => done.get(r)));
    expansions.set(ctx, (full = done));
  }
  const map = full;
  return substitute(e, (k) => map.get(k));
}

const expansions = new WeakMap<CheckContext, ReadonlyMap<string, Expr>>();
