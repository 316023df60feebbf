/**
 * Tokens of an answer, in plain text or LaTeX. Sizing commands (\left,
 * \bigl, ...) and spacing (\, \quad ~) carry no meaning and are dropped here;
 * Unicode operators (·, ×, ∘, −, ∂, ᵀ, ², σ, δ) map to their ASCII forms.
 */
import { AnswerError } from './ast.js';
import type { Budget } from './limits.js';

export type TokKind = 'num' | 'id' | 'cmd' | 'op' | 'end';
/** `col` is 1-based; `pos`/`end` are offsets into the source, for raw slices of subscripts. */
export interface Tok { k: TokKind; s: string; col: number; pos: number; end: number }

/** Longest number literal accepted (digits, point, exponent). */
export const MAX_NUMBER_CHARS = 40;

const GREEK: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota', κ: 'kappa',
  λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma', τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi',
  ψ: 'psi', ω: 'omega', Δ: 'Delta', Σ: 'Sigma', Θ: 'Theta', Φ: 'Phi', Ψ: 'Psi', Ω: 'Omega', Γ: 'Gamma', Λ: 'Lambda',
};

/** One-character operators and their token text. */
const OPS: Record<string, string> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '^': '^', '_': '_', '(': '(', ')': ')', '[': '[', ']': ']',
  '{': '{', '}': '}', ',': ',', ';': ';', "'": "'", '=': '=', '|': '|', '&': '&',
  '·': '*', '⋅': '*', '×': '*', '∗': '*', '−': '-', '–': '-', '∘': 'odot', '⊙': 'odot', '′': "'", '≈': '=', 'ᵀ': 'ᵀ',
};

/** LaTeX commands that only size or space things. */
const DROPPED = new Set([
  'left', 'right', 'middle', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'Biggl', 'Biggr',
  'quad', 'qquad', 'displaystyle', 'textstyle', 'limits', 'nolimits', 'nonumber', 'notag',
]);
/** LaTeX commands that are one of the operator tokens above. */
const CMD_OPS: Record<string, string> = {
  cdot: '*', times: '*', ast: '*', odot: 'odot', circ: 'odot', lvert: '|', rvert: '|', vert: '|', lbrack: '[', rbrack: ']',
  approx: '=', top: 'ᵀ', intercal: 'ᵀ', prime: "'",
};

export function tokenize(text: string, latex: boolean, budget: Budget): Tok[] {
  const toks: Tok[] = [];
  const push = (k: TokKind, s: string, pos: number, end: number) => { budget.charge(); toks.push({ k, s, col: pos + 1, pos, end }); };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c) || c === '$' || (latex && c === '~')) { i++; continue; }
    const pos = i;
    if (/[0-9.]/.test(c)) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + MAX_NUMBER_CHARS + 1));
      if (m) {
        if (m[0].length > MAX_NUMBER_CHARS) throw new AnswerError(`a number longer than ${MAX_NUMBER_CHARS} characters`, pos + 1, 'limit');
        push('num', m[0], pos, i + m[0].length); i += m[0].length; continue;
      }
    }
    if (/[A-Za-z]/.test(c)) {
      const m = /^[A-Za-z][A-Za-z0-9]*/.exec(text.slice(i, i + 65))!;
      if (m[0].length > 64) throw new AnswerError('a name longer than 64 characters', pos + 1, 'limit');
      push('id', m[0], pos, i + m[0].length); i += m[0].length; continue;
    }
    const greek = GREEK[c];
    if (greek) {
      const m = /^\d*/.exec(text.slice(i + 1, i + 10))!;
      push('id', greek + m[0], pos, i + 1 + m[0].length); i += 1 + m[0].length; continue;
    }
    if (c === '∂') { push('cmd', 'partial', pos, i + 1); i++; continue; }
    if (c === '∑') { push('cmd', 'sum', pos, i + 1); i++; continue; }
    if (c === '√') { push('id', 'sqrt', pos, i + 1); i++; continue; }
    if (c === '²' || c === '³') { push('op', '^', pos, i); push('num', c === '²' ? '2' : '3', pos, i + 1); i++; continue; }
    if (c === '*' && text[i + 1] === '*') { push('op', '^', pos, i + 2); i += 2; continue; }
    if (c === '.' && text[i + 1] === '*') { push('op', 'odot', pos, i + 2); i += 2; continue; }
    if (c === '\\') {
      if (!latex) throw new AnswerError("a LaTeX command in a plain-text answer (add --latex to read LaTeX)", pos + 1);
      const next = text[i + 1];
      if (next === '\\') { push('op', '\\\\', pos, i + 2); i += 2; continue; }
      if (next !== undefined && /[A-Za-z]/.test(next)) {
        const m = /^[A-Za-z]+/.exec(text.slice(i + 1, i + 41))!;
        const name = m[0];
        i += 1 + name.length;
        if (DROPPED.has(name)) {
          // \left. and \right. are invisible delimiters
          if ((name === 'left' || name === 'right') && text[i] === '.') i++;
          continue;
        }
        const op = CMD_OPS[name];
        if (op) push('op', op, pos, i); else push('cmd', name, pos, i);
        continue;
      }
      if (next !== undefined && ',;:! '.includes(next)) { i += 2; continue; }
      if (next === '{' || next === '}') { push('op', next === '{' ? '(' : ')', pos, i + 2); i += 2; continue; }
      throw new AnswerError(`unexpected '\\${next ?? ''}'`, pos + 1);
    }
    const op = OPS[c];
    if (op !== undefined && !(c === '&' && !latex)) { push('op', op, pos, i + 1); i++; continue; }
    const cp = text.codePointAt(i)!;
    const shown = cp < 32 || cp > 0xffff ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
    throw new AnswerError(`unexpected character ${shown}`, pos + 1);
  }
  toks.push({ k: 'end', s: '', col: text.length + 1, pos: text.length, end: text.length });
  return toks;
}
