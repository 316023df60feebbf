/** The Leibniz chain: every path from a leaf to `of` through the named nodes, capped. */
import { consumersOf, type Graph } from '../expr/graph.js';
import type { Adjoints } from '../diff/reverse.js';

export const MAX_PATHS = 8;

/** Paths as key lists from `of` down to the leaf, or null when there are more than `max`. */
export function leibnizPaths(graph: Graph, adj: Adjoints, leaf: string, max = MAX_PATHS): string[][] | null {
  const users = consumersOf(graph);
  const out: string[][] = [];
  let overflow = false;
  const walk = (k: string, trail: string[]): void => {
    if (overflow) return;
    if (k === adj.of) {
      if (out.length >= max) { overflow = true; return; }
      out.push([...trail, k].reverse());
      return;
    }
    for (const c of users.get(k) ?? []) if (adj.relevant.has(c)) walk(c, [...trail, k]);
  };
  walk(leaf, []);
  return overflow ? null : out;
}
