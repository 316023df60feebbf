/**
 * The exact value of a node as a closed form: leaves become their exact
 * rationals, rational arithmetic folds, and a non-rational intermediate
 * stays inline while small (sigma(8/5)) or by name when large.
 */
import { substitute, num, dagSize, type Expr } from '../expr/expr.js';
import type { Solution } from '../derive/solve.js';

export const MAX_EXACT_INLINE = 24;

export function exactForm(sol: Solution, key: string, memo = new Map<string, Expr>()): Expr | null {
  const node = sol.graph.nodes.get(key);
  if (!node?.def) return null;
  const hit = memo.get(key);
  if (hit) return hit;
  const e = substitute(node.def, (r) => {
    const leaf = sol.leaves.get(r);
    if (leaf) return num(leaf);
    const exact = sol.exactValues.get(r);
    if (exact) return num(exact);
    const inner = exactForm(sol, r, memo);
    return inner && dagSize([inner]) <= MAX_EXACT_INLINE ? inner : undefined;
  });
  memo.set(key, e);
  return e;
}
