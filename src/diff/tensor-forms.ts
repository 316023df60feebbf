/**
 * The backward pass as a textbook prints it. An adjoint used in one place
 * only (delta_p, delta_h between two layers) is written into that place; an
 * adjoint used in several places, asked for, or read by its own recurrence
 * (delta_z[t+1] in delta_z[t]) keeps its name. Every form then goes through
 * the tensor simplifier (simplify/tensor.ts), which is where p * (-t/p)
 * becomes -t and the softmax delta p - t.
 */
import { tref, trefsOf, ttopo, type TExpr, type TRef } from '../expr/tensor.js';
import type { TGraph } from '../expr/tensor-graph.js';
import * as T from '../ops/tensor-build.js';
import { atFixedStep, rebuildApply, shiftSteps } from '../ops/tensor-rebuild.js';
import { simplifyT, type TargetFacts } from '../simplify/tensor.js';
import { substituteAdjoints, type TAdjoints } from './tensor-reverse.js';

export interface TForms {
  /** named adjoints, simplified, in the order a backward pass computes them */
  readonly deltas: ReadonlyMap<string, TExpr>;
  /** the adjoint (or gradient) of every node that keeps a form: named deltas and the leaves */
  readonly forms: ReadonlyMap<string, TExpr>;
  /** targets whose "rows sum to 1" the forms used */
  readonly factsUsed: readonly string[];
  /** the ops whose backward rule produced each named adjoint */
  readonly rules: ReadonlyMap<string, readonly string[]>;
}

/** Most inlining steps (each removes one adjoint, so the count of nodes bounds it anyway). */
const MAX_INLINES = 10_000;

