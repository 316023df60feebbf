/**
 * Limits for hand-written answers. An answer is untrusted text: every stage
 * (tokens, syntax tree, lowering, symbolic form, evaluation) charges a shared
 * operation budget, so hostile input fails with a clear message instead of
 * exhausting time or memory. Operation counts make the budget testable; the
 * wall-clock deadline is only a backstop on a slow machine.
 */
import { ProblemError } from '../errors.js';

export interface CheckLimits {
  /** characters of one answer (a derivation file: of all its lines) */
  readonly maxChars: number;
  /** syntax-tree nodes of one answer */
  readonly maxAstNodes: number;
  /** nesting of brackets, groups and operators */
  readonly maxDepth: number;
  /** largest |n| of a numeric exponent */
  readonly maxExponent: number;
  /** distinct expression nodes built while lowering one answer */
  readonly maxExprNodes: number;
  /** terms unrolled from \sum and \prod in one answer */
  readonly maxUnroll: number;
  /** lines of a derivation */
  readonly maxLines: number;
  /** operations (tokens, nodes built, nodes evaluated) for one check */
  readonly maxOps: number;
  /** wall-clock backstop for one check, in milliseconds */
  readonly timeMs: number;
}

export const DEFAULT_LIMITS: CheckLimits = {
  maxChars: 10_000,
  maxAstNodes: 5_000,
  maxDepth: 64,
  maxExponent: 100,
  maxExprNodes: 50_000,
  maxUnroll: 2_000,
  maxLines: 200,
  maxOps: 20_000_000,
  timeMs: 5_000,
};

/** The answer needed more work than the limits allow. A user-facing error (exit 2). */
export class CheckBudgetError extends ProblemError {
  constructor(what: string) {
    super(`the answer is too expensive to check: ${what}`);
    this.name = 'CheckBudgetError';
  }
}

/** A shared operation counter with a deadline. */
export class Budget {
  private ops = 0;
  private readonly deadline: number;

  constructor(readonly limits: CheckLimits = DEFAULT_LIMITS, private readonly now: () => number = Date.now) {
    this.deadline = now() + limits.timeMs;
  }

  /** Charge `n` operations; fails past the budget or the deadline. */
  charge(n = 1): void {
    const before = this.ops;
    if (before + n > this.limits.maxOps) throw new CheckBudgetError(`more than ${this.limits.maxOps} operations`);
    this.ops += n;
    // Look at the clock about every 4096 operations: Date.now is cheap but not free.
    if ((before >>> 12) !== (this.ops >>> 12) && this.now() > this.deadline) {
      throw new CheckBudgetError(`it took longer than ${this.limits.timeMs} ms`);
    }
  }

  get used(): number { return this.ops; }
}
