/** Sheets of one solution, in memory: file name -> contents. Writing is the caller's job. */
import type { Solution } from '../derive/solve.js';
import { sheetModel, type SheetModel } from './sheet.js';
import { htmlSections, htmlText, texSections, texText } from './blocks.js';
import { escapeHtml, escapeTex } from './format.js';
import { template, type SheetData } from './templates.js';
import { compilePdf, hasPdflatex } from './pdf.js';

export type Format = 'tex' | 'html' | 'pdf';
export const FORMATS: readonly Format[] = ['tex', 'html', 'pdf'];

export interface RenderOptions {
  readonly formats: readonly Format[];
  readonly templateDir?: string;
  /** relative path of the KaTeX stylesheet from the sheet's folder */
  readonly katexCss?: string;
  /** printed under the title, e.g. the variant and seed */
  readonly subtitle?: string;
}

export interface RenderedSheets {
  readonly files: Map<string, string | Buffer>;
  /** one-line problems that did not stop the build (no TeX engine, a TeX error) */
  readonly warnings: string[];
  readonly model: SheetModel;
}

export function renderSheets(sol: Solution, opts: RenderOptions): RenderedSheets {
  const model = sheetModel(sol);
  const files = new Map<string, string | Buffer>();
  const warnings: string[] = [];
  const subtitle = opts.subtitle ?? `\`${model.id}\``;
  const wantTex = opts.formats.includes('tex') || opts.formats.includes('pdf');
  if (wantTex) {
    for (const which of ['problem', 'solution'] as const) {
      const data: SheetData = {
        title: escapeTex(model.title),
        subtitle: escapeTex(subtitle.replace(/`/g, '')),
        statement: model.statement ? texText(model.statement) : '',
        sections: texSections(which === 'problem' ? model.problem : model.solution),
      };
      const tex = template(`${which}.tex`, opts.templateDir)(data);
      if (opts.formats.includes('tex')) files.set(`${which}.tex`, tex);
      if (opts.formats.includes('pdf')) {
        if (!hasPdflatex()) continue;
        const r = compilePdf(tex);
        if (r.ok) files.set(`${which}.pdf`, r.pdf);
        else warnings.push(`${sol.problem.file}: ${which}.pdf: TeX failed (${r.log}); the .tex and .html sheets are written`);
      }
    }
  }
  if (opts.formats.includes('html')) {
    for (const which of ['problem', 'solution'] as const) {
      const data: SheetData = {
        title: escapeHtml(model.title),
        subtitle: escapeHtml(subtitle.replace(/`/g, '')),
        statement: model.statement ? htmlText(model.statement) : '',
        sections: htmlSections(which === 'problem' ? model.problem : model.solution),
        katexCss: opts.katexCss ?? 'katex/katex.min.css',
      };
      files.set(`${which}.html`, template(`${which}.html`, opts.templateDir)(data));
    }
  }
  return { files, warnings, model };
}
