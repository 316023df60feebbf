/** Notation presets (typesetting only) and the LaTeX of the RNN sheet sections. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { deriveJson } from '../../src/derive/json.js';
import { solve } from '../../src/derive/solve.js';
import { parseProblem } from '../../src/problem/load.js';
import { Namer } from '../../src/tex/names.js';
import { knownNotations, notationPreset } from '../../src/networks/registry.js';
import type { SheetSection } from '../../src/networks/core/built.js';
import { ROOT, solveFile, solveText } from './helpers.js';

const namerOf = (sol: ReturnType<typeof solveFile>['sol']) => new Namer(sol.graph, sol.problem.symbols, notationPreset(sol.problem.notation));

function mathOf(sections: readonly SheetSection[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    for (const b of s.blocks) {
      if (b.kind === 'math') out.push(b.latex);
      // a header is text with $...$ math
      if (b.kind === 'table') out.push(...b.header.flatMap((h) => [...h.matchAll(/\$([^$]+)\$/g)].map((m) => m[1]!)), ...b.rows.flat());
    }
  }
  return out;
}

const renders = (latex: string): boolean => {
  katex.renderToString(latex, { throwOnError: true, displayMode: true });
  return true;
};

describe('notation presets', () => {
  it('are registered by the rnn module', () => {
    expect(knownNotations()).toEqual(expect.arrayContaining(['seed-000', 'seed-001', 'seed-003', 'rnn']));
  });

  it('seed-001: x^{[0]}_{(t)}, z^{[1]}_{(t)}, x^{[1]}_{(t)} for states, W^{[1]}, H^{[1]}', () => {
    const n = namerOf(solveFile('seed001-rnn-1-softmax-many-to-many.yaml').sol);
    expect(n.key('z[2,1]')).toBe('{z}^{[1]}_{(2),1}');
    expect(n.key('h[1,3]')).toBe('{x}^{[1]}_{(1),3}');
    expect(n.key('x[2,2]')).toBe('{x}^{[0]}_{(2),2}');
    expect(n.key('u[1,2]')).toBe('{z}^{[2]}_{(1),2}');
    expect(n.key('y[2,1]')).toBe('{x}^{[2]}_{(2),1}');
    expect(n.key('h0[1]')).toBe('{x}^{[1]}_{(0),1}');
    expect(n.key('W1[1,2]')).toBe('w^{[1]}_{12}');
    expect(n.tensor('W1')).toBe('\\mathbf{W}^{[1]}');
    expect(n.tensor('H1')).toBe('\\mathbf{H}^{[1]}');
    expect(n.tensor('h0')).toBe('{\\mathbf{x}}^{[1]}_{(0)}');
    expect(n.key('E')).toBe('E');
  });

  it('seed-001, many-to-one: the output sits at the last step', () => {
    const n = namerOf(solveFile('seed001-rnn-4-identity-many-to-one.yaml').sol);
    expect(n.key('y[2]')).toBe('{x}^{[2]}_{(2),2}');
  });

  it('seed-000: s_t, h_t, z_t, U, V, W whatever the problem calls them', () => {
    const n = namerOf(solveFile('seed000-q5-bptt.yaml').sol);
    expect(n.key('s[1,2]')).toBe('{s}_{1,2}');
    expect(n.key('z[3,1]')).toBe('{z}_{3,1}');
    expect(n.key('ohat[2,1]')).toBe('{\\hat{o}}_{2,1}');
    expect(n.tensor('U')).toBe('\\boldsymbol{U}');
    expect(n.tensor('W')).toBe('\\boldsymbol{W}');
    expect(n.tensor('V')).toBe('\\boldsymbol{V}');
    expect(n.key('W[2,3]')).toBe('w_{23}');
    expect(n.key('Et[2]')).toBe('{E}_{2}');
  });

  it('seed-003: W_x, W_h, W_y, h^{[t]}, p^{[t]}', () => {
    const n = namerOf(solveFile('seed003-elman-rnn.yaml').sol);
    expect(n.key('h[2,1]')).toBe('{h}^{[2]}_{1}');
    expect(n.key('p[3,2]')).toBe('{p}^{[3]}_{2}');
    expect(n.key('y[1,1]')).toBe('{y}^{[1]}_{1}');
    expect(n.tensor('W_x')).toBe('W_x');
    expect(n.tensor('b_h')).toBe('b_h');
    expect(n.key('W_x[1,2]')).toBe('w_{x,12}');
    expect(n.key('l[2,2]')).toBe('{l}^{[2]}_{2}');
  });

  it('rnn: the problem\'s own names, a one-unit layer without the unit index', () => {
    const n = namerOf(solveFile('seed004-bptt-scalar.yaml').sol);
    expect(n.key('s[2,1]')).toBe('{s}_{2}');
    expect(n.key('w_s[1,1]')).toBe('w_{s}');
    expect(n.tensor('w_s')).toBe('w_{s}');
    expect(n.key('s0[1]')).toBe('{s}_{0}');
    expect(n.key('E3')).toBe('E_{3}');
  });

  it('follow roles, not names: a renamed network keeps the seed-001 forms', () => {
    const { sol } = solveText(`id: renamed
title: renamed
network: {kind: rnn, steps: 2, sizes: {input: 1, hidden: 2, output: 2}, output: softmax, loss: cross-entropy,
  names: {input: A, recurrent: B, h: q, z: r}}
notation: seed-001
given: {x: [[1], [2]], t: [[1, 0], [0, 1]], h0: {fill: 0}, A: {fill: 0.1}, B: {fill: 0.2}, b1: {fill: 0}, W2: {fill: 0.3}, b2: {fill: 0}}
ask:
  - gradient: {of: E, wrt: [A]}
`);
    const n = namerOf(sol);
    expect(n.tensor('A')).toBe('\\mathbf{W}^{[1]}');
    expect(n.tensor('B')).toBe('\\mathbf{H}^{[1]}');
    expect(n.key('q[1,2]')).toBe('{x}^{[1]}_{(1),2}');
  });

  it('change LaTeX only, never JSON', () => {
    const withPreset = solveFile('seed001-rnn-2-identity-many-to-many.yaml').json;
    const text = readFileSync(join(ROOT, 'problems', 'seed001-rnn-2-identity-many-to-many.yaml'), 'utf8');
    expect(text).toContain('notation: seed-001\n');
    const base = parseProblem(text.replace('notation: seed-001\n', ''), 'x.yaml');
    const without = deriveJson(solve(base));
    expect(JSON.stringify({ ...without, id: 0, check: 0 })).toBe(JSON.stringify({ ...withPreset, id: 0, check: 0 }));
  });

  it('leave other networks to the default names', () => {
    const { sol } = solveText(`id: mlp
title: mlp
network: {kind: mlp, sizes: [2, 2, 1], activation: relu, output: linear}
notation: seed-001
given: {x: [1, 2], W1: {fill: 0.5}, b1: {fill: 0}, W2: {fill: 1}, b2: 0}
ask:
  - forward: [o]
`);
    expect(namerOf(sol).key('W1[1,2]')).toBe(new Namer(sol.graph).key('W1[1,2]'));
  });
});

describe('sheet sections', () => {
  const files = readdirSync(join(ROOT, 'problems')).filter((f) => /^seed00[0134]-(rnn|q5|elman|bptt)/.test(f));

  it('every shipped RNN problem has the BPTT, steps and norms sections, all valid KaTeX', () => {
    expect(files.length).toBe(9);
    for (const f of files) {
      const { sol } = solveFile(f);
      const sections = sol.report.sections ?? [];
      const titles = sections.map((s) => s.title);
      expect(titles[0]).toBe('Backpropagation through time');
      expect(titles.some((t) => t.startsWith('BPTT step by step'))).toBe(true);
      expect(titles).toContain('Vanishing and exploding gradients');
      for (const m of mathOf(sections)) expect(renders(m)).toBe(true);
      for (const s of sections) expect(s.title).not.toMatch(/[$\\]/); // titles are plain text
    }
  });

  it('names the norm of the Jacobian table', () => {
    const { sol } = solveFile('seed003-elman-rnn.yaml');
    const s = sol.report.sections!.find((x) => x.title === 'Vanishing and exploding gradients')!;
    expect(JSON.stringify(s.blocks)).toContain('spectral norm');
    const table = s.blocks.find((b) => b.kind === 'table')!;
    expect(table.kind === 'table' && table.header[1]).toContain('\\rVert_2');
  });

  it('the textbook collapse of the output delta is on the sheet', () => {
    const tex = (f: string) => mathOf(solveFile(f).sol.report.sections!).join(' ');
    expect(tex('seed001-rnn-1-softmax-many-to-many.yaml')).toContain('\\boldsymbol{\\delta}^{[2]}_{(t)} &= {\\mathbf{x}}^{[2]}_{(t)} - {\\mathbf{t}}_{(t)}');
    expect(tex('seed000-q5-bptt.yaml')).toContain('\\left({\\boldsymbol{V}}^{\\top} \\boldsymbol{\\delta}^{o}_{t} + {\\boldsymbol{W}}^{\\top} \\boldsymbol{\\delta}_{t+1}\\right) \\circ \\left(1 - \\tanh^2 {\\mathbf{s}}_{t}\\right)');
  });

  it('scalar RNNs get the path view, larger ones do not', () => {
    const titles = (f: string) => solveFile(f).sol.report.sections!.map((s) => s.title);
    expect(titles('seed004-bptt-scalar.yaml')).toContain('Paths through time for dE3/dw_s');
    expect(titles('seed001-rnn-2-identity-many-to-many.yaml').some((t) => t.startsWith('Paths'))).toBe(false);
  });
});
