/** Sheet blocks (text, display math, tables) rendered to TeX or to HTML with KaTeX. */
import katex from 'katex';
import type { SheetBlock, SheetSection } from '../tex/sheet-blocks.js';
import { escapeHtml, escapeTex, isSafeMath, splitInlineMath } from '../tex/format.js';
import { svg, tikz } from '../tex/diagram.js';
import { pgfplot, svgPlot } from '../tex/plot.js';
import type { Figure } from '../tex/sheet-blocks.js';
import { fitDisplay } from './fit.js';
import { inlineWidth, PAGE_EM } from '../tex/width.js';

/** KaTeX options for every fragment: no \href or \url, bounded macro expansion. */
const KATEX_OPTIONS = { throwOnError: false, trust: false, strict: 'ignore' as const, maxExpand: 1000, maxSize: 50, output: 'html' as const };

/** Rendered fragments: names and factors repeat across a sheet (about 30% of the characters rendered). */
const katexCache = new Map<string, string>();
const MAX_CACHED = 20_000;

export function katexHtml(latex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${latex}`;
  let html = katexCache.get(key);
  if (html === undefined) {
    html = katex.renderToString(latex, { ...KATEX_OPTIONS, displayMode: display });
    if (katexCache.size >= MAX_CACHED) katexCache.clear();
    katexCache.set(key, html);
  }
  return html;
}

/** Text with `$...$` inline math, for TeX. Math that is unsafe for TeX is printed as text. */
export function texText(text: string): string {
  return splitInlineMath(text).map((p) => (p.math ? (isSafeMath(p.s) ? `$${p.s}$` : `\\texttt{${escapeTex('$' + p.s + '$')}}`) : escapeTex(p.s))).join('');
}

export function htmlText(text: string): string {
  return splitInlineMath(text).map((p) => (p.math ? katexHtml(p.s, false) : escapeHtml(p.s))).join('');
}

function texMath(raw: string): string {
  if (!raw) return '';
  if (!isSafeMath(raw)) return `\\texttt{${escapeTex(raw)}}`;
  const latex = fitDisplay(raw);
  // A whole aligned block becomes align*, which TeX may break across pages between lines.
  const whole = /^\\begin\{aligned\}([\s\S]*)\\end\{aligned\}$/.exec(latex);
  if (whole && !/\\begin\{aligned\}/.test(whole[1]!)) return `\\begin{align*}${whole[1]}\\end{align*}`;
  return `\\[ ${latex} \\]`;
}

function texBlock(b: SheetBlock): string {
  switch (b.kind) {
    case 'text': return `${texText(b.text)}\n`;
    case 'math': return `${texMath(b.latex)}\n`;
    case 'table': {
      const cell = (c: string) => (isSafeMath(c) ? `$${c}$` : `\\texttt{${escapeTex(c)}}`);
      return tableParts(b).map((t) => [
        `\\begin{center}\\begin{tabular}{${'l'.repeat(t.header.length)}}`, '\\toprule',
        `${t.header.map((h) => `\\textbf{${texText(h)}}`).join(' & ')} \\\\`, '\\midrule',
        ...t.rows.map((r) => `${r.map(cell).join(' & ')} \\\\[0.3em]`),
        '\\bottomrule', '\\end{tabular}\\end{center}', '',
      ].join('\n')).join('\n');
    }
    case 'figure': {
      const body = figureTex(b.figure);
      return body ? `\\begin{center}\n${body}\n\n{\\small ${texText(b.caption)}}\n\\end{center}\n` : '';
    }
  }
}

/** TikZ of a figure, or '' when a label is not safe for TeX (the figure is then left out of the PDF). */
function figureTex(f: Figure): string {
  const labels = f.type === 'diagram'
    ? [...f.diagram.nodes.map((n) => n.label), ...f.diagram.edges.map((e) => e.label ?? '')]
    : [f.plot.xLabel, f.plot.yLabel];
  if (!labels.every((l) => isSafeMath(l))) return '';
  return f.type === 'diagram' ? tikz(f.diagram) : pgfplot(f.plot);
}

function figureHtml(f: Figure, caption: string): string {
  const inline = (l: string) => katexHtml(l, false);
  const body = f.type === 'diagram' ? svg(f.diagram, inline, caption) : svgPlot(f.plot, inline);
  return `<figure>${body}<figcaption>${htmlText(caption)}</figcaption></figure>`;
}

/**
 * A display in HTML. A matrix sits in a scroll box of its own (class
 * `scroll`): it is split to the page width like everything else, and the box
 * keeps a wider one from widening the page on a narrow screen.
 */
function htmlMath(raw: string): string {
  if (!raw) return '';
  const latex = fitDisplay(raw);
  const matrix = /\\begin\{[pbvB]?matrix\}|\\begin\{array\}/.test(latex);
  return `<div class="math${matrix ? ' scroll' : ''}">${katexHtml(latex, true)}</div>`;
}

function htmlBlock(b: SheetBlock): string {
  switch (b.kind) {
    case 'text': return `<p>${htmlText(b.text)}</p>`;
    case 'math': return htmlMath(b.latex);
    case 'table':
      return tableParts(b).map((t) => [
        '<table>',
        `<thead><tr>${t.header.map((h) => `<th>${htmlText(h)}</th>`).join('')}</tr></thead>`,
        '<tbody>',
        ...t.rows.map((r) => `<tr>${r.map((c) => `<td>${katexHtml(c, false)}</td>`).join('')}</tr>`),
        '</tbody></table>',
      ].join('\n')).join('\n');
    case 'figure': return figureHtml(b.figure, b.caption);
  }
}

export const texSections = (sections: readonly SheetSection[]) =>
  sections.map((s) => ({ title: escapeTex(s.title), body: s.blocks.map(texBlock).join('\n') }));

export const htmlSections = (sections: readonly SheetSection[]) =>
  sections.map((s) => ({ title: escapeHtml(s.title), body: s.blocks.map(htmlBlock).join('\n') }));

/** Space a table column takes beside its widest cell: \\tabcolsep (6 pt) on each side, em. */
const COLUMN_PADDING = 1.1;

/** Width of a header: text with $...$ math. */
function headerWidth(h: string): number {
  return splitInlineMath(h).reduce((w, p) => w + (p.math ? inlineWidth(p.s) : p.s.length * 0.55), 0);
}

/**
 * A table wider than the page is wrapped: its columns are cut into groups
 * that fit, each printed as a table of its own with the first column (the
 * row's name) repeated. Both sheets wrap the same way.
 */
export function tableParts(b: Extract<SheetBlock, { kind: 'table' }>, width = PAGE_EM): Array<{ header: string[]; rows: string[][] }> {
  const widths = b.header.map((h, j) => Math.max(headerWidth(h), ...b.rows.map((r) => inlineWidth(r[j] ?? ''))) + COLUMN_PADDING);
  if (widths.reduce((a, x) => a + x, 0) <= width || b.header.length <= 2) return [{ header: b.header, rows: b.rows }];
  const groups: number[][] = [];
  let cur: number[] = [], used = widths[0]!;
  for (let j = 1; j < widths.length; j++) {
    if (cur.length && used + widths[j]! > width) { groups.push(cur); cur = []; used = widths[0]!; }
    cur.push(j);
    used += widths[j]!;
  }
  if (cur.length) groups.push(cur);
  return groups.map((g) => ({ header: [b.header[0]!, ...g.map((j) => b.header[j]!)], rows: b.rows.map((r) => [r[0]!, ...g.map((j) => r[j] ?? '')]) }));
}

/** Every math fragment of the sections (tests render each with KaTeX throwOnError). */
export function mathFragments(sections: readonly SheetSection[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    for (const b of s.blocks) {
      if (b.kind === 'math') { if (b.latex) out.push(fitDisplay(b.latex)); }
      else if (b.kind === 'table') out.push(...b.rows.flat(), ...b.header.flatMap((h) => splitInlineMath(h).filter((p) => p.math).map((p) => p.s)));
      else if (b.kind === 'figure') {
        const f = b.figure;
        out.push(...(f.type === 'diagram' ? [...f.diagram.nodes.map((n) => n.label), ...f.diagram.edges.flatMap((e) => (e.label ? [e.label] : []))] : [f.plot.xLabel, f.plot.yLabel]));
        out.push(...splitInlineMath(b.caption).filter((p) => p.math).map((p) => p.s));
      }
      else out.push(...splitInlineMath(b.text).filter((p) => p.math).map((p) => p.s));
    }
  }
  return out;
}