export function deriveForms(g: TGraph, adj: TAdjoints, asked: ReadonlySet<string>, targets: (name: string) => boolean): TForms {
  const defs = new Map(adj.defs);
  const keep = (name: string): boolean => {
    const n = g.nodes.get(name);
    return name !== adj.of && (!n?.def || asked.has(name));
  };
  const selfReading = (name: string, e: TExpr): boolean => trefsOf(e).some((r) => r.adjoint && r.name === name);
  const rules = new Map<string, string[]>([...adj.rules].map(([k, v]) => [k, [...v]]));

  const inline = (chosen: string, into: Map<string, TExpr>, map: (e: TExpr) => TExpr = (e) => e): void => {
    const body = into.get(chosen)!;
    into.delete(chosen);
    for (const [name, e] of into) {
      if (!trefsOf(e).some((r) => r.adjoint && r.name === chosen)) continue;
      into.set(name, map(substituteAdjoints(e, (r) => (r.name === chosen ? placed(body, r, g) : undefined))));
      const to = rules.get(name) ?? rules.set(name, []).get(name)!;
      for (const o of rules.get(chosen) ?? []) if (!to.includes(o)) to.push(o);
    }
  };
  const candidates = (of: Map<string, TExpr>): string[] => [...of].filter(([name, e]) => !keep(name) && !selfReading(name, e)).map(([name]) => name);

  // 1. An adjoint used once (or a constant, or the seed) is written where it is used.
  for (let step = 0; step < MAX_INLINES; step++) {
    const uses = countUses(defs);
    const chosen = candidates(defs).find((name) => (uses.get(name) ?? 0) <= 1 || isConstant(defs.get(name)!) || name === adj.of);
    if (chosen === undefined) break;
    inline(chosen, defs);
  }

  const used = new Set<string>();
  const facts: TargetFacts = {
    sumsToOne: (name) => targets(name),
    used: (name) => used.add(name),
  };
  const simplified = new Map<string, TExpr>();
  for (const [name, e] of defs) simplified.set(name, simplifyT(e, facts));

  // 2. An adjoint used in several places is written there too when that prints less after
  //    simplification (delta_p = -t/p into the softmax's rule, which then reads p - t).
  for (let step = 0; step < MAX_INLINES; step++) {
    let accepted = false;
    for (const name of candidates(simplified)) {
      const trial = new Map(simplified);
      const users = [...trial].filter(([, e]) => trefsOf(e).some((r) => r.adjoint && r.name === name)).map(([k]) => k);
      const before = treeCount(simplified.get(name)!) + users.reduce((s, k) => s + treeCount(simplified.get(k)!), 0);
      const probeFacts: TargetFacts = { sumsToOne: facts.sumsToOne, used: () => undefined };
      inline(name, trial, (e) => simplifyT(e, probeFacts));
      const after = users.reduce((s, k) => s + treeCount(trial.get(k)!), 0);
      if (after <= before) {
        inline(name, simplified, (e) => simplifyT(e, facts));
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  const forms = nameKnownDeltas(g, simplified);
  const deltas = new Map([...forms].filter(([name]) => !!g.nodes.get(name)?.def || name === adj.of));
  deltas.delete(adj.of);
  return { deltas, forms, factsUsed: [...used], rules };
}

/**
 * Where a form holds another named adjoint's definition as a subexpression,
 * it reads the name instead (x's gradient through a residual block reads
 * delta_z2, not delta_y * step(z2 + x) once more).
 */
function nameKnownDeltas(g: TGraph, forms: ReadonlyMap<string, TExpr>): Map<string, TExpr> {
  const byDef = new Map<number, TRef>();
  for (const [name, e] of forms) {
    const n = g.nodes.get(name);
    if (!n?.def || e.kind !== 'apply') continue;
    byDef.set(e.id, tref(name, n.shape, n.seq ? { kind: 'rel', offset: 0 } : null, true));
  }
  const out = new Map<string, TExpr>();
  for (const [name, e] of forms) {
    const memo = new Map<number, TExpr>();
    const visit = (x: TExpr, root: boolean): TExpr => {
      const named = root ? undefined : byDef.get(x.id);
      if (named && named.name !== name) return named;
      if (x.kind !== 'apply') return x;
      const hit = memo.get(x.id);
      if (hit) return hit;
      const args = x.args.map((a) => visit(a, false));
      const r = args.every((a, i) => a === x.args[i]) ? x : rebuildApply(x, args);
      memo.set(x.id, r);
      return r;
    };
    out.set(name, visit(e, true));
  }
  return out;
}

/** Uses of each adjoint: how often it would print, over all definitions (a shared subexpression prints each time). */
function countUses(defs: ReadonlyMap<string, TExpr>): Map<string, number> {
  const uses = new Map<string, number>();
  for (const e of defs.values()) {
    // occurrences in the printed tree: a node's count is the sum of its parents' counts
    const order = ttopo([e]);
    const times = new Map<number, number>([[e.id, 1]]);
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i]!;
      const k = times.get(n.id) ?? 0;
      if (n.kind === 'apply') for (const a of n.args) times.set(a.id, (times.get(a.id) ?? 0) + k);
      else if (n.kind === 'ref' && n.adjoint) uses.set(n.name, (uses.get(n.name) ?? 0) + k);
    }
  }
  return uses;
}

const isConstant = (e: TExpr): boolean => e.kind === 'num' || T.isZero(e);

/** Nodes of the printed tree (a shared subexpression counts each time it prints). */
function treeCount(e: TExpr): number {
  const memo = new Map<number, number>();
  const count = (x: TExpr): number => {
    const hit = memo.get(x.id);
    if (hit !== undefined) return hit;
    const c = 1 + (x.kind === 'apply' ? x.args.reduce((s, a) => s + count(a), 0) : 0);
    memo.set(x.id, c);
    return c;
  };
  return count(e);
}

/** An adjoint's definition where a reference to it stands: shifted to the reference's step. */
function placed(body: TExpr, r: TRef, g: TGraph): TExpr {
  if (r.step === null) return body;
  if (r.step.kind === 'rel') return shiftSteps(body, r.step.offset);
  return atFixedStep(body, r.step.step, g.steps!, (n) => g.nodes.get(n)?.initial);
}
