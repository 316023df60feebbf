/**
 * Reverse accumulation at the tensor level. Every node on a path from an
 * asked node to `of` gets an adjoint delta_n, itself a named tensor node,
 * summed over its consumers (micrograd's `grad +=`, per tensor): for a
 * consumer c defined by an expression, the cotangent delta_c is pulled back
 * through that expression op by op, each op applying its vector-Jacobian
 * product (ops/tensor-ops.ts). The result is the textbook backward pass in
 * matrix form: delta_z2 = p - t, dE/dW2 = delta_z2 h^T.
 *
 * Through time, the adjoint of a sequence is a sequence, written once as a
 * template in t: a consumer that reads h[t-1] at step t sends its cotangent
 * to delta_h at t - 1, so delta_h[t] reads delta_z[t+1]; an adjoint past the
 * last step is zero; a read at a fixed step (h[T]) contributes at that step
 * only. A weight used at every step sums over t: dE/dW = sum_t(...).
 */
import { sameShape, tref, trefsOf, ttopo, type Shape, type TApply, type TExpr, type TRef } from '../expr/tensor.js';
import type { TGraph } from '../expr/tensor-graph.js';
import * as T from '../ops/tensor-build.js';
import { TOPS } from '../ops/tensor-ops.js';
import { atFixedStep, mapRefs, shiftSteps } from '../ops/tensor-rebuild.js';

export interface TAdjoints {
  readonly of: string;
  /** adjoint definitions by node name (a template in t for a sequence); leaves' adjoints are their gradients */
  readonly defs: ReadonlyMap<string, TExpr>;
  /** nodes on a path from an asked node to `of` */
  readonly relevant: ReadonlySet<string>;
  /** the ops whose backward rule produced each adjoint, outermost first */
  readonly rules: ReadonlyMap<string, readonly string[]>;
}

/** The adjoint of `name` as a reference (at step t for a sequence). */
export function adjointRef(g: TGraph, name: string): TRef {
  const n = g.nodes.get(name)!;
  return tref(name, n.shape, n.seq ? { kind: 'rel', offset: 0 } : null, true);
}

/**
 * Adjoints of every relevant node for one `of`, seeded with `seed` (1 for a
 * scalar loss, the upstream gradient G for a layer-backward exercise).
 * `wrt` names nodes (a sequence's initial value included).
 */
export function reverseTensor(g: TGraph, of: string, seed: TExpr, wrt: readonly string[]): TAdjoints {
  const relevant = relevantNodes(g, of, wrt);
  const contribs = new Map<string, TExpr[]>();
  const rules = new Map<string, string[]>();
  const push = (name: string, e: TExpr, ops: readonly string[]) => {
    if (T.isZero(e)) return;
    (contribs.get(name) ?? contribs.set(name, []).get(name)!).push(e);
    const r = rules.get(name) ?? rules.set(name, []).get(name)!;
    for (const o of ops) if (!r.includes(o)) r.push(o);
  };
  const isWanted = (r: TRef) => !r.adjoint && relevant.has(r.name);

  // consumers in forward order, so a sum lists the recurrent term first (Wh^T delta_z[t+1] + Wy^T (...))
  for (const c of g.order) {
    const node = g.nodes.get(c)!;
    if (!node.def || !relevant.has(c)) continue;
    const G = c === of ? seed : adjointRef(g, c);
    const out = tref(c, node.shape, node.seq ? { kind: 'rel', offset: 0 } : null);
    for (const { ref, cot, inSum, ops } of pullback(node.def, G, out, isWanted)) {
      const target = g.nodes.get(ref.name)!;
      const timeTemplate = node.seq || inSum; // the cotangent is a template at the consumer's step t
      if (ref.step === null) {
        push(ref.name, timeTemplate ? T.sumT(cot) : cot, ops);
      } else if (ref.step.kind === 'abs') {
        push(ref.name, T.atStep(timeTemplate ? T.sumT(cot) : cot, ref.step.step), ops);
      } else {
        const k = ref.step.offset;
        push(ref.name, shiftSteps(cot, -k), ops);
        // read at [t-1], step 1 reads the initial value: its adjoint is this cotangent at t = 1
        if (k === -1 && target.initial && relevant.has(target.initial)) {
          push(target.initial, atFixedStep(cot, 1, g.steps!, (n) => g.nodes.get(n)?.initial), ops);
        }
      }
    }
  }

  const defs = new Map<string, TExpr>();
  defs.set(of, seed);
  for (const name of [...g.order].reverse()) {
    if (name === of || !relevant.has(name)) continue;
    const node = g.nodes.get(name)!;
    defs.set(name, exactShape(T.add(...(contribs.get(name) ?? [])), node.shape));
  }
  return { of, defs, relevant, rules };
}

