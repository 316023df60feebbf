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
import { parseTex, type TexNode } from '../tex/tex-tree.js';
import { PAGE_EM, nodesWidth, texWidth } from '../tex/width.js';

/** Width of `&\quad` at the start of a continuation line, em. */
const INDENT = 1;

type Kind = 'first' | 'rel' | 'bin' | 'juxt';
interface Segment { readonly kind: Kind; readonly nodes: readonly TexNode[]; readonly text: string }

const RELATIONS = new Set(['=', '\\approx', '\\le', '\\leq', '\\ge', '\\geq', '\\ne', '\\neq', '\\leftarrow', '\\equiv', '\\coloneqq']);

function relationOf(n: TexNode): boolean {
  return (n.t === 'char' && (n.s === '=' || n.s === '<' || n.s === '>')) || (n.t === 'cmd' && RELATIONS.has(`\\${n.name}`));
}
const isBin = (n: TexNode): boolean => (n.t === 'char' && (n.s === '+' || n.s === '-')) || (n.t === 'cmd' && (n.name === 'pm' || n.name === 'mp'));
/** Where a product may break: a thin space between factors, a \\cdot or \\times, the \\Big/ of a quotient written out. */
const isJuxtaposition = (n: TexNode): boolean => n.t === 'cmd' && (n.name === ',' || n.name === 'cdot' || n.name === 'times' || n.name === 'Big');
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
 * opened: `\\left( a + b \\right)` becomes `\\Bigl(` a, + b, `\\Bigr)` as
 * segments of their own, so the terms inside can take separate lines; the
 * pieces are opened again while they are still too wide.
 */
/** A parenthesised group, bare or raised to a power (`{\\left(a + b\\right)}^{2}`): the group and the script that follows its closing. */
function groupOf(n: TexNode, src: string): { d: Extract<TexNode, { t: 'delim' }>; script: string } | null {
  if (n.t === 'delim') return { d: n, script: '' };
  if (n.t !== 'script' || !n.base) return null;
  const base = n.base.t === 'group' && n.base.body.filter((b) => !isSpace(b)).length === 1 ? n.base.body.find((b) => !isSpace(b))! : n.base;
  if (base.t !== 'delim') return null;
  const script = `${n.sub ? `_{${sourceOf(src, (n.sub as Extract<TexNode, { t: 'group' }>).body)}}` : ''}${n.sup ? `^{${sourceOf(src, (n.sup as Extract<TexNode, { t: 'group' }>).body)}}` : ''}`;
  return { d: base, script };
}

