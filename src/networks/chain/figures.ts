/** The chain's own figure: the gradient's magnitude at each layer, on a log scale. */
import { barKey, reverseAccumulate } from '../../diff/reverse.js';
import { evalExpr } from '../../numeric/evaluate.js';
import type { SheetBlock } from '../../tex/sheet-blocks.js';
import type { KindSolution } from '../core/solution.js';
import type { ChainSpec } from './chain.js';

/**
 * For a chain (seed 000 Q2): |d o / d b_i| for every layer i, on a log scale,
 * the picture of vanishing and exploding gradients.
 */
export function magnitudePlot(spec: ChainSpec, sol: KindSolution): SheetBlock | null {
  const depth = spec.depth;
  const of = sol.network.output;
  const biases = Array.from({ length: depth + 1 }, (_, i) => `b${i + 1}`);
  if (!biases.every((b) => sol.leaves.has(b))) return null;
  const adj = reverseAccumulate(sol.graph, of, biases);
  const bv = new Map<string, number>();
  const env = (k: string) => bv.get(k) ?? sol.values.get(k);
  for (const [k, d] of adj.defs) bv.set(k, evalExpr(d, env));
  const points = biases.map((b, i) => ({ x: i + 1, y: Math.abs(bv.get(barKey(b)) ?? 0) }));
  return {
    kind: 'figure',
    caption: `How large the gradient is at each layer: $|\\partial o/\\partial b_i|$ on a logarithmic scale (layer ${depth + 1} is the output).`,
    figure: { type: 'plot', plot: { title: 'gradient magnitude per layer', xLabel: 'i', yLabel: '|\\partial o/\\partial b_i|', points } },
  };
}
