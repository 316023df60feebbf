/**
 * ||ds_T/ds_k|| from the generic engine (issue 14, item 4): for a vanilla RNN
 * against the textbook product diag(1 - h_j^2) Wh computed here by hand; for
 * the LSTM's stacked state [h; c] against central differences of s_T when
 * s_k is moved.
 */
import { describe, expect, it } from 'vitest';
import { recurrentState, stateJacobianNorms } from '../../src/diff/state-jacobian.js';
import { frobenius, identity, matMul, spectralNorm, type Mat } from '../../src/numeric/matrix.js';
import { forward } from '../../src/numeric/tensor-eval.js';
import { tensor } from '../../src/expr/tensor-value.js';
import { solveTensorProblem } from './helpers.js';
import katex from 'katex';
import { join } from 'node:path';
import { solve } from '../../src/derive/solve.js';
import { deriveJson } from '../../src/derive/json.js';
import { loadProblem } from '../../src/problem/read.js';
import { sheetModel } from '../../src/render/sheet.js';
import { REPO } from '../helpers/oracles.js';

describe('hidden-state Jacobian norms', () => {
  it('a tanh RNN: the product of diag(1 - h_j^2) Wh, by hand', () => {
    const { sol } = solveTensorProblem('time-rnn-many-to-one');
    const ts = sol.tensor!;
    const g = ts.network.graph;
    const norms = stateJacobianNorms(g, ts.network.phases, ts.forward)!;
    expect(norms.states).toEqual(['h']);
    const Wh = ts.network.leaves.get('Wh')!;
    const H = Wh.shape[0]!;
    const W: Mat = Array.from({ length: H }, (_, i) => [...Wh.data.slice(i * H, (i + 1) * H)]);
    let J = identity(H);
    const T = g.steps!;
    const byHand = [{ k: T, spectral: 1, frobenius: frobenius(J) }];
    for (let k = T - 1; k >= 0; k--) {
      const h = ts.forward.seq.get('h')![k]!;
      J = matMul(J, W.map((row, i) => row.map((x) => (1 - h.data[i]! ** 2) * x)));
      byHand.push({ k, spectral: spectralNorm(J), frobenius: frobenius(J) });
    }
    byHand.reverse();
    norms.values.forEach((v, i) => {
      expect(v.k).toBe(byHand[i]!.k);
      expect(Math.abs(v.spectral - byHand[i]!.spectral)).toBeLessThan(1e-12);
      expect(Math.abs(v.frobenius - byHand[i]!.frobenius)).toBeLessThan(1e-12);
    });
  });

  it('an LSTM: the stacked state [h; c], against central differences', () => {
    const { sol } = solveTensorProblem('time-lstm');
    const ts = sol.tensor!;
    const g = ts.network.graph;
    expect(recurrentState(g)).toEqual(['c', 'h']);
    const norms = stateJacobianNorms(g, ts.network.phases, ts.forward)!;
    const T = g.steps!;
    // ds_T/ds_0 by differences: move each unit of the initial state [c_0; h_0] (given, so independent) and read s_T
    const k = 0, states = ['c', 'h'], D = 4, h = 1e-6;
    const sT = (f: ReturnType<typeof forward>) => states.flatMap((s) => [...f.seq.get(s)![T - 1]!.data]);
    const J: Mat = Array.from({ length: D }, () => new Array<number>(D).fill(0));
    for (let j = 0; j < D; j++) {
      const init = g.nodes.get(states[Math.floor(j / 2)]!)!.initial!;
      const base = ts.network.leaves.get(init)!;
      const moved = (d: number) => { const v = tensor(base.shape, base.data); v.data[j % 2]! += d; return new Map(ts.network.leaves).set(init, v); };
      const plus = sT(forward(g, moved(h), ts.network.phases));
      const minus = sT(forward(g, moved(-h), ts.network.phases));
      for (let i = 0; i < D; i++) J[i]![j] = (plus[i]! - minus[i]!) / (2 * h);
    }
    const row = norms.values.find((v) => v.k === k)!;
    expect(Math.abs(row.frobenius - frobenius(J))).toBeLessThan(1e-7);
    expect(Math.abs(row.spectral - spectralNorm(J))).toBeLessThan(1e-7);
  });
});

describe('the sheet of a recurrent problem shows the norms (issue 14.4)', () => {
  const sectionOf = (file: string) => {
    const sol = solve(loadProblem(join(REPO, file)));
    return { json: deriveJson(sol), section: sheetModel(sol).solution.find((s) => s.title === 'Vanishing and exploding gradients') };
  };

  it('an LSTM: of the stacked state [c; h], as a table, a log-scale plot and typeset names that KaTeX renders', () => {
    const { json, section } = sectionOf('problems/time-lstm.yaml');
    expect(section).toBeDefined();
    const text = section!.blocks.find((b) => b.kind === 'text');
    expect(text && text.kind === 'text' && text.text).toContain('stacked $\\mathbf{s}_k = \\begin{bmatrix} \\mathbf{c}_{k} \\\\ \\mathbf{h}_{k} \\end{bmatrix}$');
    const table = section!.blocks.find((b) => b.kind === 'table');
    const norms = (json.hiddenJacobianNorms as Array<{ values: Array<{ k: number; spectral: number }> }>)[0]!.values;
    expect(table && table.kind === 'table' && table.rows.map((r) => Number(r[1]))).toEqual(norms.map((v) => Number(v.spectral.toPrecision(4))));
    const plot = section!.blocks.find((b) => b.kind === 'figure');
    expect(plot && plot.kind === 'figure' && plot.figure.type).toBe('plot');
    for (const b of section!.blocks) {
      const tex = b.kind === 'text' ? b.text : b.kind === 'table' ? b.header.join(' ') : b.kind === 'figure' ? b.caption : '';
      for (const m of tex.matchAll(/\$([^$]+)\$/g)) expect(() => katex.renderToString(m[1]!, { throwOnError: true })).not.toThrow();
    }
  });

  it('a vanilla RNN: of h itself', () => {
    const { section } = sectionOf('problems/time-rnn-many-to-one.yaml');
    const text = section!.blocks.find((b) => b.kind === 'text');
    expect(text && text.kind === 'text' && text.text).toContain('\\frac{\\partial \\mathbf{h}_{4}}{\\partial \\mathbf{h}_{k}}');
  });
});
