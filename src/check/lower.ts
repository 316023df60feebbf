/**
 * Lowering an answer's syntax tree to the engine's Expr (or a matrix of them).
 * Names become refs to the graph's own nodes (`h3`, `o`, `K[1,1]`), never
 * their expansions; `delta_X` and a Leibniz quotient dA/dB become refs to
 * derivative nodes (`bar:B` for the checked `of`, `d:A|B` otherwise) whose
 * values the comparison computes by a reverse pass at each point.
 */
import { Rational } from '../expr/rational.js';
import { fn, mul, neg, num, one, pow, ref, type Expr } from '../expr/expr.js';
import type { TensorInfo } from '../expr/graph.js';
import { opSpec } from '../ops/registry.js';
import { AnswerError, type Ast, type SubItem } from './ast.js';
import type { Budget } from './limits.js';
import { NameResolver, type Reading } from './names.js';
import { entries, hadamard, map, matrix, minus, plus, quotient, scalar, shapeText, sumAll, times, transpose, type Val } from './value.js';

export interface LowerEnv {
  readonly resolver: NameResolver;
  /** the checked `of` key: delta_X and dof/dX are its adjoints */
  readonly of: string;
  readonly budget: Budget;
}

/** Key of the derivative node d(of)/d(wrt) (`bar:` keys are the engine's adjoints of the checked `of`). */
export const derivKey = (env: Pick<LowerEnv, 'of'>, of: string, wrt: string): string => (of === env.of ? `bar:${wrt}` : `d:${of}|${wrt}`);

/** Largest number of digits an exactly folded power may have. */
const MAX_POWER_DIGITS = 20_000;

export function lower(ast: Ast, env: LowerEnv): Val {
  return new Lowering(env).val(ast, new Map());
}

type Bound = ReadonlyMap<string, number>;

class Lowering {
  private built = 0;
  private unrolled = 0;
  constructor(private readonly env: LowerEnv) {}

  private readonly charge = (n: number): void => {
    this.built += n;
    this.env.budget.charge(n);
    const max = this.env.budget.limits.maxExprNodes;
    if (this.built > max) throw new AnswerError(`the answer expands to more than ${max} expression nodes`, 1, 'limit');
  };

  val(a: Ast, bound: Bound): Val {
    switch (a.t) {
      case 'num': this.charge(1); return scalar(num(a.value));
      case 'name': return this.name(a, bound);
      case 'neg': return map(this.val(a.x, bound), neg, this.charge);
      case 'transpose': return transpose(this.val(a.x, bound));
      case 'call': {
        const arg = this.val(a.arg, bound);
        const f = a.fn;
        if (a.primes === 0) return map(arg, (u) => fn(f, u), this.charge);
        // sigma'(u) = sigma(u)(1 - sigma(u)), tanh'(u) = 1 - tanh^2 u, ...: the registry's own rules
        return map(arg, (u) => opSpec(f).partials([u], fn(f, u))[0]!, this.charge);
      }
      case 'matrix': {
        const cells = a.rows.map((row) => row.map((c) => {
          const v = this.val(c, bound);
          if (v.k !== 's') throw new AnswerError(`a matrix entry is itself a ${shapeText(v)} matrix`, c.col, 'shape');
          return v.e;
        }));
        if (cells.some((r) => r.length !== cells[0]!.length)) throw new AnswerError('the rows of the matrix have different lengths', a.col, 'shape');
        return matrix(cells.length, cells[0]!.length, cells.flat());
      }
      case 'bin': return this.binary(a, bound);
      case 'big': return this.big(a, bound);
      case 'deriv': return this.deriv(a.of, a.wrt, bound);
      case 'partial': throw new AnswerError('the partial sign belongs in a quotient such as ∂E/∂o', a.col);
    }
  }

  private binary(a: Extract<Ast, { t: 'bin' }>, bound: Bound): Val {
    if (a.op === '/') {
      const leibniz = this.leibniz(a.l, a.r, bound);
      if (leibniz) return leibniz;
    }
    if (a.op === '^') return this.power(a, bound);
    const l = this.val(a.l, bound), r = this.val(a.r, bound);
    switch (a.op) {
      case '+': return plus(l, r, a.col, this.charge);
      case '-': return minus(l, r, a.col, this.charge);
      case '*': return times(l, r, a.col, this.charge);
      case '/': return quotient(l, r, a.col, this.charge);
      case 'odot': return hadamard(l, r, a.col, this.charge);
    }
  }

