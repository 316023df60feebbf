/**
 * The layer-level BPTT once more, in exact arithmetic, for the closed forms
 * a seed prints: delta = (0.06 tanh(1.1 + 0.3 tanh 0.5) - 0.08)(1 - tanh^2(...)).
 * A value is a linear combination c + sum_i k_i a_i of atoms (tanh(...),
 * products, ...) with exact rational coefficients, so that like terms collect
 * (0.1 tanh 0.5 three times is 0.3 tanh 0.5) and cancellations are exact
 * (W2^T delta_out = 0 in seed 001 exercise 1). Atoms are interned Exprs, so
 * equal atoms are the same object.
 */
import { add, div, fn, mul, num, one, square, type Expr } from '../../expr/expr.js';
import { Rational } from '../../expr/rational.js';
import type { Role, RnnSpec } from './spec.js';

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

export type LinVec = Lin[];
export type LinMat = Lin[][];
const ZERO = Lin.of(Rational.ZERO);

/** The given values, exactly; `target[t-1]` is null where a step has no target. */
export interface ExactValues {
  readonly params: Readonly<Partial<Record<Role, Lin[][] | Lin[]>>>;
  readonly x: LinMat; readonly h0: LinVec; readonly s0: LinVec | null;
  readonly target: ReadonlyArray<LinVec | null>;
}

export interface ExactBptt {
  readonly deltaOut: ReadonlyArray<LinVec | null>;
  readonly delta1: LinMat;
  readonly delta2: LinMat | null;
  readonly grads: Readonly<Partial<Record<Role, LinMat | LinVec>>>;
}

const matVec = (A: LinMat, v: LinVec): LinVec => A.map((row) => row.reduce((s, a, j) => s.plus(a.times(v[j]!)), ZERO));
const matTVec = (A: LinMat, v: LinVec): LinVec => A[0]!.map((_, j) => A.reduce((s, row, i) => s.plus(row[j]!.times(v[i]!)), ZERO));
const addVec = (a: LinVec, b: LinVec): LinVec => a.map((x, i) => x.plus(b[i]!));

function activate(spec: RnnSpec, z: Lin): Lin {
  return spec.hidden === 'relu' && z.isConst ? Lin.of(z.c.sign() > 0 ? z.c : Rational.ZERO) : z.apply((e) => fn(spec.hidden, e));
}

/** f'(z) from a = f(z): 1 - a^2, a(1 - a), step(z). */
function derivative(spec: RnnSpec, z: Lin, a: Lin): Lin {
  const ONE = Lin.of(Rational.ONE);
  switch (spec.hidden) {
    case 'tanh': return ONE.minus(a.apply(square));
    case 'sigmoid': return a.times(ONE.minus(a));
    case 'relu': return z.isConst ? Lin.of(z.c.sign() > 0 ? Rational.ONE : Rational.ZERO) : z.apply((e) => fn('step', e));
  }
}

/** Softmax as y_k = 1 / sum_j e^{u_j - u_k}: equal pre-activations cancel exactly to 1/K (seed 001 prints 0.5). */
function output(spec: RnnSpec, u: LinVec): LinVec {
  switch (spec.output) {
    case 'identity': return u;
    case 'sigmoid': return u.map((v) => v.apply((e) => fn('sigmoid', e)));
    case 'softmax': return u.map((uk) => {
      const sum = u.reduce((s, uj) => { const d = uj.minus(uk); return s.plus(d.isConst && d.c.isZero() ? Lin.of(Rational.ONE) : d.apply((e) => fn('exp', e))); }, ZERO);
      return sum.isConst ? Lin.of(Rational.ONE.div(sum.c)) : Lin.from(div(one, sum.expr()));
    });
  }
}

function outputDelta(spec: RnnSpec, y: LinVec, t: LinVec): LinVec {
  if (spec.loss === 'cross-entropy') {
    if (spec.output === 'softmax') { const mass = t.reduce((s, v) => s.plus(v), ZERO); return y.map((yk, k) => yk.times(mass).minus(t[k]!)); }
    return y.map((yk, k) => yk.minus(t[k]!));
  }
  const g = y.map((yk, k) => yk.minus(t[k]!).scale(Rational.int(spec.loss === 'squared-error' ? 2 : 1)));
  const ONE = Lin.of(Rational.ONE);
  switch (spec.output) {
    case 'identity': return g;
    case 'sigmoid': return g.map((gk, k) => gk.times(y[k]!.times(ONE.minus(y[k]!))));
    case 'softmax': { const yg = y.reduce((s, yk, k) => s.plus(yk.times(g[k]!)), ZERO); return y.map((yk, k) => yk.times(g[k]!.minus(yg))); }
  }
}

