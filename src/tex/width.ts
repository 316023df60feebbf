/**
 * How wide a piece of display math prints, in em of the body font, estimated
 * from Computer Modern's metrics (digits 0.5 em, a binary operator 0.78 em
 * plus 4/18 em of space on each side, a relation 5/18 on each side, script
 * size 0.7). TeX does not break display math, so every layout decision
 * (where a sum breaks, how many matrix columns fit, whether a table needs
 * wrapping) is taken on this estimate; the sheet-fit test compiles every
 * sheet and holds the estimate to account. It errs on the wide side.
 */
import { parseTex, type TexNode } from './tex-tree.js';

/**
 * The width a display line may take: A4 less 2.2 cm margins is 470 pt, 43 em
 * at 11 pt; the HTML sheet's column is 52rem of 16 px at KaTeX's 1.21 em, 43 em
 * too. Two em are kept for the estimate's error.
 */
export const PAGE_EM = 41;

/** Widths of single characters in math italic / roman, em. */
const CHAR: Readonly<Record<string, number>> = {
  '0': 0.5, '1': 0.5, '2': 0.5, '3': 0.5, '4': 0.5, '5': 0.5, '6': 0.5, '7': 0.5, '8': 0.5, '9': 0.5,
  '.': 0.28, ',': 0.45, ';': 0.45, ':': 0.28, '(': 0.39, ')': 0.39, '[': 0.28, ']': 0.28, '|': 0.28,
  '/': 0.5, "'": 0.3, '!': 0.28, '?': 0.47, '*': 0.5, '"': 0.5,
};
const BIN = new Set(['+', '-']);
const REL = new Set(['=', '<', '>']);

