/**
 * The grammar of answers, shared by plain text and LaTeX (the token streams
 * differ). Precedence, loosest first:
 *   program := (name ':=' expr sep)* expr          (answers with definitions)
 *   chain   := ['='] expr ('=' expr)*              (derivation lines)
 *   expr    := term (('+' | '-') term)*
 *   term    := factor (op factor)*   op: '*', '/', \odot, \cdot, '@' (tighter), juxtaposition
 *   factor  := ('-' | '+') factor | big | postfix
 *   big     := \sum_{v=a}^{b} | \sum_v | \sum_{i,j} | \prod ..., then the rest of the term: the
 *              summand runs to the last factor of the term that uses the index (past \cdot and *),
 *              so `\prod_i w_i h_i \cdot h_1` multiplies h_1 once and `\sum_i w_i \cdot x_i` sums both
 *   postfix := primary ('^' exponent | '^' index | '_' subscript | '[' index ']' | transpose | prime)*
 *   group   := '(' expr [comparison expr] ')'       (`(z > 0)`, `\mathbb{1}[z > 0]`: step)
 * LaTeX commands (\frac, \sqrt, environments, fonts, accents) are read by the subclass in parser.ts.
 * Nothing is evaluated here; the tree is lowered to the engine's Expr later.
 */
import { Rational } from '../expr/rational.js';
import { mentions, type Ast, type CmpOp, type NameAst, type SelectItem, type SubItem, type Wrap } from './ast.js';
import { Cursor } from './cursor.js';
import type { Tok } from './tokens.js';
import { LATEX_FUNCS, GREEK_CMDS, FONT_CMDS, FRAC_CMDS, TEXT_FUNCS, ACCENT_CMDS, type AnswerFn } from './vocabulary.js';

type ProductOp = 'first' | '*' | 'mm' | 'at' | '/' | 'odot';
interface Factor { readonly op: ProductOp; readonly ast: Ast; readonly col: number }

const CMP_OPS = new Set(['>', '<', '>=', '<=']);

export abstract class Grammar extends Cursor {
  /** A LaTeX command in the position of a factor. */
  protected abstract command(t: Tok): Ast;
  /** A plain-text list [a, b] or [[a, b], [c, d]] in the position of a factor. */
  protected abstract list(): Ast;

  /** The whole answer: definitions (`name := expr`, separated by `;` or line breaks), then the result. */
  program(): Ast {
    const defs: Array<{ name: NameAst; value: Ast }> = [];
    const col = this.peek().col;
    for (;;) {
      while (this.isOp('sep')) this.p++;
      const start = this.p;
      const lhs = this.definedName();
      if (lhs) {
        defs.push({ name: lhs, value: this.expr() });
        if (this.isOp('sep')) continue;
        this.finish();
        this.fail(`the answer ends with the definition of '${lhs.base}': write the result after it, as in d := p - t; d h^T`, lhs.col);
      }
      this.p = start;
      const body = this.expr();
      if (this.isOp('sep') && defs.length === 0 && !this.seesDefinition()) this.fail('a \';\' or a line break separates definitions (name := expr) from the result; this answer defines nothing before it');
      if (this.isOp('sep')) this.fail('the result must come last, after every definition (name := expr)');
      this.finish();
      return defs.length ? this.node({ t: 'program', defs, body, col }) : body;
    }
  }

  /** `d :=`, `\delta_2 :=`: a name and the definition sign, consumed; else null (nothing consumed that matters). */
  private definedName(): NameAst | null {
    const t = this.peek();
    if (t.k !== 'id' && !(t.k === 'cmd' && (t.s in GREEK_CMDS || FONT_CMDS.has(t.s) || t.s in ACCENT_CMDS))) return null;
    let depth = 0;
    for (let k = this.p; k < this.toks.length; k++) {
      const u = this.toks[k]!;
      if (u.k === 'end' || (u.k === 'op' && u.s === 'sep' && depth === 0)) return null;
      if (u.k === 'op' && '([{'.includes(u.s)) depth++;
      if (u.k === 'op' && ')]}'.includes(u.s)) depth--;
      if (u.k === 'op' && u.s === ':=' && depth === 0) {
        const lhs = this.postfix();
        if (lhs.t !== 'name' || !this.isOp(':=')) this.fail('only a name can be defined, as in d := p - t', t.col);
        this.p++;
        return lhs;
      }
    }
    return null;
  }

