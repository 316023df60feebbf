/**
 * `check`: is a hand-written answer equal to the true derivative (contract
 * 6.3)? Parse (plain text or LaTeX), lower to the engine's Expr over the
 * problem's own nodes, compare entry by entry with the engine's closed forms,
 * and diagnose what differs. A wrong answer is a verdict, never an exception;
 * only unreadable input raises (a ProblemError naming the column).
 */
import { refsOf, type Expr } from '../expr/expr.js';
import { AnswerError } from './ast.js';
import { Canonicalizer } from './canon.js';
import { compareExprs, type Comparison, type Method } from './compare.js';
import type { CheckContext } from './context.js';
import { diagnoseFormula, diagnoseValue, type Diagnosis, type Finding } from './diagnose.js';
import { Budget, DEFAULT_LIMITS, type CheckLimits } from './limits.js';
import { lower } from './lower.js';
import { parseAnswer } from './parser.js';
import { entries, identityMatrix, scalar, shapeText, transpose, type Val } from './value.js';

export interface CheckOptions {
  /** read the answer as LaTeX */
  readonly latex?: boolean;
  /** relative tolerance at the problem's values (numbers, and the last numeric step); default 1e-6 */
  readonly tolerance?: number;
  readonly limits?: CheckLimits;
}

export const DEFAULT_TOLERANCE = 1e-6;

export interface Counterexample {
  readonly at: Readonly<Record<string, number>>;
  readonly expected: number;
  readonly got: number;
  /** at the problem's given values, or at a random point */
  readonly where: 'given' | 'random';
  /** the tensor entry, for a tensor answer */
  readonly entry?: string;
}

export interface EntryResult {
  readonly key: string;
  readonly equivalent: boolean;
  readonly method: Method;
  readonly diagnosis: Diagnosis | null;
  readonly detail: string | null;
  readonly counterexample: Counterexample | null;
}

export interface CheckResult {
  readonly of: string;
  readonly wrt: string;
  readonly equivalent: boolean;
  readonly method: Method;
  readonly diagnosis: Diagnosis | null;
  readonly detail: string | null;
  readonly counterexample: Counterexample | null;
  /** the checked tensor's shape ([] for a scalar) */
  readonly shape: readonly number[];
  /** per-entry verdicts, row-major, for a tensor */
  readonly entries?: readonly EntryResult[];
  /** operations spent (the budget's unit) */
  readonly ops: number;
}

/** Check one answer text against d of / d wrt. */
export function checkAnswer(ctx: CheckContext, text: string, opts: CheckOptions = {}): CheckResult {
  const budget = new Budget(opts.limits ?? DEFAULT_LIMITS);
  const val = readAnswer(ctx, text, opts.latex ?? false, budget);
  return checkValue(ctx, val, opts.tolerance ?? DEFAULT_TOLERANCE, budget);
}

/** Parse and lower one answer expression. */
export function readAnswer(ctx: CheckContext, text: string, latex: boolean, budget: Budget): Val {
  if (text.trim() === '') throw new AnswerError('the answer is empty', 1);
  const ast = parseAnswer(text, { latex, budget, isName: (s) => ctx.resolver.exact(s) !== undefined });
  const val = lower(ast, { resolver: ctx.resolver, sheet: ctx.sheet, of: ctx.target.of, budget });
  refuseTheQuestion(ctx, val);
  return val;
}

/**
 * An answer that is (or uses) the asked derivative itself, `\frac{\partial E}{\partial w}` or `dE/dw` for
 * dE/dw, answers nothing: it is refused as an input error (exit 2), not judged.
 */
function refuseTheQuestion(ctx: CheckContext, val: Val): void {
  if (val.k === 'I') return;
  const asked = new Set(ctx.target.keys.map((k) => `bar:${k}`));
  const t = ctx.target;
  for (const e of entries(val)) {
    for (const k of refsOf(e)) {
      if (!asked.has(k)) continue;
      const what = t.keys.length > 1 ? `d${t.of}/d${t.wrt} (its entry ${k.slice(4)})` : `d${t.of}/d${t.wrt}`;
      throw new AnswerError(`the answer is (or uses) ${what}, the derivative it is asked for: write it out in the problem's names (intermediate nodes and their adjoints may stay)`, 1, 'circular');
    }
  }
}

