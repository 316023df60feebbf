/**
 * The figures a variant's problem sheet shows (the network, or the
 * convolution grids, or the folded and unrolled RNN) as standalone SVG files
 * for the quiz packages. The sheets' SVG puts KaTeX HTML in its labels,
 * which needs KaTeX's stylesheet; a file shown through <img> gets none, so
 * here the labels are MathML, which browsers render without a stylesheet.
 */
import type { Solution } from '../../derive/solve.js';
import { svg } from '../../tex/diagram.js';
import { svgPlot } from '../../tex/plot.js';
import { networkFigures } from '../../render/sheet-figures.js';
import { kindOf } from '../../networks/registry.js';
import type { Namer } from '../../tex/names.js';
import { splitInlineMath } from '../../tex/format.js';
import type { QuizFigure } from './model.js';
import { mathml } from './mathml.js';
import { xmlText } from './xml.js';

export function variantFigures(sol: Solution, namer: Namer): QuizFigure[] {
  // tensor equations are set in matrix form, without a figure (as on their sheets); a drawing of
  // their scalar graph (every entry a node) teaches nothing. Other kinds keep their own figures.
  if (sol.tensor && kindOf(sol.problem.network).matrixOnly) return [];
  const blocks = networkFigures(sol, namer);
  const out: QuizFigure[] = [];
  for (const b of blocks) {
    if (!b || b.kind !== 'figure') continue;
    const alt = splitInlineMath(b.caption).map((p) => p.s).join('');
    const label = (tex: string) => mathml(tex) ?? xmlText(tex);
    const body = b.figure.type === 'diagram' ? svg(b.figure.diagram, label, alt) : svgPlot(b.figure.plot, label);
    out.push({ svg: `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`, alt });
  }
  return out;
}
