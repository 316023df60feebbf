/** Numbers and untrusted text, formatted for TeX and HTML. */
import type { Rational } from '../expr/rational.js';

/**
 * A number to `precision` significant figures, as a textbook prints it:
 * whole numbers in full, small and large ones in scientific form
 * (7.9973e-5 at 4 figures prints as 7.997e-5), trailing zeros dropped.
 */
export function formatNumber(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return '0';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  // Trailing zeros are significant (0.8320), unless the rounded value is the number itself (0.5).
  const exact = Number(x.toPrecision(precision)) === x;
  const trim = (t: string) => (exact ? stripZeros(t) : t);
  if (abs < 1e-3 || abs >= 1e6) {
    const [m, e] = x.toExponential(precision - 1).split('e');
    return `${trim(m!)}e${Number(e)}`;
  }
  return trim(x.toPrecision(precision));
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** LaTeX of a formatted number: 7.997e-5 -> 7.997 \times 10^{-5}. */
export function latexNumber(x: number, precision: number): string {
  const s = formatNumber(x, precision);
  const m = /^(-?[\d.]+)e(-?\d+)$/.exec(s);
  return m ? `${m[1]} \\times 10^{${m[2]}}` : s;
}

/**
 * A published value as its source printed it: the YAML text when it is a
 * plain decimal (0.593269992, 0.000100, 1.0e-4), else the number to the
 * problem's precision; with its count of significant digits, so that the
 * computed value beside it can be given to as many.
 */
export function latexPublished(source: string | null, value: number, precision: number): { latex: string; digits: number } {
  const m = source === null ? null : /^([-+]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([-+]?\d+))?$/.exec(source.trim());
  if (!m || Number(source) !== value) return { latex: latexNumber(value, precision), digits: precision };
  const mantissa = `${m[1] === '-' ? '-' : ''}${m[2]}`;
  const digits = m[2]!.replace('.', '').replace(/^0+/, '').length || 1;
  return { latex: m[3] === undefined ? mantissa : `${mantissa} \\times 10^{${Number(m[3])}}`, digits: Math.min(digits, 17) };
}

/** Exact rational in LaTeX when it is short, else null. */
export function latexRational(r: Rational, maxDigits = 12): string | null {
  if (r.den === 1n) return r.num.toString().length <= 16 ? r.num.toString() : null;
  const n = r.num < 0n ? -r.num : r.num;
  if (n.toString().length > maxDigits || r.den.toString().length > maxDigits) return null;
  return `${r.num < 0n ? '-' : ''}\\frac{${n}}{${r.den}}`;
}

/** A given value as the problem wrote it: a terminating decimal as a decimal (0.1), else a fraction (1/3). */
export function latexGiven(r: Rational): string | null {
  let den = r.den, twos = 0, fives = 0;
  while (den % 2n === 0n) { den /= 2n; twos++; }
  while (den % 5n === 0n) { den /= 5n; fives++; }
  const places = Math.max(twos, fives);
  if (den === 1n && places <= 8) {
    const scaled = (r.num * 10n ** BigInt(places)) / r.den;
    const neg = scaled < 0n;
    const digits = (neg ? -scaled : scaled).toString().padStart(places + 1, '0');
    const text = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
    return `${neg ? '-' : ''}${text}`;
  }
  return latexRational(r);
}

const TEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', '$': '\\$', '&': '\\&', '#': '\\#',
  '%': '\\%', '_': '\\_', '^': '\\textasciicircum{}', '~': '\\textasciitilde{}',
};

/** Plain text for TeX: every special character escaped, so nothing in it is a command. */
export function escapeTex(text: string): string {
  return text.replace(/[\\{}$&#%_^~]/g, (c) => TEX_SPECIAL[c]!).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Control sequences that read or write files, run programs or redefine the
 * language. User math with any of them is shown as text instead of being compiled.
 */
const FORBIDDEN_TEX = /\\(input|include|includeonly|write|immediate|read|openin|openout|closein|closeout|def|edef|gdef|xdef|let|futurelet|catcode|csname|endcsname|newcommand|renewcommand|providecommand|DeclareRobustCommand|usepackage|RequirePackage|documentclass|special|directlua|pdfprimitive|primitive|jobname|shipout|output|everypar|everymath|everydisplay|loop|repeat|afterassignment|lowercase|uppercase|scantokens|detokenize|expandafter|outer|long|makeatletter|verb|url|href|pdfobj|pdfliteral|message|errmessage|typeout|newread|newwrite|openout|string)(?![A-Za-z])/;

/**
 * A second net for the names the list above cannot enumerate: any control sequence whose name
 * mentions files, images, listings, pdfTeX primitives, interaction modes, token registers,
 * definitions or hooks, internal `@` names, and the conditionals (\\iff, an arrow, stays).
 * Found by issue 8's injection tests: \\includegraphics{/etc/passwd}, \\pdffiledump,
 * \\@@input, \\IfFileExists, \\batchmode passed the first list.
 */
const FORBIDDEN_TEX_NAMES = /\\(?:[A-Za-z]*(?:[Ii]nput|[Ff]ile|[Ll]isting|[Gg]raphics|[Ii]mage|[Dd]ump|[Mm]ode|[Hh]alt|[Ss]hell|[Ee]scape|toks|[Dd]ef|[Ee]very|[Ee]xpand|[Ss]how|tracing|[Ss]pecial|pdf|after|bye)[A-Za-z]*|[A-Za-z]*@|if(?!f(?![A-Za-z]))[A-Za-z]*|If[A-Za-z]*)(?![A-Za-z])/;

/** Environments math may open: matrices and alignments, nothing that changes modes or reads files. */
const ALLOWED_ENVIRONMENTS = new Set(['aligned', 'pmatrix', 'bmatrix', 'vmatrix', 'Bmatrix', 'matrix', 'cases', 'array', 'gathered', 'split']);

/** Is this math safe to hand to TeX (no file, program or macro access, known environments, braces balanced)? */
export function isSafeMath(latex: string): boolean {
  if (FORBIDDEN_TEX.test(latex) || FORBIDDEN_TEX_NAMES.test(latex) || /[#%]/.test(latex.replace(/\\[#%]/g, '')) || latex.includes('^^')) return false;
  for (const m of latex.matchAll(/\\(?:begin|end)\s*\{([^}]*)\}/g)) if (!ALLOWED_ENVIRONMENTS.has(m[1]!)) return false;
  if (/\\(?:begin|end)(?!\s*\{)/.test(latex)) return false;
  // `&` and a line break `\\` belong to an environment: outside one they stop pdflatex (issue 8: `$a & b$`
  // in a statement passed KaTeX-level checks and lost the PDF)
  let envs = 0;
  for (const m of latex.matchAll(/\\begin\s*\{|\\end\s*\{|\\\\|\\&|&/g)) {
    if (m[0].startsWith('\\begin')) envs++;
    else if (m[0].startsWith('\\end')) envs--;
    else if ((m[0] === '&' || m[0] === '\\\\') && envs <= 0) return false;
  }
  let depth = 0;
  for (const c of latex.replace(/\\[{}]/g, '')) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Split text with `$...$` inline math into parts. */
export function splitInlineMath(text: string): Array<{ math: boolean; s: string }> {
  const parts: Array<{ math: boolean; s: string }> = [];
  const re = /\$([^$]+)\$/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push({ math: false, s: text.slice(last, m.index) });
    parts.push({ math: true, s: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ math: false, s: text.slice(last) });
  return parts;
}
