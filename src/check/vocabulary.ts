/** Spellings the answer readers understand: functions, Greek letters, font commands, matrix environments. */
import type { FnName } from '../expr/expr.js';

/** Function names in plain text (and bare in LaTeX). `sigma` is the logistic sigmoid, as in the course. */
export const TEXT_FUNCS: Readonly<Record<string, FnName>> = {
  sigma: 'sigmoid', sigmoid: 'sigmoid', logistic: 'sigmoid', tanh: 'tanh', exp: 'exp', log: 'log', ln: 'log',
  sqrt: 'sqrt', relu: 'relu', ReLU: 'relu', Relu: 'relu', RELU: 'relu', step: 'step', abs: 'abs',
};

/** LaTeX commands that are functions. */
export const LATEX_FUNCS: Readonly<Record<string, FnName>> = {
  sigma: 'sigmoid', tanh: 'tanh', exp: 'exp', log: 'log', ln: 'log',
};

/** Greek letters (other than \sigma, the sigmoid) read as names: \delta_1 is the name delta_1. */
export const GREEK_CMDS: Readonly<Record<string, string>> = Object.fromEntries([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi',
  'pi', 'rho', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma',
  'Phi', 'Psi', 'Omega',
].map((g) => [g, g]).concat([['varepsilon', 'epsilon'], ['varphi', 'phi'], ['vartheta', 'theta'], ['varrho', 'rho']]));

/** Commands that only change the font of what they enclose. */
export const FONT_CMDS: ReadonlySet<string> = new Set([
  'mathbf', 'boldsymbol', 'bm', 'mathit', 'mathsf', 'mathrm', 'mathnormal', 'vec', 'text', 'textrm', 'textit', 'operatorname',
]);

export const FRAC_CMDS: ReadonlySet<string> = new Set(['frac', 'dfrac', 'tfrac', 'cfrac']);

export const MATRIX_ENVS: ReadonlySet<string> = new Set(['pmatrix', 'bmatrix', 'Bmatrix', 'matrix', 'smallmatrix', 'array']);