  /** x^n, e^x (the exponential when `e` is not a name of the problem), W^T (a transpose). */
  private power(a: Extract<Ast, { t: 'bin' }>, bound: Bound): Val {
    const r = a.r;
    if (r.t === 'name' && r.base === 'T' && r.subs.length === 0 && !r.index) {
      const base = this.val(a.l, bound);
      if (base.k === 'm' || this.env.resolver.readings('T').length === 0) return transpose(base);
    }
    if (a.l.t === 'name' && a.l.base === 'e' && a.l.subs.length === 0 && !a.l.index && !this.scalarName('e')) {
      return map(this.val(r, bound), (x) => fn('exp', x), this.charge);
    }
    const base = this.val(a.l, bound), ex = this.val(r, bound);
    if (ex.k !== 's') throw new AnswerError(`an exponent must be a scalar, not a ${shapeText(ex)} matrix`, r.col, 'shape');
    const n = ex.e;
    if (n.kind === 'num') {
      const lim = this.env.budget.limits.maxExponent;
      if (n.value.cmp(Rational.int(lim)) > 0 || n.value.cmp(Rational.int(-lim)) < 0) {
        throw new AnswerError(`the exponent ${n.value} is larger than the limit of ${lim}`, r.col, 'limit');
      }
      for (const b of entries(base)) {
        if (b.kind === 'num' && n.value.isInteger()) {
          const digits = b.value.num.toString().length + b.value.den.toString().length;
          if (digits * Math.abs(Number(n.value.num)) > MAX_POWER_DIGITS) throw new AnswerError('the power is too large a number', a.col, 'limit');
        }
      }
    }
    return map(base, (b) => pow(b, n), this.charge);
  }

  /** Is `s` a scalar of the problem? (`e` is Euler's number unless it is; an RNN's per-step losses e are not) */
  private scalarName(s: string): boolean {
    const r = this.env.resolver.readings(s);
    return r.length === 1 && r[0]!.kind === 'tensor' && r[0]!.tensor.keys.length === 1;
  }

  private name(a: Extract<Ast, { t: 'name' }>, bound: Bound): Val {
    if (a.subs.length === 0 && !a.index && bound.has(a.base)) { this.charge(1); return scalar(num(bound.get(a.base)!)); }
    const spelled = this.spell(a, bound);
    const index = a.index?.map((x) => this.integer(x, bound, 'an index'));
    const readings = this.env.resolver.readings(spelled, index);
    if (readings.length === 1) return this.reading(readings[0]!);
    if (readings.length > 1) {
      throw new AnswerError(`'${spelled}' is ambiguous: it may be ${readings.map(NameResolver.describe).join(' or ')}; write it with brackets, e.g. ${bracketed(readings)}`, a.col, 'name');
    }
    if (a.base === 'e' && a.subs.length === 0 && !a.index) { this.charge(1); return scalar(fn('exp', one)); }
    const split = index ? null : this.splitLetters(a, bound);
    if (split) return split;
    throw new AnswerError(this.unknown(spelled, index), a.col, 'name');
  }

  private unknown(spelled: string, index: number[] | undefined): string {
    const r = this.env.resolver;
    if (index) {
      const t = r.exact(spelled);
      if (t) return `${spelled}[${index.join(',')}] is outside '${t.name}' of shape [${t.shape.join(', ')}]`;
    }
    const hint = r.caseHint(spelled);
    return `unknown name '${spelled}'${hint ? ` (did you mean ${hint}?)` : ''}; the names of this problem are ${r.knownNames()}`;
  }

