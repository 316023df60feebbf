/** Sheet blocks (text, display math, tables) rendered to TeX or to HTML with KaTeX. */
import katex from 'katex';
import type { SheetBlock, SheetSection } from '../networks/built.js';
import { escapeHtml, escapeTex, isSafeMath, splitInlineMath } from './format.js';
import { svg, tikz } from '../figures/diagram.js';
import { pgfplot, svgPlot } from '../figures/plot.js';
import type { Figure } from '../networks/built.js';

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

function texMath(latex: string): string {
  if (!latex) return '';
  if (!isSafeMath(latex)) return `\\texttt{${escapeTex(latex)}}`;
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
      const cols = 'l'.repeat(b.header.length);
      return [
        `\\begin{center}\\begin{tabular}{${cols}}`, '\\toprule',
        `${b.header.map((h) => `\\textbf{${escapeTex(h)}}`).join(' & ')} \\\\`, '\\midrule',
        ...b.rows.map((r) => `${r.map(cell).join(' & ')} \\\\[0.3em]`),
        '\\bottomrule', '\\end{tabular}\\end{center}', '',
      ].join('\n');
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

function htmlBlock(b: SheetBlock): string {
  switch (b.kind) {
    case 'text': return `<p>${htmlText(b.text)}</p>`;
    case 'math': return b.latex ? `<div class="math">${katexHtml(b.latex, true)}</div>` : '';
    case 'table':
      return [
        '<table>',
        `<thead><tr>${b.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
        '<tbody>',
        ...b.rows.map((r) => `<tr>${r.map((c) => `<td>${katexHtml(c, false)}</td>`).join('')}</tr>`),
        '</tbody></table>',
      ].join('\n');
    case 'figure': return figureHtml(b.figure, b.caption);
  }
}

export const texSections = (sections: readonly SheetSection[]) =>
  sections.map((s) => ({ title: escapeTex(s.title), body: s.blocks.map(texBlock).join('\n') }));

export const htmlSections = (sections: readonly SheetSection[]) =>
  sections.map((s) => ({ title: escapeHtml(s.title), body: s.blocks.map(htmlBlock).join('\n') }));

/** Every math fragment of the sections (tests render each with KaTeX throwOnError). */
export function mathFragments(sections: readonly SheetSection[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    for (const b of s.blocks) {
      if (b.kind === 'math') { if (b.latex) out.push(b.latex); }
      else if (b.kind === 'table') out.push(...b.rows.flat());
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