const exactShape = (e: TExpr, shape: Shape): TExpr => (e.shape.length === shape.length && e.shape.every((n, i) => n === shape[i]) ? e : T.bcast(e, shape));

/** Nodes that depend on some asked node and that `of` depends on (by name: a sequence is one node). */
function relevantNodes(g: TGraph, of: string, wrt: readonly string[]): Set<string> {
  const reads = new Map<string, string[]>();
  for (const [name, n] of g.nodes) {
    const r = n.def ? [...new Set(trefsOf(n.def).filter((x) => !x.adjoint).map((x) => x.name))] : [];
    // a sequence read at [t-1] reads its initial value too
    for (const x of [...r]) { const init = g.nodes.get(x)?.initial; if (init) r.push(init); }
    reads.set(name, r);
  }
  const up = new Set<string>();
  const stack = [of];
  while (stack.length) {
    const k = stack.pop()!;
    if (up.has(k)) continue;
    up.add(k);
    stack.push(...(reads.get(k) ?? []));
  }
  const down = new Set(wrt.filter((w) => up.has(w)));
  for (const name of g.order) {
    if (down.has(name) || !up.has(name)) continue;
    if ((reads.get(name) ?? []).some((r) => down.has(r))) down.add(name);
  }
  // a sequence is relevant when one of its step's reads is: iterate to a fixed point through [t-1]
  let grew = true;
  while (grew) {
    grew = false;
    for (const name of g.order) {
      if (down.has(name) || !up.has(name)) continue;
      if ((reads.get(name) ?? []).some((r) => down.has(r))) { down.add(name); grew = true; }
    }
  }
  if (up.has(of) && down.size) down.add(of);
  return down;
}

interface Pulled { readonly ref: TRef; readonly cot: TExpr; readonly inSum: boolean; readonly ops: readonly string[] }

/**
 * The cotangent G of a definition pulled back to each reference it reads:
 * reverse mode over the definition's own DAG, each op applying its VJP. The
 * definition's root gets the node's own name as its output, so tanh' reads
 * 1 - h^2 with h the name. The body of sum_t(...) is a template at its own
 * step, pulled back separately.
 */
export function pullback(def: TExpr, G: TExpr, out: TExpr, wanted: (r: TRef) => boolean, inSum = false): Pulled[] {
  const results: Pulled[] = [];
  const cot = new Map<number, TExpr[]>();
  const opsTo = new Map<number, string[]>();
  cot.set(def.id, [G]);
  opsTo.set(def.id, []);
  const mentions = new Map<number, boolean>();
  const mentionsWanted = (e: TExpr): boolean => {
    let m = mentions.get(e.id);
    if (m === undefined) mentions.set(e.id, (m = trefsOf(e).some(wanted)));
    return m;
  };
  const order = ttopo([def]);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    const list = cot.get(n.id);
    if (!list) continue;
    const g = T.add(...list);
    const ops = opsTo.get(n.id) ?? [];
    if (n.kind === 'ref') {
      if (wanted(n)) results.push({ ref: n, cot: g, inSum, ops });
      continue;
    }
    if (n.kind !== 'apply' || T.isZero(g)) continue;
    if (n.op === 'sumT') {
      results.push(...pullback(n.args[0]!, g, n.args[0]!, wanted, true).map((p) => ({ ...p, ops: [...ops, ...p.ops] })));
      continue;
    }
    const spec = TOPS[n.op]!;
    const here = n === def ? out : n;
    n.args.forEach((a, k) => {
      if (!mentionsWanted(a)) return;
      // every rule returns the argument's shape; a one-entry tensor may come back as its entry
      const v = spec.vjp(n as TApply, here, g, k);
      const c = sameShape(v.shape, a.shape) ? v : T.reshape(v, a.shape);
      (cot.get(a.id) ?? cot.set(a.id, []).get(a.id)!).push(c);
      const prev = opsTo.get(a.id) ?? [];
      const mine = [...ops, ...(n.op === 'add' || n.op === 'neg' || n.op === 'reshape' ? [] : [n.op])];
      opsTo.set(a.id, [...new Set([...prev, ...mine])]);
    });
  }
  return results;
}

/** Replace adjoint references by expressions (undefined keeps the reference). */
export function substituteAdjoints(e: TExpr, f: (r: TRef) => TExpr | undefined): TExpr {
  return mapRefs(e, (r) => (r.adjoint ? f(r) : undefined));
}
