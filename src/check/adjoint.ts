/**
 * Numeric reverse passes over the problem's graph at one point, for the
 * answer side: derivative nodes an answer names (delta_h2, dE/do), the terms
 * of the chain rule (one product per path from the leaf to `of`) and the
 * derivative a student gets with one local rule written wrong (sigma' as
 * sigma). The truth itself comes from the engine's adjoints (solve()); this
 * is the same chain rule, evaluated with numbers only.
 */
import { ancestors, consumersOf, type Graph } from '../expr/graph.js';
import type { Expr } from '../expr/expr.js';
import { localPartial, type RootPartials } from '../diff/local.js';

/** Replaces the local partial of consumer `c` with respect to input `k`, or keeps it (undefined). */
export type PartialOverride = (c: string, k: string) => Expr | undefined;

/** Most paths enumerated for the term diagnosis. */
export const MAX_PATHS = 64;

export class ReversePass {
  private readonly users: ReadonlyMap<string, readonly string[]>;
  private readonly partials = new Map<string, Expr>();
  private readonly ups = new Map<string, Set<string>>();

  constructor(readonly graph: Graph) {
    this.users = consumersOf(graph);
  }

  /** d c / d k from the definition of c (cached; the same textbook form the engine uses). */
  partial(c: string, k: string): Expr {
    const id = `${c}|${k}`;
    let p = this.partials.get(id);
    if (!p) {
      p = localPartial(c, this.graph.nodes.get(c)!.def!, k).expr;
      this.partials.set(id, p);
    }
    return p;
  }

  ancestorsOf(of: string): Set<string> {
    let up = this.ups.get(of);
    if (!up) this.ups.set(of, (up = ancestors(this.graph, [of])));
    return up;
  }

  consumersOf(k: string): readonly string[] { return this.users.get(k) ?? []; }

  /**
   * d of / d k for every ancestor k of `of`, at the point where `value` evaluates expressions. `pinned`
   * fixes some adjoints (those an answer names, delta_h: their values are the true ones whatever the slip).
   */
  run(of: string, value: (e: Expr) => number, override?: PartialOverride, charge?: (n: number) => void, pinned?: (k: string) => number | undefined): Map<string, number> {
    const up = this.ancestorsOf(of);
    const bar = new Map<string, number>([[of, 1]]);
    const order = this.graph.order;
    for (let i = order.length - 1; i >= 0; i--) {
      const k = order[i]!;
      if (k === of || !up.has(k)) continue;
      let s = 0;
      for (const c of this.consumersOf(k)) {
        const b = bar.get(c);
        if (b === undefined || b === 0 || !up.has(c)) continue;
        charge?.(1);
        s += b * value(override?.(c, k) ?? this.partial(c, k));
      }
      bar.set(k, pinned?.(k) ?? s);
    }
    return bar;
  }

  /** Paths leaf -> ... -> of (node keys), at most MAX_PATHS; null when there are more. */
  paths(leaf: string, of: string): string[][] | null {
    const up = this.ancestorsOf(of);
    const out: string[][] = [];
    const walk = (k: string, trail: string[]): boolean => {
      if (k === of) { out.push(trail); return out.length <= MAX_PATHS; }
      for (const c of this.consumersOf(k)) if (up.has(c) && !walk(c, [...trail, c])) return false;
      return true;
    };
    if (!up.has(leaf)) return [];
    return walk(leaf, [leaf]) ? out : null;
  }
}

/** Local partial d(def of c)/dk with the root op's own partials replaced (the student's wrong rule). */
export function partialWithRoot(def: Expr, nodeKey: string, k: string, rootPartials: RootPartials): Expr {
  return localPartial(nodeKey, def, k, rootPartials).expr;
}
