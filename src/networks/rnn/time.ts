/**
 * The rnn kind's time, as the checker reads answers (issue 16): which tensors
 * are sequences and their initial states, what exists only at the last step
 * (a many-to-one output), and the per-step names its sheets print (h_2,
 * \delta^{[2]}) so that what a sheet shows can be pasted back as an answer.
 */
import type { Graph } from '../../expr/graph.js';
import type { KindTime, StepName, TimeSequence } from '../core/kind.js';
import { layoutOf } from './layout.js';
import { RnnTex, type DeltaOf } from './notation.js';
import type { Role } from './spec.js';

const TIME_ROLES: readonly Role[] = ['x', 'z', 'h', 'z2', 's', 'e', 'u', 'y', 't'];
const STEP_ROLES: readonly Role[] = ['x', 'z', 'h', 'z2', 's', 'u', 'y', 't', 'e'];
const DELTA_ROLES: readonly DeltaOf[] = ['z', 'z2', 'u'];

export function rnnTime(graph: Graph): KindTime | null {
  const layout = layoutOf(graph);
  if (!layout) return null;
  const { spec } = layout;
  const many = spec.mode === 'many-to-many';
  const sequences = new Map<string, TimeSequence>();
  const lastOnly = new Set<string>();
  for (const role of TIME_ROLES) {
    if (!spec.roles.includes(role)) continue;
    const name = spec.names[role];
    if (!graph.tensors.has(name)) continue;
    if (!many && (role === 'u' || role === 'y' || role === 't')) { lastOnly.add(name); continue; }
    const initialRole = role === 'h' ? 'h0' : role === 's' ? 's0' : null;
    const initial = initialRole && spec.roles.includes(initialRole) ? spec.names[initialRole] : null;
    sequences.set(name, { name, steps: spec.steps, initial: initial && graph.tensors.has(initial) ? initial : null });
  }
  return { steps: spec.steps, sequences, lastOnly, deltaOf: graph.tensors.has(spec.names.z) ? spec.names.z : null };
}

export function rnnStepNames(graph: Graph, symbols: Readonly<Record<string, string>>, notation: string | undefined): StepName[] {
  const layout = layoutOf(graph);
  if (!layout) return [];
  const tex = new RnnTex(layout, notation, { ...layout.symbols, ...symbols });
  const { spec } = layout;
  const out: StepName[] = [];
  for (const role of STEP_ROLES) {
    if (!spec.roles.includes(role)) continue;
    for (let t = 0; t <= spec.steps; t++) {
      if (t === 0 && role !== 'h' && role !== 's') continue;
      out.push({ tex: tex.atStep(role, t), tensor: spec.names[role], step: t, adjoint: false });
    }
  }
  for (const of of DELTA_ROLES) {
    if (!spec.roles.includes(of)) continue;
    for (let t = 1; t <= spec.steps; t++) out.push({ tex: tex.delta(of, t), tensor: spec.names[of], step: t, adjoint: true });
  }
  return out;
}
