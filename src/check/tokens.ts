/**
 * Tokens of an answer, in plain text or LaTeX. Sizing commands (\left,
 * \bigl, ...) and spacing (\, \quad ~) carry no meaning and are dropped here;
 * Unicode operators map to their ASCII forms (· ⋅ × to the product \cdot,
 * ∘ ⊙ to the Hadamard product, − to minus, ᵀ ⊤ to the transpose, subscript
 * and superscript digits to _ and ^, σ δ to sigma and delta).
 *
 * An answer with definitions (`d := p - t; d h^T`) is read as statements: a
 * `;` or a line break outside every bracket separates them (token `sep`).
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

/** One-character operators and their token text. `mm` is the matrix product, `cdot` the written dot. */
const OPS: Record<string, string> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '^': '^', '_': '_', '(': '(', ')': ')', '[': '[', ']': ']',
  '{': '{', '}': '}', ',': ',', ';': ';', "'": "'", '=': '=', '|': '|', '&': '&', '@': 'mm', '>': '>', '<': '<', ':': ':',
  '·': 'cdot', '⋅': 'cdot', '×': 'cdot', '∗': '*', '−': '-', '–': '-', '∘': 'odot', '⊙': 'odot', '′': "'", '≈': '=',
  'ᵀ': 'ᵀ', '⊤': 'ᵀ', '≥': '>=', '≤': '<=', '≔': ':=', '÷': '/', '⋆': '*',
};

const SUB_DIGITS = '₀₁₂₃₄₅₆₇₈₉';
const SUP_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** LaTeX commands that only size or space things. */
const DROPPED = new Set([
  'left', 'right', 'middle', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'Biggl', 'Biggr',
  'quad', 'qquad', 'displaystyle', 'textstyle', 'limits', 'nolimits', 'nonumber', 'notag', 'mathrel', 'mathopen', 'mathclose',
]);
/** LaTeX commands that are one of the operator tokens above. */
const CMD_OPS: Record<string, string> = {
  cdot: 'cdot', times: 'cdot', ast: '*', odot: 'odot', circ: 'odot', lvert: '|', rvert: '|', vert: '|', lbrack: '[', rbrack: ']',
  approx: '=', top: 'ᵀ', intercal: 'ᵀ', prime: "'", gt: '>', lt: '<', geq: '>=', ge: '>=', leq: '<=', le: '<=',
  geqslant: '>=', leqslant: '<=', coloneqq: ':=', coloneq: ':=', langle: '(', rangle: ')',
};

/** Does the text define names (`name := expr`)? Then it is read as statements. */
export const hasDefinitions = (text: string): boolean => /:=|\\coloneqq?\b|≔/.test(text);

