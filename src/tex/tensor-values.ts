/**
 * Tensor values on a sheet, always within the page: a short vector as a
 * column, a long one as a transposed row in lines of eight; a matrix as a
 * matrix, split into blocks of columns when wide (the split said in words);
 * a tensor of three axes channel by channel; a tensor of more than 64 entries
 * as its shape, its corner entries and its norm (every value is in the JSON).
 */
import { sizeOf, type Shape } from '../expr/tensor.js';
import { norm2, type Tensor } from '../expr/tensor-value.js';
import type { SheetBlock } from './sheet-blocks.js';

/** Largest tensor printed in full. */
export const FULL_ENTRIES = 64;
const COLUMN_VECTOR = 12;
const ROW_CHUNK = 8;
const MATRIX_COLUMNS = 8;

export type Fmt = (x: number) => string;

/** A value small enough to stand inside an equation line, or null. */
export function inlineValue(t: Tensor, fmt: Fmt): string | null {
  if (t.shape.length === 0 || sizeOf(t.shape) === 1) return fmt(t.data[0]!);
  if (t.shape.length === 1 && t.shape[0]! <= COLUMN_VECTOR) return pmatrix([...t.data].map((v) => [fmt(v)]));
  if (t.shape.length === 2 && t.shape[1]! <= MATRIX_COLUMNS && t.shape[0]! <= COLUMN_VECTOR && sizeOf(t.shape) <= FULL_ENTRIES) {
    const [r, c] = t.shape as [number, number];
    return pmatrix(Array.from({ length: r }, (_, i) => [...t.data.slice(i * c, (i + 1) * c)].map(fmt)));
  }
  return null;
}

/** `lhs = value` as blocks, readable at any size. */
export function valueBlocks(lhs: string, t: Tensor, fmt: Fmt): SheetBlock[] {
  const inline = inlineValue(t, fmt);
  if (inline !== null) return [{ kind: 'math', latex: `${lhs} = ${inline}` }];
  const n = sizeOf(t.shape);
  if (n > FULL_ENTRIES) return summary(lhs, t, fmt);
  if (t.shape.length === 1) {
    const rows: string[] = [];
    for (let i = 0; i < n; i += ROW_CHUNK) rows.push([...t.data.slice(i, i + ROW_CHUNK)].map(fmt).join(',\\ '));
    return [{ kind: 'math', latex: `\\begin{aligned}${lhs} &= \\big(${rows.join(',\\\\ &\\qquad ')}\\big)^{\\top}\\end{aligned}` }];
  }
  if (t.shape.length === 2) {
    const [r, c] = t.shape as [number, number];
    const blocks: SheetBlock[] = [{ kind: 'text', text: `$${lhs}$ has ${c} columns; they are shown ${MATRIX_COLUMNS} at a time.` }];
    for (let j = 0; j < c; j += MATRIX_COLUMNS) {
      const cols = Array.from({ length: Math.min(MATRIX_COLUMNS, c - j) }, (_, k) => j + k);
      const rows = Array.from({ length: r }, (_, i) => cols.map((k) => fmt(t.data[i * c + k]!)));
      blocks.push({ kind: 'math', latex: `\\text{columns ${j + 1}--${j + cols.length}:}\\quad ${pmatrix(rows)}` });
    }
    return blocks;
  }
  return slices(lhs, t, fmt);
}

/** A tensor of three or more axes, one matrix per index of its last axis (a channel). */
function slices(lhs: string, t: Tensor, fmt: Fmt): SheetBlock[] {
  const c = t.shape[t.shape.length - 1]!;
  const inner = t.shape.slice(0, -1);
  const blocks: SheetBlock[] = [{ kind: 'text', text: `$${lhs}$ has shape [${t.shape.join(', ')}]; here it is channel by channel (its last index).` }];
  for (let k = 0; k < c; k++) {
    const data = Float64Array.from({ length: sizeOf(inner) }, (_, i) => t.data[i * c + k]!);
    blocks.push(...valueBlocks(`{${lhs}}_{${inner.map(() => ':').join(',')},${k + 1}}`, { shape: inner, data }, fmt));
  }
  return blocks;
}

/** Shape, corners and norm of a large tensor. */
function summary(lhs: string, t: Tensor, fmt: Fmt): SheetBlock[] {
  const shape: Shape = t.shape;
  const m = shape.length === 1 ? 1 : shape[0]!;
  const c = shape.length === 1 ? shape[0]! : sizeOf(shape) / m;
  const k = 3;
  const rows: string[][] = [];
  const pick = (i: number, j: number) => fmt(t.data[i * c + j]!);
  const rowsToShow = m <= 2 * k ? [...Array(m).keys()] : [0, 1, 2, -1, m - 3, m - 2, m - 1];
  const colsToShow = c <= 2 * k ? [...Array(c).keys()] : [0, 1, 2, -1, c - 3, c - 2, c - 1];
  for (const i of rowsToShow) rows.push(colsToShow.map((j) => (i < 0 ? (j < 0 ? '\\ddots' : '\\vdots') : j < 0 ? '\\cdots' : pick(i, j))));
  const corner = shape.length === 1 ? `\\big(${colsToShow.map((j) => (j < 0 ? '\\ldots' : pick(0, j))).join(',\\ ')}\\big)^{\\top}` : pmatrix(rows);
  return [
    { kind: 'text', text: `$${lhs}$ has ${sizeOf(shape).toLocaleString('en-US')} entries (shape [${shape.join(', ')}]): its corners and its norm are shown; every value is in the JSON output.` },
    { kind: 'math', latex: `${lhs} = ${corner}, \\qquad \\lVert ${lhs} \\rVert = ${fmt(norm2(t))}` },
  ];
}

function pmatrix(rows: readonly (readonly string[])[]): string {
  return `\\begin{pmatrix}${rows.map((r) => r.join(' & ')).join(' \\\\ ')}\\end{pmatrix}`;
}
