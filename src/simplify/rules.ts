/**
 * The local rule table: identities between one node and its arguments, each
 * with its formula. The driver applies a rule only where the result is
 * strictly smaller, so no rule can undo another. Forms that a rule table
 * elsewhere already produces are not repeated here: sigma' = sigma (1 - sigma)
 * and tanh' = 1 - tanh^2 come from the op registry, numbers and equal factors
 * of a quotient combine in the `mul`/`div` constructors, and sums of fractions
 * cancel in the rational-function pass (ratfun.ts).
 */
import { add, div, fn, mul, neg, num, pow, type ApplyExpr, type Expr } from '../expr/expr.js';
import { Rational } from '../expr/rational.js';

export interface Rule {
  readonly name: string;
  /** the identity, in the formula syntax, with the condition under which it holds */
  readonly formula: string;
  readonly rewrite: (e: ApplyExpr) => Expr | null;
}

/** The integer value of a number node, or null. */
function intOf(e: Expr): number | null {
  return e.kind === 'num' && e.value.isInteger() && Math.abs(Number(e.value.num)) <= 64 ? Number(e.value.num) : null;
}

/** `e` as op(arg), or null. */
function argOf(e: Expr, op: ApplyExpr['op']): Expr | null {
  return e.kind === 'apply' && e.op === op ? e.args[0]! : null;
}

/** A term printed after a minus sign: -x, a negative number, -2 x. */
function negative(t: Expr): boolean {
  if (t.kind === 'num') return t.value.sign() < 0;
  return t.kind === 'apply' && (t.op === 'neg' || (t.op === 'mul' && t.args[0]!.kind === 'num' && t.args[0].value.sign() < 0));
}

/** -(a - b) = b - a, positive terms first. */
function flipSum(s: ApplyExpr): Expr {
  const terms = s.args.map(neg);
  return add(...terms.filter((t) => !negative(t)), ...terms.filter(negative));
}

/** In -(f_1 ... f_n), the sum factor with the most negative terms (at least half), or null. */
function sumToFlip(factors: readonly Expr[]): ApplyExpr | null {
  let best: ApplyExpr | null = null, bestScore = -1;
  for (const f of factors) {
    if (f.kind !== 'apply' || f.op !== 'add') continue;
    const score = 2 * f.args.filter(negative).length - f.args.length;
    if (score >= 0 && score > bestScore) { best = f; bestScore = score; }
  }
  return best;
}

/** -(f_1 ... (a - b) ... f_n) = f_1 ... (b - a) ... f_n, also above a fraction line. */
function absorbSign(u: Expr): Expr | null {
  if (u.kind === 'apply' && u.op === 'div') {
    const top = absorbSign(u.args[0]!);
    return top && div(top, u.args[1]!);
  }
  const factors = u.kind === 'apply' && u.op === 'mul' ? u.args : [u];
  const s = sumToFlip(factors);
  return s && mul(...factors.map((f) => (f === s ? flipSum(s) : f)));
}

export const RULES: readonly Rule[] = [
  {
    name: 'sign into a difference',
    formula: '-(a - b)*c = (b - a)*c',
    rewrite: (e) => (e.op === 'neg' ? absorbSign(e.args[0]!) : null),
  },
  {
    name: 'power of a power',
    formula: '(a^m)^n = a^(m*n) for integers m, n',
    rewrite: (e) => {
      if (e.op !== 'pow') return null;
      const [inner, n] = e.args as [Expr, Expr];
      if (inner.kind !== 'apply' || inner.op !== 'pow') return null;
      const m = intOf(inner.args[1]!), k = intOf(n);
      return m !== null && k !== null ? pow(inner.args[0]!, num(Rational.int(m * k))) : null;
    },
  },
  {
    name: 'exp of a log',
    formula: 'exp(log(u)) = u for u > 0, where the left side is defined',
    rewrite: (e) => (e.op === 'exp' ? argOf(e.args[0]!, 'log') : null),
  },
  {
    name: 'log of an exp',
    formula: 'log(exp(u)) = u',
    rewrite: (e) => (e.op === 'log' ? argOf(e.args[0]!, 'exp') : null),
  },
  {
    name: 'root of a square',
    formula: 'sqrt(u^2) = abs(u)',
    rewrite: (e) => {
      const sq = e.op === 'sqrt' ? e.args[0]! : null;
      return sq && sq.kind === 'apply' && sq.op === 'pow' && intOf(sq.args[1]!) === 2 ? fn('abs', sq.args[0]!) : null;
    },
  },
  {
    name: 'square of a root',
    formula: 'sqrt(u)^2 = u for u >= 0, where the left side is defined',
    rewrite: (e) => (e.op === 'pow' && intOf(e.args[1]!) === 2 ? argOf(e.args[0]!, 'sqrt') : null),
  },
  {
    name: 'absolute value of a nonnegative',
    formula: 'abs(abs(u)) = abs(u), abs(u^2) = u^2, abs(exp(u)) = exp(u), abs(sigmoid(u)) = sigmoid(u)',
    rewrite: (e) => {
      if (e.op !== 'abs') return null;
      const u = e.args[0]!;
      if (u.kind !== 'apply') return null;
      const nonnegative = u.op === 'abs' || u.op === 'exp' || u.op === 'sigmoid' || u.op === 'sqrt' || u.op === 'relu' || u.op === 'step'
        || (u.op === 'pow' && (intOf(u.args[1]!) ?? 1) % 2 === 0);
      return nonnegative ? u : null;
    },
  },
];
