/**
 * Rebuilding tensor expressions: every node through its smart constructor,
 * so a substituted zero or number folds (an adjoint past the last step is
 * zero, and every term it multiplies goes with it). Used to shift a template
 * by some steps, to fix its step, and to substitute adjoints.
 */
import { sizeOf, tref, ttopo, type StepRef, type TApply, type TExpr, type TRef } from '../expr/tensor.js';
import type { FnName } from '../expr/expr.js';
import * as T from './tensor-build.js';
import { decodeSelection } from './tensor-build.js';
import { isElementwiseFn } from './tensor-ops.js';

/** Which arguments make the whole op zero when they are zero (it is linear in them). */
const ZERO_IF: Record<string, 'any' | 'all' | readonly number[]> = {
  select: [0], place: [0], bcast: [0], reshape: [0], flatten: [0], transpose: [0], sum: [0], mean: [0],
  concat: 'all', convBackInput: [0], convBackKernel: [1], maxpoolBack: [1], avgpoolBack: [0], diag: [0],
  sumT: [0], atStep: [0], flip: [0], pad: [0], dilate: [0], undilate: [0], conv: 'any',
};

export function rebuildApply(e: TApply, args: readonly TExpr[]): TExpr {
  const a = args;
  switch (e.op) {
    case 'add': return T.add(...a);
    case 'neg': return T.neg(a[0]!);
    case 'mul': return T.mul(...a);
    case 'div': return T.div(a[0]!, a[1]!);
    case 'pow': return T.pow(a[0]!, a[1]!);
    case 'matmul': return T.matmul(a[0]!, a[1]!);
    case 'transpose': return T.transpose(a[0]!);
    case 'sum': return T.sum(a[0]!, (e.attrs.axes as readonly number[] | null) ?? null);
    case 'select': return T.select(a[0]!, decodeSelection(e.attrs.sel as number[][]));
    case 'bcast': return T.bcast(a[0]!, e.attrs.shape as readonly number[], e.attrs.axes as readonly number[]);
    case 'reshape': return T.reshape(a[0]!, e.attrs.shape as readonly number[]);
    case 'sumT': return T.sumT(a[0]!);
    case 'atStep': return T.atStep(a[0]!, e.attrs.step as number);
    case 'dot': return T.dot(a[0]!, a[1]!);
    case 'outer': return T.outer(a[0]!, a[1]!);
    default: break;
  }
  if (isElementwiseFn(e.op)) return T.fn(e.op as FnName, a[0]!);
  const rule = ZERO_IF[e.op];
  const zeroAt = (i: number) => T.isZero(a[i]!);
  if (rule === 'all' && a.every((_, i) => zeroAt(i))) return T.zeros(e.shape);
  if (rule === 'any' && a.some((_, i) => zeroAt(i))) return T.zeros(e.shape);
  if (Array.isArray(rule) && rule.some((i) => zeroAt(i))) return T.zeros(e.shape);
  return T.make(e.op, a, e.attrs);
}

/** Rebuild `e` with each reference replaced by `f(ref)` (undefined keeps it); shared nodes stay shared. */
export function mapRefs(e: TExpr, f: (r: TRef) => TExpr | undefined): TExpr {
  const memo = new Map<number, TExpr>();
  for (const n of ttopo([e])) {
    if (n.kind === 'num') memo.set(n.id, n);
    else if (n.kind === 'ref') memo.set(n.id, f(n) ?? n);
    else {
      const args = n.args.map((x) => memo.get(x.id)!);
      memo.set(n.id, args.every((x, i) => x === n.args[i]) ? n : rebuildApply(n, args));
    }
  }
  return memo.get(e.id)!;
}

/**
 * The template read `d` steps later: every relative step moves by d
 * (h[t] -> h[t+1]); a fixed-step term at step j moves to step j - d.
 */
export function shiftSteps(e: TExpr, d: number): TExpr {
  if (d === 0) return e;
  const memo = new Map<number, TExpr>();
  for (const n of ttopo([e])) {
    if (n.kind === 'num') { memo.set(n.id, n); continue; }
    if (n.kind === 'ref') {
      memo.set(n.id, n.step?.kind === 'rel' ? tref(n.name, n.shape, { kind: 'rel', offset: n.step.offset + d }, n.adjoint) : n);
      continue;
    }
    const args = n.args.map((x) => memo.get(x.id)!);
    if (n.op === 'sumT') { memo.set(n.id, n); continue; } // its t is its own
    if (n.op === 'atStep') { memo.set(n.id, T.atStep(args[0]!, (n.attrs.step as number) - d)); continue; }
    memo.set(n.id, rebuildApply(n, args));
  }
  return memo.get(e.id)!;
}

