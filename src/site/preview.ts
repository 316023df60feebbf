/**
 * The live preview of an answer: LaTeX as typed, or plain text typeset by a
 * small tokenizer (`w11` -> w_{11}, `sigma(` -> \sigma(, `^T` -> ^\top). The
 * preview only shows what was typed; the checker reads the answer on Check.
 * Math the sheets would refuse (file access, definitions, links: the same
 * test as a problem's `$...$`) is not typeset at all; it stays text.
 */
import { katexHtml } from '../render/blocks.js';
import { isSafeMath } from '../tex/format.js';

export type Preview =
  | { readonly kind: 'math'; readonly html: string }
  /** not typeset: the reason, and the text is shown as it is */
  | { readonly kind: 'text'; readonly reason: string };

/** Longest answer previewed (the checker's own limits apply on Check). */
export const MAX_PREVIEW_CHARS = 4000;
const MAX_LINES = 40;

/** The preview of an answer (each line of a derivation on its own line). */
export function preview(text: string, latex: boolean): Preview {
  if (text.trim() === '') return { kind: 'math', html: '' };
  if (text.length > MAX_PREVIEW_CHARS) return { kind: 'text', reason: `longer than ${MAX_PREVIEW_CHARS} characters: not previewed` };
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length > MAX_LINES) return { kind: 'text', reason: `more than ${MAX_LINES} lines: not previewed` };
  const tex: string[] = [];
  for (const line of lines) {
    const t = latex ? line : plainToLatex(line);
    if (t === null) return { kind: 'text', reason: 'a character the preview does not typeset' };
    if (!isSafeMath(t)) return { kind: 'text', reason: 'LaTeX with a command that sheets do not allow (files, definitions, links) is not typeset' };
    tex.push(t);
  }
  return { kind: 'math', html: tex.map((t) => katexHtml(t, true)).join('') };
}

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Phi', 'Psi', 'Omega']);
const KNOWN_FUNCTIONS: Record<string, string> = { tanh: '\\tanh', exp: '\\exp', log: '\\log', ln: '\\ln', sigmoid: '\\sigma', sqrt: '\\operatorname{sqrt}' };
const SYMBOLS: Record<string, string> = { 'σ': '\\sigma', 'δ': '\\delta', 'λ': '\\lambda', 'η': '\\eta', 'Δ': '\\Delta', '∑': '\\sum', '⊙': '\\odot', '∘': '\\circ', '·': '\\cdot' };
const OPERATORS: Record<string, string> = {
  '.*': '\\odot ', '**': '^', ':=': '\\coloneqq ', '*': '\\cdot ', '@': '\\,', '+': '+', '-': '-', '/': '/',
  '(': '(', ')': ')', '[': '[', ']': ']', '{': '{', '}': '}', ',': ',\\,', ';': ';\\quad ', '=': '=', '<': '<', '>': '>', "'": "'",
};
const TOKEN = /\s+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+|[A-Za-z][A-Za-z0-9_]*|\.\*|\*\*|:=|[*@+\-/()[\]{},;=<>']|\^|[σδληΔ∑⊙∘·]|./gu;

/** Plain answer text as LaTeX for display, or null when it holds a character this does not typeset. */
export function plainToLatex(text: string): string | null {
  const toks = text.match(TOKEN) ?? [];
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (/^\s+$/.test(t)) { out.push(' '); continue; }
    if (t === '^' || t === '**') {
      // the exponent: ^T, one token, or a parenthesized group without its parentheses
      let j = i + 1;
      while (j < toks.length && /^\s+$/.test(toks[j]!)) j++;
      const next = toks[j];
      if (next === undefined) return null;
      if (next === 'T') { out.push('^{\\top}'); i = j; continue; }
      if (next === '(') {
        let depth = 0, k = j;
        for (; k < toks.length; k++) { if (toks[k] === '(') depth++; else if (toks[k] === ')' && --depth === 0) break; }
        if (k >= toks.length) return null;
        const inner = plainToLatex(toks.slice(j + 1, k).join(''));
        if (inner === null) return null;
        out.push(`^{${inner}}`); i = k; continue;
      }
      const one = plainToLatex(next);
      if (one === null) return null;
      out.push(`^{${one}}`); i = j; continue;
    }
    if (/^\.?\d/.test(t)) { out.push(t); continue; }
    if (/^[A-Za-z]/.test(t)) { out.push(name(t)); continue; }
    if (Object.hasOwn(SYMBOLS, t)) { out.push(SYMBOLS[t]! + ' '); continue; }
    if (Object.hasOwn(OPERATORS, t)) { out.push(OPERATORS[t]!); continue; }
    return null;
  }
  return out.join('');
}

/** `w11` -> w_{11}, `delta_z2` -> \delta_{z2}, `sigma` -> \sigma, `relu` -> \operatorname{relu}. */
function name(t: string): string {
  if (t.endsWith('_')) return `${base(t.slice(0, -1))}_`; // k_{11}: the braces follow
  const us = t.indexOf('_');
  if (us > 0 && us < t.length - 1) return `${base(t.slice(0, us))}_{${t.slice(us + 1).replace(/_/g, ',')}}`;
  const m = /^([A-Za-z]+?)(\d+)$/.exec(t);
  if (m && !Object.hasOwn(KNOWN_FUNCTIONS, t)) return `${base(m[1]!)}_{${m[2]}}`;
  return base(t.replace(/_/g, ''));
}

function base(s: string): string {
  if (GREEK.has(s)) return `\\${s} `;
  if (Object.hasOwn(KNOWN_FUNCTIONS, s)) return KNOWN_FUNCTIONS[s]! + ' ';
  return s.length === 1 ? s : `\\operatorname{${s}}`;
}
