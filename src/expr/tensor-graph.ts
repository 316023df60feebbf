/**
 * A network at the tensor level: named nodes with shapes, in the problem's
 * own names. A sequence node (`h[t]`) has one value per step; its definition
 * is a template over the step t, whose references say which step they read
 * (`h[t-1]`, `x[t]`, `h[T]`). Leaves take their values from `given`.
 */
import type { Shape, TExpr } from './tensor.js';

export type TRole = 'parameter' | 'input' | 'target' | 'constant' | 'intermediate';

/** What a target's given values are (contract 2.7): the checker varies a target only within its kind. */
export type TargetKind = 'one-hot' | 'distribution' | 'binary' | 'real';

export interface TNode {
  readonly name: string;
  /** the shape of one value (of one step, for a sequence) */
  readonly shape: Shape;
  /** one value per step */
  readonly seq: boolean;
  readonly role: TRole;
  /** the definition (a template in t for a sequence); absent for a leaf */
  readonly def?: TExpr;
  /** for a sequence read at [t-1]: the leaf that holds its value at step 0 */
  readonly initial?: string;
  /** for a target: its kind */
  readonly targetKind?: TargetKind;
}

export interface TGraph {
  readonly nodes: ReadonlyMap<string, TNode>;
  /** every node after the nodes its definition reads at the same step or outside time */
  readonly order: readonly string[];
  /** the number of steps, or null for a network without time */
  readonly steps: number | null;
}

export const isLeaf = (n: TNode): boolean => n.def === undefined;

/** Nodes by phase: outside time and not reading any sequence ("before"), sequences, and nodes reading a sequence ("after"). */
export interface Phases { readonly before: readonly string[]; readonly seq: readonly string[]; readonly after: readonly string[] }
