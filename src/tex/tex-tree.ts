/**
 * A small reader of the LaTeX math this project writes (not of TeX in
 * general): groups, commands with their arguments, scripts, \left...\right
 * pairs and environments become a tree, so that the width estimate and the
 * line breaker see the structure the printer built, and a break is placed
 * only between top-level items.
 */

/** Where a node's source starts and ends in the string it was read from. */
export interface Span { from: number; to: number }

export type TexNode = Span & TexKind;

type TexKind =
  | { readonly t: 'char'; readonly s: string }
  | { readonly t: 'space' }
  /** a control word or symbol with the arguments it takes (`\frac{a}{b}`: two) */
  | { readonly t: 'cmd'; readonly name: string; readonly args: readonly TexNode[][] }
  | { readonly t: 'group'; readonly body: readonly TexNode[] }
  | { readonly t: 'script'; readonly base: TexNode | null; readonly sub: TexNode | null; readonly sup: TexNode | null }
  | { readonly t: 'delim'; readonly open: string; readonly close: string; readonly body: readonly TexNode[] }
  /** rows of cells, each cell a node list */
  | { readonly t: 'env'; readonly name: string; readonly arg: string; readonly rows: readonly (readonly (readonly TexNode[])[])[] };

/** Commands and the number of brace arguments they take. */
const ARITY: Readonly<Record<string, number>> = {
  frac: 2, dfrac: 2, tfrac: 2, binom: 2, sqrt: 1, text: 1, textbf: 1, textit: 1, mathrm: 1, mathbf: 1, mathit: 1,
  boldsymbol: 1, operatorname: 1, mathcal: 1, mathbb: 1, overline: 1, underline: 1, bar: 1, tilde: 1, hat: 1,
  widetilde: 1, widehat: 1, vec: 1, dot: 1, ddot: 1, mathsf: 1, mathtt: 1, underbrace: 1, overbrace: 1, boxed: 1,
  phantom: 1, hphantom: 1, color: 1, textcolor: 2,
};

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string | undefined { return this.s[this.i]; }
  done(): boolean { return this.i >= this.s.length; }

  /** The name of a control sequence starting at the backslash. */
  controlName(): string {
    this.i++; // the backslash
    const m = /^[A-Za-z]+/.exec(this.s.slice(this.i, this.i + 40));
    if (m) { this.i += m[0].length; return m[0]; }
    return this.s[this.i++] ?? '';
  }

  skipSpaces(): void { while (this.peek() === ' ' || this.peek() === '\n') this.i++; }

  /** Items up to a closing brace, `\right`, `\end`, or the end. */
  list(stop: (r: Reader) => boolean): TexNode[] {
    const out: TexNode[] = [];
    while (!this.done() && !stop(this)) {
      const n = this.item();
      if (n) out.push(n);
    }
    return out;
  }

  /** One argument: a braced group's contents, or a single item. */
  argument(): TexNode[] {
    this.skipSpaces();
    if (this.peek() === '{') {
      this.i++;
      const body = this.list((r) => r.peek() === '}');
      this.i++;
      return body;
    }
    const n = this.atom();
    return n ? [n] : [];
  }

  /** A delimiter after \left, \right, \bigl, ...: one character or a control symbol. */
  delimiter(): string {
    this.skipSpaces();
    if (this.peek() === '\\') return `\\${this.controlName()}`;
    return this.s[this.i++] ?? '.';
  }

  atom(): TexNode | null {
    const from = this.i;
    const kind = this.atomKind();
    return kind ? { ...kind, from, to: this.i } : null;
  }

  atomKind(): TexKind | null {
    const c = this.peek();
    if (c === undefined) return null;
    if (c === ' ' || c === '\n') { this.skipSpaces(); return { t: 'space' }; }
    if (c === '{') {
      this.i++;
      const body = this.list((r) => r.peek() === '}');
      this.i++;
      return { t: 'group', body };
    }
    if (c === '\\') {
      const start = this.i;
      const name = this.controlName();
      if (name === 'left') {
        const open = this.delimiter();
        const body = this.list((r) => r.s.startsWith('\\right', r.i) && !/[A-Za-z]/.test(r.s[r.i + 6] ?? ''));
        if (!this.done()) this.i += 6;
        const close = this.delimiter();
        return { t: 'delim', open, close, body };
      }
      if (name === 'begin') {
        const env = this.braced();
        const arg = env === 'array' ? this.braced() : '';
        return this.environment(env, arg);
      }
      if (name === 'end') { this.i = start; return null; }
      const args = Array.from({ length: ARITY[name] ?? 0 }, () => this.argument());
      return { t: 'cmd', name, args };
    }
    this.i++;
    return { t: 'char', s: c };
  }

  /** An item with its scripts attached. */
  item(): TexNode | null {
    if (this.peek() === '\\' && this.s.startsWith('\\end', this.i)) return null;
    const from = this.i;
    let base: TexNode | null = null;
    if (this.peek() !== '^' && this.peek() !== '_') {
      base = this.atom();
      if (!base || base.t === 'space') return base;
    }
    let sub: TexNode | null = null, sup: TexNode | null = null;
    for (;;) {
      const save = this.i;
      this.skipSpaces();
      const c = this.peek();
      if (c !== '^' && c !== '_') { this.i = save; break; }
      this.i++;
      const at = this.i;
      const arg = this.argument();
      const node: TexNode = { t: 'group', body: arg, from: at, to: this.i };
      if (c === '^') sup = node; else sub = node;
    }
    return sub || sup ? { t: 'script', base, sub, sup, from, to: this.i } : base;
  }

  braced(): string {
    this.skipSpaces();
    if (this.peek() !== '{') return '';
    const close = this.s.indexOf('}', this.i);
    const name = this.s.slice(this.i + 1, close);
    this.i = close + 1;
    return name;
  }

  environment(name: string, arg: string): TexKind {
    const rows: TexNode[][][] = [];
    let row: TexNode[][] = [];
    let cell: TexNode[] = [];
    for (;;) {
      if (this.done()) break;
      if (this.s.startsWith('\\end', this.i)) {
        this.i += 4;
        this.braced();
        break;
      }
      if (this.peek() === '&') { this.i++; row.push(cell); cell = []; continue; }
      if (this.s.startsWith('\\\\', this.i)) {
        this.i += 2;
        // an optional [0.3em] after the line break
        if (this.peek() === '[') this.i = this.s.indexOf(']', this.i) + 1;
        row.push(cell); rows.push(row); row = []; cell = [];
        continue;
      }
      const n = this.item();
      if (n) cell.push(n);
      else this.i++;
    }
    if (cell.length || row.length) { row.push(cell); rows.push(row); }
    return { t: 'env', name, arg, rows };
  }
}

export function parseTex(latex: string): TexNode[] {
  const r = new Reader(latex);
  const out: TexNode[] = [];
  while (!r.done()) {
    const n = r.item();
    if (n) out.push(n);
    else r.i++; // a stray closing brace or \end
  }
  return out;
}
