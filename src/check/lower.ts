/**
 * Lowering an answer's syntax tree to the engine's Expr (or a matrix of them).
 * Names become refs to the graph's own nodes (`h3`, `o`, `K[1,1]`), never
 * their expansions; adjoints (`delta_z2`, `\bar{h}_1`) and Leibniz quotients
 * dA/dB become refs to derivative nodes (`bar:B` for the checked `of`,
 * `d:A|B` otherwise) whose values the comparison computes at each point.
 * A matrix expression is lowered entry by entry onto these scalar nodes, with
 * the shapes of the problem's tensors (vectors are columns).
 */
import { Rational } from '../expr/rational.js';
import { add, div, fn, mul, neg, num, one, pow, ref, sub, type Expr, type FnName } from '../expr/expr.js';
import { opSpec } from '../ops/registry.js';
import { AnswerError, itemMentions, jointLetters, type Ast, type NameAst, type SubItem } from './ast.js';
import type { Budget } from './limits.js';
import { flatName, NameResolver, spellingKey, type Item, type Reading, type Spelled } from './names.js';
import type { SheetNames } from './sheet-names.js';
import type { AnswerFn, ExtraFn } from './vocabulary.js';
import {
  dims, entries, hadamard, identity, map, matrix, minus, negate, plus, quotient, scalar, shapeText, star, sumAll, times, transpose, type Val,
} from './value.js';