/** Binary operators and relations among the control words, with their glyph widths. */
const BIN_CMD: Readonly<Record<string, number>> = {
  cdot: 0.28, times: 0.78, circ: 0.5, odot: 0.78, star: 0.5, pm: 0.78, mp: 0.78, ast: 0.5, bullet: 0.5, oplus: 0.78, otimes: 0.78,
};
const REL_CMD: Readonly<Record<string, number>> = {
  approx: 0.78, le: 0.78, leq: 0.78, ge: 0.78, geq: 0.78, ne: 0.78, neq: 0.78, equiv: 0.78, sim: 0.78, to: 1, leftarrow: 1,
  rightarrow: 1, Rightarrow: 1, iff: 1.6, mapsto: 1, coloneqq: 1.1, triangleq: 0.78, propto: 0.78, in: 0.67, gets: 1,
  Leftarrow: 1, implies: 1.6, longrightarrow: 1.6, ll: 1, gg: 1, subset: 0.78, subseteq: 0.78,
};
const SPACE_CMD: Readonly<Record<string, number>> = {
  ',': 0.167, ';': 0.278, ':': 0.222, ' ': 0.333, '!': -0.167, quad: 1, qquad: 2, enspace: 0.5, thinspace: 0.167,
};
const SYMBOL_CMD: Readonly<Record<string, number>> = {
  partial: 0.57, infty: 1, cdots: 1.2, ldots: 1.2, dots: 1.2, vdots: 0.3, ddots: 1.2, top: 0.78, prime: 0.3,
  lVert: 0.5, rVert: 0.5, Vert: 0.5, '|': 0.5, lvert: 0.28, rvert: 0.28, vert: 0.28, langle: 0.39, rangle: 0.39,
  lfloor: 0.45, rfloor: 0.45, lceil: 0.45, rceil: 0.45, '{': 0.5, '}': 0.5, '%': 0.83, '#': 0.83, '&': 0.78, '$': 0.5, _: 0.5,
  nabla: 0.83, ell: 0.42, forall: 0.56, exists: 0.56, emptyset: 0.5, neg: 0.67, square: 0.78, checkmark: 0.83,
};
const BIG_OP = new Set(['sum', 'prod', 'int', 'bigcup', 'bigcap', 'coprod']);
const FUNCTION_NAMES = new Set(['tanh', 'sinh', 'cosh', 'sin', 'cos', 'tan', 'log', 'ln', 'exp', 'max', 'min', 'det', 'arg', 'lim', 'sup', 'inf', 'diag']);
const GREEK_WIDE = new Set(['omega', 'Omega', 'Phi', 'Psi', 'Sigma', 'Delta', 'Gamma', 'Theta', 'Lambda', 'Pi', 'Xi', 'Upsilon', 'mu', 'phi', 'psi', 'varphi']);
const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'lambda', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'upsilon', 'chi', ...GREEK_WIDE]);
const SIZED = new Set(['big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'Biggl', 'Biggr']);

/** Width of roman text, em (a rough average over lower- and upper-case letters). */
function textWidth(s: string): number {
  let w = 0;
  for (const c of s) w += c === ' ' ? 0.33 : /[A-Z]/.test(c) ? 0.72 : /[mwMW]/.test(c) ? 0.8 : /[ilj.,:;'|!]/.test(c) ? 0.28 : 0.5;
  return w;
}

/** The letters of an argument list, for \text and \operatorname. */
function plain(nodes: readonly TexNode[]): string {
  return nodes.map((n) => (n.t === 'char' ? n.s : n.t === 'space' ? ' ' : n.t === 'group' ? plain(n.body) : n.t === 'cmd' ? ' ' : '')).join('');
}

/** Sizes TeX uses: display and text style at 1, scripts 0.7, second-level scripts 0.5. */
type Style = { readonly scale: number; readonly display: boolean };
const DISPLAY: Style = { scale: 1, display: true };
const smaller = (s: Style): Style => ({ scale: s.scale >= 1 ? 0.77 : 0.6, display: false });
const inText = (s: Style): Style => ({ scale: s.scale, display: false });

/** Width of a node list; binary and relation spacing is added where TeX adds it (not after an opening or at the start). */
function listWidth(nodes: readonly TexNode[], st: Style): number {
  let w = 0;
  let prevOperand = false;
  for (const n of nodes) {
    const op = operatorOf(n);
    if (op) {
      const spacing = st.scale < 1 ? 0 : op.kind === 'bin' ? (prevOperand ? 0.444 : 0) : 0.556;
      w += op.glyph * st.scale + spacing;
      prevOperand = false;
      continue;
    }
    w += nodeWidth(n, st);
    if (n.t !== 'space') prevOperand = !(n.t === 'char' && (n.s === '(' || n.s === '[' || n.s === '&'));
  }
  return w;
}

function operatorOf(n: TexNode): { kind: 'bin' | 'rel'; glyph: number } | null {
  if (n.t === 'char') {
    if (BIN.has(n.s)) return { kind: 'bin', glyph: 0.78 };
    if (REL.has(n.s)) return { kind: 'rel', glyph: 0.78 };
    return null;
  }
  if (n.t === 'cmd') {
    if (n.name in BIN_CMD) return { kind: 'bin', glyph: BIN_CMD[n.name]! };
    if (n.name in REL_CMD) return { kind: 'rel', glyph: REL_CMD[n.name]! };
  }
  return null;
}

function nodeWidth(n: TexNode, st: Style): number {
  const k = st.scale;
  switch (n.t) {
    case 'space': return 0;
    case 'char': {
      const c = n.s;
      if (c in CHAR) return CHAR[c]! * k;
      if (/[A-Z]/.test(c)) return 0.76 * k;
      if (/[a-z]/.test(c)) return (/[mw]/.test(c) ? 0.85 : /[ijl]/.test(c) ? 0.35 : 0.55) * k;
      if (c === '&' || c === '~') return 0;
      return 0.6 * k;
    }
    case 'group': return listWidth(n.body, st);
    case 'script': {
      const base = n.base ? nodeWidth(n.base, st) : 0;
      if (n.base && n.base.t === 'cmd' && BIG_OP.has(n.base.name) && st.display) {
        // limits above and below, centred
        const lim = Math.max(n.sub ? nodeWidth(n.sub, smaller(st)) : 0, n.sup ? nodeWidth(n.sup, smaller(st)) : 0);
        return Math.max(base, lim) + 0.17 * k;
      }
      const s = Math.max(n.sub ? nodeWidth(n.sub, smaller(st)) : 0, n.sup ? nodeWidth(n.sup, smaller(st)) : 0);
      return base + s + 0.06 * k;
    }
    case 'delim': return (delimWidth(n.open) + delimWidth(n.close)) * k * 1.15 + listWidth(n.body, st);
    case 'env': return envWidth(n, st);
    case 'cmd': return cmdWidth(n, st);
  }
}

function delimWidth(d: string): number {
  if (d === '.') return 0;
  if (d === '\\lVert' || d === '\\rVert' || d === '\\|') return 0.5;
  return 0.45;
}

function cmdWidth(n: Extract<TexNode, { t: 'cmd' }>, st: Style): number {
  const k = st.scale, name = n.name, a = n.args;
  if (name in SPACE_CMD) return SPACE_CMD[name]! * k;
  if (name in SYMBOL_CMD) return SYMBOL_CMD[name]! * k;
  if (GREEK.has(name)) return (GREEK_WIDE.has(name) ? 0.75 : 0.6) * k;
  if (/^[A-Z]/.test(name) && GREEK.has(name.toLowerCase())) return 0.75 * k;
  if (BIG_OP.has(name)) return (st.display ? 1.45 : 1.05) * k;
  if (FUNCTION_NAMES.has(name)) return (textWidth(name) + 0.17) * k;
  if (SIZED.has(name)) return 0.55 * k;
  switch (name) {
    case 'frac': case 'dfrac': case 'tfrac': case 'binom': {
      const inner = name === 'dfrac' ? inText(st) : name === 'tfrac' || !st.display ? smaller(st) : inText(st);
      return Math.max(listWidth(a[0]!, inner), listWidth(a[1]!, inner)) + 0.24 * k;
    }
    case 'sqrt': return listWidth(a[0]!, st) + 0.9 * k;
    case 'text': case 'textbf': case 'textit': case 'mathrm': case 'mathsf': case 'mathtt': return textWidth(plain(a[0]!)) * k * (name === 'textbf' ? 1.1 : 1);
    case 'operatorname': return (textWidth(plain(a[0]!)) + 0.17) * k;
    case 'mathbf': case 'boldsymbol': return listWidth(a[0]!, st) * 1.2;
    case 'overline': case 'bar': case 'tilde': case 'hat': case 'widetilde': case 'widehat': case 'vec': case 'dot': case 'ddot':
    case 'underline': case 'mathit': case 'mathcal': case 'mathbb': case 'underbrace': case 'overbrace': case 'phantom': case 'hphantom':
      return listWidth(a[0]!, st) + (name === 'overline' ? 0.1 * k : 0);
    case 'boxed': return listWidth(a[0]!, st) + 0.8 * k;
    case 'color': return 0;
    case 'textcolor': return listWidth(a[1]!, st);
    case '\\': return 0;
    default: return 0.8 * k; // an unknown command: a wide glyph, to err on the safe side
  }
}

/** Gap between matrix columns (2 \arraycolsep = 10 pt) and between the column pairs of an alignment. */
const MATRIX_GAP = 0.92;
const ALIGN_PAIR_GAP = 2;

function envWidth(n: Extract<TexNode, { t: 'env' }>, st: Style): number {
  const k = st.scale;
  const matrix = /matrix$/.test(n.name) || n.name === 'array' || n.name === 'cases';
  const cellStyle = matrix ? inText(st) : st;
  const cols: number[] = [];
  for (const row of n.rows) row.forEach((cell, j) => { cols[j] = Math.max(cols[j] ?? 0, listWidth(cell, cellStyle)); });
  const body = cols.reduce((s, w) => s + w, 0);
  if (matrix) {
    // the fences grow with the rows: about 0.72 em each for two rows, 1 em for many
    const fence = n.name === 'matrix' ? 0 : n.name === 'cases' ? 0.9 : n.rows.length <= 2 ? 1.5 : n.rows.length <= 4 ? 1.75 : 2.1;
    return body + Math.max(0, cols.length - 1) * MATRIX_GAP * k + fence * k;
  }
  // aligned / gathered / split: columns come in right-left pairs with a gap between pairs
  const pairs = Math.ceil(cols.length / 2);
  return body + Math.max(0, pairs - 1) * ALIGN_PAIR_GAP * k + 0.9 * k;
}

/** Estimated width of display math, in em. */
export function texWidth(latex: string): number {
  return listWidth(parseTex(latex), DISPLAY);
}

/** Width of a node list in display style (for the line breaker, which works on parsed items). */
export function nodesWidth(nodes: readonly TexNode[]): number {
  return listWidth(nodes, DISPLAY);
}

/** Width of math inside a table cell or a matrix entry (text style). */
export function inlineWidth(latex: string): number {
  return listWidth(parseTex(latex), inText(DISPLAY));
}
