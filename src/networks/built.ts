/** What every network builder returns. */
import type { Graph } from '../expr/graph.js';
import type { GivenValue, ProblemSpec } from '../problem/spec.js';
import type { Solution } from '../derive/solve.js';
import type { Diagram } from '../figures/diagram.js';
import type { LogPlot } from '../figures/plot.js';

/** A figure as data; the renderer draws it as TikZ/pgfplots in TeX and inline SVG in HTML. */
export type Figure = { type: 'diagram'; diagram: Diagram } | { type: 'plot'; plot: LogPlot };

/** A block of a solution-sheet section. Math is LaTeX (rendered by TeX and KaTeX); text is plain and escaped by the renderer. */
export type SheetBlock =
  | { kind: 'text'; text: string }
  | { kind: 'math'; latex: string }
  | { kind: 'table'; header: string[]; rows: string[][] } // cells are LaTeX math
  | { kind: 'figure'; caption: string; figure: Figure };   // caption may hold $...$ math

export interface SheetSection { readonly title: string; readonly blocks: readonly SheetBlock[] }

/** Network-specific results beyond the scalar graph: layer-level forms, shapes, counts. */
export interface NetworkReport {
  /** extra keys merged into `derive --json` (e.g. shapes, parameterCount) */
  readonly json?: Readonly<Record<string, unknown>>;
  /** sections added to the solution sheet after the forward pass */
  readonly sections?: readonly SheetSection[];
  /** sections added to the problem sheet (e.g. shape questions' data) */
  readonly problemSections?: readonly SheetSection[];
  /** the worst relative disagreement between layer-level forms and the scalar graph, if any were compared */
  readonly layerCheck?: { readonly maxRelError: number; readonly compared: number };
}

export interface BuiltNetwork {
  readonly graph: Graph;
  /** trainable tensors, in the order sheets list them */
  readonly parameters: readonly string[];
  /** the loss node, when the network has one */
  readonly loss?: string;
  /** the network's output tensor */
  readonly output: string;
  /** the input tensor (for `table`) */
  readonly input?: string;
  /** layer-level results computed from the solved scalar graph */
  readonly report?: (sol: Solution) => NetworkReport;
}

export interface BuildContext {
  readonly problem: ProblemSpec;
  /** given values that replace the problem's own (a variant's draws); builders that need values (max-pool routing) read these first */
  readonly given?: ReadonlyMap<string, GivenValue>;
  /** shape of a `given` value, if it has one (scalars: []) */
  givenShape(name: string): readonly number[] | undefined;
}
