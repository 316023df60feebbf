/** Binding `given` values to the graph's leaves, with shape checks (contract 3). */
import type { Graph, TensorInfo } from '../expr/graph.js';
import type { Rational } from '../expr/rational.js';
import type { GivenValue, ProblemBase } from './problem-parts.js';
import { initRationals } from './initializer.js';

export function givenShape(v: GivenValue): readonly number[] | undefined {
  return v.kind === 'array' || v.kind === 'init' ? v.shape : undefined;
}

/** Exact leaf values by key. Leaves without a value are simply absent (checked where needed). */
export function bindGiven(problem: Pick<ProblemBase, 'given' | 'givenField'>, graph: Graph, overrides?: ReadonlyMap<string, GivenValue>): Map<string, Rational> {
  const out = new Map<string, Rational>();
  for (const t of graph.tensors.values()) {
    if (t.role === 'intermediate') {
      if (problem.given.has(t.name)) problem.given.get(t.name)!.field.fail(`'${t.name}' is computed by the network and cannot be given`);
      continue;
    }
    const entry = problem.given.get(t.name);
    const v = overrides?.get(t.name) ?? entry?.value;
    if (!v) continue;
    const values = valuesFor(t, v, (msg) => (entry ? entry.field.fail(msg) : problem.givenField.fail(msg)));
    t.keys.forEach((k, i) => out.set(k, values[i]!));
  }
  for (const [name, entry] of problem.given) {
    if (!graph.tensors.has(name)) entry.field.fail(`'${name}' is not a name of this network (its names: ${[...graph.tensors.values()].filter((t) => t.role !== 'intermediate').map((t) => t.name).join(', ')})`);
  }
  return out;
}

function valuesFor(t: TensorInfo, v: GivenValue, fail: (m: string) => never): Rational[] {
  if (v.kind === 'fill') return t.keys.map(() => v.value);
  if (v.kind === 'init') {
    if (v.shape.join('x') !== t.shape.join('x')) fail(`'${t.name}' has shape [${t.shape.join(', ')}], but the initializer fills [${v.shape.join(', ')}]`);
    return initRationals(v);
  }
  const n = t.keys.length;
  if (v.values.length === 1 && n === 1) return v.values;
  if (v.shape.join('x') !== t.shape.join('x')) {
    const want = t.shape.length ? `[${t.shape.join(', ')}]` : 'a single number';
    fail(`'${t.name}' has shape ${want}, but the given value has shape ${v.shape.length ? `[${v.shape.join(', ')}]` : 'of a single number'}`);
  }
  return v.values;
}