  private seesDefinition(): boolean {
    return this.toks.some((u) => u.k === 'op' && u.s === ':=');
  }

  /** A derivation line: its steps, split at '=' (LaTeX's '&=' and a trailing line break are fine). */
  chain(): Array<{ ast: Ast; col: number }> {
    const parts: Array<{ ast: Ast; col: number }> = [];
    const skipAmp = () => { while (this.isOp('&')) this.p++; };
    skipAmp();
    if (this.isOp('=')) this.p++;
    for (;;) {
      skipAmp();
      const col = this.peek().col;
      parts.push({ ast: this.expr(), col });
      skipAmp();
      if (this.isOp('\\\\')) this.p++;
      if (this.isOp('=')) { this.p++; continue; }
      this.finish();
      return parts;
    }
  }

  expr(): Ast {
    this.enter();
    let l = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      l = this.node({ t: 'bin', op: t.s as '+' | '-', l, r: this.term(), col: t.col });
    }
    this.leave();
    return l;
  }

  protected term(): Ast {
    this.enter();
    const r = this.fold(this.factors('first'));
    this.leave();
    return r;
  }

  /** The factors of a term from here on, each with the operator before it; a big operator takes the rest. */
  private factors(firstOp: ProductOp): Factor[] {
    const items: Factor[] = [];
    let op: ProductOp = firstOp;
    let juxtaposed = false;
    for (;;) {
      const t = this.peek();
      let negate = false;
      // a sign at the start of a factor (-2 x, a * -b); juxtaposition never starts with a sign
      for (let signs = 0; !juxtaposed; signs++) {
        if (signs > this.o.budget.limits.maxDepth) this.fail(`nesting deeper than ${this.o.budget.limits.maxDepth} levels`);
        if (this.isOp('-')) { this.p++; negate = !negate; continue; }
        if (this.isOp('+')) { this.p++; continue; }
        break;
      }
      if (this.isBigStart()) {
        const big = this.big(negate);
        items.push({ op, ast: big.node, col: t.col }, ...big.after);
        return items;
      }
      this.enter();
      let f = this.leibniz(this.postfix());
      this.leave();
      if (negate) f = this.node({ t: 'neg', x: f, col: t.col });
      items.push({ op, ast: f, col: t.col });
      const n = this.peek();
      juxtaposed = false;
      if (this.isOp('*')) op = '*';
      else if (this.isOp('cdot')) op = 'mm';
      else if (this.isOp('mm')) op = 'at';
      else if (this.isOp('/')) op = '/';
      else if (this.isOp('odot')) op = 'odot';
      else if (this.startsOperand(n)) { op = 'mm'; juxtaposed = true; continue; }
      else return items;
      this.p++;
    }
  }

  /** Left to right, except that `@` binds tighter than the other products (contract 2.7). */
  private fold(items: readonly Factor[]): Ast {
    const runs: Factor[] = [];
    for (const it of items) {
      const last = runs[runs.length - 1];
      if (it.op === 'at' && last) runs[runs.length - 1] = { ...last, ast: this.node({ t: 'bin', op: 'mm', l: last.ast, r: it.ast, col: it.col }) };
      else runs.push(it);
    }
    let l = runs[0]!.ast;
    for (const it of runs.slice(1)) {
      if (it.op === '/') l = this.quotient(l, it.ast, it.col);
      else l = this.node({ t: 'bin', op: it.op === 'odot' ? 'odot' : it.op === '*' ? '*' : 'mm', l, r: it.ast, col: it.col });
    }
    return l;
  }

  /** a/b, or a Leibniz quotient when both sides carry the partial sign */
  protected quotient(l: Ast, r: Ast, col: number): Ast {
    if (l.t === 'partial' && r.t === 'partial') return this.node({ t: 'deriv', of: l.x, wrt: r.x, col: l.col });
    return this.node({ t: 'bin', op: '/', l, r, col });
  }

  /** Juxtaposition: does this token start another factor? */
  protected startsOperand(t: Tok): boolean {
    if (t.k === 'num' || t.k === 'id') return true;
    // after a name, '[' is its index (taken by postfix); after anything else it starts a matrix
    if (t.k === 'op') return t.s === '(' || t.s === '[' || (this.o.latex && t.s === '{');
    if (t.k === 'cmd') return t.s in LATEX_FUNCS || t.s in GREEK_CMDS || FONT_CMDS.has(t.s) || FRAC_CMDS.has(t.s) || t.s in ACCENT_CMDS ||
      ['sqrt', 'partial', 'sum', 'prod', 'begin'].includes(t.s);
    return false;
  }

  private isBigStart(): boolean {
    const t = this.peek();
    return (t.k === 'cmd' && (t.s === 'sum' || t.s === 'prod')) || (t.k === 'id' && (t.s === 'sum' || t.s === 'prod') && this.isOp('_', 1));
  }

  /** dE/do and ∂E/∂o bind as one factor, so that ∂o/∂h ∂h/∂b is a product of two quotients. */
  protected leibniz(x: Ast): Ast {
    if (!this.isOp('/')) return x;
    const n = this.peek(1);
    const dName = (a: Ast) => a.t === 'name' && !a.index && a.base.length > 1 && a.base[0] === 'd';
    const slash = this.peek();
    if (x.t === 'partial' && n.k === 'cmd' && n.s === 'partial') { this.p++; return this.quotient(x, this.postfix(), slash.col); }
    if (dName(x) && n.k === 'id' && n.s.length > 1 && n.s[0] === 'd') {
      this.p++;
      return this.node({ t: 'bin', op: '/', l: x, r: this.postfix(), col: slash.col });
    }
    return x;
  }

  /**
   * \sum_{t=1}^{T}, \sum_t, \sum_{i,j}, sum_t(...) and \prod: the summand is the rest of the term up to its
   * last factor that uses the index; factors after that multiply the sum (they do not depend on the index).
   */
  private big(negate: boolean): { node: Ast; after: Factor[] } {
    const t = this.next();
    const op = t.s as 'sum' | 'prod';
    const sym = t.k === 'cmd' ? `\\${op}` : op;
    this.enter();
    if (!this.isOp('_')) this.fail(`${sym} needs an index, as in ${sym}_t or ${sym}_{t=1}^{T}`);
    this.p++;
    const vars: Array<{ v: string; from: Ast | null }> = [];
    const oneVar = (): void => {
      const v = this.peek();
      if (v.k !== 'id' || !/^[A-Za-z]$/.test(v.s)) this.fail(`the index of ${sym} is one letter, as in ${sym}_{t=1}^{T}`);
      this.p++;
      let from: Ast | null = null;
      if (this.isOp('=')) { this.p++; from = this.expr(); }
      vars.push({ v: v.s, from });
    };
    if (this.isOp('{') || (!this.o.latex && this.isOp('('))) {
      const open = this.next();
      for (;;) {
        oneVar();
        if (this.isOp(',')) { this.p++; continue; }
        break;
      }
      this.expectOp(open.s === '{' ? '}' : ')', open);
    } else {
      const v = this.peek();
      if (v.k !== 'id' || !/^[A-Za-z]$/.test(v.s)) this.fail(`the index of ${sym} is one letter, as in ${sym}_t or ${sym}_{t=1}^{T}`);
      this.p++;
      vars.push({ v: v.s, from: null });
    }
    let to: Ast | null = null;
    if (this.isOp('^')) {
      if (vars.length > 1) this.fail(`${sym} over several indices takes no upper limit (each runs over its whole range)`);
      this.p++;
      to = this.supArg();
    }
    const rest = this.factors('first');
    if (rest.length === 0) this.fail(`${sym} needs a summand`);
    const bound = new Set(vars.map((x) => x.v));
    let last = 0;
    rest.forEach((f, i) => { if (mentions(f.ast, bound)) last = i; });
    let node: Ast = this.fold(rest.slice(0, last + 1));
    for (let i = vars.length - 1; i >= 0; i--) {
      node = this.node({ t: 'big', op, v: vars[i]!.v, from: vars[i]!.from, to: i === vars.length - 1 ? to : null, body: node, col: t.col });
    }
    this.leave();
    if (negate) node = this.node({ t: 'neg', x: node, col: t.col });
    const after = rest.slice(last + 1);
    return { node, after };
  }

  protected postfix(): Ast {
    this.enter();
    let base = this.primary();
    for (;;) {
      const t = this.peek();
      if (this.isOp('^')) {
        this.p++;
        if (this.isOp('ᵀ') || this.isTopGroup()) { this.skipTop(); base = this.node({ t: 'transpose', x: base, col: t.col }); continue; }
        if (this.isOp("'")) this.fail("a prime (') follows a function name, as in sigma'(u); for a transpose write W^T");
        const sup = base.t === 'name' && !base.sup && !base.index ? this.indexSup(base) : null;
        if (sup && base.t === 'name') { base = this.node({ ...base, sup }); continue; }
        base = this.node({ t: 'bin', op: '^', l: base, r: this.supArg(), col: t.col });
      } else if (this.isOp('ᵀ')) {
        this.p++;
        base = this.node({ t: 'transpose', x: base, col: t.col });
      } else if (this.isOp('_') && base.t === 'name' && !base.index) {
        this.p++;
        base = this.node({ ...base, subs: [...base.subs, this.subscript()] });
      } else if (this.isOp('[') && this.selects(base, t)) {
        const index = this.selection();
        // a name's plain index (K[1,1], h[t-1]) is part of the name; ranges select from its value
        if (base.t === 'name' && !base.index && index.every((it) => it.k === 'at')) base = this.node({ ...base, index: index.map((it) => (it as { ast: Ast }).ast) });
        else base = this.node({ t: 'select', x: base, index, col: t.col });
      } else if (this.isOp("'") && base.t === 'name' && !base.accent && (this.isOp('_', 1) || this.isOp('^', 1))) {
        // \delta'_t: a primed name (a sheet's name for a second layer's delta)
        this.p++;
        base = this.node({ ...base, accent: 'prime' });
      } else if (this.isOp("'")) {
        this.fail("a prime (') follows a function name, as in sigma'(u); for a transpose write W^T");
      } else break;
    }
    this.leave();
    return base;
  }

  /**
   * Does '[' select from what comes before it? After a name (in LaTeX only right after it: `w_i [x]` is a
   * product), and in plain text after anything it touches: `(...)[1:2]`, as derive --json prints slices.
   */
  private selects(base: Ast, t: Tok): boolean {
    const adjacent = t.pos === this.toks[this.p - 1]!.end;
    if (base.t === 'name' && !base.index) return !this.o.latex || adjacent;
    return !this.o.latex && adjacent;
  }

  /** `[2]`, `[t-1]`, `[1, 2]`, `[1:2]`, `[i, :]`, `[:, j]`: the items of a selection. */
  private selection(): SelectItem[] {
    const open = this.next();
    const items: SelectItem[] = [];
    const end = () => this.isOp(',') || this.isOp(']');
    for (;;) {
      const from = this.isOp(':') ? null : this.expr();
      if (this.isOp(':')) {
        this.p++;
        items.push({ k: 'range', from, to: end() ? null : this.expr() });
      } else items.push({ k: 'at', ast: from! });
      if (this.isOp(',')) { this.p++; continue; }
      this.expectOp(']', open);
      return items;
    }
  }

  /**
   * A superscript that is an index, not a power: `^{[t]}`, `^{(3)}`, `^[t]` (contract 6.3: never a power),
   * and a letter over a delta (`\delta^{z}_t`, the adjoint of z_t). The tokens after '^' are consumed.
   */
  private indexSup(base: NameAst): SubItem[] | null {
    const bracketed = (at: number): number => {
      // index of the token that closes the bracket at `at`, or -1
      const open = this.peek(at);
      if (open.k !== 'op' || (open.s !== '(' && open.s !== '[')) return -1;
      const close = open.s === '(' ? ')' : ']';
      let depth = 0;
      for (let k = at; this.p + k < this.toks.length; k++) {
        const u = this.peek(k);
        if (u.k === 'end') return -1;
        if (u.k === 'op' && (u.s === '(' || u.s === '[' || u.s === '{')) depth++;
        if (u.k === 'op' && (u.s === ')' || u.s === ']' || u.s === '}')) { depth--; if (depth === 0) return u.s === close ? k : -1; }
      }
      return -1;
    };
    const item = (from: number, to: number, wrap: Wrap): SubItem => {
      const start = this.peek(from);
      const end = this.peek(to);
      this.p += from;
      const ast = this.expr();
      this.expectOp(wrap === '()' ? ')' : ']');
      return { text: this.src.slice(start.pos, end.end).replace(/\s+/g, ''), ast, wrap };
    };
    if (this.isOp('{')) {
      const close = bracketed(1);
      if (close > 0 && this.isOp('}', close + 1)) {
        const wrap: Wrap = this.peek(1).s === '(' ? '()' : '[]';
        const it = item(2, close - 1, wrap);
        this.expectOp('}');
        return [it];
      }
      if (base.base === 'delta' && this.peek(1).k === 'id' && this.isOp('}', 2) && this.peek(1).s !== 'T') {
        const id = this.peek(1);
        this.p += 3;
        return [{ text: id.s, ast: this.node({ t: 'name', base: id.s, subs: [], col: id.col }), wrap: '' }];
      }
      return null;
    }
    if (this.isOp('[')) {
      const close = bracketed(0);
      if (close > 0) return [item(1, close - 1, '[]')];
      return null;
    }
    const id = this.peek();
    if (base.base === 'delta' && id.k === 'id' && id.s !== 'T' && /^[A-Za-z]$/.test(id.s)) {
      this.p++;
      return [{ text: id.s, ast: this.node({ t: 'name', base: id.s, subs: [], col: id.col }), wrap: '' }];
    }
    return null;
  }

  protected isTopGroup(): boolean {
    // ^{\top}, ^{T}? (T alone is decided later: it may be a name), ^{\mathsf{T}}
    return this.isOp('{') && this.peek(1).k === 'op' && this.peek(1).s === 'ᵀ' && this.isOp('}', 2);
  }

  protected skipTop(): void {
    if (this.isOp('ᵀ')) { this.p++; return; }
    this.p += 3;
  }

  /** What follows '^': a braced group (LaTeX), a single token, or (plain text) a signed factor. */
  protected supArg(): Ast {
    if (this.isOp('{')) return this.group();
    if (this.o.latex) {
      const t = this.peek();
      if (this.isOp('-')) { this.p++; return this.node({ t: 'neg', x: this.supArg(), col: t.col }); }
      if (t.k === 'num' || t.k === 'id') return this.primary();
      return this.postfix();
    }
    this.enter();
    const t = this.peek();
    let r: Ast;
    if (this.isOp('-') || this.isOp('+')) { this.p++; const x = this.supArg(); r = t.s === '-' ? this.node({ t: 'neg', x, col: t.col }) : x; }
    else r = this.postfix();
    this.leave();
    return r;
  }

  /** `_11`, `_{11}`, `_{t-1}`, `_{1,2}`, `_x`, `_{(t)}`: items keep their text and brackets for name spelling. */
  protected subscript(): SubItem[] {
    const t = this.peek();
    if (this.isOp('{') || (!this.o.latex && this.isOp('('))) {
      const open = this.next();
      const close = open.s === '{' ? '}' : ')';
      const items: SubItem[] = [];
      for (;;) {
        const start = this.peek();
        const ast = this.expr();
        const last = this.toks[this.p - 1]!;
        const text = this.src.slice(start.pos, last.end).replace(/\s+/g, '');
        items.push({ text, ast, wrap: wrapOf(text) });
        if (this.isOp(',')) { this.p++; continue; }
        this.expectOp(close, open);
        return items;
      }
    }
    if (t.k === 'num' || t.k === 'id' || (t.k === 'cmd' && t.s in GREEK_CMDS)) {
      const ast = this.primary();
      return [{ text: t.k === 'cmd' ? GREEK_CMDS[t.s]! : t.s, ast, wrap: '' }];
    }
    return this.fail('expected a subscript after _');
  }

  /** ( expr ), { expr }, LaTeX [ expr ]; a comparison inside reads as an indicator (1 where it holds). */
  protected group(): Ast {
    const open = this.next();
    const close = open.s === '(' ? ')' : open.s === '[' ? ']' : '}';
    let e = this.expr();
    const c = this.peek();
    if (c.k === 'op' && CMP_OPS.has(c.s)) {
      this.p++;
      e = this.node({ t: 'cmp', op: c.s as CmpOp, l: e, r: this.expr(), col: c.col });
    }
    this.expectOp(close, open);
    return e;
  }

  protected primary(): Ast {
    const t = this.peek();
    switch (t.k) {
      case 'num': {
        this.p++;
        const value = Rational.parse(t.s);
        if (!value || Math.abs(Number(/e([+-]?\d+)/i.exec(t.s)?.[1] ?? 0)) > 300) this.fail(`the number '${t.s}' is out of range`, t.col);
        return this.node({ t: 'num', value: value!, col: t.col });
      }
      case 'id': this.p++; return this.identifier(t.s, t.col);
      case 'cmd': return this.command(t);
      case 'op': {
        if (t.s === '(' || t.s === '{' || (this.o.latex && t.s === '[')) return this.group();
        if (t.s === '[') return this.list();
        if (t.s === '|') {
          this.p++;
          const x = this.expr();
          this.expectOp('|', t);
          return this.node({ t: 'call', fn: 'abs', arg: x, primes: 0, col: t.col });
        }
        if (t.s === ')' || t.s === ']' || t.s === '}') return this.fail(`unbalanced '${t.s}' (nothing opens it)`);
        if (t.s === ':=') return this.fail("':=' defines a name: write it at the start of a line, as in d := p - t; d h^T");
        if (CMP_OPS.has(t.s)) return this.fail(`a comparison such as z ${t.s} 0 goes in brackets: (z ${t.s} 0) or \\mathbb{1}[z ${t.s} 0]`);
        if (t.s === 'sep') return this.fail("a ';' separates definitions (name := expr) from the result");
        return this.fail(`unexpected '${t.s === 'mm' ? '@' : t.s === 'cdot' ? '\\cdot' : t.s}'`);
      }
      case 'end': return this.fail('unexpected end of the answer');
    }
  }

  /** A name or a function, spelled `s`; its tokens are already consumed. */
  protected identifier(s: string, col: number): Ast {
    const fn = TEXT_FUNCS[s];
    const next = this.peek();
    const bracketNext = next.k === 'op' && ['(', "'", '^'].includes(next.s);
    if (fn && (!this.o.isName?.(s) || bracketNext) && !(s === 'sum' && this.isOp('_'))) return this.call(fn, col);
    return this.node({ t: 'name', base: s, subs: [], col });
  }

  /** Function application: primes and a power may come before the argument (\tanh^2 z, \sigma'(u)). */
  protected call(fn: AnswerFn, col: number): Ast {
    let primes = 0;
    let power: Ast | null = null;
    for (;;) {
      if (this.isOp("'")) { this.p++; primes++; continue; }
      if (this.isOp('^') && !power) {
        this.p++;
        if (this.isOp("'")) { this.p++; primes++; continue; }
        if (this.isOp('{') && this.isOp("'", 1) && this.isOp('}', 2)) { this.p += 3; primes++; continue; }
        power = this.supArg();
        if (power.t === 'neg') this.fail('inverse functions (^{-1}) are not supported', power.col);
        continue;
      }
      break;
    }
    if (primes > 1) this.fail('only first derivatives (one prime) are supported', col);
    const t = this.peek();
    let arg: Ast;
    const more: Ast[] = [];
    if (this.isOp('(')) {
      // sum(X, 2), softmax(S, 2), concat(a, b): arguments after the first
      const open = this.next();
      arg = this.expr();
      while (this.isOp(',')) { this.p++; more.push(this.expr()); }
      this.expectOp(')', open);
    } else if (this.isOp('{') || (this.o.latex && this.isOp('['))) arg = this.group();
    else if (t.k === 'end' || (t.k === 'op' && t.s !== '|')) arg = this.fail(`${fn} needs an argument, as in ${fn}(u)`);
    else arg = this.postfix();
    const c: Ast = this.node({ t: 'call', fn, arg, primes, col, ...(more.length ? { more } : {}) });
    return power ? this.node({ t: 'bin', op: '^', l: c, r: power, col }) : c;
  }
}

/** `(t)` -> '()', `[t]` -> '[]' when the brackets enclose the whole item. */
function wrapOf(text: string): Wrap {
  const s = text.replace(/\\(left|right|big|Big)[lr]?/g, '');
  for (const [o, c, w] of [['(', ')', '()'], ['[', ']', '[]']] as const) {
    if (!s.startsWith(o) || !s.endsWith(c)) continue;
    let depth = 0;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === o) depth++;
      if (s[i] === c && --depth === 0 && i < s.length - 1) return '';
    }
    return w;
  }
  return '';
}
