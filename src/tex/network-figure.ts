/**
 * The network diagram of a scalar graph, drawn from the same graph that is
 * differentiated, so that it shows what is there and nothing else:
 *  - every computed node is an inner node; a linear pre-activation used only
 *    by its activation (z1[1] -> h[1]) is drawn as one node with it;
 *  - every leaf is an input node (shaded like the inputs), except a
 *    parameter that only ever multiplies a drawn node: that one labels the
 *    arrow it multiplies (w3 on h2 -> h3);
 *  - a leaf sits in the column just before its first consumer, below the
 *    computed nodes of that column, so a bias or a target has a short arrow;
 *  - an arrow that skips columns and would cross a node is drawn as a curve
 *    around the nodes it skips.
 * The caption (networkCaption) is built from the same facts.
 */
import type { Expr } from '../expr/expr.js';
import { consumers, type Graph } from '../expr/graph.js';
import type { Namer } from './names.js';
import { NODE_RADIUS, PATH_COLORS, type Diagram, type DiagramEdge, type DiagramNode } from './diagram.js';

/** Diagrams beyond this many display nodes are not drawn (a layer-level figure serves those). */
export const MAX_DIAGRAM_NODES = 40;
/** More arrows than this and their labels would cover each other: the labels are left out (and the caption says so). */
export const MAX_LABELLED_EDGES = 24;
const COLUMN = 2.4, ROW = 1.6;

export interface NetworkLayout {
  readonly diagram: Diagram;
  /** scalar key -> display node id (merged pre-activations map to their activation) */
  readonly displayOf: ReadonlyMap<string, string>;
  /** edge id `from|to` -> parameter keys that label it */
  readonly edgeParams: ReadonlyMap<string, string[]>;
  /** what the drawing shows, for its caption */
  readonly facts: {
    readonly labelled: boolean;
    readonly labelsDropped: boolean;
    readonly merged: boolean;
    readonly curved: boolean;
  };
}

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
  const label = edgeLabels(graph, users);
  const isNode = (k: string): boolean => {
    const n = graph.nodes.get(k)!;
    if (merged.has(k)) return false;
    if (n.def) return true;
    return !label.has(k) && (users.get(k)?.length ?? 0) > 0;
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
        edges.set(id, [...new Set([...(edges.get(id) ?? []), ...params.filter((p) => label.has(p))])]);
      }
    }
  }
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const id of edges.keys()) {
    const [u, v] = id.split('|') as [string, string];
    preds.set(v, [...(preds.get(v) ?? []), u]);
    succs.set(u, [...(succs.get(u) ?? []), v]);
  }
  // Columns: a computed node one after its latest input; a leaf just before its first consumer.
  const layer = new Map<string, number>();
  for (const v of nodes) {
    if (!graph.nodes.get(v)!.def) continue;
    const ps = (preds.get(v) ?? []).filter((p) => graph.nodes.get(p)!.def);
    layer.set(v, ps.length ? Math.max(...ps.map((p) => layer.get(p)!)) + 1 : 1);
  }
  for (const v of nodes) {
    if (graph.nodes.get(v)!.def) continue;
    const cs = succs.get(v) ?? [];
    layer.set(v, cs.length ? Math.min(...cs.map((c) => layer.get(c)!)) - 1 : 0);
  }
  const byLayer = new Map<number, string[]>();
  for (const v of nodes) byLayer.set(layer.get(v)!, [...(byLayer.get(layer.get(v)!) ?? []), v]);
  const sinks = new Set(nodes.filter((v) => !(succs.get(v)?.length)));
  const position = new Map<string, { x: number; y: number }>();
  for (const [l, col] of byLayer) {
    // computed nodes centred on the middle row; the column's leaves below them
    const inner = col.filter((v) => graph.nodes.get(v)!.def);
    const leaves = col.filter((v) => !graph.nodes.get(v)!.def);
    const top = inner.length ? ((inner.length - 1) / 2) * ROW : ((leaves.length - 1) / 2) * ROW;
    [...inner, ...leaves].forEach((v, i) => position.set(v, { x: l * COLUMN, y: top - i * ROW }));
  }
  const labelled = edges.size <= MAX_LABELLED_EDGES;
  const diagramNodes: DiagramNode[] = nodes.map((v) => ({
    id: v, label: namer.key(v), shape: 'circle', ...position.get(v)!,
    fill: !graph.nodes.get(v)!.def ? 'input' : sinks.has(v) ? 'output' : 'hidden',
  }));
  let curved = false;
  const diagramEdges: DiagramEdge[] = [...edges].map(([id, params]) => {
    const [from, to] = id.split('|') as [string, string];
    const bend = detour(position.get(from)!, position.get(to)!, [...position].filter(([k]) => k !== from && k !== to).map(([, p]) => p));
    if (bend !== 0) curved = true;
    return { from, to, label: labelled && params.length ? params.map((p) => namer.key(p)).join(',\\,') : undefined, ...(bend ? { bend } : {}) };
  });
  return {
    diagram: { nodes: diagramNodes, edges: diagramEdges },
    displayOf,
    edgeParams: edges,
    facts: {
      labelled: labelled && [...edges.values()].some((p) => p.length > 0),
      labelsDropped: !labelled && [...edges.values()].some((p) => p.length > 0),
      merged: merged.size > 0,
      curved,
    },
  };
}

