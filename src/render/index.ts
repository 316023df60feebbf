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

/** How one output language writes the parts of a sheet. */
const TARGETS = {
  tex: { escape: escapeTex, text: texText, sections: texSections },
  html: { escape: escapeHtml, text: htmlText, sections: htmlSections },
} as const;

export function renderSheets(sol: Solution, opts: RenderOptions): RenderedSheets {
  const model = sheetModel(sol);
  const files = new Map<string, string | Buffer>();
  const warnings: string[] = [];
  const subtitle = opts.subtitle ?? model.id;
  const data = (lang: keyof typeof TARGETS, which: 'problem' | 'solution'): SheetData => {
    const t = TARGETS[lang];
    return {
      title: t.escape(model.title),
      subtitle: t.escape(subtitle),
      statement: model.statement ? t.text(model.statement) : '',
      sections: t.sections(which === 'problem' ? model.problem : model.solution),
      ...(lang === 'html' ? { katexCss: opts.katexCss ?? 'katex/katex.min.css' } : {}),
    };
  };
  for (const which of ['problem', 'solution'] as const) {
    if (opts.formats.includes('tex') || opts.formats.includes('pdf')) {
      const tex = template(`${which}.tex`, opts.templateDir)(data('tex', which));
      if (opts.formats.includes('tex')) files.set(`${which}.tex`, tex);
      if (opts.formats.includes('pdf') && hasPdflatex()) {
        const r = compilePdf(tex);
        if (r.ok) files.set(`${which}.pdf`, r.pdf);
        else warnings.push(`${sol.problem.file}: ${which}.pdf: TeX failed (${r.log}); the .tex and .html sheets are written`);
      }
    }
    if (opts.formats.includes('html')) files.set(`${which}.html`, template(`${which}.html`, opts.templateDir)(data('html', which)));
  }
  return { files, warnings, model };
}
