/**
 * Golden sheets (issue 17, item 3): the TeX and HTML of five problems, one
 * per way a sheet is built (a chain, the XOR MLP, a convolution, an RNN, an
 * `equations` network), kept under test/sheets/golden/ and compared on every
 * run. A change to a sheet shows up here as a diff to review; after checking
 * it, update the files on purpose with
 *
 *     npm run golden:sheets        (vitest run test/sheets/golden.test.ts --update)
 *
 * KaTeX is replaced by a stub that prints the LaTeX it is given, so the HTML
 * golden files stay readable and the diff shows what changed in the math;
 * KaTeX's own output is checked in Chromium by fit.test.ts. Nothing in a
 * sheet depends on the clock or the machine; the test renders each problem
 * twice and requires the same bytes.
 */
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { solve } from '../../src/derive/solve.js';
import { loadProblem } from '../../src/problem/read.js';
import { renderSheets } from '../../src/render/index.js';
import { ROOT } from './corpus.js';

vi.mock('katex', () => ({
  default: {
    renderToString: (latex: string, o: { displayMode?: boolean }): string =>
      `<span class="katex-stub" data-display="${o.displayMode ? 'block' : 'inline'}">${latex.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</span>`,
  },
}));

/** A chain, the XOR MLP, a 2-D convolution, an RNN and an `equations` network with a shared weight. */
export const GOLDEN_PROBLEMS = [
  'seed000-q2-2-sigmoid-chain-vanish',
  'seed000-q1-xor-corrected',
  'seed000-q4-conv2d',
  'seed001-rnn-1-softmax-many-to-many',
  'own-shared-weight',
] as const;

const render = (id: string) => renderSheets(solve(loadProblem(join(ROOT, 'problems', `${id}.yaml`))), { formats: ['tex', 'html'] }).files;

describe('golden sheets', () => {
  for (const id of GOLDEN_PROBLEMS) {
    it(id, async () => {
      const files = render(id);
      const again = render(id);
      for (const name of ['problem.tex', 'solution.tex', 'problem.html', 'solution.html']) {
        const text = String(files.get(name));
        expect(String(again.get(name)), `${id}/${name} is not deterministic`).toBe(text);
        await expect(text).toMatchFileSnapshot(join('golden', id, name));
      }
    });
  }
});