/**
 * The template at the fixed step `s`: relative references become fixed steps;
 * a value read at step 0 is the sequence's initial value (`initialOf`); an
 * adjoint read past the last step `steps` is zero; fixed-step terms keep
 * only their own step.
 */
export function atFixedStep(e: TExpr, s: number, steps: number, initialOf: (name: string) => string | undefined): TExpr {
  const memo = new Map<number, TExpr>();
  const visit = (n: TExpr): TExpr => {
    const hit = memo.get(n.id);
    if (hit) return hit;
    let r: TExpr;
    if (n.kind === 'num') r = n;
    else if (n.kind === 'ref') r = refAt(n, s, steps, initialOf);
    else if (n.op === 'sumT') r = n; // a sum over all steps does not depend on the outer step
    else if (n.op === 'atStep') r = (n.attrs.step as number) === s ? visit(n.args[0]!) : T.zeros(n.shape);
    else r = rebuildApply(n, n.args.map(visit));
    memo.set(n.id, r);
    return r;
  };
  return visit(e);
}

function refAt(r: TRef, s: number, steps: number, initialOf: (name: string) => string | undefined): TExpr {
  if (r.step?.kind !== 'rel') return r;
  const step = s + r.step.offset;
  if (r.adjoint) return step > steps || step < 1 ? T.zeros(r.shape) : tref(r.name, r.shape, { kind: 'abs', step }, true);
  if (step === 0) {
    const init = initialOf(r.name);
    if (!init) throw new Error(`internal error: ${r.name} read at step 0 without an initial value`);
    return tref(init, r.shape);
  }
  return tref(r.name, r.shape, { kind: 'abs', step } as StepRef);
}

/**
 * The template at the last step, still written in t (t = T): adjoints read
 * past it are zero, and fixed-step terms other than the last drop out.
 */
export function atLastStep(e: TExpr, steps: number): TExpr {
  const memo = new Map<number, TExpr>();
  const visit = (n: TExpr): TExpr => {
    const hit = memo.get(n.id);
    if (hit) return hit;
    let r: TExpr;
    if (n.kind === 'num') r = n;
    else if (n.kind === 'ref') r = n.adjoint && n.step?.kind === 'rel' && n.step.offset > 0 ? T.zeros(n.shape) : n;
    else if (n.op === 'sumT') r = n;
    else if (n.op === 'atStep') r = (n.attrs.step as number) === steps ? visit(n.args[0]!) : T.zeros(n.shape);
    else r = rebuildApply(n, n.args.map(visit));
    memo.set(n.id, r);
    return r;
  };
  return visit(e);
}

/** The template at a step t that is neither the last nor a fixed step of some term: fixed-step terms drop out. */
export function atInnerStep(e: TExpr): TExpr {
  return mapAtStep(e, () => false);
}

/** The template at step j (j < T) where some term is fixed at j: that term stays, the others drop out. */
export function atSpecialStep(e: TExpr, j: number): TExpr {
  return mapAtStep(e, (s) => s === j);
}

function mapAtStep(e: TExpr, keep: (step: number) => boolean): TExpr {
  const memo = new Map<number, TExpr>();
  const visit = (n: TExpr): TExpr => {
    const hit = memo.get(n.id);
    if (hit) return hit;
    let r: TExpr;
    if (n.kind !== 'apply' || n.op === 'sumT') r = n;
    else if (n.op === 'atStep') r = keep(n.attrs.step as number) ? visit(n.args[0]!) : T.zeros(n.shape);
    else {
      const args = n.args.map(visit);
      r = args.every((x, i) => x === n.args[i]) ? n : rebuildApply(n, args);
    }
    memo.set(n.id, r);
    return r;
  };
  return visit(e);
}

/** The fixed steps at which some term of the template is active. */
export function fixedSteps(e: TExpr): number[] {
  const out = new Set<number>();
  for (const n of ttopo([e])) if (n.kind === 'apply' && n.op === 'atStep') out.add(n.attrs.step as number);
  return [...out].sort((a, b) => a - b);
}

export const elementCount = (e: TExpr): number => sizeOf(e.shape);
