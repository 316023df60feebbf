/**
 * Reverse accumulation over the named nodes of a graph. The adjoint of every
 * node on a path from `wrt` to `of` is itself a named node `bar:<key>`,
 * defined as the sum over its consumers c of bar:c * dc/dnode (micrograd's
 * `grad +=`: a node reached along several paths sums over all of them).
 * Adjoints refer to each other by ref, so the gradient graph grows linearly
 * with the forward graph.
 */
import { add, dagSize, mul, one, ref, refsOf, type Expr, type OpName } from '../expr/expr.js';
import { ancestors, consumersOf, type Graph } from '../expr/graph.js';
import { localPartial } from './local.js';

export const barKey = (key: string): string => `bar:${key}`;
export const isBarKey = (key: string): boolean => key.startsWith('bar:');
export const unbar = (key: string): string => key.slice(4);

export interface Edge {
  readonly consumer: string;
  readonly input: string;
  readonly partial: Expr;
  readonly rules: readonly OpName[];
}

/** One `of`: adjoints of every node between it and the asked leaves. */
export interface Adjoints {
  readonly of: string;
  /** bar:<key> -> definition, in evaluation order (of first) */
  readonly defs: ReadonlyMap<string, Expr>;
  /** local partials used, keyed `consumer|input` */
  readonly edges: ReadonlyMap<string, Edge>;
  /** nodes on some path from an asked leaf to `of` */
  readonly relevant: ReadonlySet<string>;
}

export function reverseAccumulate(graph: Graph, of: string, wrt: readonly string[]): Adjoints {
  const up = ancestors(graph, [of]);
  const users = consumersOf(graph);
  // Nodes that depend on an asked leaf (descendants), restricted to ancestors of `of`.
  const down = new Set<string>(wrt.filter((k) => up.has(k)));
  for (const k of graph.order) {
    if (down.has(k) || !up.has(k)) continue;
    const def = graph.nodes.get(k)!.def;
    if (def && mentionsAny(def, down)) down.add(k);
  }
  const relevant = down;
  const defs = new Map<string, Expr>();
  const edges = new Map<string, Edge>();
  if (!relevant.has(of)) return { of, defs, edges, relevant };

  defs.set(barKey(of), one); // d of / d of = 1
  for (let i = graph.order.length - 1; i >= 0; i--) {
    const k = graph.order[i]!;
    if (k === of || !relevant.has(k)) continue;
    const terms: Expr[] = [];
    for (const c of users.get(k) ?? []) {
      if (!relevant.has(c)) continue;
      const edge = edgeOf(graph, c, k, edges);
      terms.push(mul(ref(barKey(c)), edge.partial));
    }
    defs.set(barKey(k), add(...terms));
  }
  return { of, defs, edges, relevant };
}

function mentionsAny(def: Expr, keys: ReadonlySet<string>): boolean {
  for (const r of refsOf(def)) if (keys.has(r)) return true;
  return false;
}

function edgeOf(graph: Graph, consumer: string, input: string, edges: Map<string, Edge>): Edge {
  const id = `${consumer}|${input}`;
  let e = edges.get(id);
  if (!e) {
    const lp = localPartial(consumer, graph.nodes.get(consumer)!.def!, input);
    e = { consumer, input, partial: lp.expr, rules: lp.rules };
    edges.set(id, e);
  }
  return e;
}

/** DAG sizes of the forward graph and of the gradient (adjoint) graph, for the no-swell check. */
export function graphSizes(graph: Graph, adj: Adjoints): { forward: number; gradient: number } {
  const fwd: Expr[] = [];
  for (const k of graph.order) {
    const n = graph.nodes.get(k)!;
    fwd.push(n.def ?? ref(k));
  }
  return { forward: dagSize(fwd), gradient: dagSize([...adj.defs.values()]) };
}
