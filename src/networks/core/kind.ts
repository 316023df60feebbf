/**
 * What a network kind is: its spec parser, the network it builds, and the
 * optional hooks the sheets, the figures and the checker read. A kind lives in
 * networks/<kind>/ and is listed once in networks/registry.ts; nothing else in
 * src/ names it.
 */
import type { Graph } from '../../expr/graph.js';
import type { Field } from '../../input/field.js';
import type { Namer, NotationPreset } from '../../tex/names.js';
import type { SheetBlock } from '../../tex/sheet-blocks.js';
import type { BuildContext, BuiltNetwork } from './built.js';
import type { KindSolution } from './solution.js';

/** A sequence of a recurrent network as the checker reads it: `h` with `h0` at step 0. */
export interface TimeSequence { readonly name: string; readonly steps: number; readonly initial: string | null }

/** How a recurrent kind lays its tensors out over time (for answers that name h_2 or delta_t). */
export interface KindTime {
  readonly steps: number;
  readonly sequences: ReadonlyMap<string, TimeSequence>;
  /** tensors that exist only at the last step (many-to-one outputs and targets) */
  readonly lastOnly: ReadonlySet<string>;
  /** the hidden pre-activation sequence: `\delta_t` is its adjoint at step t */
  readonly deltaOf: string | null;
}

/** A name a sheet of this kind prints for one step of a tensor (h_2, \delta^{(2)}_t) and what it stands for. */
export interface StepName { readonly tex: string; readonly tensor: string; readonly step: number; readonly adjoint: boolean }

export interface Kind<S extends { readonly kind: string }> {
  readonly name: S['kind'];
  parse(f: Field): S;
  build(spec: S, ctx: BuildContext): BuiltNetwork;
  /** the field that defines a node (its equation), for errors about its value */
  fieldOf?(spec: S, node: string): Field | undefined;
  /** typesetting presets this kind brings (`notation: seed-001`) */
  readonly notations?: Readonly<Record<string, NotationPreset>>;
  /** the kind derives at the layer level: per-path scalar chains and path figures are left off its sheets */
  readonly layerLevel?: boolean;
  /**
   * a shorthand of tensor equations whose sheets teach the Leibniz chain on the scalar graph
   * (network figure, coloured backward paths), where its scalar level ran; else the matrix-form sheet
   */
  readonly scalarSheet?: boolean;
  /** figures of the network in place of the drawn scalar graph; null: the generic network diagram */
  networkFigures?(spec: S, sol: KindSolution, namer: Namer): SheetBlock[] | null;
  /** figures after the gradients (a chain's gradient magnitude per layer) */
  gradientFigures?(spec: S, sol: KindSolution): SheetBlock[];
  /** the kind is typeset as tensor equations, without a figure of its scalar graph */
  readonly matrixOnly?: boolean;
  /** the time layout of a graph this kind built, if it built it */
  time?(graph: Graph): KindTime | null;
  /** the per-step names its sheets print, for the checker */
  stepNames?(graph: Graph, symbols: Readonly<Record<string, string>>, notation: string | undefined): StepName[];
}

/** A kind, typed by its spec: `defineKind<RnnSpec>({...})`. */
export const defineKind = <S extends { readonly kind: string }>(k: Kind<S>): Kind<S> => k;
