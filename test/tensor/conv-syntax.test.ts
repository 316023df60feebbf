/**
 * The equation syntax the layers shorthand writes (contract 2.7): reshape(A, (d1, ..., dk)),
 * a one-axis tuple (2,), padding as (before, after) per axis and `same` for pooling too, and a
 * convolution printed as text that the equations read back. Values by hand.
 */
import { describe, expect, it } from 'vitest';
import { solveText } from './helpers.js';
import { parseTensorFormula } from '../../src/expr/tensor-parse.js';

const problem = (equations: string, given: string, ask: string) => `id: inline
title: inline
network:
  kind: equations
  equations:
${equations}
given: ${given}
ask:
${ask}
`;

describe('equation syntax for layers', () => {
  it('a trailing comma makes a tuple of one', () => {
    expect(parseTensorFormula('(2,)')).toMatchObject({ t: 'tuple', items: [{ t: 'num' }] });
  });

  it('reshape keeps the entries in row-major order: n kernels [2, 2, 1] on a map without channels', () => {
    const { json } = solveText(problem('    Y: conv1d(x, reshape(K, (2, 2, 1)))\n    E: sum(Y)', '{x: [1, 2, 3], K: [[1, 0], [0, 1]]}', '  - forward: [Y, E]\n  - gradient: {of: E, wrt: [K]}'));
    // kernel 1 = (1, 0) reads x_i, kernel 2 = (0, 1) reads x_(i+1): Y = [[1, 2], [2, 3]]
    expect(json.values.Y).toEqual([[1, 2], [2, 3]]);
    // dE/dK[n, a] = sum_i x_(i+a-1): [[3, 5], [3, 5]], in K's own shape
    expect(json.gradients.E!.K).toEqual([[3, 5], [3, 5]]);
  });

  it('padding as (before, after) per axis and `same` for pooling', () => {
    const eqs = (pad: string) => problem(`    P: avgpool(X, window=(2, 2), stride=(1, 1), padding=${pad})\n    E: sum(P)`, '{X: [[1, 2], [3, 4]]}', '  - forward: [P]');
    // same: the output keeps 2 x 2, the extra row and column after (TensorFlow)
    expect(solveText(eqs('same')).json.values.P).toEqual([[2.5, 1.5], [1.75, 1]]);
    expect(solveText(eqs('((0, 1), (0, 1))')).json.values.P).toEqual([[2.5, 1.5], [1.75, 1]]);
    expect(() => solveText(eqs('((0, 1),)'))).toThrow(/the padding has 1 pairs for 2 axes/);
  });

  it('a convolution prints as text the equations read (stride and padding per axis)', () => {
    const text = problem('    Y: conv2d(X, K, stride=(2, 1), padding=((1, 0), (0, 1)))\n    E: sum(Y * Y)', '{X: [[1, 2], [3, 4]], K: [[1, 1], [1, 1]]}', '  - gradient: {of: E, wrt: [X]}');
    const { json } = solveText(text);
    const form = JSON.stringify(json.matrixForms);
    expect(form).toContain('stride=(2, 1), padding=((1, 0), (0, 1))');
  });
});
