/**
 * A tensor on a sheet, laid out so that it fits the page, with the layout
 * said in words: a number, a column vector, a matrix, or
 *  - a matrix wider than the page in blocks of columns ("columns 1 to 6");
 *  - a tensor of three or more axes as labelled matrix slices, channel by
 *    channel (axis 3 of an [H, W, C] map) and kernel by kernel (axis 1 of an
 *    [n, kh, kw, C] kernel set);
 *  - a tensor of more than 64 entries as its shape, its corner entries and
 *    its Frobenius norm; every entry is in the JSON output (answers.json).
 * Entries are LaTeX made by the caller (decimals to the problem's precision,
 * given values as written), so this module decides layout only.
 */
import type { SheetBlock } from './sheet-blocks.js';
import { inlineWidth, PAGE_EM, texWidth } from './width.js';

/** Largest tensor printed in full. */
export const MAX_FULL_ENTRIES = 64;
/** A vector longer than this prints as a transposed row (a column would run down the page). */
export const MAX_COLUMN_VECTOR = 10;

export interface TensorView {
  /** LaTeX of the tensor's name, e.g. \mathbf{W}^{[1]} or \frac{\partial E}{\partial \mathbf{K}} */
  readonly label: string;
  /** row-major values */
  readonly values: readonly number[];
  readonly shape: readonly number[];
  /** LaTeX of one entry from its value and row-major position */
  readonly entry: (value: number, flat: number) => string;
  /** the norm's value printed as the entries are */
  readonly number: (value: number) => string;
}

const shapeText = (shape: readonly number[]): string => shape.join(' \\times ');
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
/** Gap between matrix columns and the fences, in em (as width.ts counts them). */
const COLUMN_GAP = 0.92;
const FENCES = 2.1;

