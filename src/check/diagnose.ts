/**
 * Why an answer differs from the derivative, from values at the compared
 * points: the negative (sign), a constant multiple (factor), a chain-rule term
 * left out or counted twice (missing-term / extra-term: one product per path
 * from the leaf to `of`, or per use of a shared weight), one local rule
 * written wrong (wrong-derivative: sigma' as sigma, tanh' as tanh, ...), else
 * other. Checks return findings; they never throw on a wrong answer.
 */
import { one, ref, square, sub, type Expr, type FnName } from '../expr/expr.js';
import { toText } from '../expr/print.js';
import { opSpec } from '../ops/registry.js';
import { partialWithRoot } from './adjoint.js';
import { close, closeValue, MIN_POINTS, type Comparison, type Sample } from './compare.js';
import type { CheckContext, Point } from './context.js';
import { CheckBudgetError, type Budget } from './limits.js';
import { describeTerms, termValue, type Term } from './terms.js';

export type Diagnosis = 'sign' | 'factor' | 'missing-term' | 'extra-term' | 'transposed' | 'wrong-derivative' | 'other';
export interface Finding { readonly diagnosis: Diagnosis; readonly detail: string }

/** Tolerance for recognizing a mistake (looser than equality: the mistaken form is computed another way). */
const DIAG_TOL = 1e-7;
/** Operations one diagnosis may spend before it settles for what it has found. */
const DIAG_OPS = 3_000_000;

/** A rational with a small denominator close to x ("2", "1/2", "-3/4"), else x to 6 digits. */
export function niceNumber(x: number, rel = 1e-9, maxDen = 1000): string {
  for (let q = 1; q <= maxDen; q++) {
    const p = Math.round(x * q);
    if (p !== 0 && Math.abs(p / q - x) <= rel * Math.abs(x)) return q === 1 ? `${p}` : `${p}/${q}`;
  }
  return Number(x.toPrecision(6)).toString();
}

/** A ratio worth calling a factor: p/q with |p|, q <= 100 (a forgotten 2, 1/2, -1/4, ...). */
const isNice = (x: number, rel: number): boolean => {
  const m = /^-?(\d+)(?:\/(\d+))?$/.exec(niceNumber(x, rel, 100));
  return m !== null && Number(m[1]) <= 100;
};

/** A number compared with the value at the problem's point. */
export function diagnoseValue(got: number, expected: number, tolerance: number): Finding {
  if (!Number.isFinite(got)) return { diagnosis: 'other', detail: 'the answer is not a finite number' };
  if (closeValue(got, -expected, tolerance) && expected !== 0) return { diagnosis: 'sign', detail: `the answer is the negative of the value ${fmt(expected)}` };
  const r = got / expected;
  if (expected !== 0 && got !== 0 && !closeValue(r, 1, tolerance) && isNice(r, tolerance)) {
    return { diagnosis: 'factor', detail: `the answer is ${niceNumber(r, tolerance, 100)} times the value ${fmt(expected)}` };
  }
  let digits = 0;
  for (let d = 1; d <= 15; d++) if (Number(got.toPrecision(d)) === Number(expected.toPrecision(d))) digits = d;
  const hint = digits >= 2 ? `; it agrees to ${digits} significant figures (a rounded value passes with --tolerance ${(5 * 10 ** -digits).toExponential(0)})` : '';
  return { diagnosis: 'other', detail: `the value is ${fmt(expected)}, the answer ${fmt(got)}${hint}` };
}

export const fmt = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));

/**
 * A formula that differs from the i-th entry of the checked derivative (entry null: from another
 * formula, as between the lines of a derivation, where only sign and factor are meaningful).
 */
export function diagnoseFormula(ctx: CheckContext, entry: number | null, cmp: Comparison, budget: Budget): Finding {
  const s = cmp.samples;
  // between derivation steps the reference is the previous step
  const it = entry === null ? 'this step' : 'the answer';
  const truth = entry === null ? 'the previous step' : 'the derivative';
  if (s.length < MIN_POINTS) {
    return { diagnosis: 'other', detail: `${it} is undefined (not a finite number) at ${cmp.skipped} of ${cmp.skipped + s.length} points tried` };
  }
  if (s.every((x) => close(x.a, x.b, DIAG_TOL))) {
    return { diagnosis: 'other', detail: `${it} agrees with ${truth} at random points but not at the problem's values (${fmt(cmp.given.b)} expected, ${fmt(cmp.given.a)} found)` };
  }
  if (s.every((x) => Math.abs(x.b) <= 1e-300)) return { diagnosis: 'other', detail: `${truth} is 0` };
  if (s.every((x) => close(x.a, -x.b, DIAG_TOL))) return { diagnosis: 'sign', detail: `${it} is the negative of ${truth}` };
  const ratios = s.filter((x) => x.b !== 0).map((x) => x.a / x.b);
  const r0 = ratios[0]!;
  if (r0 !== 0 && ratios.every((r) => close(r, r0, DIAG_TOL))) {
    return { diagnosis: 'factor', detail: `${it} is ${niceNumber(r0)} times ${truth} (off by the constant factor ${niceNumber(r0)})` };
  }
  if (entry === null) return { diagnosis: 'other', detail: `${it} differs from ${truth}` };
  let spent = 0;
  const charge = (n: number): void => {
    spent += n;
    if (spent > DIAG_OPS) throw new Settle();
    budget.charge(n);
  };
  try {
    return terms(ctx, entry, s, charge) ?? wrongDerivative(ctx, entry, s, charge) ?? factorOfNode(ctx, s) ?? other();
  } catch (e) {
    if (e instanceof Settle || e instanceof CheckBudgetError) return factorOfNode(ctx, s) ?? other();
    throw e;
  }
}

