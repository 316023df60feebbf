/**
 * Central finite differences on the forward graph, re-evaluating only the
 * nodes between the perturbed leaf and the output. Where plain central
 * differences at h = 1e-6 miss the tolerance (steep sigmoids), Ridders'
 * extrapolation of central differences is used (Numerical Recipes, dfridr).
 */
import { ancestors, consumersOf, type Graph } from '../expr/graph.js';
import { evalExpr } from './evaluate.js';

export const FD_STEP = 1e-6;

/** The contract's test: |fd - exact| <= 1e-6 * max(1, |exact|). */
export const fdError = (fd: number, exact: number): number => Math.abs(fd - exact) / Math.max(1, Math.abs(exact));
export const FD_TOLERANCE = 1e-6;

export class ForwardFunction {
  private readonly affected: string[];
  constructor(
    private readonly graph: Graph,
    private readonly base: ReadonlyMap<string, number>,
    readonly of: string,
    readonly wrt: string,
  ) {
    const up = ancestorsOf(graph, of);
    const users = consumersOf(graph);
    const down = new Set<string>([wrt]);
    const stack = [wrt];
    while (stack.length) for (const c of users.get(stack.pop()!) ?? []) if (!down.has(c) && up.has(c)) { down.add(c); stack.push(c); }
    this.affected = graph.order.filter((k) => k !== wrt && down.has(k));
  }

  /** the output with the leaf set to x */
  at(x: number): number {
    const over = new Map<string, number>([[this.wrt, x]]);
    const env = (k: string) => over.get(k) ?? this.base.get(k);
    // One memo for the whole pass: in topological order every ref is final when first read.
    const memo = new Map<number, number>();
    for (const k of this.affected) over.set(k, evalExpr(this.graph.nodes.get(k)!.def!, env, memo));
    return over.get(this.of) ?? this.base.get(this.of)!;
  }
}

/** Ancestors of `of`, once per graph and output: every entry of one gradient checks against the same output. */
const upCache = new WeakMap<Graph, { size: number; byOf: Map<string, ReadonlySet<string>> }>();
function ancestorsOf(graph: Graph, of: string): ReadonlySet<string> {
  let hit = upCache.get(graph);
  if (!hit || hit.size !== graph.order.length) upCache.set(graph, (hit = { size: graph.order.length, byOf: new Map() }));
  const byOf = hit.byOf;
  let up = byOf.get(of);
  if (!up) byOf.set(of, (up = ancestors(graph, [of])));
  return up;
}

export function centralDifference(f: ForwardFunction, x: number, h = FD_STEP * Math.max(1, Math.abs(x))): number {
  return (f.at(x + h) - f.at(x - h)) / (2 * h);
}

/** Ridders: a tableau of central differences with shrinking h, extrapolated to h -> 0. */
export function ridders(f: ForwardFunction, x: number, h0: number): { value: number; error: number } {
  const CON = 1.4, CON2 = CON * CON, NTAB = 12, SAFE = 2;
  const a: number[][] = Array.from({ length: NTAB }, () => new Array<number>(NTAB).fill(0));
  let h = h0, err = Infinity, ans = NaN;
  a[0]![0] = (f.at(x + h) - f.at(x - h)) / (2 * h);
  for (let i = 1; i < NTAB; i++) {
    h /= CON;
    a[0]![i] = (f.at(x + h) - f.at(x - h)) / (2 * h);
    let fac = CON2;
    for (let j = 1; j <= i; j++) {
      a[j]![i] = (a[j - 1]![i]! * fac - a[j - 1]![i - 1]!) / (fac - 1);
      fac *= CON2;
      const errt = Math.max(Math.abs(a[j]![i]! - a[j - 1]![i]!), Math.abs(a[j]![i]! - a[j - 1]![i - 1]!));
      if (errt <= err) { err = errt; ans = a[j]![i]!; }
    }
    if (Math.abs(a[i]![i]! - a[i - 1]![i - 1]!) >= SAFE * err) break;
  }
  return { value: ans, error: err };
}

/** A finite-difference estimate of d of / d wrt, as good as the cheap methods allow. */
export function finiteDifference(graph: Graph, values: ReadonlyMap<string, number>, of: string, wrt: string, exact: number): number {
  const f = new ForwardFunction(graph, values, of, wrt);
  const x = values.get(wrt)!;
  const plain = centralDifference(f, x);
  if (fdError(plain, exact) <= FD_TOLERANCE * 1e-2) return plain;
  // Plain differences disagree: trust the extrapolation with the smallest error of its own estimate.
  let best = { value: plain, error: Infinity };
  for (const h0 of [1e-2, 1e-4, 1e-6]) {
    const r = ridders(f, x, h0 * Math.max(1, Math.abs(x)));
    if (Number.isFinite(r.value) && r.error < best.error) best = r;
  }
  return best.value;
}
