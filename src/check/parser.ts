/**
 * Reading an answer, plain text or LaTeX, into its syntax tree: the entry
 * points, and the LaTeX commands that are more than a token (\frac, \sqrt,
 * \partial, font commands, accents, indicators, matrix environments).
 * Bounded: see Cursor.
 */
import { Rational } from '../expr/rational.js';
import type { Ast, NameAst } from './ast.js';
import type { ParseOptions } from './cursor.js';
import { Grammar } from './grammar.js';
import { hasDefinitions, type Tok } from './tokens.js';
import { LATEX_FUNCS, GREEK_CMDS, FONT_CMDS, FRAC_CMDS, MATRIX_ENVS, ACCENT_CMDS, SPELLING_HINTS, TEXT_FUNCS } from './vocabulary.js';

export type { ParseOptions } from './cursor.js';

/** Parse one answer: an expression, or definitions (`d := p - t; d h^T`) and then the result. */
export function parseAnswer(text: string, opts: ParseOptions): Ast {
  const p = new Parser(text, { ...opts, statements: hasDefinitions(text) });
  return p.program();
}

/** Parse `lhs = rhs = ...` (a derivation line); a leading `=` gives no left part. */
export function parseChain(text: string, opts: ParseOptions): Array<{ ast: Ast; col: number }> {
  return new Parser(text, opts).chain();
}

/** One name as a sheet prints it (`{\mathbf{x}}^{[1]}_{(2),3}`), or null when the LaTeX is not a single name. */
export function parseName(latex: string, opts: ParseOptions): NameAst | null {
  try {
    const p = new Parser(latex, opts);
    const a = p.expr();
    p.finish();
    return a.t === 'name' ? a : null;
  } catch {
    return null;
  }
}

class Parser extends Grammar {
  protected command(t: Tok): Ast {
    const s = t.s;
    if (s in LATEX_FUNCS) { this.p++; return this.call(LATEX_FUNCS[s]!, t.col); }
    if (s in GREEK_CMDS) { this.p++; return this.node({ t: 'name', base: GREEK_CMDS[s]!, subs: [], col: t.col }); }
    if (FRAC_CMDS.has(s)) {
      this.p++;
      const a = this.fracArg(true), b = this.fracArg(false);
      // \frac{d E}{d w}, \frac{\mathrm{d}E}{\mathrm{d}w}: a Leibniz quotient with an upright or spaced d
      const dOf = (x: Ast): Ast | null => (x.t === 'bin' && x.op === 'mm' && x.l.t === 'name' && x.l.base === 'd' && x.l.subs.length === 0 && !x.l.index ? x.r : null);
      const [of, wrt] = [dOf(a), dOf(b)];
      if (of && wrt) return this.node({ t: 'deriv', of, wrt, col: t.col });
      return this.quotient(a, b, t.col);
    }
    if (s === 'sqrt') {
      this.p++;
      let root: Ast | null = null;
      if (this.isOp('[')) root = this.group();
      const arg = this.isOp('{') ? this.group() : this.postfix();
      if (!root) return this.node({ t: 'call', fn: 'sqrt', arg, primes: 0, col: t.col });
      const one: Ast = this.node({ t: 'num', value: Rational.ONE, col: t.col });
      return this.node({ t: 'bin', op: '^', l: arg, r: this.node({ t: 'bin', op: '/', l: one, r: root, col: t.col }), col: t.col });
    }
    if (s === 'partial') {
      this.p++;
      return this.node({ t: 'partial', x: this.postfix(), col: t.col });
    }
    if (s === 'begin') return this.environment();
    if (s in ACCENT_CMDS) {
      // \bar{h}_1, \overline{h_1}, \hat{o}: a decorated name
      this.p++;
      const inner = this.isOp('{') ? this.group() : this.primary();
      if (inner.t !== 'name' || inner.accent) this.fail(`\\${s} goes over a name, as in \\${s}{h}_1`, t.col);
      return this.node({ ...(inner as NameAst), accent: ACCENT_CMDS[s]! });
    }
    if (FONT_CMDS.has(s)) {
      this.p++;
      // \mathbb{1}[z > 0], \mathbf{1}_{z > 0}: the indicator, read as step
      if (this.isOp('{') && this.peek(1).k === 'num' && this.peek(1).s === '1' && this.isOp('}', 2) && (s === 'mathbb' || s === 'mathbf' || s === 'mathds')) {
        const one = this.peek(1);
        this.p += 3;
        if (this.isOp('_')) { this.p++; return this.indicatorBody(one.col, true); }
        if (this.isOp('[') || this.isOp('(') || this.isOp('{')) return this.indicatorBody(one.col, false);
        return this.node({ t: 'num', value: Rational.ONE, col: one.col });
      }
      // \operatorname{ReLU}, \mathrm{e}: one identifier in braces reads as that identifier (a function or a name)
      if (this.isOp('{') && this.peek(1).k === 'id' && this.isOp('}', 2)) {
        const id = this.peek(1);
        this.p += 3;
        if (s === 'operatorname' && !(id.s in TEXT_FUNCS) && !this.o.isName?.(id.s)) {
          this.fail(`unknown function \\operatorname{${id.s}}${hint(id.s.toLowerCase())}`, id.col);
        }
        return this.identifier(id.s, id.col);
      }
      if (!this.isOp('{')) return this.postfix();
      return this.group();
    }
    if (s === 'end') return this.fail('\\end without \\begin');
    return this.fail(`unknown LaTeX command '\\${s}'${hint(s)}`);
  }

