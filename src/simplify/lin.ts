/**
 * Exact values as a seed prints them: a linear combination c + sum_i k_i a_i
 * of atoms (tanh(...), products, ...) with exact rational coefficients, so
 * that like terms collect (0.1 tanh 0.5 three times is 0.3 tanh 0.5) and
 * cancellations are exact (W2^T delta_out = 0 in seed 001 exercise 1). Atoms
 * are interned Exprs, so equal atoms are the same object.
 */
import { add, mul, num, type Expr } from '../expr/expr.js';
import { Rational } from '../expr/rational.js';

export class Lin {
  private constructor(readonly c: Rational, readonly terms: ReadonlyMap<Expr, Rational>) {}

  static of(r: Rational): Lin { return new Lin(r, new Map()); }

  /** An expression as a combination: numbers, sums, negations and constant multiples are unpacked. */
  static from(e: Expr): Lin {
    if (e.kind === 'num') return Lin.of(e.value);
    if (e.kind === 'apply') {
      if (e.op === 'add') return e.args.reduce((s, a) => s.plus(Lin.from(a)), Lin.of(Rational.ZERO));
      if (e.op === 'neg') return Lin.from(e.args[0]!).scale(Rational.int(-1));
      if (e.op === 'mul' && e.args[0]!.kind === 'num') return Lin.from(mul(...e.args.slice(1))).scale(e.args[0].value);
    }
    return new Lin(Rational.ZERO, new Map([[e, Rational.ONE]]));
  }

  get isConst(): boolean { return this.terms.size === 0; }

  plus(o: Lin): Lin {
    const terms = new Map(this.terms);
    for (const [a, k] of o.terms) {
      const s = (terms.get(a) ?? Rational.ZERO).add(k);
      if (s.isZero()) terms.delete(a); else terms.set(a, s);
    }
    return new Lin(this.c.add(o.c), terms);
  }

  minus(o: Lin): Lin { return this.plus(o.scale(Rational.int(-1))); }

  scale(r: Rational): Lin {
    if (r.isZero()) return Lin.of(Rational.ZERO);
    return new Lin(this.c.mul(r), new Map([...this.terms].map(([a, k]) => [a, k.mul(r)])));
  }

  /** A product stays factored unless one side is a number: (0.06 tanh a - 0.08)(1 - tanh^2 a). */
  times(o: Lin): Lin {
    if (o.isConst) return this.scale(o.c);
    if (this.isConst) return o.scale(this.c);
    return Lin.from(mul(this.expr(), o.expr()));
  }

  apply(f: (e: Expr) => Expr): Lin { return Lin.from(f(this.expr())); }

  expr(): Expr {
    return add(...[...this.terms].map(([a, k]) => mul(num(k), a)), num(this.c));
  }
}
