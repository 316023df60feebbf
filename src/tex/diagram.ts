/**
 * A positioned drawing (nodes and edges with LaTeX labels) and its two
 * renderings: TikZ for the PDF and inline SVG for HTML. Positions are
 * computed by our layout, so both agree and the bytes are deterministic.
 */
import { escapeHtml } from './format.js';

export interface DiagramNode {
  readonly id: string;
  readonly label: string;        // LaTeX (math mode)
  readonly x: number;            // cm
  readonly y: number;            // cm, up is positive
  readonly shape: 'circle' | 'box' | 'text';
  readonly fill?: string;        // a palette colour name
  /** a dashed outline (zero padding) */
  readonly dashed?: boolean;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;       // LaTeX
  readonly color?: string;       // palette colour name
  readonly thick?: boolean;
  /** sideways shift in cm, to draw several coloured paths along one edge */
  readonly offset?: number;
  /** a curve whose middle passes this far (cm) to the left of the straight line, around the nodes it skips */
  readonly bend?: number;
}

export interface Diagram { readonly nodes: readonly DiagramNode[]; readonly edges: readonly DiagramEdge[] }

/** Colours for backward paths: distinguishable in print and on screen. */
export const PALETTE: Readonly<Record<string, string>> = {
  ink: '#222222', faint: '#9a9a9a', input: '#e8eef7', hidden: '#f3f3f3', output: '#fbeee0',
  p1: '#d62728', p2: '#1f77b4', p3: '#2ca02c', p4: '#9467bd', p5: '#ff7f0e', p6: '#8c564b', p7: '#e377c2', p8: '#17becf',
};
export const PATH_COLORS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];

const R = 0.45; // node radius, cm
export const NODE_RADIUS = R;

type Point = { x: number; y: number };

/**
 * The two control points of a bent edge: the quadratic curve through a point
 * `bend` cm left of the chord's middle, raised to a cubic (c1 = a + 2/3 (q - a),
 * c2 = b + 2/3 (q - b)), so that TikZ and SVG draw the same curve.
 */
export function bentControls(a: Point, b: Point, bend: number): [Point, Point] {
  const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
  const q = { x: (a.x + b.x) / 2 - (dy / len) * 2 * bend, y: (a.y + b.y) / 2 + (dx / len) * 2 * bend };
  return [{ x: a.x + (2 / 3) * (q.x - a.x), y: a.y + (2 / 3) * (q.y - a.y) }, { x: b.x + (2 / 3) * (q.x - b.x), y: b.y + (2 / 3) * (q.y - b.y) }];
}
const B = 0.4;  // half side of a box (a grid cell), cm

/** The widest drawing a page holds: A4 less 2.2 cm margins is 16.6 cm; a little is kept for labels outside the nodes. */
export const PAGE_CM = 15.8;

/** The tallest drawing kept at full size on a page (with its caption and heading). */
export const PAGE_HEIGHT_CM = 18;

/** Node centres and the control points of curved edges: the extent of the drawing. */
function extentPoints(d: Diagram): Point[] {
  const byId = new Map(d.nodes.map((n) => [n.id, n]));
  const pts: Point[] = d.nodes.map((n) => ({ x: n.x, y: n.y }));
  for (const e of d.edges) if (e.bend) pts.push(...bentControls(byId.get(e.from)!, byId.get(e.to)!, e.bend));
  return pts;
}

/** How wide and tall the drawing is, in cm: node centres, node size, curves, and the loops and labels that stick out on the right. */
export function diagramSize(d: Diagram): { width: number; height: number } {
  const pts = extentPoints(d);
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
  const loops = d.edges.some((e) => e.from === e.to) ? 1.6 : 0;
  return { width: Math.max(...xs) - Math.min(...xs) + 2 * R + 0.6 + loops, height: Math.max(...ys) - Math.min(...ys) + 2 * R + 0.6 };
}