export function tokenize(text: string, latex: boolean, budget: Budget, statements = false): Tok[] {
  const toks: Tok[] = [];
  const push = (k: TokKind, s: string, pos: number, end: number) => { budget.charge(); toks.push({ k, s, col: pos + 1, pos, end }); };
  // bracket depth, for statement separators (`;` inside a plain-text list is a row separator)
  let depth = 0;
  const sep = (pos: number) => {
    const last = toks[toks.length - 1];
    if (last && !(last.k === 'op' && last.s === 'sep')) push('op', 'sep', pos, pos + 1);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n' && statements && depth === 0) { sep(i); i++; continue; }
    if (/\s/.test(c) || c === '$' || (latex && c === '~')) { i++; continue; }
    const pos = i;
    if (/[0-9.]/.test(c)) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + MAX_NUMBER_CHARS + 1));
      if (m) {
        if (m[0].length > MAX_NUMBER_CHARS) throw new AnswerError(`a number longer than ${MAX_NUMBER_CHARS} characters`, pos + 1, 'limit');
        // `.*` after a number is the elementwise product, not a decimal point
        const body = m[0].endsWith('.') && text[i + m[0].length] === '*' ? m[0].slice(0, -1) : m[0];
        if (body !== '') { push('num', body, pos, i + body.length); i += body.length; continue; }
      }
    }
    if (/[A-Za-z]/.test(c)) {
      const m = /^[A-Za-z][A-Za-z0-9]*/.exec(text.slice(i, i + 65))!;
      if (m[0].length > 64) throw new AnswerError('a name longer than 64 characters', pos + 1, 'limit');
      push('id', m[0], pos, i + m[0].length); i += m[0].length; continue;
    }
    // Σ and Π (Greek capitals, as pasted) before a subscript or a bracket are the sum and the product
    if ((c === 'Σ' || c === 'Π') && /^[_(]/.test(text[i + 1] ?? '')) { push('cmd', c === 'Σ' ? 'sum' : 'prod', pos, i + 1); i++; continue; }
    const greek = GREEK[c];
    if (greek) {
      const m = /^\d*/.exec(text.slice(i + 1, i + 10))!;
      push('id', greek + m[0], pos, i + 1 + m[0].length); i += 1 + m[0].length; continue;
    }
    if (SUB_DIGITS.includes(c) || SUP_DIGITS.includes(c)) {
      // x₁₂ is x_{12}, h² is h^2
      const digits = c && SUB_DIGITS.includes(c) ? SUB_DIGITS : SUP_DIGITS;
      let j = i;
      let n = '';
      while (j < text.length && digits.includes(text[j]!)) { n += String(digits.indexOf(text[j]!)); j++; }
      push('op', digits === SUB_DIGITS ? '_' : '^', pos, pos);
      push('num', n, pos, j);
      i = j;
      continue;
    }
    if (c === '⁻') { push('op', '^', pos, pos); push('op', '-', pos, i + 1); i++; continue; }
    if (c === '∂') { push('cmd', 'partial', pos, i + 1); i++; continue; }
    if (c === '∑') { push('cmd', 'sum', pos, i + 1); i++; continue; }
    if (c === '∏') { push('cmd', 'prod', pos, i + 1); i++; continue; }
    if (c === '√') { push('id', 'sqrt', pos, i + 1); i++; continue; }
    if (c === '*' && text[i + 1] === '*') { push('op', '^', pos, i + 2); i += 2; continue; }
    if (c === '.' && text[i + 1] === '*') { push('op', 'odot', pos, i + 2); i += 2; continue; }
    if (c === ':' && text[i + 1] === '=') { push('op', ':=', pos, i + 2); i += 2; continue; }
    if ((c === '>' || c === '<') && text[i + 1] === '=') { push('op', `${c}=`, pos, i + 2); i += 2; continue; }
    if (c === '\\') {
      if (!latex) throw new AnswerError('a LaTeX command in a plain-text answer (add --latex to read LaTeX)', pos + 1);
      const next = text[i + 1];
      if (next === '\\') {
        if (statements && depth === 0) sep(pos); else push('op', '\\\\', pos, i + 2);
        i += 2;
        continue;
      }
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
        if (name === 'begin') depth++;
        if (name === 'end') depth = Math.max(0, depth - 1);
        if (op === '(') depth++;
        if (op === ')') depth = Math.max(0, depth - 1);
        continue;
      }
      if (next !== undefined && ',;:! >'.includes(next)) { i += 2; continue; }
      if (next === '{' || next === '}') {
        push('op', next === '{' ? '(' : ')', pos, i + 2);
        depth = next === '{' ? depth + 1 : Math.max(0, depth - 1);
        i += 2;
        continue;
      }
      if (next === '|') { push('op', '|', pos, i + 2); i += 2; continue; }
      // \mathrm{h1\_0}: an escaped underscore in a name, as the sheets print h1_0
      if (next === '_') { push('op', '_', pos, i + 2); i += 2; continue; }
      throw new AnswerError(`unexpected '\\${next ?? ''}'`, pos + 1);
    }
    const op = OPS[c];
    if (op !== undefined && !(c === '&' && !latex)) {
      if (op === ';' && statements && depth === 0) { sep(pos); i++; continue; }
      if ('([{'.includes(op)) depth++;
      if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
      push('op', op, pos, i + 1);
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const shown = cp < 32 || cp > 0xffff ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
    throw new AnswerError(`unexpected character ${shown}`, pos + 1);
  }
  while (toks.length && toks[toks.length - 1]!.s === 'sep' && toks[toks.length - 1]!.k === 'op') toks.pop();
  toks.push({ k: 'end', s: '', col: text.length + 1, pos: text.length, end: text.length });
  return toks;
}
