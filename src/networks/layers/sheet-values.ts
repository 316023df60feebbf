/**
 * Sheet sections that need values: each layer's output as a matrix per
 * channel, and the max-pooling routing (where each pooled output's gradient
 * goes).
 */
import { elementKey, indicesOf } from '../../expr/graph.js';
import type { Namer } from '../../render/names.js';
import type { SheetBlock, SheetSection } from '../built.js';
import type { Route } from './expand.js';
import { latexNumber as fmt } from '../../render/format.js';
import { numMatrix, type Tex } from './latex.js';
import type { Tensor } from './tensor.js';

/** A tensor as LaTeX: a number, a row vector, a matrix, or one matrix per channel (the last axis of a 3-D tensor). */
export function tensorBlocks(label: string, t: Tensor, precision: number): SheetBlock[] {
  const s = t.shape, d = t.data;
  if (s.length === 0) return [{ kind: 'math', latex: `${label} = ${fmt(d[0]!, precision)}` }];
  if (s.length === 1) return [{ kind: 'math', latex: `${label} = ${numMatrix([[...d]], precision)}` }];
  if (s.length === 2) return [{ kind: 'math', latex: `${label} = ${numMatrix(rowsOf(t, 1, 0), precision)}` }];
  const C = s[2]!;
  return Array.from({ length: C }, (_, c) => ({
    kind: 'math' as const,
    latex: `{${label}}^{(${c + 1})} = ${numMatrix(rowsOf(t, C, c), precision)}`,
  }));
}

/** Rows of an H x W (x C) tensor at channel c. */
function rowsOf(t: Tensor, C: number, c: number): number[][] {
  const [H, W] = t.shape as [number, number];
  return Array.from({ length: H }, (_, h) => Array.from({ length: W }, (_, w) => t.data[(h * W + w) * C + c]!));
}

/** A tensor's values from a key -> value map. */
export function graphTensor(name: string, shape: readonly number[], values: ReadonlyMap<string, number>): Tensor {
  return { shape, data: Float64Array.from(indicesOf(shape), (idx) => values.get(elementKey(name, idx)) ?? NaN) };
}

export function layerOutputsSection(
  tensors: ReadonlyArray<{ name: string; shape: readonly number[] }>,
  values: ReadonlyMap<string, number>, tex: Tex, precision: number,
): SheetSection | null {
  const blocks: SheetBlock[] = [];
  for (const { name, shape } of tensors) blocks.push(...tensorBlocks(tex.tensor(name, shape), graphTensor(name, shape, values), precision));
  if (!blocks.length) return null;
  if (tensors.some((t) => t.shape.length === 3)) blocks.unshift({ kind: 'text', text: 'A superscript (c) is channel c: one matrix per kernel of the layer that made it.' });
  return { title: 'Layer outputs', blocks };
}

export function routingSection(routes: ReadonlyMap<string, readonly Route[]>, values: ReadonlyMap<string, number>, namer: Namer, precision: number): SheetSection | null {
  const blocks: SheetBlock[] = [];
  for (const [layer, rs] of routes) {
    if (!rs.length) continue;
    const rows = rs.map((r) => {
      const cell = (k: string | null): string => (k === null ? '0_{\\text{pad}}' : namer.key(k));
      const to = r.window[r.selected]!;
      const tie = r.ties.length ? `\\ \\text{(tie with ${r.ties.map((t) => `$${cell(r.window[t]!)}$`).join(', ')}: not differentiable)}` : '';
      return [namer.key(r.output), r.window.map(cell).join(',\\ '), fmt(values.get(r.output) ?? NaN, precision), `${to === null ? '\\text{padding (nowhere)}' : cell(to)}${tie}`];
    });
    blocks.push({ kind: 'text', text: `Max pooling ${layer}: each output passes on the largest element of its window, so its gradient goes to that element alone and the rest of the window gets 0. A tie goes to the first maximum in row order; the derivative does not exist there, and the check lists such entries as not differentiable.` });
    blocks.push({ kind: 'table', header: ['Output', 'Window (row order)', 'Max', 'Gradient goes to'], rows });
  }
  return blocks.length ? { title: 'Max pooling: gradient routing', blocks } : null;
}

