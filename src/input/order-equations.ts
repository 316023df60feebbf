/**
 * Equations may be listed in any order (contract 2.1, 2.7): put them in
 * dependency order, each after the equations it reads; a cycle is an input
 * error at the equation that closes it, naming its members. One function for
 * the scalar and the tensor reading of the same file.
 */
import type { Field } from './field.js';

export function orderEquations<E extends { readonly name: string; readonly field: Field }>(
  equations: readonly E[],
  reads: (eq: E) => Iterable<string>,
): E[] {
  const byName = new Map(equations.map((e) => [e.name, e]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: E[] = [];
  const visit = (name: string, trail: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    const eq = byName.get(name)!;
    if (s === 'visiting') eq.field.fail(`equations form a cycle: ${[...trail.slice(trail.indexOf(name)), name].join(' -> ')}`);
    state.set(name, 'visiting');
    for (const d of reads(eq)) if (byName.has(d)) visit(d, [...trail, name]);
    state.set(name, 'done');
    out.push(eq);
  };
  for (const eq of equations) visit(eq.name, []);
  return out;
}
