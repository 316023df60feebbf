/**
 * The scalar level of a solution: one reverse pass over the scalar graph per
 * `of` (the union of its asked keys), closed forms per entry, values, exact
 * values and the per-entry finite-difference check. Shared by networks
 * expanded directly into scalars and by the tensor pipeline's second level.
 */
import { kindOf } from '../networks/registry.js';
import { ProblemError } from '../errors.js';
import { zero, type Expr } from '../expr/expr.js';
import { ancestors, type Graph } from '../expr/graph.js';
import type { Rational } from '../expr/rational.js';
import { barKey, graphSizes, reverseAccumulate, type Adjoints } from '../diff/reverse.js';
import { evalExact as evalExactWith, evalExpr, hasKink } from '../numeric/evaluate.js';
import { finiteDifference } from '../numeric/gradcheck.js';
import type { AskItem, ProblemSpec } from '../problem/spec.js';
import { closedForms } from './closed-form.js';
import type { GradientEntry, GradientResult } from './solve.js';

export interface GradientRequest {
  readonly of: string;
  /** as asked: a tensor, an element, an intermediate node or a step */
  readonly wrt: string;
  readonly keys: readonly string[];
  readonly asked: boolean;
  /** the gradient's shape ([] for one element) */
  readonly shape: readonly number[];
}

export function scalarGradients(
  problem: ProblemSpec, graph: Graph, values: ReadonlyMap<string, number>, exactValues: ReadonlyMap<string, Rational | null>,
  leaves: ReadonlyMap<string, Rational>, requests: readonly GradientRequest[], skipCheck: boolean,
): { gradients: GradientResult[]; gradientSize: number; definitions: Map<string, Expr> } {
  const byOf = new Map<string, string[]>();
  for (const r of requests) byOf.set(r.of, [...(byOf.get(r.of) ?? []), ...r.keys]);
  const adjointsByOf = new Map<string, Adjoints>();
  const definitions = new Map<string, Expr>();
  const formsByOf = new Map<string, ReadonlyMap<string, Expr>>();
  const barValues = new Map<string, Map<string, number>>();
  let gradientSize = 0;
  for (const [of, keys] of byOf) {
    const adj = reverseAccumulate(graph, of, keys);
    adjointsByOf.set(of, adj);
    gradientSize = Math.max(gradientSize, graphSizes(graph, adj).gradient);
    const cf = closedForms(adj, keys.filter((k) => adj.defs.has(barKey(k))).map(barKey));
    formsByOf.set(of, cf.forms);
    for (const [k, d] of cf.definitions) definitions.set(k, d);
    const bv = new Map<string, number>();
    const env = (k: string) => bv.get(k) ?? values.get(k);
    const memo = new Map<number, number>();
    for (const [k, d] of adj.defs) {
      const v = evalExpr(d, env, memo);
      // the first adjoint (in evaluation order) that leaves the finite numbers is the node to blame,
      // not the leaf gradient it poisons later: never print an Infinity or NaN (issue 8)
      if (!Number.isFinite(v)) {
        const node = k.slice('bar:'.length);
        definingField(problem, graph.nodes.get(node)?.tensor ?? node).fail(`d${of}/d${node} is not a finite number (${v}) at the given values`);
      }
      bv.set(k, v);
    }
    barValues.set(of, bv);
  }

  const gradients: GradientResult[] = requests.map((r) => {
    const adj = adjointsByOf.get(r.of)!;
    const forms = formsByOf.get(r.of)!;
    const bv = barValues.get(r.of)!;
    const entries = r.keys.map((key): GradientEntry => {
      const bk = barKey(key);
      const form = forms.get(bk);
      const value = form ? bv.get(bk)! : 0;
      const exact = form && problem.exact ? exactOf(form, exactValues, leaves) : null;
      const kink = form ? hasKinkOnPath(graph, adj, key, values) : false;
      let fd: number | null = null;
      if (!skipCheck && !kink) fd = form ? finiteDifference(graph, values, r.of, key, value) : 0;
      if (!Number.isFinite(value)) throw new ProblemError(`d${r.of}/d${key} is not a finite number`, problem.file);
      return { key, value, exact, closedForm: form ?? zero, fd, nondifferentiable: kink };
    });
    return { of: r.of, wrt: r.wrt, shape: r.shape, entries, adjoints: adj, asked: r.asked };
  });

  return { gradients, gradientSize, definitions };
}

/** Where a node comes from in the file: its equation (kind: equations), else the `given` section whose values produced it. */
export function definingField(problem: ProblemSpec, tensor: string): AskItem['field'] {
  return kindOf(problem.network).fieldOf?.(problem.network, tensor) ?? problem.givenField;
}

/** Exact value of a closed form where all of its names have rational values. */
function exactOf(form: Expr, exactValues: ReadonlyMap<string, Rational | null>, leaves: ReadonlyMap<string, Rational>): Rational | null {
  return evalExactWith(form, (k) => exactValues.get(k) ?? leaves.get(k) ?? null);
}

/** Per reverse pass: the nodes upstream of some relu/step/abs that sits exactly at its kink. */
const kinkUpstream = new WeakMap<Adjoints, ReadonlySet<string>>();

/**
 * Is some relu/step/abs between the leaf and `of` exactly at its kink? Only a
 * kink downstream of this leaf counts: a dead unit elsewhere in the network
 * must not take every other entry out of the finite-difference check.
 */
function hasKinkOnPath(graph: Graph, adj: Adjoints, leaf: string, values: ReadonlyMap<string, number>): boolean {
  let upstream = kinkUpstream.get(adj);
  if (!upstream) {
    const env = (k: string) => values.get(k);
    const kinked = [...adj.relevant].filter((k) => { const def = graph.nodes.get(k)?.def; return def !== undefined && hasKink(def, env); });
    upstream = ancestors(graph, kinked);
    kinkUpstream.set(adj, upstream);
  }
  return upstream.has(leaf);
}


/** The value of every scalar adjoint of one `of` (key bar:<key>), evaluated from its definition. */
export function adjointValues(sol: { readonly gradients: readonly GradientResult[]; readonly values: ReadonlyMap<string, number> }, of: string): Map<string, number> {
  const bv = new Map<string, number>();
  const adj = sol.gradients.find((g) => g.of === of)?.adjoints;
  if (!adj) return bv;
  const env = (k: string) => bv.get(k) ?? sol.values.get(k);
  const memo = new Map<number, number>();
  for (const [k, d] of adj.defs) bv.set(k, evalExpr(d, env, memo));
  return bv;
}