  /** `xw_1` read as x * w_1 when the whole is no name but each letter (with its digits) is one. */
  private splitLetters(a: Extract<Ast, { t: 'name' }>, bound: Bound): Val | null {
    const chunks = a.base.match(/[A-Za-z]\d*/g);
    if (!chunks || chunks.length < 2 || chunks.join('') !== a.base || chunks.length > 8) return null;
    const parts: Val[] = [];
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      const subs = i === chunks.length - 1 ? a.subs : [];
      if (subs.length === 0 && bound.has(c)) { parts.push(scalar(num(bound.get(c)!))); continue; }
      const rs = this.env.resolver.readings(this.spell({ ...a, base: c, subs }, bound));
      if (rs.length !== 1) return null;
      parts.push(this.reading(rs[0]!));
    }
    return parts.reduce((x, y) => times(x, y, a.col, this.charge));
  }

  private reading(r: Reading): Val {
    switch (r.kind) {
      case 'element': this.charge(1); return scalar(ref(r.key));
      case 'tensor': return this.tensorVal(r.tensor, (k) => ref(k));
      case 'adjoint': return r.keys.length === 1 ? scalar(ref(derivKey(this.env, this.env.of, r.keys[0]!))) : this.tensorVal(r.tensor, (k) => ref(derivKey(this.env, this.env.of, k)));
    }
  }

  private tensorVal(t: TensorInfo, at: (key: string) => Expr): Val {
    this.charge(t.keys.length);
    if (t.keys.length === 1) return scalar(at(t.keys[0]!));
    if (t.shape.length === 1) return matrix(t.shape[0]!, 1, t.keys.map(at));
    if (t.shape.length === 2) return matrix(t.shape[0]!, t.shape[1]!, t.keys.map(at));
    throw new AnswerError(`'${t.name}' has shape [${t.shape.join(', ')}]: write its elements, e.g. ${t.name}[${t.shape.map(() => 1).join(',')}]`, 1, 'shape');
  }

  /** The spelled name: base, then each subscript's items (bound indices evaluated: s_{t-1} at t = 2 is s_1). */
  private spell(a: Extract<Ast, { t: 'name' }>, bound: Bound): string {
    // \delta_{s_k} at k = 2 spells delta_s_2: a name in a subscript is spelled, an index expression evaluated
    const item = (it: SubItem): string => {
      const x = it.ast;
      if (!mentions(x, bound)) return it.text;
      if (x.t === 'name' && !(x.subs.length === 0 && !x.index && bound.has(x.base))) return this.spell(x, bound);
      return String(this.integer(x, bound, 'a subscript'));
    };
    const sub = (items: readonly SubItem[]) => items.map(item).join(',');
    return a.base + a.subs.map((g) => `_${sub(g)}`).join('');
  }

  private integer(a: Ast, bound: Bound, what: string): number {
    const v = this.val(a, bound);
    if (v.k !== 's' || v.e.kind !== 'num' || !v.e.value.isInteger() || v.e.value.num > 1_000_000_000n || v.e.value.num < -1_000_000_000n) {
      throw new AnswerError(`${what} must be a whole number`, a.col, 'syntax');
    }
    return Number(v.e.value.num);
  }

  /** dE/do written with plain d's: only when dE is no name of the problem but E is. */
  private leibniz(l: Ast, r: Ast, bound: Bound): Val | null {
    const strip = (x: Ast): Ast | null => {
      if (x.t !== 'name' || x.index || x.base.length < 2 || x.base[0] !== 'd') return null;
      if (this.env.resolver.readings(this.spell(x, bound)).length > 0) return null;
      return { ...x, base: x.base.slice(1) };
    };
    const a = strip(l), b = strip(r);
    return a && b ? this.deriv(a, b, bound) : null;
  }

  private deriv(ofAst: Ast, wrtAst: Ast, bound: Bound): Val {
    const of = this.val(ofAst, bound);
    if (of.k !== 's' || of.e.kind !== 'ref' || of.e.key.includes(':')) throw new AnswerError('the numerator of a derivative must name one scalar node, as in ∂E/∂o', ofAst.col, 'syntax');
    const ofKey = of.e.key;
    const wrt = this.val(wrtAst, bound);
    const keyOf = (e: Expr): Expr => {
      if (e.kind !== 'ref' || e.key.includes(':')) throw new AnswerError('the denominator of a derivative must name a node of the problem', wrtAst.col, 'syntax');
      return ref(derivKey(this.env, ofKey, e.key));
    };
    return map(wrt, keyOf, this.charge);
  }

  private big(a: Extract<Ast, { t: 'big' }>, bound: Bound): Val {
    const from = this.integer(a.from, bound, 'the lower limit');
    const to = a.to;
    const open = to.t === 'name' && to.subs.length === 0 && !to.index && !bound.has(to.base) && this.env.resolver.readings(to.base).length === 0;
    const last = open ? null : this.integer(to, bound, 'the upper limit');
    const max = this.env.budget.limits.maxUnroll;
    const terms: Val[] = [];
    for (let v = from; last === null || v <= last; v++) {
      if (++this.unrolled > max) throw new AnswerError(`sums and products unroll to more than ${max} terms`, a.col, 'limit');
      const inner = new Map(bound).set(a.v, v);
      let term: Val;
      try {
        term = this.val(a.body, inner);
      } catch (e) {
        // \sum_{t=1}^{T}: T is as far as the names in the body exist
        if (open && v > from && e instanceof AnswerError && e.kind === 'name') break;
        throw e;
      }
      terms.push(term);
    }
    if (terms.length === 0) { this.charge(1); return scalar(num(a.op === 'sum' ? 0 : 1)); }
    // one n-ary node, not a chain of pairwise sums (which would rebuild the flattened sum each time)
    if (a.op === 'sum') return sumAll(terms, a.col, this.charge);
    if (terms.every((x) => x.k === 's')) { this.charge(terms.length); return scalar(mul(...terms.map((x) => (x as { e: Expr }).e))); }
    return terms.reduce((x, y) => times(x, y, a.col, this.charge));
  }
}

/** Does the tree use a bound index? */
function mentions(a: Ast, bound: Bound): boolean {
  switch (a.t) {
    case 'num': return false;
    case 'name': return (a.subs.length === 0 && !a.index && bound.has(a.base)) || (a.index ?? []).some((x) => mentions(x, bound)) || a.subs.some((g) => g.some((it) => mentions(it.ast, bound)));
    case 'call': return mentions(a.arg, bound);
    case 'bin': return mentions(a.l, bound) || mentions(a.r, bound);
    case 'neg': case 'transpose': case 'partial': return mentions(a.x, bound);
    case 'matrix': return a.rows.some((r) => r.some((c) => mentions(c, bound)));
    case 'big': return mentions(a.from, bound) || mentions(a.to, bound) || mentions(a.body, bound);
    case 'deriv': return mentions(a.of, bound) || mentions(a.wrt, bound);
  }
}

function bracketed(readings: readonly Reading[]): string {
  const el = readings.find((r) => r.kind === 'element');
  return el && el.kind === 'element' ? el.key : readings.map(NameResolver.describe)[0]!;
}