class Settle extends Error {}

const other = (): Finding => ({ diagnosis: 'other', detail: 'the answer differs from the derivative' });

/** A term (path, or use of a shared leaf) missing from the answer or counted twice; also two missing terms. */
function terms(ctx: CheckContext, entry: number, s: readonly Sample[], charge: (n: number) => void): Finding | null {
  const list = describeTerms(ctx, ctx.target.keys[entry]!);
  if (list.length < 2) return null;
  const values = list.map((t) => s.map((x) => termValue(ctx, t, x.point, charge)));
  const matches = (sign: 1 | -1, idx: readonly number[]): boolean => s.every((x, j) => {
    const v = idx.reduce((acc, i) => acc + values[i]![j]!, 0);
    return close(sign * (x.b - x.a), v, DIAG_TOL);
  });
  const worth = (t: Term): string => `${fmt(termValue(ctx, t, ctx.given, charge))} at the problem's values`;
  for (let i = 0; i < list.length; i++) {
    if (matches(1, [i])) return { diagnosis: 'missing-term', detail: `the answer leaves out ${list[i]!.label} (${worth(list[i]!)})` };
    if (matches(-1, [i])) return { diagnosis: 'extra-term', detail: `the answer counts ${list[i]!.label} twice (${worth(list[i]!)})` };
  }
  if (list.length <= 24) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (matches(1, [i, j])) return { diagnosis: 'missing-term', detail: `the answer leaves out ${list[i]!.label} and ${list[j]!.label}` };
      }
    }
  }
  return null;
}

interface WrongRule { readonly wrote: (out: Expr) => Expr }
/** Local rules students get wrong, per activation: what they write for the derivative at output `out`. */
const WRONG_RULES: Partial<Record<FnName, readonly WrongRule[]>> = {
  sigmoid: [{ wrote: (o) => o }, { wrote: (o) => sub(one, o) }, { wrote: () => one }],
  tanh: [{ wrote: (o) => o }, { wrote: (o) => sub(one, o) }, { wrote: (o) => square(o) }, { wrote: () => one }],
  relu: [{ wrote: (o) => o }, { wrote: () => one }],
};

function wrongDerivative(ctx: CheckContext, entry: number, s: readonly Sample[], charge: (n: number) => void): Finding | null {
  const leaf = ctx.target.keys[entry]!;
  for (const c of ctx.gradient.adjoints.relevant) {
    const def = ctx.graph.nodes.get(c)?.def;
    if (!def || def.kind !== 'apply' || !(def.op in WRONG_RULES)) continue;
    const op = def.op as FnName;
    for (const rule of WRONG_RULES[op]!) {
      const partials = (_args: readonly Expr[], out: Expr): Expr[] => [rule.wrote(out)];
      const cache = new Map<string, Expr>();
      const override = (cc: string, k: string): Expr | undefined => {
        if (cc !== c) return undefined;
        let p = cache.get(k);
        if (!p) cache.set(k, (p = partialWithRoot(def, c, k, partials)));
        return p;
      };
      const mutated = (p: Point): number => ctx.pass.run(ctx.target.of, (e) => ctx.valueAt(p, e), override, charge).get(leaf) ?? 0;
      if (s.every((x) => close(x.a, mutated(x.point), DIAG_TOL))) {
        const right = toText(opSpec(op).partials([ref(c)], ref(c))[0]!);
        const wrote = toText(rule.wrote(ref(c)));
        const name = op === 'sigmoid' ? 'sigma' : op;
        return { diagnosis: 'wrong-derivative', detail: `${name}' at ${c} is written as ${wrote} instead of ${right}` };
      }
    }
  }
  return null;
}

/** The answer is the derivative times (or divided by) one node's value: a factor that is not a constant. */
function factorOfNode(ctx: CheckContext, s: readonly Sample[]): Finding | null {
  const ratios = s.map((x) => x.a / x.b);
  if (!ratios.every(Number.isFinite)) return null;
  for (const k of ctx.pass.ancestorsOf(ctx.target.of)) {
    const vs = s.map((x) => x.point.values.get(k) ?? NaN);
    if (vs.every((v, j) => close(ratios[j]!, v, DIAG_TOL))) return { diagnosis: 'other', detail: `the answer is the derivative times ${k} (an extra factor ${k})` };
    if (vs.every((v, j) => close(ratios[j]! * v, 1, DIAG_TOL))) return { diagnosis: 'other', detail: `the answer is the derivative divided by ${k} (a factor ${k} is missing)` };
  }
  return null;
}
