/**
 * Spellings the answer readers understand: functions (the registry's own
 * spellings, plus a few that answers use and the engine writes otherwise:
 * sech, cosh, diag, softmax), Greek letters, font and accent commands, matrix
 * environments.
 */
import type { FnName } from '../expr/expr.js';
import { FUNCTIONS } from '../ops/registry.js';

/**
 * Functions of answers beyond the engine's ops. Elementwise ones are rewritten with the ops
 * (sech u = 2 / (e^u + e^-u)); the others act on a whole vector or matrix, as in contract 2.7 (`sum(X, 1)`
 * sums down the rows, `softmax(S, 2)` normalizes each row, `concat(a, b)` stacks vectors).
 */
export type ExtraFn = 'sech' | 'cosh' | 'sinh' | 'sign' | 'diag' | 'softmax' | 'sum' | 'mean' | 'logsumexp' | 'concat' | 'dot' | 'outer' | 'norm' | 'flatten';
export type AnswerFn = FnName | ExtraFn;

const EXTRA_TEXT: Readonly<Record<string, ExtraFn>> = {
  sech: 'sech', cosh: 'cosh', sinh: 'sinh', sign: 'sign', sgn: 'sign',
  diag: 'diag', Diag: 'diag', softmax: 'softmax', sum: 'sum', mean: 'mean', logsumexp: 'logsumexp', concat: 'concat',
  dot: 'dot', outer: 'outer', norm: 'norm', flatten: 'flatten',
};
const EXTRA_LATEX: Readonly<Record<string, ExtraFn>> = { cosh: 'cosh', sinh: 'sinh', sgn: 'sign' };

const fromRegistry = (pick: (s: (typeof FUNCTIONS)[FnName]) => readonly string[]): Record<string, FnName> =>
  Object.fromEntries(Object.values(FUNCTIONS).flatMap((s) => pick(s).map((n) => [n, s.name])));

/** Function names in plain text (and bare in LaTeX, e.g. \operatorname{ReLU}). `sigma` is the logistic sigmoid, as in the course. */
export const TEXT_FUNCS: Readonly<Record<string, AnswerFn>> = { ...fromRegistry((s) => s.spellings.text), ...EXTRA_TEXT };

/** LaTeX commands that are functions. */
export const LATEX_FUNCS: Readonly<Record<string, AnswerFn>> = { ...fromRegistry((s) => s.spellings.latex), ...EXTRA_LATEX };

/** Greek letters (other than \sigma, the sigmoid) read as names: \delta_1 is the name delta_1. */
export const GREEK_CMDS: Readonly<Record<string, string>> = Object.fromEntries([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'pi', 'rho', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma',
  'Phi', 'Psi', 'Omega',
].map((g) => [g, g]).concat([['varepsilon', 'epsilon'], ['varphi', 'phi'], ['vartheta', 'theta'], ['varrho', 'rho']]));

/** Commands that only change the font of what they enclose. */
export const FONT_CMDS: ReadonlySet<string> = new Set([
  'mathbf', 'boldsymbol', 'bm', 'mathit', 'mathsf', 'mathrm', 'mathnormal', 'mathbb', 'mathcal', 'vec', 'text', 'textrm',
  'textit', 'textbf', 'operatorname', 'boldsymbol', 'pmb', 'mathbfit',
]);

/** Accents over a name: \bar{h} and \overline{h} (an adjoint, as the sheets print it), \hat{o}, \tilde{x}. */
export const ACCENT_CMDS: Readonly<Record<string, 'bar' | 'hat' | 'tilde'>> = {
  bar: 'bar', overline: 'bar', hat: 'hat', widehat: 'hat', tilde: 'tilde', widetilde: 'tilde',
};

export const FRAC_CMDS: ReadonlySet<string> = new Set(['frac', 'dfrac', 'tfrac', 'cfrac']);

export const MATRIX_ENVS: ReadonlySet<string> = new Set(['pmatrix', 'bmatrix', 'Bmatrix', 'vmatrix', 'matrix', 'smallmatrix', 'array']);

/** Spellings that work, for messages about a command or function we do not read. */
export const SPELLING_HINTS: Readonly<Record<string, string>> = {
  sigmoid: '\\sigma(u) or \\operatorname{sigmoid}(u)',
  relu: '\\operatorname{ReLU}(u)',
  step: '\\operatorname{step}(u) or \\mathbb{1}[u > 0]',
  sech: '\\operatorname{sech}(u)',
  diag: '\\operatorname{diag}(v)',
  softmax: '\\operatorname{softmax}(u)',
  nabla: '\\frac{\\partial E}{\\partial w}',
  sum: '\\sum_{t=1}^{T}',
  prod: '\\prod_{j=1}^{3}',
  dot: '\\cdot (a product) or a^\\top b (a dot product)',
  mathrm: '\\mathrm{e}',
  top: 'x^\\top',
  odot: 'a \\odot b',
};
