/**
 * The grammar of answers, shared by plain text and LaTeX (the token streams
 * differ). Precedence, loosest first:
 *   chain   := ['='] expr ('=' expr)*            (derivation lines)
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/' | odot | juxtaposition) unary)*
 *   unary   := ('-' | '+') unary | big | postfix
 *   big     := \sum_{v=a}^{b} factors | \prod_{v=a}^{b} factors   (juxtaposed factors only)
 *   postfix := primary ('^' exponent | '_' subscript | '[' index ']' | transpose)*
 * LaTeX commands (\frac, \sqrt, environments, fonts) are read by the subclass in parser.ts.
 * Nothing is evaluated here; the tree is lowered to the engine's Expr later.
 */
import { Rational } from '../expr/rational.js';
import type { FnName } from '../expr/expr.js';
import type { Ast, SubItem } from './ast.js';
import { Cursor } from './cursor.js';
import type { Tok } from './tokens.js';
import { LATEX_FUNCS, GREEK_CMDS, FONT_CMDS, FRAC_CMDS, TEXT_FUNCS } from './vocabulary.js';

export abstract class Grammar extends Cursor {
  /** A LaTeX command in the position of a factor. */
  protected abstract command(t: Tok): Ast;
  /** A plain-text list [a, b] or [[a, b], [c, d]] in the position of a factor. */
  protected abstract list(): Ast;

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
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (this.isOp('*')) { this.p++; l = this.node({ t: 'bin', op: '*', l, r: this.unary(), col: t.col }); }
      else if (this.isOp('/')) { this.p++; l = this.quotient(l, this.unary(), t.col); }
      else if (this.isOp('odot')) { this.p++; l = this.node({ t: 'bin', op: 'odot', l, r: this.unary(), col: t.col }); }
      else if (this.startsOperand(t)) l = this.node({ t: 'bin', op: '*', l, r: this.bigOrPostfix(), col: t.col });
      else break;
    }
    this.leave();
    return l;
  }

  /**
   * The body of \sum or \prod: juxtaposed factors only. An explicit \cdot, * or / ends it, as in the
   * seeds' w_4 \cdot \prod_{i=2}^{3} w_i h_i (1 - h_i) \cdot h_1 (1 - h_1).
   */
  protected juxtaposition(): Ast {
    this.enter();
    let l = this.unary();
    while (this.startsOperand(this.peek())) {
      const t = this.peek();
      l = this.node({ t: 'bin', op: '*', l, r: this.bigOrPostfix(), col: t.col });
    }
    this.leave();
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
    if (t.k === 'cmd') return t.s in LATEX_FUNCS || t.s in GREEK_CMDS || FONT_CMDS.has(t.s) || FRAC_CMDS.has(t.s) ||
      ['sqrt', 'partial', 'sum', 'prod', 'begin'].includes(t.s);
    return false;
  }

  protected unary(): Ast {
    const t = this.peek();
    if (this.isOp('-') || this.isOp('+')) {
      this.p++;
      this.enter();
      const x = this.unary();
      this.leave();
      return t.s === '-' ? this.node({ t: 'neg', x, col: t.col }) : x;
    }
    return this.bigOrPostfix();
  }

  protected bigOrPostfix(): Ast {
    const t = this.peek();
    const isBig = (t.k === 'cmd' && (t.s === 'sum' || t.s === 'prod')) || (t.k === 'id' && (t.s === 'sum' || t.s === 'prod') && this.isOp('_', 1));
    return isBig ? this.big() : this.leibniz(this.postfix());
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

  /** \sum_{t=1}^{T} body: the body is the following juxtaposed product (it stops at + - * / \cdot). */
  protected big(): Ast {
    const t = this.next();
    this.enter();
    if (!this.isOp('_')) this.fail(`${t.s} needs a lower limit, as in ${t.s}_{t=1}^{T}`);
    this.p++;
    const braced = this.isOp('{') || this.isOp('(');
    const open = braced ? this.next() : undefined;
    const v = this.peek();
    if (v.k !== 'id' || !/^[A-Za-z]$/.test(v.s)) this.fail('the index of a sum is one letter, as in t=1');
    this.p++;
    this.expectOp('=');
    const from = braced ? this.expr() : this.postfix();
    if (open) this.expectOp(open.s === '{' ? '}' : ')', open);
    if (!this.isOp('^')) this.fail(`${t.s} needs an upper limit, as in ${t.s}_{${v.s}=1}^{T}`);
    this.p++;
    const to = this.supArg();
    const body = this.juxtaposition();
    this.leave();
    return this.node({ t: 'big', op: t.s as 'sum' | 'prod', v: v.s, from, to, body, col: t.col });
  }

  protected postfix(): Ast {
    this.enter();
    let base = this.primary();
    for (;;) {
      const t = this.peek();
      if (this.isOp('^')) {
        this.p++;
        if (this.isOp('ᵀ') || this.isTopGroup()) { this.skipTop(); base = this.node({ t: 'transpose', x: base, col: t.col }); continue; }
        if (this.isOp("'")) this.fail("a prime (') follows a function name, as in sigma'(u)");
        base = this.node({ t: 'bin', op: '^', l: base, r: this.supArg(), col: t.col });
      } else if (this.isOp('ᵀ')) {
        this.p++;
        base = this.node({ t: 'transpose', x: base, col: t.col });
      } else if (this.isOp('_') && base.t === 'name' && !base.index) {
        this.p++;
        base = this.node({ ...base, subs: [...base.subs, this.subscript()] });
      } else if (this.isOp('[') && base.t === 'name' && !base.index && (!this.o.latex || t.pos === this.toks[this.p - 1]!.end)) {
        const open = this.next();
        const index: Ast[] = [];
        for (;;) {
          index.push(this.expr());
          if (this.isOp(',')) { this.p++; continue; }
          this.expectOp(']', open);
          break;
        }
        base = this.node({ ...base, index });
      } else if (this.isOp("'")) {
        this.fail("a prime (') follows a function name, as in sigma'(u)");
      } else break;
    }
    this.leave();
    return base;
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

  /** `_11`, `_{11}`, `_{t-1}`, `_{1,2}`, `_x`: items keep their text for name spelling. */
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
        items.push({ text: this.src.slice(start.pos, last.end).replace(/\s+/g, ''), ast });
        if (this.isOp(',')) { this.p++; continue; }
        this.expectOp(close, open);
        return items;
      }
    }
    if (t.k === 'num' || t.k === 'id' || (t.k === 'cmd' && t.s in GREEK_CMDS)) {
      const ast = this.primary();
      return [{ text: t.k === 'cmd' ? GREEK_CMDS[t.s]! : t.s, ast }];
    }
    return this.fail('expected a subscript after _');
  }

  protected group(): Ast {
    const open = this.next();
    const close = open.s === '(' ? ')' : open.s === '[' ? ']' : '}';
    const e = this.expr();
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
        return this.fail(`unexpected '${t.s}'`);
      }
      case 'end': return this.fail('unexpected end of the answer');
    }
  }

  /** A name or a function, spelled `s`; its tokens are already consumed. */
  protected identifier(s: string, col: number): Ast {
    const fn = TEXT_FUNCS[s];
    const next = this.peek();
    const bracketNext = next.k === 'op' && ['(', "'", '^'].includes(next.s);
    if (fn && (!this.o.isName?.(s) || bracketNext)) return this.call(fn, col);
    return this.node({ t: 'name', base: s, subs: [], col });
  }

  /** Function application: primes and a power may come before the argument (\tanh^2 z, \sigma'(u)). */
  protected call(fn: FnName, col: number): Ast {
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
    if (this.isOp('(') || this.isOp('{') || (this.o.latex && this.isOp('['))) arg = this.group();
    else if (t.k === 'end' || (t.k === 'op' && t.s !== '|')) arg = this.fail(`${fn} needs an argument, as in ${fn}(u)`);
    else arg = this.postfix();
    const c: Ast = this.node({ t: 'call', fn, arg, primes, col });
    return power ? this.node({ t: 'bin', op: '^', l: c, r: power, col }) : c;
  }

}
