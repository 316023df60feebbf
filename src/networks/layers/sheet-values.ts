/**
 * Sheet pieces that need values: tensors laid out to fit the page (the
 * forward pass shows each layer's output), and the max-pooling routing
 * (where each pooled output's gradient goes).
 */
import type { Namer } from '../../tex/names.js';
import type { SheetBlock, SheetSection } from '../core/built.js';
import type { Route } from './routing.js';
import { latexNumber as fmt } from '../../tex/format.js';
import type { Tensor } from './tensor.js';
import { tensorBlocks as viewBlocks } from '../../tex/tensor-view.js';

/**
 * A tensor as blocks that fit the page: a number, a vector, a matrix, or
 * (for [H, W, C] maps and [n, kh, kw, C] kernels) one matrix per channel,
 * as the renderer's tensor view lays them out.
 */
export function tensorBlocks(label: string, t: Tensor, precision: number): SheetBlock[] {
  return viewBlocks({ label, values: [...t.data], shape: t.shape, entry: (v) => fmt(v, precision), number: (v) => fmt(v, precision) });
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

