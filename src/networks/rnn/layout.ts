/**
 * Which tensor of a built graph plays which role. Notation presets receive
 * only a graph and a tensor name, so the builder records the layout of every
 * RNN graph it makes here (a WeakMap: it lives as long as the graph).
 */
import type { Graph } from '../../expr/graph.js';
import type { Role, RnnSpec } from './spec.js';

export interface RnnLayout {
  readonly spec: RnnSpec;
  /** tensor name -> role */
  readonly roleOf: ReadonlyMap<string, Role>;
  /** the problem's `symbols` (name -> LaTeX), which presets honour for the roles they do not fix */
  readonly symbols: Readonly<Record<string, string>>;
}

const LAYOUTS = new WeakMap<Graph, RnnLayout>();

export function registerLayout(graph: Graph, spec: RnnSpec, symbols: Readonly<Record<string, string>> = {}): RnnLayout {
  const layout: RnnLayout = { spec, roleOf: new Map(spec.roles.map((r) => [spec.names[r], r])), symbols };
  LAYOUTS.set(graph, layout);
  return layout;
}

export const layoutOf = (graph: Graph): RnnLayout | undefined => LAYOUTS.get(graph);

/** Expected shape of each tensor, by role. Time comes first: x[t, i], h[t, j]. */
export function shapeOf(spec: RnnSpec, role: Role): number[] {
  const { input: I, hidden: H, hidden2: H2, output: O } = spec.sizes;
  const T = spec.steps;
  const top = spec.stacked === 2 ? H2 : H;
  const m2m = spec.mode === 'many-to-many';
  switch (role) {
    case 'W1': return [H, I];
    case 'H1': return [H, H];
    case 'b1': case 'bh': case 'h0': return [H];
    case 'W3': return [H2, H];
    case 'H3': return [H2, H2];
    case 'b3': case 's0': return [H2];
    case 'W2': return [O, top];
    case 'b2': return [O];
    case 'x': return [T, I];
    case 't': case 'u': case 'y': return m2m ? [T, O] : [O];
    case 'z': case 'h': return [T, H];
    case 'z2': case 's': return [T, H2];
    case 'e': return [T];
    case 'E': return [];
  }
}