/** Leaf names that read as data, not weights (x, x1, input, the initial states s0 and h0). */
const isInputLike = (name: string): boolean => /^(x|input|in|s0|h0)\w*$/i.test(name);

/**
 * Parameters that label arrows: a parameter leaf all of whose uses multiply
 * a node that is drawn (w in w*h, a in a*g). A leaf used in any other way
 * (added as a bias, subtracted as a centre, squared, a target) is a node.
 * Where two leaves multiply (w*x1), the one that reads as data (by its role,
 * or by its name in an `equations` network, whose leaves all have one role)
 * is the node and the other the label.
 */
function edgeLabels(graph: Graph, users: ReadonlyMap<string, readonly string[]>): Set<string> {
  const drawnRef = (k: string): boolean => {
    const n = graph.nodes.get(k)!;
    return n.def !== undefined || n.role === 'input' || n.role === 'target' || n.role === 'constant' || isInputLike(n.tensor);
  };
  const out = new Set<string>();
  for (const k of graph.order) {
    const n = graph.nodes.get(k)!;
    if (n.def || n.role !== 'parameter' || isInputLike(n.tensor)) continue;
    const uses = users.get(k) ?? [];
    if (uses.length && uses.every((c) => multipliesDrawn(graph.nodes.get(c)!.def!, k, drawnRef))) out.add(k);
  }
  return out;
}

/** Does every occurrence of `k` in `e` sit in a product with a drawn ref? */
function multipliesDrawn(e: Expr, k: string, drawn: (key: string) => boolean): boolean {
  let ok = true;
  const visit = (x: Expr, inProductWithDrawn: boolean): void => {
    if (!ok) return;
    if (x.kind === 'ref') { if (x.key === k && !inProductWithDrawn) ok = false; return; }
    if (x.kind !== 'apply') return;
    if (x.op === 'mul') {
      const refs = x.args.filter((a): a is Extract<Expr, { kind: 'ref' }> => a.kind === 'ref');
      const withDrawn = refs.some((r) => r.key !== k && drawn(r.key));
      for (const a of x.args) visit(a, a.kind === 'ref' ? withDrawn : false);
      return;
    }
    for (const a of x.args) visit(a, false);
  };
  visit(e, false);
  return ok;
}

/**
 * How far (cm, sideways) an arrow from `a` to `b` bends to pass the nodes it
 * would otherwise cross: 0 for a straight arrow that crosses none, else the
 * smallest bend (up or down, the side with fewer nodes first) that clears
 * them. The drawing uses a quadratic curve through the bent midpoint.
 */
export function detour(a: { x: number; y: number }, b: { x: number; y: number }, others: ReadonlyArray<{ x: number; y: number }>): number {
  const clear = NODE_RADIUS + 0.2;
  const hits = (bend: number): boolean => {
    const c = control(a, b, bend);
    for (let t = 0.08; t < 0.93; t += 0.04) {
      const px = (1 - t) * (1 - t) * a.x + 2 * (1 - t) * t * c.x + t * t * b.x;
      const py = (1 - t) * (1 - t) * a.y + 2 * (1 - t) * t * c.y + t * t * b.y;
      if (others.some((o) => Math.hypot(o.x - px, o.y - py) < clear)) return true;
    }
    return false;
  };
  if (!hits(0)) return 0;
  for (let k = 1; k <= 12; k++) {
    for (const sign of [1, -1]) if (!hits(sign * k * 0.5)) return sign * k * 0.5;
  }
  return 6;
}

/** The control point of a quadratic curve whose midpoint is `bend` cm to the left of the chord from a to b. */
export function control(a: { x: number; y: number }, b: { x: number; y: number }, bend: number): { x: number; y: number } {
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
  // the curve's midpoint is halfway between the chord's midpoint and the control point
  return { x: (a.x + b.x) / 2 - (dy / len) * 2 * bend, y: (a.y + b.y) / 2 + (dx / len) * 2 * bend };
}

/** The caption of the network figure: only what is drawn. */
export function networkCaption(layout: NetworkLayout): string {
  const f = layout.facts;
  const parts = [`The network as computed. Blue: the given values it reads${f.labelled ? ' (a parameter that only multiplies is written on its arrow instead)' : ''}; grey: the nodes it computes; orange: its result.`];
  if (f.labelled) parts.push('A label on an arrow is the parameter that multiplies the arrow\'s source.');
  if (f.labelsDropped) parts.push('The weights that multiply the arrows are not labelled (too many arrows); they are in the equations below.');
  if (f.merged) parts.push('A pre-activation used only by its activation is drawn in the same node.');
  if (f.curved) parts.push('A curved arrow passes around the nodes it skips.');
  return parts.join(' ');
}

/** The same diagram with backward paths drawn in colour, one colour per path (or one for all, `single`). */
export function highlightPaths(layout: NetworkLayout, paths: readonly (readonly string[])[], single = false): Diagram {
  const colored: DiagramEdge[] = [];
  const hits = new Map<string, number>();
  const bends = new Map(layout.diagram.edges.map((e) => [`${e.from}|${e.to}`, e.bend ?? 0]));
  paths.forEach((path, pi) => {
    const color = single ? PATH_COLORS[0]! : PATH_COLORS[pi % PATH_COLORS.length]!;
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
      if (single && n > 0) continue;
      hits.set(id, n + 1);
      const bend = bends.get(id) ?? 0;
      colored.push({ from, to, color, thick: true, offset: n * 0.09, ...(bend ? { bend } : {}) });
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
