/**
 * What "smaller" means. A rewrite must not add DAG nodes, and must print
 * smaller: fewer nodes that carry meaning, counted as the text repeats them
 * (a*b + a*b -> 2*a*b wins although the DAG shares a*b). Numbers and
 * negations do not count there, so turning 1 - h into h - 1 and pulling the
 * sign out front is no gain, while cancelling a factor or collecting terms
 * is. Between forms equally heavy, the one with fewer minus signs wins:
 * (p - t)*x1 over -(t - p)*x1; then the one with fewer DAG nodes.
 */
import { topoOrder, type Expr } from '../expr/expr.js';

export interface Cost {
  /** distinct DAG nodes */
  readonly nodes: number;
  /** nodes other than numbers and negations, counted as often as the printed form repeats them */
  readonly weight: number;
  /** negations and negative numbers, counted the same way */
  readonly signs: number;
}

export function costOf(e: Expr): Cost {
  const weight = new Map<number, number>(), signs = new Map<number, number>();
  let nodes = 0;
  for (const n of topoOrder([e])) {
    nodes++;
    let w = 0, s = 0;
    if (n.kind === 'num') s = n.value.sign() < 0 ? 1 : 0;
    else if (n.kind === 'ref') w = 1;
    else {
      if (n.op === 'neg') s = 1; else w = 1;
      for (const a of n.args) { w += weight.get(a.id)!; s += signs.get(a.id)!; }
    }
    weight.set(n.id, w);
    signs.set(n.id, s);
  }
  return { nodes, weight: weight.get(e.id)!, signs: signs.get(e.id)! };
}

/** Order for choosing among equivalent forms: weight, then signs, then DAG nodes. */
export function compareCost(a: Cost, b: Cost): number {
  return a.weight - b.weight || a.signs - b.signs || a.nodes - b.nodes;
}

/** Is `a` a strict improvement on `b`: no more DAG nodes, and first in the order above? */
export const better = (a: Cost, b: Cost): boolean => a.nodes <= b.nodes && compareCost(a, b) < 0;
