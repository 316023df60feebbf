/**
 * Printing expressions, in plain text (the formula syntax of contract 2.1) or
 * LaTeX. Printing lives here, not in the expression types; one parenthesize
 * rule driven by a precedence table serves both styles.
 */
import { FUNCTIONS } from './registry.js';
import type { Expr, FnName } from '../expr/expr.js';
import type { Rational } from '../expr/rational.js';

const PREC = { add: 1, neg: 2, mul: 3, div: 3, pow: 5, atom: 6 } as const;

export interface PrintStyle {
  readonly latex: boolean;
  /** how a ref prints: its key in text, its typeset name in LaTeX */
  name(key: string): string;
}

function precOf(e: Expr, latex: boolean): number {
  if (e.kind === 'num') return e.value.sign() < 0 ? PREC.neg : e.value.isInteger() || latex ? PREC.atom : PREC.div;
  if (e.kind === 'ref') return PREC.atom;
  switch (e.op) {
    case 'add': return PREC.add;
    case 'neg': return PREC.neg;
    case 'mul': return PREC.mul;
    case 'div': return latex ? PREC.atom : PREC.div;
    case 'pow': return PREC.pow;
    default: return PREC.atom;
  }
}

function numText(r: Rational, latex: boolean): string {
  if (!latex || r.isInteger()) return r.toString();
  const sign = r.sign() < 0 ? '-' : '';
  const a = r.sign() < 0 ? r.neg() : r;
  return `${sign}\\frac{${a.num}}{${a.den}}`;
}

export function printExpr(e: Expr, style: PrintStyle): string {
  const L = style.latex;
  const paren = (x: Expr, min: number): string => {
    const s = go(x);
    if (precOf(x, L) >= min) return s;
    return L ? `\\left(${s}\\right)` : `(${s})`;
  };
  const go = (x: Expr): string => {
    if (x.kind === 'num') return numText(x.value, L);
    if (x.kind === 'ref') return style.name(x.key);
    const a = x.args;
    switch (x.op) {
      case 'add': {
        let s = go(a[0]!);
        for (const t of a.slice(1)) {
          const negated = negatedTerm(t);
          s += negated ? ` - ${paren(negated, PREC.mul)}` : ` + ${paren(t, PREC.neg + 1)}`;
        }
        return s;
      }
      case 'neg': return `-${paren(a[0]!, PREC.mul)}`;
      case 'mul': {
        const parts = a.map((f, i) => paren(f, i === 0 ? PREC.neg : PREC.mul + (f.kind === 'num' ? 0 : 0)));
        if (!L) return parts.join('*');
        // juxtaposition, with \cdot where two numbers would run together
        return parts.reduce((s, p, i) => (i === 0 ? p : runsTogether(s, p) ? `${s} \\cdot ${p}` : `${s}\\,${p}`), '');
      }
      case 'div':
        return L ? `\\frac{${go(a[0]!)}}{${go(a[1]!)}}` : `${paren(a[0]!, PREC.mul)}/${paren(a[1]!, PREC.pow)}`;
      case 'pow': {
        const base = paren(a[0]!, PREC.atom);
        return L ? `{${base}}^{${go(a[1]!)}}` : `${base}^${paren(a[1]!, PREC.atom)}`;
      }
      default: {
        const f = FUNCTIONS[x.op as FnName];
        return L ? f.latex(go(a[0]!)) : `${x.op}(${go(a[0]!)})`;
      }
    }
  };
  return go(e);
}

/** Two juxtaposed factors that would read as one number (0.2 3) get a \\cdot. */
function runsTogether(prev: string, next: string): boolean {
  return /^(\d|\\frac|\\left\(-|-)/.test(next) || (/\d$/.test(prev) && /^\\left\(/.test(next));
}

/** For a term printed after ' - ': the positive part of a negated term, else null. */
function negatedTerm(t: Expr): Expr | null {
  if (t.kind === 'apply' && t.op === 'neg') return t.args[0]!;
  if (t.kind === 'num' && t.value.sign() < 0) return { ...t, value: t.value.neg() } as Expr;
  if (t.kind === 'apply' && t.op === 'mul' && t.args[0]!.kind === 'num' && t.args[0].value.sign() < 0) {
    const c = t.args[0].value.neg();
    const rest = t.args.slice(1);
    const factors: Expr[] = c.isOne() ? rest : [{ ...t.args[0], value: c } as Expr, ...rest];
    return factors.length === 1 ? factors[0]! : ({ ...t, args: factors } as Expr);
  }
  return null;
}

/** Plain text with keys as names; adjoint refs `bar:k` print as `delta_k`. */
export const TEXT_STYLE: PrintStyle = { latex: false, name: (k) => (k.startsWith('bar:') ? `delta_${k.slice(4)}` : k) };
export const toText = (e: Expr): string => printExpr(e, TEXT_STYLE);
