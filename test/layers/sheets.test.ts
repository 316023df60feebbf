/**
 * The layer sections on the sheets: every LaTeX fragment of the test fixtures
 * renders with KaTeX (throwOnError) and passes the renderer's safety filter
 * (the shipped problems are covered by test/render/sheets.test.ts), and the
 * sections a reader needs are there.
 */
import katex from 'katex';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadProblem } from '../../src/problem/read.js';
import { solve } from '../../src/derive/solve.js';
import { sheetModel } from '../../src/render/sheet.js';
import { mathFragments } from '../../src/render/blocks.js';
import { isSafeMath } from '../../src/tex/format.js';
import type { SheetSection } from '../../src/networks/core/built.js';
import { FIXTURES, problem, solveFile } from './helpers.js';

const fragmentsOf = (sections: readonly SheetSection[]): string[] => sections.flatMap((s) => s.blocks.flatMap((b) =>
  b.kind === 'math' ? [b.latex] : b.kind === 'table' ? b.rows.flat().filter((c) => c !== '') : []));

describe('every fixture sheet renders', () => {
  for (const f of readdirSync(FIXTURES)) {
    test(f, () => {
      const sol = solve(loadProblem(join(FIXTURES, f)));
      const model = sheetModel(sol);
      const all = [...mathFragments(model.problem), ...mathFragments(model.solution)];
      const mine = fragmentsOf([...(sol.report.sections ?? []), ...(sol.report.problemSections ?? [])]);
      expect(mine.length).toBeGreaterThan(10);
      for (const latex of [...all, ...mine]) {
        expect(() => katex.renderToString(latex, { throwOnError: true, displayMode: true, strict: 'ignore' }), latex).not.toThrow();
        expect(isSafeMath(latex), latex).toBe(true);
      }
    });
  }
});

const titles = (file: string): string[] => (solveFile(file).sol.report.sections ?? []).map((s) => s.title);
const text = (file: string): string => JSON.stringify(solveFile(file).sol.report.sections);

describe('what the sheets show', () => {
  test('seed 000 Q4: the no-flip convention, deltas, the index form term by term, the compact form, the check', () => {
    const file = problem('seed000-q4-conv2d.yaml');
    expect(titles(file)).toEqual(['Convolution', 'Gradients of E, layer by layer', 'Check of the layer-level forms']);
    const t = text(file);
    expect(t).toContain('without being flipped');
    expect(t).toContain('y_{ij} = \\\\sum_{a=1}^{2}\\\\sum_{b=1}^{2} k_{ab}\\\\, x_{(i+a-1)(j+b-1)}');
    expect(t).toContain('\\\\frac{\\\\partial E}{\\\\partial k_{ab}} = \\\\sum_{i=1}^{2}\\\\sum_{j=1}^{2} \\\\delta^{(y)}_{ij}\\\\, x_{(i+a-1)(j+b-1)}');
    expect(t).toContain('\\\\delta^{(y)}_{11}\\\\, x_{11} + \\\\delta^{(y)}_{12}\\\\, x_{12} + \\\\delta^{(y)}_{21}\\\\, x_{21} + \\\\delta^{(y)}_{22}\\\\, x_{22}');
    expect(t).toContain('\\\\mathbf{X} \\\\star \\\\boldsymbol{\\\\delta}^{(y)}');
    expect(t).toContain('o - z'); // dE/do = o - z: the sign the seed has wrong
  });
  test('seed 000 Q3: the 1-D index form of the issue, dL/dv_i = sum_j delta_j x_(i+j-1)', () => {
    const t = text(problem('seed000-q3-conv1d.yaml'));
    expect(t).toContain('h_{i} = \\\\sigma\\\\left(\\\\sum_{j=1}^{3} v_{j}\\\\, x_{i+j-1}\\\\right)');
    expect(t).toContain('\\\\frac{\\\\partial L}{\\\\partial v_{i}} = \\\\sum_{j=1}^{4} \\\\delta^{(h)}_{j}\\\\, x_{i+j-1}');
    expect(titles(problem('seed000-q3-conv1d.yaml'))).toContain('Parameters');
  });
  test('seed 001 ex. 5: the routing table of the max pooling', () => {
    const sections = solveFile(problem('seed001-cnn-5-conv-maxpool.yaml')).sol.report.sections!;
    const routing = sections.find((s) => s.title === 'Max pooling: gradient routing')!;
    const table = routing.blocks.find((b) => b.kind === 'table')!;
    expect(table.kind === 'table' && table.rows.length).toBe(18);
    expect(table.kind === 'table' && table.rows[0]).toEqual(['p_{111}', 'o_{111},\\ o_{121},\\ o_{211},\\ o_{221}', '46', 'o_{221}']);
  });
  test('seed 001 ex. 1 and 4: the padding derivation and the dense comparison', () => {
    expect(text(problem('seed001-cnn-1-same-padding.yaml'))).toContain('p_h = \\\\frac{k_h - 1}{2} = \\\\frac{5 - 1}{2} = 2');
    expect(text(problem('seed001-cnn-4-dense-vs-conv.yaml'))).toContain('(10 \\\\times 10 \\\\times 1) \\\\times (10 \\\\times 10 \\\\times 5) + 500 = 50500');
  });
});