export interface LowerEnv {
  readonly resolver: NameResolver;
  /** the names the problem's sheets print (notation presets, symbols), read back; built on first use */
  readonly sheet?: SheetNames;
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
  /** inside an index, a subscript or a limit: `T` is the last step there */
  private inIndex = 0;
  private readonly defs = new Map<string, Val>();
  /** indices of sums that have ended, for the hint on a name that uses one outside its sum */
  private readonly closedIndices = new Set<string>();
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
      case 'neg': return negate(this.val(a.x, bound), this.charge);
      case 'transpose': return transpose(this.val(a.x, bound));
      case 'call': return this.call(a, bound);
      case 'matrix': {
        // [x] in plain text is x (a 1x1 matrix is its entry; brackets around a vector, as in [z1 > 0], are brackets)
        if (a.flat && a.rows.length === 1) return this.val(a.rows[0]![0]!, bound);
        const cells = a.rows.map((row) => row.map((c) => {
          const v = this.val(c, bound);
          if (v.k !== 's') throw new AnswerError(`a matrix entry is itself ${v.k === 'I' ? 'an identity' : `a ${shapeText(v)} matrix`}`, c.col, 'shape');
          return v.e;
        }));
        if (cells.some((r) => r.length !== cells[0]!.length)) throw new AnswerError('the rows of the matrix have different lengths', a.col, 'shape');
        return matrix(cells.length, cells[0]!.length, cells.flat());
      }
      case 'bin': return this.binary(a, bound);
      case 'big': return this.big(a, bound);
      case 'deriv': return this.deriv(a.of, a.wrt, bound);
      case 'cmp': {
        // (z > 0) is step(z - 0); the comparison's edge (z = 0) has measure zero
        const l = this.val(a.l, bound), r = this.val(a.r, bound);
        const greater = a.op === '>' || a.op === '>=';
        return minusThen(greater ? l : r, greater ? r : l, a.col, this.charge, (d) => fn('step', d));
      }
      case 'program': {
        for (const d of a.defs) {
          const key = spellingKey(this.spelled(d.name, bound));
          this.defs.set(key, this.val(d.value, bound));
        }
        return this.val(a.body, bound);
      }
      case 'partial': throw new AnswerError('the partial sign belongs in a quotient such as ∂E/∂o', a.col);
    }
  }

  private call(a: Extract<Ast, { t: 'call' }>, bound: Bound): Val {
    const arg = this.val(a.arg, bound);
    const f = a.fn;
    switch (f) {
      case 'diag': return this.diag(arg, a.col);
      case 'softmax': return this.softmax(arg, a.col);
      case 'sum': { const es = entries(arg); this.charge(es.length); return scalar(add(...es)); }
      default: break;
    }
    if (isEngineFn(f)) {
      if (a.primes === 0) return map(arg, (u) => fn(f, u), this.charge, a.col);
      // sigma'(u) = sigma(u)(1 - sigma(u)), tanh'(u) = 1 - tanh^2 u, ...: the registry's own rules
      return map(arg, (u) => opSpec(f).partials([u], fn(f, u))[0]!, this.charge, a.col);
    }
    const g = EXTRA[f as Exclude<ExtraFn, 'diag' | 'softmax' | 'sum'>];
    return map(arg, a.primes === 0 ? g.value : g.slope, this.charge, a.col);
  }

  private diag(v: Val, col: number): Val {
    if (v.k === 's') return v;
    if (v.k === 'I') return v;
    if (v.rows === 1 || v.cols === 1) {
      const n = v.a.length;
      this.charge(n * n);
      return matrix(n, n, Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? v.a[i % n]! : num(0))));
    }
    if (v.rows !== v.cols) throw new AnswerError(`diag of a ${shapeText(v)} matrix: give a vector, or a square matrix for its diagonal`, col, 'shape');
    return matrix(v.rows, 1, Array.from({ length: v.rows }, (_, i) => v.a[i * v.cols + i]!));
  }

  private softmax(v: Val, col: number): Val {
    if (v.k !== 'm' || (v.rows !== 1 && v.cols !== 1)) throw new AnswerError('softmax takes a vector', col, 'shape');
    this.charge(3 * v.a.length);
    const den = add(...v.a.map((u) => fn('exp', u)));
    return matrix(v.rows, v.cols, v.a.map((u) => div(fn('exp', u), den)));
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
      case '*': return star(l, r, a.col, this.charge);
      case 'mm': return times(l, r, a.col, this.charge, true);
      case '/': return quotient(l, r, a.col, this.charge);
      case 'odot': return hadamard(l, r, a.col, this.charge);
    }
  }

  /** x^n, e^x (the exponential when `e` is not a name of the problem), W^T (a transpose). */
  private power(a: Extract<Ast, { t: 'bin' }>, bound: Bound): Val {
    const r = a.r;
    if (r.t === 'name' && r.base === 'T' && r.subs.length === 0 && !r.index && !r.sup && !bound.has('T')) {
      const base = this.val(a.l, bound);
      if (base.k !== 's' || this.env.resolver.readings('T').length === 0) return transpose(base);
    }
    if (a.l.t === 'name' && a.l.base === 'e' && a.l.subs.length === 0 && !a.l.index && !a.l.sup && !this.scalarName('e')) {
      return map(this.val(r, bound), (x) => fn('exp', x), this.charge, a.col);
    }
    const base = this.val(a.l, bound), ex = this.val(r, bound);
    if (ex.k !== 's') throw new AnswerError(`an exponent must be a scalar, not ${shapeText(ex)}`, r.col, 'shape');
    const n = ex.e;
    if (n.kind === 'num') {
      const lim = this.env.budget.limits.maxExponent;
      if (n.value.cmp(Rational.int(lim)) > 0 || n.value.cmp(Rational.int(-lim)) < 0) {
        throw new AnswerError(`the exponent ${n.value} is larger than the limit of ${lim}`, r.col, 'limit');
      }
      for (const b of base.k === 'I' ? [] : entries(base)) {
        if (b.kind === 'num' && n.value.isInteger()) {
          const digits = b.value.num.toString().length + b.value.den.toString().length;
          if (digits * Math.abs(Number(n.value.num)) > MAX_POWER_DIGITS) throw new AnswerError('the power is too large a number', a.col, 'limit');
        }
      }
    }
    // h^2 of a vector is elementwise (1 - h^2), as in the sheets
    return map(base, (b) => pow(b, n), this.charge, a.col);
  }

  /** Is `s` a scalar of the problem? (`e` is Euler's number unless it is; an RNN's per-step losses e are not) */
  private scalarName(s: string): boolean {
    const r = this.env.resolver.readings(s);
    return r.length === 1 && r[0]!.keys.length === 1 && r[0]!.kind === 'value';
  }

  private name(a: NameAst, bound: Bound): Val {
    const bare = a.subs.length === 0 && !a.index && !a.sup && !a.accent;
    if (bare && bound.has(a.base)) { this.charge(1); return scalar(num(bound.get(a.base)!)); }
    if (bare && a.base === 'T' && this.inIndex > 0 && this.env.resolver.readings('T').length === 0) {
      const T = this.env.resolver.time.steps;
      if (T !== null) { this.charge(1); return scalar(num(T)); }
    }
    const s = this.spelled(a, bound);
    const def = this.defs.get(spellingKey({ ...s, index: undefined }));
    if (def) return s.index ? this.select(def, s.index, a.col) : def;
    const readings = this.readings(s);
    if (readings.length === 1) return this.reading(readings[0]!, a.col);
    const shown = spellingKey(s) + (s.index ? `[${s.index.join(',')}]` : '');
    if (readings.length > 1) {
      throw new AnswerError(`'${shown}' is ambiguous: it may be ${readings.map(NameResolver.describe).join(' or ')}; write it with brackets, e.g. ${bracketed(readings)}`, a.col, 'name');
    }
    if (bare && a.base === 'e') { this.charge(1); return scalar(fn('exp', one)); }
    if (bare && a.base === 'I') return identity(one);
    const split = s.index || a.sup || a.accent ? null : this.splitLetters(a, bound);
    if (split) return split;
    throw new AnswerError(this.unknown(a, s), a.col, 'name');
  }

  /** Readings of a spelled name: the sheets' own spellings first when the name is decorated, else the generic ones first. */
  private readings(s: Spelled): Reading[] {
    const decorated = s.sup !== undefined || s.accent !== undefined || s.subs.some((g) => g.some((i) => i.wrap !== ''));
    const sheet = (): Reading[] => {
      const r = this.env.sheet?.lookup(s);
      return r ? [r] : [];
    };
    if (decorated) {
      const r = sheet();
      if (r.length) return r;
    }
    const generic = this.env.resolver.resolve(s);
    return generic.length || decorated ? generic : sheet();
  }

  private unknown(a: NameAst, s: Spelled): string {
    const r = this.env.resolver;
    const spelled = flatName(s.base, s.subs);
    if (s.index) {
      const t = r.exact(spelled);
      if (t) return `${spelled}[${s.index.join(',')}] is outside '${t.name}' of shape [${t.shape.join(', ')}]`;
    }
    const stray = [...this.closedIndices].find((v) => a.subs.some((g) => g.some((it) => itemMentions(it, new Set([v])))) || (a.index ?? []).some((x) => x.t === 'name' && x.base === v));
    // h_t with no sum over t: the letter is read as a name, which rarely is what was meant
    const free = r.exact(a.base) === undefined ? undefined : a.subs.flat().map((it) => it.ast)
      .find((x): x is NameAst => x.t === 'name' && /^[a-z]$/.test(x.base) && x.subs.length === 0 && !x.index && !x.sup);
    const strayHint = stray ? `; the sum over ${stray} ended before it (a sum's summand ends at a + or -: put it in parentheses)`
      : free ? `; '${free.base}' is not bound here: write a number (${a.base}_2) or sum over it (\\sum_${free.base} ...)` : '';
    const hint = r.caseHint(spelled);
    return `unknown name '${spellingKey(s)}'${hint ? ` (did you mean ${hint}?)` : ''}${strayHint}; the names of this problem are ${r.knownNames()}`;
  }

  /** `xw_1` read as x * w_1 when the whole is no name but each letter (with its digits) is one. */
  private splitLetters(a: NameAst, bound: Bound): Val | null {
    const chunks = a.base.match(/[A-Za-z]\d*/g);
    if (!chunks || chunks.length < 2 || chunks.join('') !== a.base || chunks.length > 8) return null;
    const parts: Val[] = [];
    for (let i = 0; i < chunks.length; i++) {
      const c = chunks[i]!;
      const subs = i === chunks.length - 1 ? a.subs : [];
      if (subs.length === 0 && bound.has(c)) { parts.push(scalar(num(bound.get(c)!))); continue; }
      const rs = this.env.resolver.resolve(this.spelled({ ...a, base: c, subs }, bound));
      if (rs.length !== 1) return null;
      parts.push(this.reading(rs[0]!, a.col));
    }
    return parts.reduce((x, y) => times(x, y, a.col, this.charge, true));
  }

  private reading(r: Reading, col: number): Val {
    const at = r.kind === 'value' ? (k: string) => ref(k) : (k: string) => ref(derivKey(this.env, this.env.of, k));
    this.charge(r.keys.length);
    if (r.shape.length === 0) return scalar(at(r.keys[0]!));
    if (r.shape.length === 1) return matrix(r.shape[0]!, 1, r.keys.map(at));
    if (r.shape.length === 2) return matrix(r.shape[0]!, r.shape[1]!, r.keys.map(at));
    throw new AnswerError(`${r.label} has ${r.shape.length} axes: write its elements, e.g. [${r.shape.map(() => 1).join(',')}]`, col, 'shape');
  }

  /** An element (or row) of a defined name: d[2]. */
  private select(v: Val, index: readonly number[], col: number): Val {
    const [rows, cols] = dims(v);
    const es = entries(v);
    if (index.length === 2 && index[0]! >= 1 && index[0]! <= rows && index[1]! >= 1 && index[1]! <= cols) return scalar(es[(index[0]! - 1) * cols + index[1]! - 1]!);
    if (index.length === 1 && cols === 1 && index[0]! >= 1 && index[0]! <= rows) return scalar(es[index[0]! - 1]!);
    if (index.length === 1 && rows > 1 && index[0]! >= 1 && index[0]! <= rows) return matrix(cols, 1, es.slice((index[0]! - 1) * cols, index[0]! * cols));
    throw new AnswerError(`[${index.join(',')}] is outside the defined ${shapeText(v)} value`, col, 'name');
  }

  /** The name as written, with bound indices replaced by their values (s_{t-1} at t = 2 is s_1). */
  private spelled(a: NameAst, bound: Bound): Spelled {
    const index = a.index?.map((x) => this.integer(x, bound, 'an index'));
    return {
      base: a.base,
      ...(a.accent ? { accent: a.accent } : {}),
      ...(a.sup ? { sup: a.sup.map((it) => this.item(it, bound)) } : {}),
      subs: a.subs.map((g) => g.map((it) => this.item(it, bound))),
      ...(index ? { index } : {}),
    };
  }

  /** One subscript item spelled: a bound index evaluated, `ij` of w_{ij} as "2,1", a name spelled, T the last step. */
  private item(it: SubItem, bound: Bound): Item {
    const x = it.ast;
    const keys = new Set(bound.keys());
    const letters = jointLetters(x, keys);
    if (letters) return { text: letters.map((c) => bound.get(c)!).join(','), wrap: it.wrap };
    if (x.t === 'name' && !(x.subs.length === 0 && !x.index && !x.sup && !x.accent && (bound.has(x.base) || x.base === 'T'))) {
      const s = this.spelled(x, bound);
      return { text: flatName(s.base, s.subs) + (s.index ? `[${s.index.join(',')}]` : ''), wrap: it.wrap };
    }
    if (x.t === 'num') return { text: it.wrap ? x.value.toString() : it.text, wrap: it.wrap };
    if (itemMentions(it, keys) || mentionsT(x)) return { text: String(this.integer(x, bound, 'a subscript')), wrap: it.wrap };
    return { text: it.wrap ? it.text.slice(1, -1) : it.text, wrap: it.wrap };
  }

  private integer(a: Ast, bound: Bound, what: string): number {
    this.inIndex++;
    let v: Val;
    try {
      v = this.val(a, bound);
    } finally {
      this.inIndex--;
    }
    if (v.k !== 's' || v.e.kind !== 'num' || !v.e.value.isInteger() || v.e.value.num > 1_000_000_000n || v.e.value.num < -1_000_000_000n) {
      throw new AnswerError(`${what} must be a whole number`, a.col, 'syntax');
    }
    return Number(v.e.value.num);
  }

  /** dE/do written with plain d's: only when dE is no name of the problem but E is. */
  private leibniz(l: Ast, r: Ast, bound: Bound): Val | null {
    const strip = (x: Ast): Ast | null => {
      if (x.t !== 'name' || x.index || x.sup || x.base.length < 2 || x.base[0] !== 'd') return null;
      if (this.readings(this.spelled(x, bound)).length > 0) return null;
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
    return map(wrt, keyOf, this.charge, wrtAst.col);
  }

  private big(a: Extract<Ast, { t: 'big' }>, bound: Bound): Val {
    const from = a.from ? this.limit(a.from, bound, 'the lower limit') : 1;
    const to = a.to;
    const openTo = to === null || (to.t === 'name' && to.subs.length === 0 && !to.index && !bound.has(to.base) && this.env.resolver.readings(to.base).length === 0 &&
      !(to.base === 'T' && this.env.resolver.time.steps !== null));
    const last = openTo ? null : this.limit(to!, bound, 'the upper limit');
    const max = this.env.budget.limits.maxUnroll;
    const terms: Val[] = [];
    for (let v = from; last === null || v <= last; v++) {
      if (++this.unrolled > max) throw new AnswerError(`sums and products unroll to more than ${max} terms`, a.col, 'limit');
      const inner = new Map(bound).set(a.v, v);
      let term: Val;
      try {
        term = this.val(a.body, inner);
      } catch (e) {
        // \sum_t, \sum_{t=1}^{T}: the index runs as far as the names in the body exist
        if (last === null && v > from && e instanceof AnswerError && e.kind === 'name') break;
        throw e;
      }
      terms.push(term);
    }
    this.closedIndices.add(a.v);
    if (terms.length === 0) { this.charge(1); return scalar(num(a.op === 'sum' ? 0 : 1)); }
    // one n-ary node, not a chain of pairwise sums (which would rebuild the flattened sum each time)
    if (a.op === 'sum') return sumAll(terms, a.col, this.charge);
    if (terms.every((x) => x.k === 's')) { this.charge(terms.length); return scalar(mul(...terms.map((x) => (x as { e: Expr }).e))); }
    return terms.reduce((x, y) => times(x, y, a.col, this.charge, true));
  }

  private limit(a: Ast, bound: Bound, what: string): number {
    return this.integer(a, bound, what);
  }
}

