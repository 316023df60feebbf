/**
 * The terms of the chain rule a student sums: one product of local partials
 * per path from the leaf to `of` (the paths through h1 -> h2 in a network
 * with skip connections, the time steps of BPTT), and, for a leaf used by
 * several nodes (a weight shared across time steps), one term per use.
 */
import type { CheckContext, Point } from './context.js';

export interface Term {
  readonly label: string;
  readonly leaf: string;
  /** a path leaf -> ... -> of, or a use of the leaf by `consumer` (all paths through it) */
  readonly path?: readonly string[];
  readonly consumer?: string;
}

const cache = new WeakMap<CheckContext, Map<string, readonly Term[]>>();
const values = new WeakMap<Point, Map<Term, number>>();

export function describeTerms(ctx: CheckContext, leaf: string): readonly Term[] {
  let perLeaf = cache.get(ctx);
  if (!perLeaf) cache.set(ctx, (perLeaf = new Map()));
  let out = perLeaf.get(leaf);
  if (out) return out;
  const of = ctx.target.of;
  const paths = ctx.pass.paths(leaf, of);
  const uses = ctx.pass.consumersOf(leaf).filter((c) => ctx.pass.ancestorsOf(of).has(c));
  const list: Term[] = [];
  if (paths && paths.length >= 2) {
    for (const p of paths) list.push({ label: `the path ${p.join(' -> ')}`, leaf, path: p });
  }
  if (uses.length >= 2) {
    for (const c of uses) {
      const through = paths?.filter((p) => p[1] === c).length;
      if (through === 1) continue; // the path term already names it
      list.push({ label: `the term through ${c} (every path that starts ${leaf} -> ${c})`, leaf, consumer: c });
    }
  }
  out = list;
  perLeaf.set(leaf, out);
  return out;
}

export function termValue(ctx: CheckContext, t: Term, p: Point, charge: (n: number) => void): number {
  let m = values.get(p);
  if (!m) values.set(p, (m = new Map()));
  const hit = m.get(t);
  if (hit !== undefined) return hit;
  let v: number;
  if (t.path) {
    v = 1;
    for (let i = 1; i < t.path.length; i++) {
      charge(1);
      v *= ctx.valueAt(p, ctx.pass.partial(t.path[i]!, t.path[i - 1]!));
    }
  } else {
    const c = t.consumer!;
    charge(ctx.graph.order.length);
    v = (ctx.adjointAt(p, ctx.target.of).get(c) ?? 0) * ctx.valueAt(p, ctx.pass.partial(c, t.leaf));
  }
  m.set(t, v);
  return v;
}
