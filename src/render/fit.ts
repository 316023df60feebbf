/**
 * Display math broken to the page width, as a textbook sets a long line:
 * before a relation (`=`, `\approx`) aligned under the first one, else before
 * a `+` or `-`, else between the factors of a product, continuation lines
 * indented by a quad. A parenthesised group wider than a line is opened
 * (`\Bigl( ... \Bigr)`) so that its terms can break too. Rows of an aligned
 * block are broken one by one, against the widest left-hand side of the
 * block. Every display of a sheet passes through here (blocks.ts), so no
 * producer has to remember to break its own lines; matrices are split before
 * they get here (tensor-view.ts), since a matrix cannot break.
 */
import { parseTex, type TexNode } from './tex-tree.js';
import { PAGE_EM, nodesWidth, texWidth } from './width.js';

/** Width of `&\quad` at the start of a continuation line, em. */
const INDENT = 1;

type Kind = 'first' | 'rel' | 'bin' | 'juxt';
interface Segment { readonly kind: Kind; readonly nodes: readonly TexNode[]; readonly text: string }

const RELATIONS = new Set(['=', '\\approx', '\\le', '\\leq', '\\ge', '\\geq', '\\ne', '\\neq', '\\leftarrow', '\\equiv', '\\coloneqq']);

function relationOf(n: TexNode): boolean {
  return (n.t === 'char' && (n.s === '=' || n.s === '<' || n.s === '>')) || (n.t === 'cmd' && RELATIONS.has(`\\${n.name}`));
}
const isBin = (n: TexNode): boolean => (n.t === 'char' && (n.s === '+' || n.s === '-')) || (n.t === 'cmd' && (n.name === 'pm' || n.name === 'mp'));
const isJuxtaposition = (n: TexNode): boolean => n.t === 'cmd' && (n.name === ',' || n.name === 'cdot' || n.name === 'times');
const isSpace = (n: TexNode): boolean => n.t === 'space';

/** Source text of a run of nodes. */
const sourceOf = (src: string, nodes: readonly TexNode[]): string => (nodes.length ? src.slice(nodes[0]!.from, nodes[nodes.length - 1]!.to) : '');

/**
 * Top-level items cut into segments at the places a line may break. A `+`
 * or `-` is a break only after an operand (a leading minus is a sign).
 */
function segments(src: string, nodes: readonly TexNode[], juxtaposition = false): Segment[] {
  const out: Segment[] = [];
  let cur: TexNode[] = [];
  let kind: Kind = 'first';
  let operand = false;
  const flush = (): void => {
    const body = cur.filter((n) => !isSpace(n));
    if (body.length) out.push({ kind, nodes: body, text: sourceOf(src, body) });
    cur = [];
  };
  for (const n of nodes) {
    if (isSpace(n)) { cur.push(n); continue; }
    let brk: Kind | null = null;
    if (relationOf(n)) brk = 'rel';
    else if (isBin(n) && operand) brk = 'bin';
    else if (juxtaposition && isJuxtaposition(n) && operand) brk = 'juxt';
    if (brk && cur.some((x) => !isSpace(x))) { flush(); kind = brk; }
    else if (brk && !out.length) kind = brk;
    // a juxtaposition space is dropped at a break; \cdot and \times are kept
    if (!(brk === 'juxt' && n.t === 'cmd' && n.name === ',')) cur.push(n);
    operand = !(relationOf(n) || isBin(n) || isJuxtaposition(n) || (n.t === 'char' && n.s === '&'));
  }
  flush();
  return out;
}

/**
 * A segment wider than `room` whose widest item is a parenthesised group is
 * opened: `\left( a + b \right)` becomes `\Bigl(` a, + b, `\Bigr)` as
 * segments of their own, so the terms inside can take separate lines.
 */
function opened(src: string, seg: Segment, room: number): Segment[] {
  if (nodesWidth(seg.nodes) <= room) return [seg];
  const i = seg.nodes.findIndex((n) => n.t === 'delim' && nodesWidth([n]) > room / 2 && n.body.length > 1);
  if (i < 0) return [seg];
  const d = seg.nodes[i] as Extract<TexNode, { t: 'delim' }>;
  const inner = segments(src, d.body);
  if (inner.length < 2) return [seg];
  const big = (delim: string, side: 'l' | 'r'): string => (delim === '.' ? '' : `\\Big${side}${delim === '{' || delim === '}' ? `\\${delim}` : delim}`);
  const before = sourceOf(src, seg.nodes.slice(0, i));
  const after = sourceOf(src, seg.nodes.slice(i + 1));
  const parts = inner.flatMap((s) => opened(src, s, room));
  const texts = parts.map((p) => p.text);
  texts[0] = `${before} ${big(d.open, 'l')} ${texts[0]}`.trim();
  texts[texts.length - 1] = `${texts[texts.length - 1]} ${big(d.close, 'r')} ${after}`.trim();
  return parts.map((p, k) => {
    const nodes = parseTex(texts[k]!);
    return { kind: k === 0 ? seg.kind : p.kind, nodes, text: texts[k]! };
  });
}