function opened(seg: Segment, room: number, depth = 0): Segment[] {
  if (depth > 40 || nodesWidth(seg.nodes) <= room) return [seg];
  const src = seg.text;
  const nodes = parseTex(src).filter((n) => !isSpace(n));
  // the widest group whose terms can break, else one that holds a group (a function's argument) to open next
  const wide = nodes.map((n, i) => ({ n, i, g: groupOf(n, src) }))
    .filter((x): x is { n: TexNode; i: number; g: NonNullable<ReturnType<typeof groupOf>> } => x.g !== null && nodesWidth([x.n]) > room / 2)
    .sort((a, b) => nodesWidth([b.n]) - nodesWidth([a.n]));
  const pick = wide.find(({ g }) => segments(src, g.d.body).length > 1)
    ?? wide.find(({ g }) => g.d.body.some((b) => b.t === 'delim' || b.t === 'script'));
  if (!pick) return [seg];
  const { i, g: { d, script } } = pick;
  const inner = segments(src, d.body);
  if (!inner.length) return [seg];
  const big = (delim: string, side: 'l' | 'r'): string => (delim === '.' ? '' : `\\Big${side}${delim === '{' || delim === '}' ? `\\${delim}` : delim}`);
  const texts = inner.map((p) => p.text);
  texts[0] = `${sourceOf(src, nodes.slice(0, i))} ${big(d.open, 'l')} ${texts[0]}`.trim();
  texts[texts.length - 1] = `${texts[texts.length - 1]} ${big(d.close, 'r')}${script} ${sourceOf(src, nodes.slice(i + 1))}`.trim();
  return inner.flatMap((p, k) => {
    const text = texts[k]!;
    const part: Segment = { kind: k === 0 ? seg.kind : p.kind, nodes: parseTex(text), text };
    if (nodesWidth(part.nodes) <= room) return [part];
    // still too wide: between its factors first, then its own groups
    const factors = segments(text, part.nodes.filter((n) => !isSpace(n)), true);
    const pieces = factors.length > 1 ? factors.map((f, j) => (j === 0 ? { ...f, kind: part.kind } : f)) : [part];
    return pieces.flatMap((f) => opened(f, room, depth + 1));
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
function fitRow(src: string, cells: readonly (readonly TexNode[])[], lhsWidth: number, width: number, moveNotes = false): string[] {
  const cellText = (c: readonly TexNode[]): string => sourceOf(src, c.filter((n) => !isSpace(n))).trim();
  const text = cells.length > 1 ? `${cellText(cells[0]!)} &${cells.slice(1).map(cellText).join(' &')}` : cellText(cells[0] ?? []);
  const lhs = cellText(cells[0] ?? []);
  const rhsCells = cells.slice(1);
  const notes = rhsCells.slice(1).map(cellText).filter((t) => t);
  const rhsNodes = rhsCells[0] ?? [];
  const rhsRoom = width - lhsWidth - 0.9;
  const whole = nodesWidth(rhsNodes) + (notes.length ? 2 + notes.reduce((s, n) => s + texWidth(n), 0) : 0);
  if (whole <= rhsRoom && !(moveNotes && notes.length)) return [text];
  if (nodesWidth(rhsNodes) <= rhsRoom) return [`${lhs} &${cellText(rhsNodes)}`, ...notes.map((n) => `& \\qquad ${n}`)];
  // break at relations and signs; a single term still too wide is broken between its factors
  const segs = segments(src, rhsNodes)
    .flatMap((s) => (nodesWidth(s.nodes) > rhsRoom - INDENT ? segments(src, s.nodes, true).map((p, i) => (i === 0 ? { ...p, kind: s.kind } : p)) : [s]))
    .flatMap((s) => opened(s, rhsRoom - INDENT));
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

/**
 * A fraction wider than `room` cannot be broken by TeX: it is written as a
 * quotient of parenthesised terms, (A) / (B), whose parentheses the breaker
 * can then open. Innermost first, so a fraction inside a fraction is undone
 * before the one around it is measured.
 */
export function unstackedFractions(latex: string, room: number): string {
  const edits: Array<{ from: number; to: number; text: string }> = [];
  const visit = (nodes: readonly TexNode[]): void => {
    for (const n of nodes) {
      if (n.t === 'cmd') {
        n.args.forEach(visit);
        if ((n.name === 'frac' || n.name === 'dfrac') && nodesWidth([n]) > room && n.args.length === 2) {
          const inner = (arg: readonly TexNode[]): string => unstackedFractions(sourceOf(latex, arg), room);
          edits.push({ from: n.from, to: n.to, text: `\\left(${inner(n.args[0]!)}\\right) \\Big/ \\left(${inner(n.args[1]!)}\\right)` });
          continue;
        }
      }
      if (n.t === 'group' || n.t === 'delim') visit(n.body);
      else if (n.t === 'script') { for (const x of [n.base, n.sub, n.sup]) if (x) visit([x]); }
      else if (n.t === 'env') for (const row of n.rows) for (const cell of row) visit(cell);
    }
  };
  visit(parseTex(latex));
  // an outer fraction's edit already holds its inner ones: keep only the outermost edits
  const outer = edits.filter((e) => !edits.some((o) => o !== e && o.from <= e.from && o.to >= e.to));
  let out = latex;
  for (const e of outer.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

function fitUncached(latex: string, width: number): string {
  if (texWidth(latex) <= width) return latex;
  const src = unstackedFractions(latex, width * 0.8);
  const nodes = parseTex(src).filter((n) => !isSpace(n));
  const only = nodes.length === 1 ? nodes[0]! : null;
  if (only && only.t === 'env' && only.name === 'aligned') {
    const rows = only.rows;
    const lhsWidth = Math.max(0, ...rows.map((r) => (r.length > 1 ? nodesWidth(r[0]!) : 0)));
    if (texWidth(src) <= width) return src;
    // rule notes (a third column) widen every row of the block: when the block is too wide they go under their rows
    const moveNotes = rows.some((r) => r.length > 2);
    const out = rows.flatMap((r) => (r.length > 1 ? fitRow(src, r, lhsWidth, width, moveNotes) : fitRow(src, [[], r[0] ?? []], 0, width)));
    return `\\begin{aligned}${out.join(' \\\\ ')}\\end{aligned}`;
  }
  if (texWidth(src) <= width) return src;
  const [lhs, rest] = atFirstRelation(nodes);
  const rows = fitRow(src, [lhs, rest], nodesWidth(lhs), width);
  return rows.length > 1 ? `\\begin{aligned}${rows.join(' \\\\ ')}\\end{aligned}` : src;
}