export function tikz(d: Diagram): string {
  const colors = Object.entries(PALETTE).map(([n, hex]) => `\\definecolor{gs${n}}{HTML}{${hex.slice(1).toUpperCase()}}`);
  // a drawing wider or taller than the page is scaled down as a whole, labels with it (the SVG scales to the column the same way)
  const { width, height } = diagramSize(d);
  const byId = new Map(d.nodes.map((n) => [n.id, n]));
  const factor = Math.min(1, PAGE_CM / width, PAGE_HEIGHT_CM / height);
  const scale = factor < 1 ? `scale=${(Math.floor(factor * 100) / 100).toFixed(2)}, transform shape, ` : '';
  const lines = [
    ...colors,
    `\\begin{tikzpicture}[${scale}>=stealth, every node/.style={font=\\small}]`,
    ...d.nodes.map((n) => `\\node[${nodeStyle(n)}] (${tid(n.id)}) at (${fx(n.x)},${fx(n.y)}) {$${n.label}$};`),
    ...d.edges.map((e) => {
      const style = [`->`, `draw=gs${e.color ?? 'ink'}`, e.thick ? 'line width=1.3pt' : 'line width=0.5pt'];
      if (e.from === e.to) {
        // a recurrent weight: a loop on the right of its node
        const label = e.label ? ` node[right, text=gs${e.color ?? 'ink'}] {$${e.label}$}` : '';
        return `\\path[${style.join(', ')}] (${tid(e.from)}) edge[loop right, looseness=6]${label} (${tid(e.to)});`;
      }
      const shift = e.offset ? `, transform canvas={yshift=${fx(e.offset)}cm}` : '';
      const label = e.label ? ` node[pos=0.3, above, sloped, inner sep=1pt, text=gs${e.color ?? 'ink'}] {$${e.label}$}` : '';
      if (e.bend) {
        const a = byId.get(e.from)!, b = byId.get(e.to)!;
        const [c1, c2] = bentControls(a, b, e.bend);
        return `\\draw[${style.join(', ')}${shift}] (${tid(e.from)}) .. controls (${fx(c1.x)},${fx(c1.y)}) and (${fx(c2.x)},${fx(c2.y)}) ..${label} (${tid(e.to)});`;
      }
      return `\\draw[${style.join(', ')}${shift}] (${tid(e.from)}) --${label} (${tid(e.to)});`;
    }),
    '\\end{tikzpicture}',
  ];
  return lines.join('\n');
}

function nodeStyle(n: DiagramNode): string {
  if (n.shape === 'text') return 'inner sep=1pt';
  const shape = n.shape === 'circle' ? 'circle, minimum size=0.9cm' : 'rectangle, minimum size=0.8cm';
  return `${shape}, draw=gsink, fill=gs${n.fill ?? 'hidden'}, inner sep=1pt${n.dashed ? ', dashed' : ''}`;
}