/** Segments laid out greedily in lines no wider than `room` (the first line has `first` em less). */
function lines(segs: readonly Segment[], room: number): Array<{ kind: Kind; text: string }> {
  const out: Array<{ kind: Kind; text: string; width: number }> = [];
  for (const s of segs) {
    const w = texWidth(s.text);
    const last = out[out.length - 1];
    // a relation starts a new line once the line has content, when the line would overflow
    if (last && last.width + w + 0.3 <= room - (out.length > 1 ? INDENT : 0)) {
      last.text = `${last.text} ${s.text}`;
      last.width += w + 0.3;
    } else {
      // a product broken between factors: the thin space that joined them is not needed at the start of a line
      out.push({ kind: s.kind, text: s.kind === 'juxt' ? s.text.replace(/^\\,\s*/, '') : s.text, width: w });
    }
  }
  return out;
}

/** One row (cells of an aligned block, or a whole equation) as one or more rows no wider than `width`. */
function fitRow(src: string, cells: readonly (readonly TexNode[])[], lhsWidth: number, width: number): string[] {
  const cellText = (c: readonly TexNode[]): string => sourceOf(src, c.filter((n) => !isSpace(n))).trim();
  const text = cells.length > 1 ? `${cellText(cells[0]!)} &${cells.slice(1).map(cellText).join(' &')}` : cellText(cells[0] ?? []);
  const lhs = cellText(cells[0] ?? []);
  const rhsCells = cells.slice(1);
  const notes = rhsCells.slice(1).map(cellText).filter((t) => t);
  const rhsNodes = rhsCells[0] ?? [];
  const rhsRoom = width - lhsWidth - 0.9;
  const whole = nodesWidth(rhsNodes) + (notes.length ? 2 + notes.reduce((s, n) => s + texWidth(n), 0) : 0);
  if (whole <= rhsRoom) return [text];
  // break at relations and signs; a single term still too wide is broken between its factors
  const segs = segments(src, rhsNodes)
    .flatMap((s) => (nodesWidth(s.nodes) > rhsRoom - INDENT ? segments(src, s.nodes, true).map((p, i) => (i === 0 ? { ...p, kind: s.kind } : p)) : [s]))
    .flatMap((s) => opened(src, s, rhsRoom - INDENT));
  const ls = lines(segs, rhsRoom);
  const rows = ls.map((l, k) => {
    if (k === 0) return `${lhs} &${l.text}`;
    return l.kind === 'rel' ? `& ${l.text}` : `& \\quad ${l.text}`;
  });
  // rule notes (`&& \text{by ...}`) go on a line of their own under the row they belong to
  for (const n of notes) rows.push(`& \\qquad ${n}`);
  return rows;
}

/** Split a node list at its first top-level relation: the left side and the rest (relation first). */
function atFirstRelation(nodes: readonly TexNode[]): [TexNode[], TexNode[]] {
  const i = nodes.findIndex(relationOf);
  return i <= 0 ? [[], [...nodes]] : [nodes.slice(0, i), nodes.slice(i)];
}

const fitted = new Map<string, string>();
const MAX_FITTED = 20_000;

/** Display math that fits `width` em: unchanged when it fits, else broken into aligned rows. */
export function fitDisplay(latex: string, width = PAGE_EM): string {
  const key = `${width}|${latex}`;
  const hit = fitted.get(key);
  if (hit !== undefined) return hit;
  const out = fitUncached(latex, width);
  if (fitted.size >= MAX_FITTED) fitted.clear();
  fitted.set(key, out);
  return out;
}

function fitUncached(latex: string, width: number): string {
  const src = latex;
  const nodes = parseTex(src).filter((n) => !isSpace(n));
  const only = nodes.length === 1 ? nodes[0]! : null;
  if (only && only.t === 'env' && only.name === 'aligned') {
    const rows = only.rows;
    const lhsWidth = Math.max(0, ...rows.map((r) => (r.length > 1 ? nodesWidth(r[0]!) : 0)));
    if (texWidth(src) <= width) return src;
    const out = rows.flatMap((r) => (r.length > 1 ? fitRow(src, r, lhsWidth, width) : fitRow(src, [[], r[0] ?? []], 0, width)));
    return `\\begin{aligned}${out.join(' \\\\ ')}\\end{aligned}`;
  }
  if (texWidth(src) <= width) return src;
  const [lhs, rest] = atFirstRelation(nodes);
  const rows = fitRow(src, [lhs, rest], nodesWidth(lhs), width);
  return rows.length > 1 ? `\\begin{aligned}${rows.join(' \\\\ ')}\\end{aligned}` : src;
}
