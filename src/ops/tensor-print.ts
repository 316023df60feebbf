/**
 * Printing tensor expressions: plain text in the syntax of contract 2.7 (for
 * `matrixForms` and `definitions`), or LaTeX (for sheets). Each op prints
 * itself (its block in tensor-ops.ts); this module owns the parentheses and
 * how names print.
 */
import type { StepRef, TExpr, TRef } from '../expr/tensor.js';
import { PREC, TOPS, fmtNum, parenthesize, precOf, type TPrinter } from './tensor-ops.js';

export interface TNameStyle {
  readonly latex: boolean;
  /** how a reference prints (a value or an adjoint, at a step) */
  ref(r: TRef): string;
}

/** A step as written: t, t-1, a step number; `base` T writes the last step's template (T, T-1). */
/** A step as printed; `base` is the step's letter (t, the last step T, or k in a norm table). */
export function stepText(s: StepRef | null, base: string = 't'): string {
  if (s === null) return '';
  if (s.kind === 'abs') return String(s.step);
  if (s.offset === 0) return base;
  return `${base}${s.offset > 0 ? '+' : '-'}${Math.abs(s.offset)}`;
}

/** Plain names: `W1`, `h[t-1]`, `delta_z2`, `delta_z[t+1]` (`h[T]` for the last step's form). */
export const textNames = (base: 't' | 'T' = 't'): TNameStyle => ({
  latex: false,
  ref: (r) => `${r.adjoint ? 'delta_' : ''}${r.name}${r.step ? `[${stepText(r.step, base)}]` : ''}`,
});
export const TEXT_NAMES: TNameStyle = textNames();

export function printT(e: TExpr, style: TNameStyle): string {
  const go = (x: TExpr, min: number): string => {
    const p = precOf(x, style.latex);
    let s: string;
    if (x.kind === 'num') s = fmtNum(x.value, style.latex);
    else if (x.kind === 'ref') s = style.ref(x);
    else {
      const printer: TPrinter = {
        latex: style.latex,
        arg: (i, m) => go(x.args[i]!, m),
        expr: (y, m) => go(y, m),
      };
      s = TOPS[x.op]!.print(printer, x);
    }
    return parenthesize(s, p, min, style.latex);
  };
  return go(e, 0);
}

export const toTextT = (e: TExpr): string => printT(e, TEXT_NAMES);
export { PREC };
