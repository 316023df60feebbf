/**
 * The solved network, as types: what the pipeline (derive/) computes and what
 * a kind's sheet sections and the renderer read. Here, below the kinds, so
 * that a kind reads its solution without importing the pipeline.
 */
import type { Expr } from '../../expr/expr.js';
import type { Graph } from '../../expr/graph.js';
import type { Rational } from '../../expr/rational.js';
import type { Tensor } from '../../expr/tensor-value.js';
import type { Adjoints, Edge } from '../../diff/reverse.js';
import type { TAdjoints } from '../../diff/tensor-reverse.js';
import type { TForms } from '../../diff/tensor-forms.js';
import type { StateJacobianNorms } from '../../diff/state-jacobian.js';
import type { AdjointValues } from '../../numeric/tensor-adjoint-eval.js';
import type { ProblemBase } from '../../input/problem-parts.js';
import type { BuiltNetwork, NetworkReport, TensorNetwork } from './built.js';

/** What a kind's report reads. */
export type KindSolution = SolutionOf<ProblemBase>;

export interface GradientEntry {
  readonly key: string;            // the leaf element, e.g. W1[1,2]
  readonly value: number;
  readonly exact: Rational | null;
  readonly closedForm: Expr;
  readonly fd: number | null;      // null where not differentiable
  readonly nondifferentiable: boolean;
}

export interface GradientResult {
  readonly of: string;
  readonly wrt: string;            // as asked: a scalar, a tensor or an element
  readonly shape: readonly number[];
  readonly entries: readonly GradientEntry[];
  readonly adjoints: Adjoints;
  /** false for gradients computed only for an `update` */
  readonly asked: boolean;
}

export interface TableRow { input: number[]; output: number; expected?: number; ok?: boolean }
export interface PublishedResult { what: string; published: number; computed: number; agrees: boolean }
export interface CheckReport {
  /** per entry, or along random directions (tensor problems too large for the per-entry check) */
  method: 'central-difference' | 'directional';
  maxRelError: number;
  worst: string | null;
  passed: boolean;
  nondifferentiable: string[];
  entries: number;
  /** directional checks run (tensor problems) */
  directions?: number;
  /** the tensor level against the scalar graph (tensor problems) */
  scalarLevel?: { ran: boolean; maxAbsDiff: number | null };
}

/** A solved problem; P is the problem type (a kind reads it as ProblemBase, the pipeline as ProblemSpec). */
export interface SolutionOf<P extends ProblemBase> {
  readonly problem: P;
  readonly network: BuiltNetwork;
  readonly graph: Graph;
  readonly leaves: ReadonlyMap<string, Rational>;
  readonly values: ReadonlyMap<string, number>;
  readonly exactValues: ReadonlyMap<string, Rational | null>;
  readonly forward: readonly string[];
  readonly gradients: readonly GradientResult[];
  /** named adjoints used by closed forms, bar:<key> -> definition, per `of` */
  readonly definitions: ReadonlyMap<string, Expr>;
  readonly updates: ReadonlyMap<string, number[]> | null;
  readonly updateRate: Rational | null;
  readonly table: readonly TableRow[] | null;
  readonly published: readonly PublishedResult[] | null;
  /** one per `jacobian` ask, in ask order */
  readonly jacobians: readonly JacobianResult[];
  readonly check: CheckReport;
  readonly sizes: { forward: number; gradient: number };
  /** network-specific results (layer-level forms, shapes, counts) */
  readonly report: NetworkReport;
  /** the tensor level, for networks written as tensor equations */
  readonly tensor?: TensorSolution;
}

/** One reverse pass: a node `of` (with its upstream gradient, for a layer-backward ask) and every node asked of it. */
export interface TensorPass {
  /** as asked: E, or e[2] */
  readonly of: string;
  /** the node differentiated, and its step for a per-step loss */
  readonly node: string;
  readonly step: number | null;
  readonly upstream: string | null;
  readonly adjoints: TAdjoints;
  readonly forms: TForms;
  readonly values: AdjointValues;
}

export interface TensorGradient {
  /** as asked: E, or e[2] */
  readonly of: string;
  readonly ofNode: string;
  readonly ofStep: number | null;
  readonly upstream: string | null;
  /** as asked: W1, z1, h[2], W1[2,3] */
  readonly wrt: string;
  /** the node and, for a sequence, the step (null: the whole sequence) */
  readonly node: string;
  readonly step: number | null;
  /** the element asked, if one (1-based, within the node's value at that step) */
  readonly index: readonly number[] | null;
  readonly value: Tensor;
  readonly asked: boolean;
}

export interface TensorCheck {
  readonly directions: number;
  readonly maxError: number;
  readonly worst: string | null;
  readonly skipped: readonly string[];
}

export interface TensorSolution {
  readonly network: TensorNetwork;
  readonly forward: NonNullable<TensorNetwork['forward']>;
  readonly passes: readonly TensorPass[];
  readonly gradients: readonly TensorGradient[];
  readonly check: TensorCheck;
  /** the scalar level against the tensor level: the largest difference of any entry both computed */
  readonly scalarLevel: {
    readonly ran: boolean; readonly maxAbsDiff: number | null; readonly compared: number;
    /** every computed entry's forward value, the tensor level against the scalar graph (relative) */
    readonly values?: { readonly compared: number; readonly maxRelDiff: number };
  };
  readonly notes: readonly string[];
  readonly updates: ReadonlyMap<string, Tensor> | null;
  readonly sizes: { readonly forward: number; readonly gradient: number };
  /** ||ds_T/ds_k|| of the recurrent state, for every k (null without time, or when too large to tabulate) */
  readonly stateNorms: StateJacobianNorms | null;
}

export interface JacobianResult {
  readonly of: string;
  readonly wrt: string;
  readonly ofShape: readonly number[];
  readonly wrtShape: readonly number[];
  /** rows x columns: the entries of `of` by the entries of `wrt` */
  readonly values: readonly (readonly number[])[];
  readonly ofKeys: readonly string[];
  readonly wrtKeys: readonly string[];
  /**
   * The tensors on every path from `wrt` up to `of`, each path from `wrt` to
   * `of`; null when there are more than MAX_TENSOR_PATHS paths, or when a
   * tensor on the way is defined from itself (a recurrence over time), where
   * a product of one local Jacobian per tensor would leave out the recurrence.
   */
  readonly tensorPaths: readonly (readonly string[])[] | null;
  /** local partials of the scalar graph on those paths, keyed `consumer|input` */
  readonly edges: ReadonlyMap<string, Edge>;
  readonly check: { readonly maxError: number; readonly passed: boolean; readonly entries: number };
}

