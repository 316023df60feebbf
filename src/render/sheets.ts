/**
 * Sheets of one solution as text (TeX and HTML), from templates given by the
 * caller: no file system, no TeX engine. `renderSheets` (index.ts) reads the
 * templates from disk and adds PDFs; the site (src/site/) runs this module in
 * a web page with its templates compiled into the page's script.
 */
import type { Solution } from '../derive/solve.js';
import { sheetModel, type SheetModel } from './sheet.js';
import { htmlSections, htmlText, texSections, texText } from './blocks.js';
import { escapeHtml, escapeTex } from '../tex/format.js';

export type TemplateName = 'problem.tex' | 'solution.tex' | 'problem.html' | 'solution.html';
export interface SheetData {
  title: string;
  subtitle: string;
  statement: string;
  sections: Array<{ title: string; body: string }>;
  katexCss?: string;
}
/** A compiled template by name (Handlebars from disk on the command line, precompiled in a page). */
export type SheetTemplates = (name: TemplateName) => (d: SheetData) => string;

export type SheetKind = 'problem' | 'solution';
export type TextFormat = 'tex' | 'html';

export interface TextSheetOptions {
  readonly formats: readonly TextFormat[];
  /** default both, problem first */
  readonly sheets?: readonly SheetKind[];
  /** relative path of the KaTeX stylesheet from the sheet's folder */
  readonly katexCss?: string;
  /** printed under the title, e.g. the variant and seed */
  readonly subtitle?: string;
}

export interface TextSheets {
  /** per sheet, the formats asked, in the order asked */
  readonly sheets: ReadonlyArray<{ readonly which: SheetKind; readonly texts: ReadonlyMap<TextFormat, string> }>;
  readonly model: SheetModel;
}

/** How one output language writes the parts of a sheet. */
const TARGETS = {
  tex: { escape: escapeTex, text: texText, sections: texSections },
  html: { escape: escapeHtml, text: htmlText, sections: htmlSections },
} as const;

export function renderTextSheets(sol: Solution, opts: TextSheetOptions, templates: SheetTemplates): TextSheets {
  const model = sheetModel(sol);
  const subtitle = opts.subtitle ?? model.id;
  const data = (lang: TextFormat, which: SheetKind): SheetData => {
    const t = TARGETS[lang];
    return {
      title: t.escape(model.title),
      subtitle: t.escape(subtitle),
      statement: model.statement ? t.text(model.statement) : '',
      sections: t.sections(which === 'problem' ? model.problem : model.solution),
      ...(lang === 'html' ? { katexCss: opts.katexCss ?? 'katex/katex.min.css' } : {}),
    };
  };
  const sheets = (opts.sheets ?? ['problem', 'solution']).map((which) => {
    const texts = new Map<TextFormat, string>();
    for (const lang of opts.formats) texts.set(lang, templates(`${which}.${lang}`)(data(lang, which)));
    return { which, texts };
  });
  return { sheets, model };
}