export function pmatrix(rows: readonly (readonly string[])[]): string {
  return `\\begin{pmatrix}${rows.map((r) => r.join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
}

/** Blocks showing a tensor in a form that fits a display line of `width` em. */
export function tensorBlocks(v: TensorView, width = PAGE_EM): SheetBlock[] {
  const n = size(v.shape);
  if (n === 1) return [{ kind: 'math', latex: `${v.label} = ${v.entry(v.values[0]!, 0)}` }];
  if (n > MAX_FULL_ENTRIES) return summaryBlocks(v);
  if (v.shape.length === 1) return vectorBlocks(v, width);
  if (v.shape.length === 2) return matrixBlocks(v.label, rowsOf(v, v.shape[0]!, v.shape[1]!, (i, j) => i * v.shape[1]! + j), width, v.shape);
  return sliceBlocks(v, width);
}

/** Is this tensor printed as one display `label = matrix` that fits the line? Tables use it to decide what goes in a cell. */
export function fitsInline(v: TensorView, width: number): boolean {
  const n = size(v.shape);
  if (n === 1) return inlineWidth(v.entry(v.values[0]!, 0)) <= width;
  if (n > MAX_FULL_ENTRIES || v.shape.length > 2) return false;
  return inlineWidth(inlineMatrix(v)) <= width;
}

/** The tensor as one matrix (a column for a vector), for a table cell; only when it fits (see fitsInline). */
export function inlineMatrix(v: TensorView): string {
  if (size(v.shape) === 1) return v.entry(v.values[0]!, 0);
  if (v.shape.length === 1) return pmatrix(v.values.map((x, i) => [v.entry(x, i)]));
  const [r, c] = v.shape as [number, number];
  return pmatrix(rowsOf(v, r, c, (i, j) => i * c + j));
}

function rowsOf(v: TensorView, r: number, c: number, flat: (i: number, j: number) => number): string[][] {
  return Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => v.entry(v.values[flat(i, j)]!, flat(i, j))));
}

function vectorBlocks(v: TensorView, width: number): SheetBlock[] {
  const entries = v.values.map((x, i) => v.entry(x, i));
  if (entries.length <= MAX_COLUMN_VECTOR) return [{ kind: 'math', latex: `${v.label} = ${pmatrix(entries.map((e) => [e]))}` }];
  const whole = `${transposed(v.label)} = ${pmatrix([entries])}`;
  if (texWidth(whole) <= width) return [{ kind: 'math', latex: whole }];
  return columnBlocks([entries], width, 'entries', `$${v.label}$ has ${entries.length} entries; it is written as a transposed row, in blocks of entries:`);
}

const transposed = (label: string): string => `{${label}}^{\\top}`;

/** A matrix whole when it fits, else in blocks of consecutive columns with the split said in words. */
export function matrixBlocks(label: string, rows: readonly (readonly string[])[], width = PAGE_EM, shape?: readonly number[]): SheetBlock[] {
  const whole = `${label} = ${pmatrix(rows)}`;
  if (texWidth(whole) <= width) return [{ kind: 'math', latex: whole }];
  const dims = shape ? `${shape[0]} \\times ${shape[1]}` : `${rows.length} \\times ${rows[0]?.length ?? 0}`;
  return columnBlocks(rows, width, 'columns', `$${label}$ is a $${dims}$ matrix, too wide for one line; its columns are shown in blocks:`);
}

/** Consecutive columns grouped so that each block's display fits `width`. */
function columnBlocks(rows: readonly (readonly string[])[], width: number, unit: 'columns' | 'entries', intro: string): SheetBlock[] {
  const cols = rows[0]?.length ?? 0;
  const colWidth = Array.from({ length: cols }, (_, j) => Math.max(...rows.map((r) => inlineWidth(r[j]!))));
  const prefix = (a: number, b: number): string => `\\text{${unit} ${a}${b > a ? `--${b}` : ''}:}\\quad `;
  const blocks: SheetBlock[] = [{ kind: 'text', text: intro }];
  let start = 0;
  while (start < cols) {
    let end = start, w = texWidth(prefix(start + 1, cols)) + FENCES + colWidth[start]!;
    while (end + 1 < cols && w + COLUMN_GAP + colWidth[end + 1]! <= width) { end++; w += COLUMN_GAP + colWidth[end]!; }
    const block = rows.map((r) => r.slice(start, end + 1));
    blocks.push({ kind: 'math', latex: `${prefix(start + 1, end + 1)}${pmatrix(block)}` });
    start = end + 1;
  }
  return blocks;
}

/** The axes a slice is a matrix of: rows and columns of an [H, W, C] map, of an [n, kh, kw, C] kernel. */
function matrixAxes(rank: number): [number, number] {
  return rank === 3 ? [0, 1] : [rank - 3, rank - 2];
}

/** Row-major offset of an index. */
function offset(shape: readonly number[], index: readonly number[]): number {
  return index.reduce((o, i, d) => o * shape[d]! + i, 0);
}

function sliceWords(rank: number): string {
  if (rank === 3) return 'channel by channel (the last axis)';
  if (rank === 4) return 'kernel by kernel (the first axis) and channel by channel (the last axis)';
  return 'slice by slice';
}

/** Every index of the axes other than `keep`, row-major. */
function otherIndices(shape: readonly number[], keep: readonly number[]): number[][] {
  let out: number[][] = [[]];
  shape.forEach((n, d) => {
    out = keep.includes(d) ? out.map((p) => [...p, -1]) : out.flatMap((p) => Array.from({ length: n }, (_, i) => [...p, i]));
  });
  return out;
}

/** The label of one slice: X_{:,:,2}, K_{1,:,:,3} (1-based, as the contract indexes). */
function sliceLabel(label: string, index: readonly number[]): string {
  return `{${label}}_{${index.map((i) => (i < 0 ? ':' : String(i + 1))).join(',')}}`;
}

function sliceBlocks(v: TensorView, width: number): SheetBlock[] {
  const [ra, ca] = matrixAxes(v.shape.length);
  const blocks: SheetBlock[] = [{ kind: 'text', text: `$${v.label}$ has shape $${shapeText(v.shape)}$; it is shown ${sliceWords(v.shape.length)}, as matrices $${sliceLabel(v.label, v.shape.map((_, d) => (d === ra || d === ca ? -1 : 0)))}$, ...:` }];
  for (const idx of otherIndices(v.shape, [ra, ca])) {
    const rows = Array.from({ length: v.shape[ra]! }, (_, i) => Array.from({ length: v.shape[ca]! }, (_, j) => {
      const full = idx.map((x, d) => (d === ra ? i : d === ca ? j : x));
      const o = offset(v.shape, full);
      return v.entry(v.values[o]!, o);
    }));
    blocks.push(...matrixBlocks(sliceLabel(v.label, idx), rows, width));
  }
  return blocks;
}

/** The first three and the last index of an axis (all of them when there are at most four). */
function cornerIndices(n: number): Array<number | null> {
  return n <= 4 ? Array.from({ length: n }, (_, i) => i) : [0, 1, 2, null, n - 1];
}

function summaryBlocks(v: TensorView): SheetBlock[] {
  const norm = Math.sqrt(v.values.reduce((s, x) => s + x * x, 0));
  const blocks: SheetBlock[] = [{
    kind: 'text',
    text: `$${v.label}$ has shape $${shapeText(v.shape)}$ (${v.values.length} entries, more than a sheet lists): below are its corner entries and its Frobenius norm, the square root of the sum of the squares of all entries. Every entry is in the JSON output (answers.json).`,
  }];
  const corner = (rows: Array<number | null>, cols: Array<number | null>, at: (i: number, j: number) => number): string => pmatrix(rows.map((i) => cols.map((j) => {
    if (i === null && j === null) return '\\ddots';
    if (i === null) return '\\vdots';
    if (j === null) return '\\cdots';
    const o = at(i, j);
    return v.entry(v.values[o]!, o);
  })));
  const r = v.shape.length;
  if (r === 1) {
    const idx = cornerIndices(v.shape[0]!);
    const row = idx.map((i) => (i === null ? '\\cdots' : v.entry(v.values[i]!, i)));
    blocks.push({ kind: 'math', latex: `${transposed(v.label)} = ${pmatrix([row])}` });
  } else if (r === 2) {
    const c = v.shape[1]!;
    blocks.push({ kind: 'math', latex: `${v.label} = ${corner(cornerIndices(v.shape[0]!), cornerIndices(c), (i, j) => i * c + j)}` });
  } else {
    // the first and the last slice, each by its corners
    const [ra, ca] = matrixAxes(r);
    const all = otherIndices(v.shape, [ra, ca]);
    const picks = all.length > 1 ? [all[0]!, all[all.length - 1]!] : all;
    for (const idx of picks) {
      const at = (i: number, j: number): number => offset(v.shape, idx.map((x, d) => (d === ra ? i : d === ca ? j : x)));
      blocks.push({ kind: 'math', latex: `${sliceLabel(v.label, idx)} = ${corner(cornerIndices(v.shape[ra]!), cornerIndices(v.shape[ca]!), at)}` });
    }
    if (all.length > 2) blocks.push({ kind: 'text', text: `(the first and the last of its ${all.length} slices)` });
  }
  blocks.push({ kind: 'math', latex: `\\left\\lVert ${v.label} \\right\\rVert_F = ${v.number(norm)}` });
  return blocks;
}