/** Compare a lowered answer with the checked derivative, entry by entry. */
export function checkValue(ctx: CheckContext, val: Val, tolerance: number, budget: Budget): CheckResult {
  const t = ctx.target;
  const aligned = alignShape(ctx, val);
  if ('mismatch' in aligned) return shapeVerdict(ctx, aligned.mismatch, budget);
  const { exprs, swapped, layout } = aligned;
  const canon = new Canonicalizer(budget);
  const o = { tolerance, budget, canon };
  let results = exprs.map((e, i) => entryResult(ctx, i, e, compareExprs(ctx, e, ctx.truths[i]!, o), tolerance, budget));
  let transposed = swapped && results.every((r) => r.equivalent);
  if (!swapped && t.shape.length === 2 && t.shape[0] === t.shape[1] && t.shape[0]! > 1 && !results.every((r) => r.equivalent)) {
    const m = t.shape[0]!;
    // the square answer read transposed: entry (i, j) against the derivative's (j, i)
    transposed = exprs.every((_, i) => compareExprs(ctx, exprs[(i % m) * m + Math.floor(i / m)]!, ctx.truths[i]!, o).equal);
  }
  if (transposed) {
    // entries keep the direct reading; those that differ differ because of the transposition
    const why = swapped ? `the answer is ${shapeText(val)}, d${t.of}/d${t.wrt} is ${t.shape.join('x')}` : 'equals the entry at the transposed position';
    results = results.map((r) => (r.equivalent && !swapped ? r : { ...r, equivalent: false, diagnosis: 'transposed', detail: why, counterexample: swapped ? null : r.counterexample }));
  }
  const base = { of: t.of, wrt: t.wrt, shape: t.shape, ops: 0 };
  const method = results.every((r) => r.method === results[0]!.method) ? results[0]!.method : 'numeric';
  let out: CheckResult;
  if (transposed) {
    const first = results.find((r) => r.counterexample);
    out = {
      ...base, equivalent: false, method, diagnosis: 'transposed', detail: `the answer is the transpose of d${t.of}/d${t.wrt}`,
      counterexample: first?.counterexample ? { ...first.counterexample, entry: first.key } : null,
    };
  } else {
    const wrong = results.filter((r) => !r.equivalent);
    const first = wrong[0];
    const single = results.length === 1;
    const same = first && wrong.every((r) => r.diagnosis === first.diagnosis);
    const detail = !first ? layout : single ? first.detail : same ? groupByDetail(wrong) : wrong.map((r) => `${r.key}: ${r.diagnosis}`).join('; ');
    out = {
      ...base, equivalent: !first, method,
      diagnosis: !first ? null : same ? first.diagnosis : 'other',
      detail: swapped && first ? `the answer has the transposed shape, and ${detail}` : detail,
      counterexample: first?.counterexample ? { ...first.counterexample, ...(single ? {} : { entry: first.key }) } : null,
    };
  }
  return { ...out, ...(t.shape.length && results.length > 1 ? { entries: results } : {}), ops: budget.used };
}

function entryResult(ctx: CheckContext, i: number, e: Expr, cmp: Comparison, tolerance: number, budget: Budget): EntryResult {
  const key = ctx.target.keys[i]!;
  if (cmp.equal) return { key, equivalent: true, method: cmp.method, diagnosis: null, detail: null, counterexample: null };
  const finding: Finding = cmp.method === 'value' ? diagnoseValue(cmp.given.a, cmp.given.b, tolerance) : diagnoseFormula(ctx, i, cmp, budget, e);
  const m = cmp.mismatch;
  const counterexample: Counterexample | null = m
    ? { at: ctx.leafValues(m.point, [e]), expected: m.b, got: m.a, where: m.point.label }
    : null;
  return { key, equivalent: false, method: cmp.method, diagnosis: finding.diagnosis, detail: finding.detail, counterexample };
}

type Aligned =
  | { readonly exprs: readonly Expr[]; readonly swapped: boolean; readonly layout: string | null }
  | { readonly mismatch: string };

/**
 * The answer's entries in the order of the checked tensor. A c x r answer for an r x c tensor is read
 * transposed; a row for a vector is accepted (and the detail says so); c I takes the square shape; any other
 * shape is a verdict (contract 6.3), not an input error.
 */
function alignShape(ctx: CheckContext, val: Val): Aligned {
  const shape = ctx.target.shape;
  const n = ctx.target.keys.length;
  const what = `d${ctx.target.of}/d${ctx.target.wrt}`;
  const wanted = n === 1 ? 'a scalar' : `of shape [${shape.join(', ')}]`;
  if (val.k === 'I') {
    if (shape.length === 2 && shape[0] === shape[1]) val = identityMatrix(val.c, shape[0]!, () => undefined);
    else if (n === 1) val = scalar(val.c);
    else return { mismatch: `the answer is a multiple of the identity, but ${what} is ${wanted}` };
  }
  if (n === 1) {
    if (val.k === 's') return { exprs: [val.e], swapped: false, layout: null };
    return { mismatch: `the answer is a ${shapeText(val)} matrix, but ${what} is a scalar` };
  }
  if (val.k !== 'm') return { mismatch: `the answer is a scalar, but ${what} is ${wanted} (or check one entry with --wrt '${ctx.target.wrt}[${shape.map(() => 1).join(',')}]')` };
  if (shape.length === 1 && val.a.length === n && (val.rows === 1 || val.cols === 1)) {
    return { exprs: val.a, swapped: false, layout: val.rows === 1 ? `the answer is a row; ${what} is a column vector (read entry by entry)` : null };
  }
  if (shape.length === 2) {
    const [r, c] = shape as [number, number];
    if (val.rows === r && val.cols === c) return { exprs: val.a, swapped: false, layout: null };
    if (val.rows === c && val.cols === r) return { exprs: entries(transpose(val)), swapped: true, layout: null };
  }
  return { mismatch: `the answer is a ${shapeText(val)} matrix, but ${what} is ${wanted}` };
}

/** An answer of another shape than the derivative: not equivalent, and the detail says which shapes. */
function shapeVerdict(ctx: CheckContext, detail: string, budget: Budget): CheckResult {
  const t = ctx.target;
  return { of: t.of, wrt: t.wrt, shape: t.shape, equivalent: false, method: 'value', diagnosis: 'other', detail, counterexample: null, ops: budget.used };
}

/** "K[1,1], K[1,2]: detail; K[2,1]: other detail" */
function groupByDetail(wrong: readonly EntryResult[]): string {
  const groups = new Map<string, string[]>();
  for (const r of wrong) groups.set(r.detail ?? '', [...(groups.get(r.detail ?? '') ?? []), r.key]);
  return [...groups].map(([d, keys]) => `${keys.join(', ')}: ${d}`).join('; ');
}
