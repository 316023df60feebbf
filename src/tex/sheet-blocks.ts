/** The sheet's vocabulary below the kinds: sections of blocks, figures as data (drawn by render/). */
import type { Diagram } from './diagram.js';
import type { LogPlot } from './plot.js';

/** A figure as data; the renderer draws it as TikZ/pgfplots in TeX and inline SVG in HTML. */
export type Figure = { type: 'diagram'; diagram: Diagram } | { type: 'plot'; plot: LogPlot };

/** A block of a solution-sheet section. Math is LaTeX (rendered by TeX and KaTeX); text is plain and escaped by the renderer. */
export type SheetBlock =
  | { kind: 'text'; text: string }
  | { kind: 'math'; latex: string }
  | { kind: 'table'; header: string[]; rows: string[][] } // header: text with $...$ math; cells: LaTeX math
  | { kind: 'figure'; caption: string; figure: Figure };   // caption may hold $...$ math

export interface SheetSection { readonly title: string; readonly blocks: readonly SheetBlock[] }
