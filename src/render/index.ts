/** Sheets of one solution, in memory: file name -> contents. Writing is the caller's job. */
import type { Solution } from '../derive/solve.js';
import type { SheetModel } from './sheet.js';
import { renderTextSheets, type TextFormat } from './sheets.js';
import { template } from './templates.js';
import { compilePdf, hasPdflatex } from './pdf.js';

import type { Format } from '../input/formats.js';
export { FORMATS, type Format } from '../input/formats.js';

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
  const pdf = opts.formats.includes('pdf');
  // TeX is rendered whenever a PDF is wanted: the PDF is compiled from it
  const formats: TextFormat[] = [...(opts.formats.includes('tex') || pdf ? ['tex' as const] : []), ...(opts.formats.includes('html') ? ['html' as const] : [])];
  const text = renderTextSheets(sol, { formats, katexCss: opts.katexCss, subtitle: opts.subtitle }, (name) => template(name, opts.templateDir));
  const files = new Map<string, string | Buffer>();
  const warnings: string[] = [];
  for (const { which, texts } of text.sheets) {
    const tex = texts.get('tex');
    if (tex !== undefined) {
      if (opts.formats.includes('tex')) files.set(`${which}.tex`, tex);
      if (pdf && hasPdflatex()) {
        const r = compilePdf(tex);
        if (r.ok) files.set(`${which}.pdf`, r.pdf);
        else warnings.push(`${sol.problem.file}: ${which}.pdf: TeX failed (${r.log}); the .tex and .html sheets are written`);
      }
    }
    const html = texts.get('html');
    if (html !== undefined) files.set(`${which}.html`, html);
  }
  return { files, warnings, model: text.model };
}