/** A comparison's difference, mapped entrywise: (l - r) then f. */
function minusThen(l: Val, r: Val, col: number, charge: (n: number) => void, f: (d: Expr) => Expr): Val {
  return map(minus(l, r, col, charge), f, charge, col);
}

const ENGINE_FNS: ReadonlySet<string> = new Set(['exp', 'log', 'sqrt', 'abs', 'sigmoid', 'tanh', 'relu', 'step']);
const isEngineFn = (f: AnswerFn): f is FnName => ENGINE_FNS.has(f);

const two = num(2);
const half = num(Rational.of(1n, 2n));
const cosh = (u: Expr): Expr => mul(half, add(fn('exp', u), fn('exp', neg(u))));
const sinh = (u: Expr): Expr => mul(half, sub(fn('exp', u), fn('exp', neg(u))));
/** Answer functions the engine has no op for, written with its ops: value and derivative. */
const EXTRA: Record<'sech' | 'cosh' | 'sinh' | 'softplus' | 'sign', { value: (u: Expr) => Expr; slope: (u: Expr) => Expr }> = {
  // sech u = 1/cosh u; sech' = -sech u tanh u
  sech: { value: (u) => div(one, cosh(u)), slope: (u) => neg(mul(div(one, cosh(u)), fn('tanh', u))) },
  cosh: { value: cosh, slope: sinh },
  sinh: { value: sinh, slope: cosh },
  // softplus u = log(1 + e^u); softplus' = sigma
  softplus: { value: (u) => fn('log', add(one, fn('exp', u))), slope: (u) => fn('sigmoid', u) },
  // sign u = 2 step(u) - 1 (u != 0); sign' = 0
  sign: { value: (u) => sub(mul(two, fn('step', u)), one), slope: () => num(0) },
};

function mentionsT(a: Ast): boolean {
  switch (a.t) {
    case 'name': return a.base === 'T' && a.subs.length === 0 && !a.index;
    case 'bin': return mentionsT(a.l) || mentionsT(a.r);
    case 'neg': return mentionsT(a.x);
    default: return false;
  }
}

function bracketed(readings: readonly Reading[]): string {
  const el = readings.find((r) => r.kind === 'value' && r.keys.length === 1);
  return el ? el.keys[0]! : readings.map(NameResolver.describe)[0]!;
}
