/**
 * The network diagram of a scalar graph, drawn from the same graph that is
 * differentiated: display nodes are inputs and the named nodes; a linear
 * pre-activation used only by its activation (z1[1] -> h[1]) is drawn as one
 * node; parameters label the edges they multiply (w3 on h2 -> h3).
 */
import type { Expr } from '../expr/expr.js';
import { consumers, type Graph } from '../expr/graph.js';
import type { Namer } from '../render/names.js';
import { PATH_COLORS, type Diagram, type DiagramEdge, type DiagramNode } from './diagram.js';

/** Diagrams beyond this many display nodes are not drawn (a layer-level figure serves those). */
export const MAX_DIAGRAM_NODES = 40;

export interface NetworkLayout {
  readonly diagram: Diagram;
  /** scalar key -> display node id (merged pre-activations map to their activation) */
  readonly displayOf: ReadonlyMap<string, string>;
  /** edge id `from|to` -> parameter keys that label it */
  readonly edgeParams: ReadonlyMap<string, string[]>;
}

const isInputLike = (name: string) => /^(x|input|in|s0|h0)\w*$/i.test(name);

export function networkLayout(graph: Graph, namer: Namer): NetworkLayout | null {
  const users = consumers(graph);
  const merged = new Map<string, string>(); // pre-activation -> its activation node
  for (const k of graph.order) {
    const n = graph.nodes.get(k)!;
    const only = users.get(k);
    if (n.def && only?.length === 1) {
      const c = graph.nodes.get(only[0]!)!.def!;
      if (c.kind === 'apply' && c.args.length === 1 && c.args[0]!.kind === 'ref' && c.args[0]!.key === k && c.op !== 'neg') merged.set(k, only[0]!);
    }
  }
  const isNode = (k: string) => {
    const n = graph.nodes.get(k)!;
    if (merged.has(k)) return false;
    if (n.def) return true;
    return n.role === 'input' || (n.role === 'parameter' && isInputLike(n.tensor));
  };
  const displayOf = new Map<string, string>();
  for (const k of graph.order) if (isNode(k)) displayOf.set(k, k);
  for (const [z, h] of merged) displayOf.set(z, h);
  const nodes = graph.order.filter((k) => displayOf.get(k) === k);
  if (nodes.length > MAX_DIAGRAM_NODES || nodes.length < 2) return null;

  // Edges between display nodes, labelled by the parameters that multiply the source.
  const edges = new Map<string, string[]>();
  for (const v of nodes) {
    const defs = [graph.nodes.get(v)!.def, ...[...merged].filter(([, h]) => h === v).map(([z]) => graph.nodes.get(z)!.def)];
    for (const def of defs) {
      if (!def) continue;
      for (const [u, params] of sourcesWithFactors(def)) {
        const du = displayOf.get(u);
        if (!du || du === v) continue;
        const id = `${du}|${v}`;
        edges.set(id, [...new Set([...(edges.get(id) ?? []), ...params.filter((p) => !displayOf.has(p))])]);
      }
    }
  }
  // Layers: longest path from a source; rows in graph order.
  const layer = new Map<string, number>();
  for (const v of nodes) {
    const preds = [...edges.keys()].filter((e) => e.endsWith(`|${v}`)).map((e) => e.split('|')[0]!);
    layer.set(v, preds.length ? Math.max(...preds.map((p) => layer.get(p) ?? 0)) + 1 : 0);
  }
  const byLayer = new Map<number, string[]>();
  for (const v of nodes) byLayer.set(layer.get(v)!, [...(byLayer.get(layer.get(v)!) ?? []), v]);
  const lastLayer = Math.max(...layer.values());
  const diagramNodes: DiagramNode[] = nodes.map((v) => {
    const col = byLayer.get(layer.get(v)!)!;
    const i = col.indexOf(v);
    return {
      id: v, label: namer.key(v), shape: 'circle',
      x: layer.get(v)! * 2.4, y: ((col.length - 1) / 2 - i) * 1.6,
      fill: layer.get(v) === 0 ? 'input' : layer.get(v) === lastLayer ? 'output' : 'hidden',
    };
  });
  const diagramEdges: DiagramEdge[] = [...edges].map(([id, params]) => {
    const [from, to] = id.split('|') as [string, string];
    return { from, to, label: params.length ? params.map((p) => namer.key(p)).join(',\\,') : undefined };
  });
  return { diagram: { nodes: diagramNodes, edges: diagramEdges }, displayOf, edgeParams: edges };
}

/** The same diagram with the backward paths of one gradient drawn in colour, one colour per path. */
export function highlightPaths(layout: NetworkLayout, paths: readonly (readonly string[])[]): Diagram {
  const colored: DiagramEdge[] = [];
  const hits = new Map<string, number>();
  paths.forEach((path, pi) => {
    const color = PATH_COLORS[pi % PATH_COLORS.length]!;
    // path runs from `of` down to the leaf; map keys to display nodes and walk the display edges
    const shown = path.map((k) => layout.displayOf.get(k) ?? k).filter((k, i, a) => i === 0 || k !== a[i - 1]);
    for (let i = shown.length - 1; i > 0; i--) {
      let from = shown[i]!, to = shown[i - 1]!;
      if (!layout.edgeParams.has(`${from}|${to}`)) {
        // the leaf is a parameter that labels the edge into `to`: colour that edge
        const e = [...layout.edgeParams].find(([id, ps]) => id.endsWith(`|${to}`) && ps.includes(from));
        if (!e) continue;
        from = e[0].split('|')[0]!;
      }
      const id = `${from}|${to}`;
      const n = hits.get(id) ?? 0;
      hits.set(id, n + 1);
      colored.push({ from, to, color, thick: true, offset: n * 0.09 });
    }
  });
  const base = layout.diagram.edges.map((e) => ({ ...e, color: 'faint' }));
  return { nodes: layout.diagram.nodes, edges: [...base, ...colored] };
}

/** Refs u in a definition, with the leaf refs multiplying them (w in w*u). */
function sourcesWithFactors(def: Expr): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (e: Expr): void => {
    if (e.kind === 'ref') { if (!out.has(e.key)) out.set(e.key, []); return; }
    if (e.kind !== 'apply') return;
    if (e.op === 'mul') {
      const refs = e.args.filter((a): a is Extract<Expr, { kind: 'ref' }> => a.kind === 'ref').map((a) => a.key);
      for (const r of refs) out.set(r, [...new Set([...(out.get(r) ?? []), ...refs.filter((x) => x !== r)])]);
      e.args.filter((a) => a.kind === 'apply').forEach(visit);
      return;
    }
    e.args.forEach(visit);
  };
  visit(def);
  return out;
}
