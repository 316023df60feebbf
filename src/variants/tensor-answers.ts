/**
 * The parts of an answer key that a network written as tensor equations
 * reads from its tensor level: every given value (drawn or fixed) as the
 * float64 tensor the engine used, its entries as answers.csv columns, and the
 * values of the named adjoints that the matrix forms are written in
 * (`delta_z2`, `delta_c[t]` at every step), so a key shows each matrix form
 * with its numbers.
 */
import type { Solution } from '../derive/solve.js';
import { deltaDefinitions } from '../derive/tensor-json.js';
import { elementKey, indicesOf } from '../expr/graph.js';
import { entryKey } from '../diff/scalar-level.js';
import { resolveTensorName } from '../derive/tensor-solve.js';
import type { Field } from '../input/field.js';
import { nestTensor, type Nested, type Tensor } from '../expr/tensor-value.js';

/** Every leaf with a value, in the problem's `given` order, then the leaves only drawn (graph order). */
export function tensorGiven(sol: Solution): Array<[string, Tensor]> {
  const tn = sol.tensor!.network;
  const names = [...sol.problem.given.keys()].filter((n) => tn.leaves.has(n));
  for (const name of tn.graph.order) if (tn.leaves.has(name) && !names.includes(name)) names.push(name);
  return names.map((n) => [n, tn.leaves.get(n)!]);
}

/** A given tensor's entries as answers.csv columns: `W1[2,3]`, `x[2,1]` (step 2 of a sequence), a one-entry tensor by its name. */
export function entryColumns(name: string, t: Tensor): string[] {
  if (t.data.length === 1) return [name];
  return indicesOf(t.shape).map((i) => elementKey(name, i));
}

/**
 * `{"delta_z2": [...], "delta_c[1]": [...], ...}`: each named adjoint that a
 * matrix form or a definition uses, at the variant's values (a sequence's at
 * every step), in the order `definitions` lists them.
 */
export function adjointValues(sol: Solution): Record<string, Nested> {
  const ts = sol.tensor!;
  const g = ts.network.graph;
  const out: Record<string, Nested> = {};
  for (const p of ts.passes) {
    const names = new Set(deltaDefinitions(g, p).map(([k]) => k.replace(/^delta_/, '').replace(/\[.*$/, '')));
    for (const name of names) {
      const n = g.nodes.get(name);
      if (!n) continue;
      if (!n.seq) {
        const v = p.values.values.get(name);
        if (v && !(`delta_${name}` in out)) out[`delta_${name}`] = nestTensor(v);
        continue;
      }
      const steps = p.values.seq.get(name);
      steps?.forEach((v, i) => { if (v && !(`delta_${name}[${i + 1}]` in out)) out[`delta_${name}[${i + 1}]`] = nestTensor(v); });
    }
  }
  return out;
}

/** The entry keys of a name as an ask item writes it (`c`, `c[2]`, `W1[2,3]`, `E`) and the shape they fill. */
export function tensorAskKeys(sol: Solution, name: string, field: Field): { keys: string[]; shape: number[] } {
  const g = sol.tensor!.network.graph;
  const r = resolveTensorName(g, name, field);
  const n = g.nodes.get(r.node)!;
  if (r.index) return { keys: [entryKey(g, r.node, r.step, r.index)], shape: [] };
  if (n.seq && r.step === null) {
    return { keys: Array.from({ length: g.steps! }, (_, t) => indicesOf(n.shape).map((i) => entryKey(g, r.node, t + 1, i))).flat(), shape: [g.steps!, ...n.shape] };
  }
  return { keys: indicesOf(n.shape).map((i) => entryKey(g, r.node, r.step, i)), shape: [...n.shape] };
}