  /** The condition of an indicator: [z > 0], (z > 0), {z > 0} or a subscript _{z > 0}. */
  private indicatorBody(col: number, subscript: boolean): Ast {
    const body = subscript && !this.isOp('{') ? this.postfix() : this.group();
    if (body.t !== 'cmp') this.fail('an indicator holds a comparison, as in \\mathbb{1}[z > 0]', col);
    return body;
  }

  /** \frac12 reads one digit per argument, as TeX does */
  private fracArg(first: boolean): Ast {
    const t = this.peek();
    if (this.isOp('{')) return this.group();
    if (t.k === 'num' && first && /^\d{2,}$/.test(t.s)) {
      this.toks[this.p] = { ...t, s: t.s.slice(1), col: t.col + 1, pos: t.pos + 1 };
      return this.node({ t: 'num', value: Rational.int(Number(t.s[0])), col: t.col });
    }
    if (t.k === 'num' && /^\d+$/.test(t.s) && t.s.length > 1) {
      this.toks[this.p] = { ...t, s: t.s.slice(1), col: t.col + 1, pos: t.pos + 1 };
      return this.node({ t: 'num', value: Rational.int(Number(t.s[0])), col: t.col });
    }
    return this.postfix();
  }

  /** Plain-text lists: [a, b, c] (a vector), [[a, b], [c, d]] or [a, b; c, d] (rows). */
  protected list(): Ast {
    const open = this.next();
    this.enter();
    const rows: Ast[][] = [[]];
    for (;;) {
      let item = this.expr();
      // [z > 0]: an indicator
      const c = this.peek();
      if (c.k === 'op' && ['>', '<', '>=', '<='].includes(c.s)) {
        this.p++;
        item = this.node({ t: 'cmp', op: c.s as '>' | '<' | '>=' | '<=', l: item, r: this.expr(), col: c.col });
      }
      rows[rows.length - 1]!.push(item);
      if (this.isOp(',')) { this.p++; continue; }
      if (this.isOp(';')) { this.p++; rows.push([]); continue; }
      this.expectOp(']', open);
      break;
    }
    this.leave();
    if (rows.some((r) => r.length !== rows[0]!.length)) this.fail('the rows of the matrix have different lengths', open.col);
    const only = rows.length === 1 ? rows[0]! : null;
    const inner = only?.map((c) => (c.t === 'matrix' && c.flat ? c.rows.length : -1));
    if (inner && inner.every((n) => n > 0) && inner.some((n) => n !== inner[0])) this.fail('the rows of the matrix have different lengths', open.col);
    if (only && only.every((c) => c.t === 'matrix' && c.flat)) {
      return this.node({ t: 'matrix', rows: only.map((c) => (c as Extract<Ast, { t: 'matrix' }>).rows.map((r) => r[0]!)), flat: false, col: open.col });
    }
    if (only) return this.node({ t: 'matrix', rows: only.map((c) => [c]), flat: true, col: open.col });
    return this.node({ t: 'matrix', rows, flat: false, col: open.col });
  }

  /** \begin{pmatrix} a & b \\ c & d \end{pmatrix} (also bmatrix, matrix, array{cc}, ...) */
  private environment(): Ast {
    const begin = this.next();
    const env = this.envName();
    if (!MATRIX_ENVS.has(env)) this.fail(`the environment '${env}' is not a matrix (use pmatrix or bmatrix)`, begin.col);
    if (env === 'array') {
      if (!this.isOp('{')) this.fail('array needs a column specification such as {cc}');
      while (!this.isOp('}') && this.peek().k !== 'end') this.p++;
      this.expectOp('}');
    }
    this.enter();
    const rows: Ast[][] = [[]];
    for (;;) {
      if (this.isCmd('end')) break;
      rows[rows.length - 1]!.push(this.expr());
      if (this.isOp('&')) { this.p++; continue; }
      if (this.isOp('\\\\')) { this.p++; rows.push([]); continue; }
      if (!this.isCmd('end')) this.fail(this.peek().k === 'end' ? `missing \\end{${env}}` : `unexpected '${this.peek().s}' in a matrix`);
    }
    this.p++;
    const close = this.envName();
    if (close !== env) this.fail(`\\begin{${env}} ends with \\end{${close}}`);
    this.leave();
    if (rows.length > 1 && rows[rows.length - 1]!.length === 0) rows.pop();
    const width = rows[0]!.length;
    if (rows.some((r) => r.length !== width)) this.fail('the rows of the matrix have different lengths', begin.col);
    return this.node({ t: 'matrix', rows, flat: false, col: begin.col });
  }

  private envName(): string {
    this.expectOp('{');
    const t = this.peek();
    if (t.k !== 'id') this.fail('expected an environment name');
    this.p++;
    if (this.isOp('*')) this.p++;
    this.expectOp('}');
    return t.s;
  }
}

/** " (write \operatorname{sech}(u))" for a command or function we do not read but know a spelling of. */
function hint(name: string): string {
  const h = SPELLING_HINTS[name];
  return h ? ` (write ${h})` : '';
}
