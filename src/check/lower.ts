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
import { add, div, fn, FN_NAMES, mul, neg, num, one, pow, ref, sub, type Expr, type FnName } from '../expr/expr.js';
import { opSpec } from '../ops/registry.js';
import { AnswerError, itemMentions, jointLetters, type Ast, type NameAst, type SelectItem, type SubItem } from './ast.js';
import type { Budget } from './limits.js';
import { flatName, NameResolver, spellingKey, type Item, type Reading, type Spelled } from './names.js';
import type { SheetNames } from './sheet-names.js';
import type { AnswerFn } from './vocabulary.js';
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

/** One definition of an answer: of a name, of one index of it (`at`), or of every index (`param`, a letter). */
interface Definition {
  readonly value: Ast;
  readonly param: string | null;
  readonly at: readonly number[] | null;
}

class Lowering {
  private built = 0;
  private unrolled = 0;
  /** inside an index, a subscript or a limit: `T` is the last step there */
  private inIndex = 0;
  /** the answer's definitions by base name; see `define` */
  private readonly defs = new Map<string, Definition[]>();
  /** values of definitions already evaluated, by spelled name and index */
  private readonly defined = new Map<string, Val>();
  /** definitions being evaluated (a cycle is an error, not an endless recursion) */
  private readonly evaluating = new Set<string>();
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
      case 'select': return this.selection(this.val(a.x, bound), a.index, bound, a.col);
      case 'cmp': {
        // (z > 0) is step(z - 0); the comparison's edge (z = 0) has measure zero
        const l = this.val(a.l, bound), r = this.val(a.r, bound);
        const greater = a.op === '>' || a.op === '>=';
        return minusThen(greater ? l : r, greater ? r : l, a.col, this.charge, (d) => fn('step', d));
      }
      case 'program': {
        for (const d of a.defs) this.define(d.name, d.value);
        return this.val(a.body, bound);
      }
      case 'partial': throw new AnswerError('the partial sign belongs in a quotient such as ∂E/∂o', a.col);
    }
  }

  /**
   * `d := p - t`, `delta_z[T] := ...`, `delta_h[t] := Wh^T @ delta_z[t+1]`, `\delta_t := ...`: a definition
   * of a name, of one index of it, or of every index (a letter that is not bound: the recurrences that
   * `derive --json` prints in `definitions`). Evaluated where used, once per index.
   */
  private define(name: NameAst, value: Ast): void {
    const letter = (x: Ast): x is NameAst => x.t === 'name' && /^[a-z]$/.test(x.base) && !x.subs.length && !x.index && !x.sup && !x.accent;
    // a letter in brackets is an index parameter (delta_h[t]); in a subscript only if the name is no name of the
    // problem as written (\delta_t is a pattern, W_x is the problem's W_x)
    const literal = () => this.env.resolver.resolve(this.spelled({ ...name, index: undefined }, new Map())).length > 0;
    const indexParam = (name.index ?? []).find(letter);
    const subParam = name.index ? undefined : name.subs.flat().map((it) => it.ast).find(letter);
    const param = indexParam ?? (subParam && !literal() ? subParam : undefined);
    // the name without the index that the parameter (or a concrete index) takes: delta_z of delta_z[t], delta of \delta_t
    const head: NameAst = { ...name, index: undefined, subs: param && !indexParam ? [] : name.subs };
    const at = param ? null : name.index ? name.index.map((x) => this.integer(x, new Map(), 'an index')) : null;
    const key = spellingKey(this.spelled(head, new Map()));
    const list = this.defs.get(key) ?? [];
    // a later definition of the same index wins; concrete indices before a pattern
    list.unshift({ value, param: param?.base ?? null, at });
    this.defs.set(key, list);
  }

  /** The answer's own value of a spelled name (or of one of its indices), if it defines one. */
  private definition(s: Spelled, col: number): Val | null {
    if (this.defs.size === 0) return null;
    const subsAsIndex = s.subs.length > 0 && s.subs.every((g) => g.every((i) => /^-?\d+$/.test(i.text)));
    const candidates: Array<{ key: string; index: readonly number[] | null }> = [
      { key: spellingKey({ ...s, index: undefined }), index: s.index ?? null },
      // \delta_3 against \delta_t := ...: the subscripts are the index
      ...(subsAsIndex && !s.index ? [{ key: spellingKey({ ...s, subs: [], index: undefined }), index: s.subs.flat().map((i) => Number(i.text)) }] : []),
    ];
    for (const { key, index } of candidates) {
      const list = this.defs.get(key);
      if (!list) continue;
      const exact = list.find((d) => d.param === null && (d.at === null ? index === null : index !== null && d.at.join() === index.join()));
      // a pattern covers the steps 1..T (or, without steps, the indices the name has in the problem), so that an
      // open sum over it ends where the steps do
      const T = this.env.resolver.time.steps;
      const inRange = index !== null && index.length === 1 && (T !== null ? index[0]! >= 1 && index[0]! <= T : this.env.resolver.resolve(s).length > 0);
      const pattern = inRange ? list.find((d) => d.param !== null) : undefined;
      const plain = list.find((d) => d.param === null && d.at === null);
      const d = exact ?? pattern ?? (plain && index ? plain : undefined);
      if (!d) continue;
      const id = `${key}[${d === plain && index ? '' : index?.join(',') ?? ''}]`;
      let v = this.defined.get(id);
      if (!v) {
        if (this.evaluating.has(id)) throw new AnswerError(`the definition of ${key}${index ? `[${index.join(',')}]` : ''} refers to itself`, col, 'syntax');
        if (this.evaluating.size >= this.env.budget.limits.maxDepth) throw new AnswerError(`definitions nest deeper than ${this.env.budget.limits.maxDepth} levels`, col, 'limit');
        this.evaluating.add(id);
        try {
          v = this.val(d.value, d.param !== null ? new Map([[d.param, index![0]!]]) : new Map());
        } finally {
          this.evaluating.delete(id);
        }
        this.defined.set(id, v);
      }
      return d === plain && index ? this.select(v, index, col) : v;
    }
    return null;
  }

  private call(a: Extract<Ast, { t: 'call' }>, bound: Bound): Val {
    const arg = this.val(a.arg, bound);
    const f = a.fn;
    const more = (a.more ?? []).map((x) => x);
    const axis = (): 1 | 2 | null => {
      if (more.length === 0) return null;
      const n = this.integer(more[0]!, bound, 'an axis');
      if (n !== 1 && n !== 2) throw new AnswerError(`an axis is 1 (down the rows) or 2 (across each row), not ${n}`, more[0]!.col, 'syntax');
      return n;
    };
    const arity = (n: number) => { if (more.length > n - 1) throw new AnswerError(`${f} takes ${n === 1 ? 'one argument' : `at most ${n} arguments`}`, a.col, 'syntax'); };
    switch (f) {
      case 'diag': arity(1); return this.diag(arg, a.col);
      case 'softmax': arity(2); return this.rowwise(arg, axis(), a.col, (v) => { const den = add(...v.map((u) => fn('exp', u))); return v.map((u) => div(fn('exp', u), den)); }, 'softmax');
      case 'logsumexp': arity(2); return this.reduce(arg, axis(), (v) => fn('log', add(...v.map((u) => fn('exp', u)))));
      case 'sum': arity(2); return this.reduce(arg, axis(), (v) => add(...v));
      case 'mean': arity(2); return this.reduce(arg, axis(), (v) => div(add(...v), num(v.length)));
      case 'norm': arity(1); return this.reduce(arg, null, (v) => fn('sqrt', add(...v.map((u) => pow(u, num(2))))));
      case 'flatten': arity(1); { const es = entries(arg); return matrix(es.length, 1, es); }
      case 'dot': case 'outer': {
        arity(2);
        if (more.length !== 1) throw new AnswerError(`${f} takes two vectors`, a.col, 'syntax');
        const b = this.val(more[0]!, bound);
        const [u, v] = [this.vector(arg, f, a.col), this.vector(b, f, a.col)];
        if (f === 'dot') {
          if (u.length !== v.length) throw new AnswerError(`dot of vectors of ${u.length} and ${v.length} entries`, a.col, 'shape');
          this.charge(u.length);
          return scalar(add(...u.map((x, i) => mul(x, v[i]!))));
        }
        this.charge(u.length * v.length);
        return matrix(u.length, v.length, u.flatMap((x) => v.map((y) => mul(x, y))));
      }
      case 'concat': {
        const parts = [arg, ...more.map((x) => this.val(x, bound))].map((v) => this.vector(v, 'concat', a.col));
        const all = parts.flat();
        this.charge(all.length);
        return matrix(all.length, 1, all);
      }
      default: break;
    }
    if (more.length) throw new AnswerError(`${f} takes one argument`, a.col, 'syntax');
    if (isEngineFn(f)) {
      if (a.primes === 0) return map(arg, (u) => fn(f, u), this.charge, a.col);
      // sigma'(u) = sigma(u)(1 - sigma(u)), tanh'(u) = 1 - tanh^2 u, ...: the registry's own rules
      return map(arg, (u) => opSpec(f).partials([u], fn(f, u))[0]!, this.charge, a.col);
    }
    const g = EXTRA[f as keyof typeof EXTRA];
    return map(arg, a.primes === 0 ? g.value : g.slope, this.charge, a.col);
  }

  /** The entries of a vector (a scalar is a vector of one). */
  private vector(v: Val, what: string, col: number): Expr[] {
    if (v.k === 's') return [v.e];
    if (v.k === 'm' && (v.rows === 1 || v.cols === 1)) return [...v.a];
    throw new AnswerError(`${what} takes vectors, not ${shapeText(v)}`, col, 'shape');
  }

  /** A reduction of all entries, or (contract 2.7) with axis 1 down the rows (the column totals) or 2 across each row. */
  private reduce(v: Val, axis: 1 | 2 | null, f: (entries: Expr[]) => Expr): Val {
    if (v.k !== 'm' || axis === null || v.rows === 1 || v.cols === 1) {
      const es = [...entries(v)];
      this.charge(es.length);
      return scalar(f(es));
    }
    const groups = axis === 1
      ? Array.from({ length: v.cols }, (_, j) => Array.from({ length: v.rows }, (_, i) => v.a[i * v.cols + j]!))
      : Array.from({ length: v.rows }, (_, i) => v.a.slice(i * v.cols, (i + 1) * v.cols));
    this.charge(v.a.length);
    return matrix(groups.length, 1, groups.map(f));
  }

  /** A function of a vector, or of each row (axis 2) or each column (axis 1) of a matrix. */
  private rowwise(v: Val, axis: 1 | 2 | null, col: number, f: (entries: Expr[]) => Expr[], what: string): Val {
    if (v.k === 'm' && v.rows > 1 && v.cols > 1) {
      if (axis === null) throw new AnswerError(`${what} of a ${shapeText(v)} matrix needs an axis: ${what}(S, 2) for each row`, col, 'shape');
      const t = axis === 2 ? v : (transpose(v) as Extract<Val, { k: 'm' }>);
      const rows = Array.from({ length: t.rows }, (_, i) => f(t.a.slice(i * t.cols, (i + 1) * t.cols)));
      this.charge(v.a.length * 3);
      const out = matrix(t.rows, t.cols, rows.flat());
      return axis === 2 ? out : transpose(out);
    }
    const es = this.vector(v, what, col);
    this.charge(es.length * 3);
    const r = f(es);
    return v.k === 'm' ? matrix(v.rows, v.cols, r) : scalar(r[0]!);
  }

  /** x[2], (...)[1:2], A[i, :], A[:, j]: 1-based and inclusive; one index of a matrix is its row (a vector). */
  private selection(v: Val, items: readonly SelectItem[], bound: Bound, col: number): Val {
    const [rows, cols] = dims(v);
    const es = entries(v);
    const span = (it: SelectItem, n: number): number[] => {
      if (it.k === 'at') return [this.integer(it.ast, bound, 'an index')];
      const from = it.from ? this.integer(it.from, bound, 'a range') : 1;
      const to = it.to ? this.integer(it.to, bound, 'a range') : n;
      return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
    };
    const check = (is: number[], n: number) => {
      if (is.length === 0 || is.some((i) => i < 1 || i > n)) throw new AnswerError(`the selection is outside the ${shapeText(v)} value`, col, 'name');
    };
    if (items.length === 1) {
      // a vector's entries, or a matrix's rows
      const is = span(items[0]!, cols === 1 || rows === 1 ? es.length : rows);
      if (cols === 1 || rows === 1) { check(is, es.length); return matrix(is.length, 1, is.map((i) => es[i - 1]!)); }
      check(is, rows);
      if (is.length === 1) return matrix(cols, 1, es.slice((is[0]! - 1) * cols, is[0]! * cols));
      return matrix(is.length, cols, is.flatMap((i) => es.slice((i - 1) * cols, i * cols)));
    }
    if (items.length !== 2) throw new AnswerError(`a selection with ${items.length} indices from ${shapeText(v)}`, col, 'shape');
    const ri = span(items[0]!, rows), ci = span(items[1]!, cols);
    check(ri, rows); check(ci, cols);
    const out = ri.flatMap((i) => ci.map((j) => es[(i - 1) * cols + j - 1]!));
    // A[i, :] and A[:, j] are vectors (columns), as in 2.7
    return ri.length === 1 || ci.length === 1 ? matrix(out.length, 1, out) : matrix(ri.length, ci.length, out);
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
    const def = this.definition(s, a.col);
    if (def) return def;
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

const ENGINE_FNS: ReadonlySet<string> = new Set(FN_NAMES);
const isEngineFn = (f: AnswerFn): f is FnName => ENGINE_FNS.has(f);

const two = num(2);
const half = num(Rational.of(1n, 2n));
const cosh = (u: Expr): Expr => mul(half, add(fn('exp', u), fn('exp', neg(u))));
const sinh = (u: Expr): Expr => mul(half, sub(fn('exp', u), fn('exp', neg(u))));
/** Answer functions the engine has no op for, written with its ops: value and derivative. */
const EXTRA: Record<'sech' | 'cosh' | 'sinh' | 'sign', { value: (u: Expr) => Expr; slope: (u: Expr) => Expr }> = {
  // sech u = 1/cosh u; sech' = -sech u tanh u
  sech: { value: (u) => div(one, cosh(u)), slope: (u) => neg(mul(div(one, cosh(u)), fn('tanh', u))) },
  cosh: { value: cosh, slope: sinh },
  sinh: { value: sinh, slope: cosh },
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
