/**
 * The layout pieces of issue 17, item 1, on their own: a display broken to
 * the page width keeps every term; tensors are laid out by shape (column
 * blocks, labelled slices, a summary past 64 entries, with the norm computed
 * here independently); wide tables are wrapped; small printing rules.
 */
import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { fitDisplay } from '../../src/render/fit.js';
import { PAGE_EM, texWidth } from '../../src/tex/width.js';
import { tensorBlocks, type TensorView } from '../../src/tex/tensor-view.js';
import { tableParts } from '../../src/render/blocks.js';
import { latexPublished } from '../../src/tex/format.js';
import { undoubledParens } from '../../src/tex/latex.js';
import type { SheetBlock } from '../../src/networks/core/built.js';

const renders = (latex: string): void => { katex.renderToString(latex, { throwOnError: true, displayMode: true, strict: 'ignore' }); };
/** Terms of a display, whatever the line breaks: spacing and alignment commands removed. */
const terms = (latex: string): string => latex.replace(/\\begin\{aligned\}|\\end\{aligned\}|\\\\|&|\\quad|\\qquad|\\,|\s+/g, '');

describe('fitDisplay', () => {
  const sum = `E = ${Array.from({ length: 30 }, (_, i) => `w_{${i + 1}}\\,x_{${i + 1}}`).join(' + ')} \\approx 0.1234`;

  it('breaks a long sum before its + signs into aligned rows that fit, keeping every term', () => {
    expect(texWidth(sum)).toBeGreaterThan(PAGE_EM);
    const out = fitDisplay(sum);
    const rows = out.replace(/^\\begin\{aligned\}|\\end\{aligned\}$/g, '').split(' \\\\ ');
    expect(rows.length).toBeGreaterThan(2);
    for (const r of rows) expect(texWidth(`\\begin{aligned}${r}\\end{aligned}`), r).toBeLessThanOrEqual(PAGE_EM);
    expect(rows.slice(1, -1).every((r) => r.startsWith('& \\quad +'))).toBe(true);
    expect(rows[rows.length - 1]).toContain('\\approx 0.1234');
    expect(terms(out)).toBe(terms(sum));
    renders(out);
  });

  it('opens a parenthesis wider than a line so that its terms can break', () => {
    const inside = `o = \\sigma\\left(${Array.from({ length: 24 }, (_, i) => `v_{${i + 1}}\\,h_{${i + 1}}`).join(' + ')}\\right)`;
    const out = fitDisplay(inside);
    expect(out).toContain('\\Bigl(');
    expect(out).toContain('\\Bigr)');
    renders(out);
  });

  it('leaves a display that fits alone, and breaks the rows of an aligned block one by one', () => {
    expect(fitDisplay('a = b + c')).toBe('a = b + c');
    const block = `\\begin{aligned}a &= b \\\\ E &= ${sum.slice(4)}\\end{aligned}`;
    const out = fitDisplay(block);
    expect(out.startsWith('\\begin{aligned}a &= b \\\\ E &=')).toBe(true);
    renders(out);
  });
});

const view = (shape: number[], label = 'X'): TensorView => {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (i % 7) - 3 + i / 100);
  return { label, values, shape, entry: (v) => v.toFixed(2), number: (v) => v.toFixed(4) };
};
const mathOf = (bs: SheetBlock[]) => bs.flatMap((b) => (b.kind === 'math' ? [b.latex] : []));
const textOf = (bs: SheetBlock[]) => bs.flatMap((b) => (b.kind === 'text' ? [b.text] : [])).join(' ');