/** Forward and backward in exact arithmetic, for the loss terms of `lossSteps`. */
export function exactBptt(spec: RnnSpec, p: ExactValues, lossSteps: readonly number[]): ExactBptt {
  const T = spec.steps, P = p.params as Record<string, LinMat & LinVec>;
  const stacked = spec.stacked === 2;
  const z: LinMat = [], h: LinMat = [], z2: LinMat = [], s: LinMat = [], y: Array<LinVec | null> = [];
  for (let t = 1; t <= T; t++) {
    let zt = addVec(matVec(P.H1!, t === 1 ? p.h0 : h[t - 2]!), matVec(P.W1!, p.x[t - 1]!));
    for (const b of ['b1', 'bh'] as const) if (P[b]) zt = addVec(zt, P[b]!);
    z.push(zt);
    h.push(zt.map((v) => activate(spec, v)));
    let top = h[t - 1]!;
    if (stacked) {
      let z2t = addVec(matVec(P.H3!, t === 1 ? p.s0! : s[t - 2]!), matVec(P.W3!, top));
      if (P.b3) z2t = addVec(z2t, P.b3);
      z2.push(z2t);
      s.push(z2t.map((v) => activate(spec, v)));
      top = s[t - 1]!;
    }
    y.push(spec.mode === 'many-to-one' && t < T ? null : output(spec, P.b2 ? addVec(matVec(P.W2!, top), P.b2) : matVec(P.W2!, top)));
  }
  const counted = new Set(lossSteps);
  const deltaOut = y.map((yt, i) => (yt && counted.has(i + 1) && p.target[i] ? outputDelta(spec, yt, p.target[i]!) : null));
  const recur = (Hm: LinMat, Z: LinMat, A: LinMat, above: (t: number) => LinVec | null): LinMat => {
    const out: LinMat = new Array<LinVec>(T);
    for (let t = T; t >= 1; t--) {
      let g: LinVec = Z[t - 1]!.map(() => ZERO);
      const a = above(t);
      if (a) g = addVec(g, a);
      if (t < T) g = addVec(g, matTVec(Hm, out[t]!));
      out[t - 1] = g.map((gi, i) => gi.times(derivative(spec, Z[t - 1]![i]!, A[t - 1]![i]!)));
    }
    return out;
  };
  const top = recur(stacked ? P.H3! : P.H1!, stacked ? z2 : z, stacked ? s : h, (t) => (deltaOut[t - 1] ? matTVec(P.W2!, deltaOut[t - 1]!) : null));
  const delta1 = stacked ? recur(P.H1!, z, h, (t) => matTVec(P.W3!, top[t - 1]!)) : top;
  const outer = (ds: ReadonlyArray<LinVec | null>, input: (t: number) => LinVec): LinMat => {
    let acc: LinMat | null = null;
    ds.forEach((d, i) => {
      if (!d) return;
      const o = d.map((di) => input(i + 1).map((xj) => di.times(xj)));
      acc = acc ? acc.map((row, r) => row.map((v, c) => v.plus(o[r]![c]!))) : o;
    });
    return acc ?? [];
  };
  const sum = (ds: ReadonlyArray<LinVec | null>): LinVec => ds.reduce<LinVec>((acc, d) => (d ? (acc.length ? addVec(acc, d) : d) : acc), []);
  const topStates = stacked ? s : h;
  const grads: Partial<Record<Role, LinMat | LinVec>> = {
    W2: outer(deltaOut, (t) => topStates[t - 1]!), W1: outer(delta1, (t) => p.x[t - 1]!), H1: outer(delta1, (t) => (t === 1 ? p.h0 : h[t - 2]!)),
  };
  if (P.b2) grads.b2 = sum(deltaOut);
  if (P.b1) grads.b1 = sum(delta1);
  if (P.bh) grads.bh = sum(delta1);
  if (stacked) {
    grads.W3 = outer(top, (t) => h[t - 1]!);
    grads.H3 = outer(top, (t) => (t === 1 ? p.s0! : s[t - 2]!));
    if (P.b3) grads.b3 = sum(top);
  }
  return { deltaOut, delta1, delta2: stacked ? top : null, grads };
}
