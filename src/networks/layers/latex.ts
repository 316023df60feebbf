/** LaTeX pieces for the layer sections: matrices of numbers (the renderer's number format), names with symbolic indices. */
import { latexNumber } from '../../tex/format.js';
import { defaultScalarName, defaultTensorName } from '../../tex/names.js';

export function pmatrix(rows: readonly (readonly string[])[]): string {
  return `\\begin{pmatrix}${rows.map((r) => r.join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
}

export const numMatrix = (M: readonly (readonly number[])[], precision: number): string => pmatrix(M.map((r) => r.map((v) => latexNumber(v, precision))));

/** Typesetting with the problem's `symbols`, else the contract's defaults. */
export class Tex {
  constructor(private readonly symbols: Readonly<Record<string, string>>) {}

  /** a whole tensor: K -> \mathbf{K}, x (a vector) -> \mathbf{x} */
  tensor(name: string, shape: readonly number[]): string {
    return this.symbols[name] ?? defaultTensorName(name, shape);
  }

  /** an element with symbolic indices: ('K', 'ab') -> k_{ab}; ('W1', 'ij') -> w^{[1]}_{ij} */
  elem(name: string, sub: string): string {
    return `${this.base(name)}_{${sub}}`;
  }

  /** what an element's subscript attaches to: k, w^{[1]}, or the symbol */
  base(name: string): string {
    const sym = this.symbols[name];
    if (sym) return `{${sym}}`;
    const m = /^([A-Za-z]+?)(\d+)$/.exec(name);
    if (m) return `${defaultScalarName(lowerSingle(m[1]!))}^{[${m[2]}]}`;
    return defaultScalarName(lowerSingle(name));
  }

  /** a scalar node (a loss E, a single output o) */
  scalar(name: string): string {
    return this.symbols[name] ?? defaultScalarName(name);
  }
}

const lowerSingle = (s: string): string => (s.length === 1 ? s.toLowerCase() : s);

/** \frac{\partial E}{\partial x} */
export const partial = (of: string, wrt: string): string => `\\frac{\\partial ${of}}{\\partial ${wrt}}`;
