/**
 * A cursor over an answer's tokens with the bookkeeping every rule needs:
 * errors that name a column, and the limits on syntax-tree nodes and nesting.
 */
import { AnswerError, type Ast } from './ast.js';
import type { Budget } from './limits.js';
import { tokenize, type Tok } from './tokens.js';

export interface ParseOptions {
  readonly latex: boolean;
  readonly budget: Budget;
  /** a name of the problem: such a name is not read as a function unless a bracket follows */
  readonly isName?: (s: string) => boolean;
  /** read `name := expr` definitions separated by `;` or line breaks */
  readonly statements?: boolean;
}

export abstract class Cursor {
  protected readonly toks: Tok[];
  protected p = 0;
  private depth = 0;
  private nodes = 0;

  constructor(protected readonly src: string, protected readonly o: ParseOptions) {
    const lim = o.budget.limits;
    if (src.length > lim.maxChars) throw new AnswerError(`the answer is longer than ${lim.maxChars} characters`, lim.maxChars + 1, 'limit');
    this.toks = tokenize(src, o.latex, o.budget, o.statements ?? false);
  }

  protected peek(k = 0): Tok { return this.toks[Math.min(this.p + k, this.toks.length - 1)]!; }
  protected isOp(s: string, k = 0): boolean { const t = this.peek(k); return t.k === 'op' && t.s === s; }
  protected isCmd(s: string, k = 0): boolean { const t = this.peek(k); return t.k === 'cmd' && t.s === s; }
  protected next(): Tok { return this.toks[this.p++]!; }
  protected fail(msg: string, col = this.peek().col): never { throw new AnswerError(msg, col); }
  protected expectOp(s: string, opened?: Tok): void {
    if (this.isOp(s)) { this.p++; return; }
    const t = this.peek();
    if (t.k === 'end') this.fail(opened ? `missing '${s}' to close the '${opened.s}' at column ${opened.col}` : `missing '${s}'`);
    this.fail(`expected '${s}' but found '${t.s}'`);
  }
  protected node<T extends Ast>(n: T): T {
    this.o.budget.charge();
    if (++this.nodes > this.o.budget.limits.maxAstNodes) throw new AnswerError(`the answer has more than ${this.o.budget.limits.maxAstNodes} parts`, n.col, 'limit');
    return n;
  }
  protected enter(): void {
    if (++this.depth > this.o.budget.limits.maxDepth) throw new AnswerError(`nesting deeper than ${this.o.budget.limits.maxDepth} levels`, this.peek().col, 'limit');
  }
  protected leave(): void { this.depth--; }

  finish(): void {
    const t = this.peek();
    if (t.k === 'end') return;
    if (t.k === 'op' && (t.s === ')' || t.s === ']' || t.s === '}')) this.fail(`unbalanced '${t.s}' (nothing opens it)`);
    if (t.k === 'op' && ['>', '<', '>=', '<='].includes(t.s)) this.fail(`a comparison goes in brackets, where it is 1 if it holds and 0 if not: (z ${t.s} 0) or \\mathbb{1}[z ${t.s} 0]`);
    if (t.k === 'op' && t.s === '=') this.fail("an answer is one expression; for a derivation with '=' steps use --derivation");
    this.fail(`unexpected '${t.s}'`);
  }
}
