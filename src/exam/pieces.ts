/**
 * Question pieces to TeX or HTML. Sheet sections and blocks go through the
 * renderer's own block printers (so the key shows exactly what a solution
 * sheet shows); user text is escaped and its `$...$` math checked there.
 * Answer space is `\answerbox{height}{label}` in TeX, which the body template
 * defines with \providecommand, so an institution's class may define its own.
 */
import { assertNever } from '../errors.js';
import { htmlSections, htmlText, texSections, texText } from '../render/blocks.js';
import { escapeHtml, escapeTex } from '../tex/format.js';
import type { Piece } from './content.js';

export function texPieces(pieces: readonly Piece[]): string {
  return pieces.map(texPiece).join('\n');
}

function texPiece(p: Piece): string {
  switch (p.kind) {
    case 'heading': return `\\subsection*{${escapeTex(p.text)}${p.points ? `\\hfill{\\normalsize\\mdseries ${escapeTex(p.points)} ${pointsWord(p.points)}}` : ''}}\n`;
    case 'text': return `${texText(p.text)}\n`;
    case 'sections': return texSections(p.sections).map((s) => `\\subsubsection*{${s.title}}\n${s.body}`).join('\n');
    case 'blocks': return texSections([{ title: '', blocks: p.blocks }])[0]!.body;
    case 'part': return `\\par\\medskip\\noindent${p.label ? `\\textbf{${escapeTex(p.label)}} ` : ''}${p.points ? `\\emph{[${escapeTex(p.points)} ${pointsWord(p.points)}]} ` : ''}${texText(p.text)}\n`;
    case 'answer': return `\\answerbox{${p.cm.toFixed(1)}cm}{${escapeTex(p.label)}}\n`;
    default: return assertNever(p);
  }
}

export function htmlPieces(pieces: readonly Piece[]): string {
  return pieces.map(htmlPiece).join('\n');
}

function htmlPiece(p: Piece): string {
  switch (p.kind) {
    case 'heading': return `<h3>${escapeHtml(p.text)}${p.points ? ` <span class="points">${escapeHtml(p.points)} ${pointsWord(p.points)}</span>` : ''}</h3>`;
    case 'text': return `<p>${htmlText(p.text)}</p>`;
    case 'sections': return htmlSections(p.sections).map((s) => `<section>\n<h4>${s.title}</h4>\n${s.body}\n</section>`).join('\n');
    case 'blocks': return htmlSections([{ title: '', blocks: p.blocks }])[0]!.body;
    case 'part': return `<p class="part">${p.label ? `<strong>${escapeHtml(p.label)}</strong> ` : ''}${p.points ? `<em>[${escapeHtml(p.points)} ${pointsWord(p.points)}]</em> ` : ''}${htmlText(p.text)}</p>`;
    case 'answer': return `<div class="answerbox" style="min-height: ${p.cm.toFixed(1)}cm">${escapeHtml(p.label)}</div>`;
    default: return assertNever(p);
  }
}

const pointsWord = (p: string): string => (p === '1' ? 'point' : 'points');
