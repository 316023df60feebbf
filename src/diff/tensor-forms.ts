/**
 * The backward pass as a textbook prints it. An adjoint used in one place
 * only (delta_p, delta_h between two layers) is written into that place; an
 * adjoint used in several places, asked for, or read by its own recurrence
 * (delta_z[t+1] in delta_z[t]) keeps its name. Every form then goes through
 * the tensor simplifier (simplify/tensor.ts), which is where p * (-t/p)
 * becomes -t and the softmax delta p - t.
 */
import { trefsOf, type TExpr, type TRef } from '../expr/tensor.js';
import type { TGraph } from '../expr/tensor-graph.js';
import * as T from '../ops/tensor-build.js';
import { atFixedStep, shiftSteps } from '../ops/tensor-rebuild.js';
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

  for (let step = 0; step < MAX_INLINES; step++) {
    const uses = countUses(defs);
    let chosen: string | null = null;
    for (const [name, e] of defs) {
      if (keep(name) || selfReading(name, e)) continue;
      const n = uses.get(name) ?? 0;
      // the seed (1, or the upstream gradient G) is written where it is used
      if (n <= 1 || isConstant(e) || name === adj.of) { chosen = name; break; }
    }
    if (chosen === null) break;
    const body = defs.get(chosen)!;
    defs.delete(chosen);
    for (const [name, e] of defs) {
      if (!trefsOf(e).some((r) => r.adjoint && r.name === chosen)) continue;
      defs.set(name, substituteAdjoints(e, (r) => (r.name === chosen ? placed(body, r, g) : undefined)));
      const into = rules.get(name) ?? rules.set(name, []).get(name)!;
      for (const o of rules.get(chosen) ?? []) if (!into.includes(o)) into.push(o);
    }
  }

  const used = new Set<string>();
  const facts: TargetFacts = {
    sumsToOne: (name) => targets(name),
    used: (name) => used.add(name),
  };
  const forms = new Map<string, TExpr>();
  for (const [name, e] of defs) forms.set(name, simplifyT(e, facts));
  const deltas = new Map([...forms].filter(([name]) => !!g.nodes.get(name)?.def || name === adj.of));
  deltas.delete(adj.of);
  return { deltas, forms, factsUsed: [...used], rules };
}

/** Uses of each adjoint: distinct references over all definitions. */
function countUses(defs: ReadonlyMap<string, TExpr>): Map<string, number> {
  const uses = new Map<string, number>();
  for (const e of defs.values()) for (const r of trefsOf(e)) if (r.adjoint) uses.set(r.name, (uses.get(r.name) ?? 0) + 1);
  return uses;
}

const isConstant = (e: TExpr): boolean => e.kind === 'num' || T.isZero(e);

/** An adjoint's definition where a reference to it stands: shifted to the reference's step. */
function placed(body: TExpr, r: TRef, g: TGraph): TExpr {
  if (r.step === null) return body;
  if (r.step.kind === 'rel') return shiftSteps(body, r.step.offset);
  return atFixedStep(body, r.step.step, g.steps!, (n) => g.nodes.get(n)?.initial);
}
