/**
 * Tensor expressions: the engine's core level (contract 2.7). A node's value
 * is a scalar (shape []), a column vector ([n]), a matrix ([m, n]) or a
 * higher tensor; every node carries its shape. Nodes are immutable and
 * interned like the scalar `Expr`: building the same node twice returns the
 * same object, so `a === b` is structural equality and shared subexpressions
 * are shared.
 *
 * Atoms are numbers and references to named nodes of a tensor graph (`W1`,
 * `z[t-1]`) or to their adjoints (`delta_z2`, `delta_z[t+1]`). A reference
 * into a sequence names its step relative to the current one (`rel`) or
 * absolutely (`abs`). Shape rules and constructors live in the op registry
 * (ops/tensor-ops.ts): this module only stores and interns.
 */
import { Rational } from './rational.js';

export type Shape = readonly number[];

/** A step of a sequence: relative to the current step t (`t-1` is offset -1), or a fixed step (1-based). */
export type StepRef = { readonly kind: 'rel'; readonly offset: number } | { readonly kind: 'abs'; readonly step: number };

/** Op-specific parameters (axis, slices, stride, ...): plain JSON data, part of a node's identity. */
export type TAttrs = Readonly<Record<string, number | string | boolean | readonly number[] | readonly (readonly number[])[] | null>>;

export interface TNum { readonly kind: 'num'; readonly id: number; readonly shape: Shape; readonly value: Rational }
export interface TRef {
  readonly kind: 'ref'; readonly id: number; readonly shape: Shape;
  readonly name: string;
  /** null for a node outside time; a step for a sequence */
  readonly step: StepRef | null;
  /** a reference to the adjoint of `name` (delta_name), not to its value */
  readonly adjoint: boolean;
}
export interface TApply {
  readonly kind: 'apply'; readonly id: number; readonly shape: Shape;
  readonly op: string;
  readonly args: readonly TExpr[];
  readonly attrs: TAttrs;
}
export type TExpr = TNum | TRef | TApply;

const table = new Map<string, TExpr>();
let nextId = 1;

function intern<E extends TExpr>(key: string, make: (id: number) => E): E {
  const found = table.get(key);
  if (found) return found as E;
  const e = make(nextId++);
  table.set(key, e);
  return e;
}

export const shapeKey = (s: Shape): string => s.join('x');
export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((n, i) => n === b[i]);
export function sizeOf(s: Shape): number {
  let n = 1;
  for (let i = 0; i < s.length; i++) n *= s[i]!;
  return n;
}

export function tnum(value: Rational | number): TNum {
  const r = typeof value === 'number' ? Rational.fromNumber(value) : value;
  return intern(`n${r.toString()}`, (id) => ({ kind: 'num', id, shape: [], value: r }));
}

const stepKey = (s: StepRef | null): string => (s === null ? '' : s.kind === 'rel' ? `@${s.offset}` : `#${s.step}`);

export function tref(name: string, shape: Shape, step: StepRef | null = null, adjoint = false): TRef {
  return intern(`r${adjoint ? '~' : ''}${name}${stepKey(step)}:${shapeKey(shape)}`, (id) => ({
    kind: 'ref', id, shape: Object.freeze([...shape]), name, step, adjoint,
  }));
}

function attrsKey(attrs: TAttrs): string {
  const keys = Object.keys(attrs).sort();
  return keys.length === 0 ? '' : JSON.stringify(keys.map((k) => [k, attrs[k]]));
}

/** Raw node construction: no shape check, no folding. Use the registry's constructors. */
export function tapplyRaw(op: string, args: readonly TExpr[], attrs: TAttrs, shape: Shape): TApply {
  return intern(`${op}(${args.map((a) => a.id).join(',')})${attrsKey(attrs)}:${shapeKey(shape)}`, (id) => ({
    kind: 'apply', id, op, args: Object.freeze([...args]), attrs: Object.freeze({ ...attrs }), shape: Object.freeze([...shape]),
  }));
}

export const isTNum = (e: TExpr, v?: number): boolean => e.kind === 'num' && (v === undefined || e.value.eq(Rational.fromNumber(v)));

/** Nodes reachable from the roots, children before parents. */
export function ttopo(roots: readonly TExpr[]): TExpr[] {
  const seen = new Set<number>();
  const out: TExpr[] = [];
  const stack: Array<[TExpr, boolean]> = roots.map((r) => [r, false]);
  while (stack.length) {
    const [e, done] = stack.pop()!;
    if (done) { out.push(e); continue; }
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    stack.push([e, true]);
    if (e.kind === 'apply') for (let i = e.args.length - 1; i >= 0; i--) if (!seen.has(e.args[i]!.id)) stack.push([e.args[i]!, false]);
  }
  return out;
}

export const tdagSize = (roots: readonly TExpr[]): number => ttopo(roots).length;

const refCache = new WeakMap<TExpr, readonly TRef[]>();
/** Every reference in an expression (cached: nodes are immutable). */
export function trefsOf(e: TExpr): readonly TRef[] {
  let refs = refCache.get(e);
  if (!refs) {
    refs = ttopo([e]).filter((n): n is TRef => n.kind === 'ref');
    refCache.set(e, refs);
  }
  return refs;
}

/** Does the expression mention node `name` (its value, not its adjoint)? */
export const tmentions = (e: TExpr, name: string): boolean => trefsOf(e).some((r) => !r.adjoint && r.name === name);