/** SVG: shapes drawn by us; labels typeset by KaTeX inside foreignObject (no external requests). */
export function svg(d: Diagram, katexInline: (latex: string) => string, title: string): string {
  const S = 56; // px per cm
  const ext = extentPoints(d);
  const xs = ext.map((n) => n.x), ys = ext.map((n) => n.y);
  const minX = Math.min(...xs) - 1, maxX = Math.max(...xs) + 1, minY = Math.min(...ys) - 1, maxY = Math.max(...ys) + 1;
  const W = Math.round((maxX - minX) * S), H = Math.round((maxY - minY) * S);
  const px = (x: number) => fx((x - minX) * S), py = (y: number) => fx((maxY - y) * S);
  const byId = new Map(d.nodes.map((n) => [n.id, n]));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="figure" role="img" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<title>${escapeHtml(title)}</title>`,
    '<defs>',
    ...Object.entries(PALETTE).map(([n, hex]) => `<marker id="arrow-${n}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${hex}"/></marker>`),
    '</defs>',
  ];
  for (const e of d.edges) {
    const a = byId.get(e.from)!, b = byId.get(e.to)!;
    if (a === b) {
      // a loop on the right of the node, as in TikZ's `loop right`
      const color = PALETTE[e.color ?? 'ink'];
      const x0 = a.x + R * 0.7, yTop = a.y + R * 0.7, yBot = a.y - R * 0.7;
      out.push(`<path d="M ${px(x0)} ${py(yTop)} C ${px(a.x + 1.4)} ${py(a.y + 1.1)} ${px(a.x + 1.4)} ${py(a.y - 1.1)} ${px(x0)} ${py(yBot)}" fill="none" stroke="${color}" stroke-width="${e.thick ? 2.4 : 1}" marker-end="url(#arrow-${e.color ?? 'ink'})"/>`);
      if (e.label) out.push(labelBox(px(a.x + 1.15), py(a.y + 0.25), 1.0 * S, 0.5 * S, katexInline(e.label), color!));
      continue;
    }
    if (e.bend) {
      // the same cubic as TikZ's `.. controls c1 and c2 ..`, clipped at the node circles
      const color = PALETTE[e.color ?? 'ink'], off = e.offset ?? 0;
      const [c1, c2] = bentControls(a, b, e.bend);
      const from = towards(a, c1, R), to = towards(b, c2, R + 0.05);
      out.push(`<path d="M ${px(from.x)} ${py(from.y + off)} C ${px(c1.x)} ${py(c1.y + off)} ${px(c2.x)} ${py(c2.y + off)} ${px(to.x)} ${py(to.y + off)}" fill="none" stroke="${color}" stroke-width="${e.thick ? 2.4 : 1}" marker-end="url(#arrow-${e.color ?? 'ink'})"/>`);
      if (e.label) {
        const t = 0.3, m = 1 - t;
        const lx = m ** 3 * from.x + 3 * m * m * t * c1.x + 3 * m * t * t * c2.x + t ** 3 * to.x;
        const ly = m ** 3 * from.y + 3 * m * m * t * c1.y + 3 * m * t * t * c2.y + t ** 3 * to.y + off;
        out.push(labelBox(px(lx - 0.6), py(ly + 0.55), 1.2 * S, 0.5 * S, katexInline(e.label), color!));
      }
      continue;
    }
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const ux = dx / len, uy = dy / len, off = e.offset ?? 0;
    const x1 = a.x + ux * R, y1 = a.y + uy * R + off, x2 = b.x - ux * (R + 0.05), y2 = b.y - uy * (R + 0.05) + off;
    const color = PALETTE[e.color ?? 'ink'];
    out.push(`<line x1="${px(x1)}" y1="${py(y1)}" x2="${px(x2)}" y2="${py(y2)}" stroke="${color}" stroke-width="${e.thick ? 2.4 : 1}" marker-end="url(#arrow-${e.color ?? 'ink'})"/>`);
    if (e.label) {
      // Labels sit near the source: an edge that skips a layer would hide a midpoint label behind a node.
      const mx = x1 + 0.3 * (x2 - x1), my = y1 + 0.3 * (y2 - y1);
      out.push(labelBox(px(mx - 0.6), py(my + 0.55), 1.2 * S, 0.5 * S, katexInline(e.label), color!));
    }
  }
  for (const n of d.nodes) {
    const fill = PALETTE[n.fill ?? 'hidden'];
    const dash = n.dashed ? ' stroke-dasharray="4 3"' : '';
    if (n.shape === 'circle') out.push(`<circle cx="${px(n.x)}" cy="${py(n.y)}" r="${fx(R * S)}" fill="${fill}" stroke="${PALETTE.ink}"${dash}/>`);
    else if (n.shape === 'box') out.push(`<rect x="${px(n.x - B)}" y="${py(n.y + B)}" width="${fx(2 * B * S)}" height="${fx(2 * B * S)}" fill="${fill}" stroke="${PALETTE.ink}"${dash}/>`);
    out.push(labelBox(px(n.x - R), py(n.y + R), 2 * R * S, 2 * R * S, katexInline(n.label), PALETTE.ink!));
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The point at distance r from a, towards p. */
function towards(a: Point, p: Point, r: number): Point {
  const dx = p.x - a.x, dy = p.y - a.y, len = Math.hypot(dx, dy) || 1;
  return { x: a.x + (dx / len) * r, y: a.y + (dy / len) * r };
}

function labelBox(x: string, y: string, w: number, h: number, html: string, color: string): string {
  return `<foreignObject x="${x}" y="${y}" width="${fx(w)}" height="${fx(h)}"><div xmlns="http://www.w3.org/1999/xhtml" style="width:100%;height:100%;display:flex;align-items:center;justify-content:center;font-size:13px;color:${color}">${html}</div></foreignObject>`;
}

/** Fixed-point coordinates: stable bytes across machines. */
const fx = (v: number) => (Math.round(v * 100) / 100).toFixed(2).replace(/\.?0+$/, '') || '0';
const tid = (id: string) => id.replace(/[^A-Za-z0-9]/g, (c) => `-${c.charCodeAt(0)}-`);
