/**
 * `check --derivation F`: a derivation written one step per line, each line
 * `= expression` or `lhs = rhs` (chains `a = b = c` too; LaTeX `&=` and a
 * trailing `\\` are fine). Every step is compared with the one before it (the
 * same equivalence as for answers), the first line that does not follow is
 * reported, and the last step is checked against the true derivative.
 */
import { ProblemError } from '../errors.js';
import { AnswerError } from './ast.js';
import { Canonicalizer } from './canon.js';
import { checkValue, DEFAULT_TOLERANCE, type CheckOptions, type CheckResult } from './check.js';
import { compareExprs, type Method } from './compare.js';
import type { CheckContext } from './context.js';
import { diagnoseFormula, diagnoseValue, type Diagnosis } from './diagnose.js';
import { Budget, DEFAULT_LIMITS } from './limits.js';
import { lower } from './lower.js';
import { parseChain } from './parser.js';
import { entries, shapeText, type Val } from './value.js';

export interface LineResult {
  readonly line: number;
  readonly text: string;
  /** null for the first step (nothing before it) */
  readonly follows: boolean | null;
  readonly method?: Method;
  readonly diagnosis?: Diagnosis | null;
  readonly detail?: string | null;
}

export interface DerivationResult extends CheckResult {
  readonly lines: readonly LineResult[];
  readonly firstWrongLine: number | null;
}

/** Lines that carry no step: blank, comments, environment delimiters. */
const SKIP = /^\s*(?:$|%|#|\\(?:begin|end)\{(?:aligned|align\*?|split|equation\*?|gather\*?|eqnarray\*?)\})/;

export function checkDerivation(ctx: CheckContext, text: string, source: string, opts: CheckOptions = {}): DerivationResult {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const budget = new Budget(limits);
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  const canon = new Canonicalizer(budget);
  const all = text.split(/\r?\n/);
  if (text.length > limits.maxChars * 5) throw new ProblemError(`the derivation is longer than ${limits.maxChars * 5} characters`, source);
  if (all.length > limits.maxLines) throw new ProblemError(`the derivation has more than ${limits.maxLines} lines`, source);
  const lines: LineResult[] = [];
  let prev: Val | null = null;
  for (let i = 0; i < all.length; i++) {
    const raw = all[i]!;
    if (SKIP.test(raw)) continue;
    const body = raw.replace(/\\\\\s*$/, '').replace(/\\(?:begin|end)\{(?:aligned|align\*?|split)\}/g, '');
    let steps: Val[];
    try {
      steps = parseChain(body, { latex: opts.latex ?? false, budget, isName: (s) => ctx.resolver.exact(s) !== undefined })
        .map((part) => lower(part.ast, { resolver: ctx.resolver, of: ctx.target.of, budget }));
    } catch (e) {
      if (e instanceof AnswerError) throw new ProblemError(e.message, source, i + 1);
      throw e;
    }
    let result: LineResult = { line: i + 1, text: raw.trim(), follows: null };
    for (const step of steps) {
      if (prev) {
        const r = stepFollows(ctx, prev, step, tolerance, budget, canon);
        // a line follows when every one of its steps follows its predecessor
        if (result.follows !== false) result = { ...result, ...r };
      }
      prev = step;
    }
    lines.push(result);
  }
  if (!prev) throw new ProblemError('the derivation has no steps', source);
  let final: CheckResult;
  try {
    final = checkValue(ctx, prev, tolerance, budget);
  } catch (e) {
    if (e instanceof AnswerError) throw new ProblemError(`the last step: ${e.message}`, source);
    throw e;
  }
  const wrong = lines.find((l) => l.follows === false);
  return { ...final, lines, firstWrongLine: wrong?.line ?? null, ops: budget.used };
}

function stepFollows(ctx: CheckContext, a: Val, b: Val, tolerance: number, budget: Budget, canon: Canonicalizer): Omit<LineResult, 'line' | 'text'> {
  const ea = entries(a), eb = entries(b);
  if (ea.length !== eb.length || (a.k === 'm' && b.k === 'm' && (a.rows !== b.rows || a.cols !== b.cols))) {
    return { follows: false, diagnosis: 'other', detail: `the shape changes from ${shapeText(a)} to ${shapeText(b)}` };
  }
  let method: Method = 'symbolic';
  for (let i = 0; i < ea.length; i++) {
    const cmp = compareExprs(ctx, eb[i]!, ea[i]!, { tolerance, budget, canon, valueIfEither: true });
    if (cmp.method !== 'symbolic') method = cmp.method;
    if (!cmp.equal) {
      let f = cmp.method === 'value' ? diagnoseValue(cmp.given.a, cmp.given.b, tolerance) : diagnoseFormula(ctx, null, cmp, budget);
      if (f.diagnosis === 'other' && cmp.method === 'numeric' && ea.length === ctx.target.keys.length) {
        // the step before was the derivative: then what went wrong is what is wrong against the derivative
        const o = { tolerance, budget, canon };
        if (compareExprs(ctx, ea[i]!, ctx.truths[i]!, o).equal) {
          const vsTruth = compareExprs(ctx, eb[i]!, ctx.truths[i]!, o);
          const g = vsTruth.method === 'numeric' && !vsTruth.equal ? diagnoseFormula(ctx, i, vsTruth, budget) : f;
          if (g.diagnosis !== 'other') f = { diagnosis: g.diagnosis, detail: g.detail.replace(/^the answer/, 'this step') };
        }
      }
      return { follows: false, method: cmp.method, diagnosis: f.diagnosis, detail: ea.length > 1 ? `entry ${i + 1}: ${f.detail}` : f.detail };
    }
  }
  return { follows: true, method };
}
