/** What every network builder returns. */
import type { Graph } from '../../expr/graph.js';
import type { Phases, TGraph } from '../../expr/tensor-graph.js';
import type { Tensor } from '../../expr/tensor-value.js';
import type { ForwardValues } from '../../numeric/tensor-eval.js';
import type { GivenValue, ProblemBase } from '../../input/problem-parts.js';
import type { KindSolution as Solution } from './solution.js';
import type { SheetSection } from '../../tex/sheet-blocks.js';
export type { Figure, SheetBlock, SheetSection } from '../../tex/sheet-blocks.js';

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

/** A network at the tensor level (contract 2.7): its graph, leaf values and forward pass. */
export interface TensorNetwork {
  readonly graph: TGraph;
  readonly phases: Phases;
  /** leaf values as float64 (a sequence stacked steps x size) */
  readonly leaves: ReadonlyMap<string, Tensor>;
  /** the forward pass at the given values, or null when some leaf has no value */
  readonly forward: ForwardValues | null;
  /** the scalar graph was expanded (the second level runs) */
  readonly scalarLevel: boolean;
  /** scalar nodes the expansion has (or would have) */
  readonly scalarNodes: number;
  /** scalar objective nodes of upstream asks: key -> the node and its upstream gradient */
  readonly objectives: ReadonlyMap<string, { readonly of: string; readonly upstream: string }>;
  /** nodes whose adjoints keep their names in the forms */
  readonly keepAdjoints: readonly string[];
}

export interface BuiltNetwork {
  /** the scalar graph (for a tensor network too large for its second level: its entries, without definitions) */
  readonly graph: Graph;
  /** the tensor level, for networks written as tensor equations */
  readonly tensor?: TensorNetwork;
  /** trainable tensors, in the order sheets list them */
  readonly parameters: readonly string[];
  /** the loss node, when the network has one */
  readonly loss?: string;
  /** the network's output tensor */
  readonly output: string;
  /** the input tensor (for `table`) */
  readonly input?: string;
  /** asks the report answers itself for a network of tensor equations (a shorthand's shapes and parameter counts) */
  readonly answers?: readonly string[];
  /** layer-level results computed from the solved scalar graph */
  readonly report?: (sol: Solution) => NetworkReport;
}

export interface BuildContext {
  readonly problem: ProblemBase;
  /** given values that replace the problem's own (a variant's draws); builders that need values (max-pool routing) read these first */
  readonly given?: ReadonlyMap<string, GivenValue>;
  /** shape of a `given` value, if it has one (scalars: []) */
  givenShape(name: string): readonly number[] | undefined;
}
