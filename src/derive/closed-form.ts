/**
 * Closed forms of gradients over the problem's names. Adjoints that a formula
 * would repeat (or that would print too large) stay named (`delta_h2`) and
 * get a definition of their own, so no formula grows with the number of
 * steps; the others are inlined, giving the textbook product
 * w4*w3*h3*(1 - h3)*... for a chain.
 */
import { refsOf, substitute, topoOrder, type Expr } from '../expr/expr.js';
import { isBarKey, type Adjoints } from '../diff/reverse.js';
import { simplify } from '../simplify/index.js';

/** Largest inlined adjoint, in tree nodes; a larger one is named. */
export const MAX_INLINE_SIZE = 400;

export interface ClosedForms {
  /** root key (bar:<leaf>) -> formula over forward names and named adjoints */
  readonly forms: ReadonlyMap<string, Expr>;
  /** named adjoints used by the forms, bar:<key> -> definition, in evaluation order */
  readonly definitions: ReadonlyMap<string, Expr>;
}

export function closedForms(adj: Adjoints, roots: readonly string[]): ClosedForms {
  const defs = adj.defs;
  // Bar nodes in an order where every node comes after the nodes whose definitions use it.
  const order = [...defs.keys()].reverse(); // defs run from `of` towards the leaves
  const named = new Set<string>();
  for (const root of roots) {
    const count = new Map<string, number>([[root, 1]]);
    for (const k of order) {
      const c = count.get(k);
      if (!c) continue;
      const own = named.has(k) && k !== root ? 1 : c;
      for (const [child, mult] of barRefCounts(defs.get(k)!)) count.set(child, (count.get(child) ?? 0) + own * mult);
    }
    for (const [k, c] of count) if (k !== root && c > 1 && !small(defs.get(k)!, defs)) named.add(k);
  }
  // Size guard: name any adjoint whose inlined tree would be too large.
  const size = new Map<string, number>();
  for (const k of [...defs.keys()]) {
    let s = 0;
    for (const n of topoOrder([defs.get(k)!])) s += n.kind === 'ref' && isBarKey(n.key) && !named.has(n.key) ? size.get(n.key) ?? 1 : 1;
    if (s > MAX_INLINE_SIZE && !roots.includes(k)) { named.add(k); s = 1; }
    size.set(k, s);
  }
  const memo = new Map<string, Expr>();
  const expand = (k: string): Expr => {
    let e = memo.get(k);
    if (!e) {
      e = simplify(substitute(defs.get(k)!, (r) => (isBarKey(r) && !named.has(r) ? expand(r) : undefined)));
      memo.set(k, e);
    }
    return e;
  };
  const forms = new Map(roots.map((r) => [r, expand(r)]));
  // Keep only the named adjoints reachable from the forms, in evaluation order.
  const used = new Set<string>();
  const stack = [...forms.values()];
  while (stack.length) {
    for (const r of refsOf(stack.pop()!)) {
      if (named.has(r) && !used.has(r)) { used.add(r); stack.push(expand(r)); }
    }
  }
  const definitions = new Map([...defs.keys()].filter((k) => used.has(k)).map((k) => [k, expand(k)]));
  return { forms, definitions };
}

function barRefCounts(e: Expr): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (x: Expr): void => {
    if (x.kind === 'ref') { if (isBarKey(x.key)) out.set(x.key, (out.get(x.key) ?? 0) + 1); }
    else if (x.kind === 'apply') x.args.forEach(walk);
  };
  walk(e);
  return out;
}

/** Adjoints this small read better inline even when repeated ((o - t) twice beats a named \bar{o}). */
export const MAX_REPEATED_INLINE = 8;

function small(e: Expr, defs: ReadonlyMap<string, Expr>): boolean {
  const nodes = topoOrder([e]);
  return nodes.length <= MAX_REPEATED_INLINE && nodes.every((n) => n.kind !== 'ref' || !isBarKey(n.key) || small(defs.get(n.key)!, defs));
}
