/**
 * Named shorthands for exact closed forms, as a seed writes them ("where
 * h2 = (0.06 tanh(1.1 + 0.3 tanh 0.5) - 0.08)(1 - tanh^2(...))"): a
 * subexpression that is repeated and not tiny gets a name alpha_i, defined
 * once, children before parents, so no displayed formula repeats it.
 */
import { ref, rebuildApply, topoOrder, type Expr } from '../expr/expr.js';
import { printExpr } from '../ops/print.js';
import { evalExpr } from '../numeric/evaluate.js';

export interface Shorthand { readonly latex: string; readonly definition: string; readonly value: number }
export interface Shorthands {
  /** LaTeX of each root, over the shorthand names */
  readonly roots: readonly string[];
  /** the definitions, in the order they must be read */
  readonly defs: readonly Shorthand[];
}

/** Smallest repeated subexpression (in tree nodes) that gets a name; tanh(1/2) stays inline. */
export const MIN_NAMED_SIZE = 6;
const KEY = '§';

export function shorthands(roots: readonly Expr[], symbol = '\\alpha'): Shorthands {
  const order = topoOrder(roots); // children first
  const size = new Map<number, number>();
  for (const n of order) size.set(n.id, n.kind === 'apply' ? Math.min(1e9, 1 + n.args.reduce((s, a) => s + size.get(a.id)!, 0)) : 1);
  // Occurrences in the printed text, parents first: a named node is printed once, in its definition.
  const occ = new Map<number, number>();
  for (const r of roots) occ.set(r.id, (occ.get(r.id) ?? 0) + 1);
  const named = new Set<number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    const o = occ.get(n.id) ?? 0;
    if (!o || n.kind !== 'apply') continue;
    if (o >= 2 && size.get(n.id)! >= MIN_NAMED_SIZE) named.add(n.id);
    for (const a of n.args) occ.set(a.id, (occ.get(a.id) ?? 0) + (named.has(n.id) ? 1 : o));
  }
  // Children first: a candidate that prints small once its named children are names (3/10 alpha_1) stays inline.
  const shownSize = new Map<number, number>();
  for (const n of order) {
    const own = n.kind === 'apply' ? 1 + n.args.reduce((s, a) => s + (named.has(a.id) ? 1 : shownSize.get(a.id)!), 0) : 1;
    shownSize.set(n.id, own);
    if (named.has(n.id) && own < MIN_NAMED_SIZE) named.delete(n.id);
  }
  const index = new Map<number, number>();
  const body = new Map<number, Expr>(); // a node over the names of its named children
  const shown = new Map<number, Expr>(); // a node as it appears in a parent: its name if it has one
  for (const n of order) {
    const b = n.kind === 'apply' ? rebuildApply(n.op, n.args.map((a) => shown.get(a.id)!)) : n;
    body.set(n.id, b);
    if (named.has(n.id)) index.set(n.id, index.size + 1);
    shown.set(n.id, named.has(n.id) ? ref(`${KEY}${index.get(n.id)}`) : b);
  }
  const name = (k: string) => (k.startsWith(KEY) ? `${symbol}_{${k.slice(KEY.length)}}` : k);
  const print = (e: Expr) => printExpr(e, { latex: true, name });
  const defs = order.filter((n) => named.has(n.id)).map((n) => ({
    latex: name(`${KEY}${index.get(n.id)}`),
    definition: print(body.get(n.id)!),
    value: evalExpr(n, () => undefined),
  }));
  return { roots: roots.map((r) => print(shown.get(r.id)!)), defs };
}
