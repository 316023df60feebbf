/**
 * Long display equations broken over aligned lines, as a textbook sets them:
 * a sum breaks before a `+` or `-`, a product between factors. TeX does not
 * break display math by itself, and a closed form summed over 4 paths (or a
 * product over 50 layers) does not fit one line.
 */
import type { Expr } from '../expr/expr.js';
import type { Namer } from './names.js';
import { latexOf } from './latex.js';

/** Visible characters per line (an A4 line of display math holds about 70). */
export const LINE_WIDTH = 64;

/** An estimate of the printed width: commands, braces and spacing removed. */
export function visibleLength(latex: string): number {
  return latex
    .replace(/\\(?:left|right|quad|qquad)(?![A-Za-z])|\\[,;]/g, '')
    .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, (_m, a: string, b: string) => (a.length > b.length ? a : b))
    .replace(/\\[A-Za-z]+/g, 'x')
    .replace(/[{}^_]/g, '').length;
}

/**
 * `lhs = e = tail` as one line when it fits, else as aligned lines:
 * `lhs &= part_1 \\ &\quad + part_2 \\ ... &= tail`.
 */
export function brokenEquation(lhs: string, e: Expr, namer: Namer, tail: string | null, approx: boolean): string {
  const whole = latexOf(e, namer);
  const rel = approx ? '\\approx' : '=';
  const oneLine = tail === null || tail === whole ? `${lhs} = ${whole}` : `${lhs} = ${whole} ${rel} ${tail}`;
  if (visibleLength(oneLine) <= LINE_WIDTH + 12) return oneLine;
  const parts = splitParts(e, namer);
  if (parts.length < 2) return oneLine;
  const lines: string[] = [];
  let current = '';
  for (const p of parts) {
    if (current && visibleLength(current + p.text) > LINE_WIDTH) { lines.push(current); current = p.joiner === '' ? p.text : `${p.joiner} ${p.text}`; }
    else current = current ? `${current}${p.joiner === '' ? '\\,' : ` ${p.joiner} `}${p.text}` : p.text;
  }
  if (current) lines.push(current);
  const body = lines.map((l, i) => (i === 0 ? `${lhs} &= ${l}` : `&\\quad ${l}`));
  if (tail !== null && tail !== whole) body.push(`&${rel} ${tail}`);
  return `\\begin{aligned}${body.join(' \\\\ ')}\\end{aligned}`;
}

/** The top-level terms of a sum (with their signs) or factors of a product, printed. */
function splitParts(e: Expr, namer: Namer): Array<{ joiner: string; text: string }> {
  if (e.kind !== 'apply') return [];
  if (e.op === 'add') {
    return e.args.map((t, i) => {
      const neg = t.kind === 'apply' && t.op === 'neg';
      const inner = neg ? (t as Extract<Expr, { kind: 'apply' }>).args[0]! : t;
      const text = latexOf(inner, namer);
      const needsParen = inner.kind === 'apply' && inner.op === 'add';
      const shown = needsParen ? `\\left(${text}\\right)` : text;
      return { joiner: i === 0 ? (neg ? '-' : '') : neg ? '-' : '+', text: i === 0 && neg ? `-${shown}` : shown };
    }).map((p, i) => (i === 0 ? { joiner: '', text: p.text } : p));
  }
  if (e.op === 'mul') {
    // a factor that is a sum keeps its parentheses
    return e.args.map((f) => {
      const text = latexOf(f, namer);
      return { joiner: '', text: f.kind === 'apply' && (f.op === 'add' || f.op === 'neg') ? `\\left(${text}\\right)` : text };
    });
  }
  return [];
}