describe('tensorBlocks', () => {
  it('a matrix wider than the page: column blocks that cover every column once, each fitting', () => {
    const bs = tensorBlocks(view([2, 30]));
    expect(textOf(bs)).toContain('its columns are shown in blocks');
    const blocks = mathOf(bs);
    const ranges = blocks.map((m) => /columns (\d+)(?:--(\d+))?/.exec(m)!).map((m) => [Number(m[1]), Number(m[2] ?? m[1])]);
    expect(ranges[0]![0]).toBe(1);
    ranges.forEach(([a, b], i) => { expect(b).toBeGreaterThanOrEqual(a!); if (i) expect(a).toBe(ranges[i - 1]![1]! + 1); });
    expect(ranges[ranges.length - 1]![1]).toBe(30);
    for (const m of blocks) { expect(texWidth(m)).toBeLessThanOrEqual(PAGE_EM); renders(m); }
  });

  it('a 3-axis map channel by channel, a 4-axis kernel by kernel and channel, each slice labelled', () => {
    const map = mathOf(tensorBlocks(view([4, 4, 3])));
    expect(map.map((m) => m.split(' = ')[0])).toEqual(['{X}_{:,:,1}', '{X}_{:,:,2}', '{X}_{:,:,3}']);
    expect(textOf(tensorBlocks(view([4, 4, 3])))).toContain('channel by channel');
    const kernels = mathOf(tensorBlocks(view([2, 2, 2, 2], 'K')));
    expect(kernels.map((m) => m.split(' = ')[0])).toEqual(['{K}_{1,:,:,1}', '{K}_{1,:,:,2}', '{K}_{2,:,:,1}', '{K}_{2,:,:,2}']);
    // slice (1, :, :, 2) of a row-major [2, 2, 2, 2] tensor holds flat entries 1, 3, 5, 7
    const v = view([2, 2, 2, 2], 'K');
    expect(kernels[1]).toContain([1, 3, 5, 7].map((i) => v.values[i]!.toFixed(2)).slice(0, 2).join(' & '));
  });

  it('more than 64 entries: the shape, the corners, and the Frobenius norm', () => {
    const v = view([10, 12]);
    const bs = tensorBlocks(v);
    expect(textOf(bs)).toContain('10 \\times 12');
    expect(textOf(bs)).toContain('answers.json');
    const norm = Math.sqrt(v.values.reduce((s, x) => s + x * x, 0)); // computed here, not by the module
    expect(mathOf(bs).join(' ')).toContain(`\\right\\rVert_F = ${norm.toFixed(4)}`);
    const corner = mathOf(bs)[0]!;
    expect(corner).toContain('\\cdots');
    expect(corner).toContain('\\ddots');
    expect(corner).toContain(v.values[119]!.toFixed(2)); // the last entry
    renders(corner);
  });
});

describe('tables and small printing rules', () => {
  it('a table wider than the page is wrapped into column groups, the first column repeated', () => {
    const wide = `\\begin{pmatrix}${Array.from({ length: 8 }, () => '0.1234').join(' & ')}\\end{pmatrix}`;
    const parts = tableParts({ kind: 'table', header: ['name', 'a', 'b', 'c'], rows: [['W', wide, wide, wide]] });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.rows[0]![0]).toBe('W');
    expect(parts.flatMap((p) => p.header.slice(1))).toEqual(['a', 'b', 'c']);
  });

  it('a published value prints as the source wrote it', () => {
    expect(latexPublished('0.593269992', 0.593269992, 4)).toEqual({ latex: '0.593269992', digits: 9 });
    expect(latexPublished('0.000100', 0.0001, 4)).toEqual({ latex: '0.000100', digits: 3 });
    expect(latexPublished('1.0e-4', 0.0001, 4)).toEqual({ latex: '1.0 \\times 10^{-4}', digits: 2 });
    expect(latexPublished(null, 0.593269992, 4).latex).toBe('0.5933');
  });

  it('no doubled parentheses around a substituted negative number', () => {
    expect(undoubledParens('\\tanh\\left(\\left(-0.55\\right)\\right)')).toBe('\\tanh\\left(-0.55\\right)');
    expect(undoubledParens('{\\left(\\left(-0.6235\\right) - 0.4\\right)}^{2}')).toBe('{\\left(-0.6235 - 0.4\\right)}^{2}');
    expect(undoubledParens('{\\left(-0.6\\right)}^{2}')).toBe('{\\left(-0.6\\right)}^{2}');
    expect(undoubledParens('0.5 + \\left(-0.3\\right) \\cdot 2')).toBe('0.5 + \\left(-0.3\\right) \\cdot 2');
  });
});
