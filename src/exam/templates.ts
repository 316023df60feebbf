/**
 * The exam's Handlebars templates. With `--template DIR`, a template or
 * partial found in DIR replaces the project's own; one DIR lacks falls back
 * to templates/ (an institution may override only the document wrapper with
 * its own class and keep the bodies). Partials of a TeX template are the
 * `partials/*.tex.hbs` files, of an HTML template the `*.html.hbs` ones, each
 * registered under its stem (`preamble`, `head`), as for the sheets.
 * Templates receive finished strings; they hold no logic beyond each/if.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { ProblemError } from '../errors.js';
import { defaultTemplateDir } from '../render/templates.js';

export type ExamTemplateName = 'exam.tex' | 'exam-body.tex' | 'exam-solutions-body.tex' | 'exam.html' | 'exam-body.html' | 'exam-solutions-body.html';

export interface QuestionData { number: string; title: string; points: string; body: string }

/** What the body templates receive: every string already escaped for the target format. */
export interface BodyData {
  title: string;
  course: string;
  date: string;
  instructions: string;
  variant: string;
  seed: string;
  /** the command that rebuilds this variant alone */
  rebuild: string;
  student: { name: string; id: string } | null;
  totalPoints: string;
  questions: QuestionData[];
}

/** What the document wrappers receive. */
export interface DocumentData { title: string; kind: string; variant: string; seed: string; body: string; katexCss: string }

type Compiled<T> = (d: T) => string;
const cache = new Map<string, Compiled<never>>();

export function examTemplate<T extends BodyData | DocumentData>(name: ExamTemplateName, dir?: string): Compiled<T> {
  const id = `${dir ?? ''}|${name}`;
  const hit = cache.get(id);
  if (hit) return hit as Compiled<T>;
  const fallback = defaultTemplateDir();
  const file = [dir, fallback].filter((d): d is string => d !== undefined).map((d) => join(d, `${name}.hbs`)).find((f) => existsSync(f))!;
  const hb = Handlebars.create();
  const ext = name.endsWith('.tex') ? '.tex.hbs' : '.html.hbs';
  for (const base of [fallback, dir]) {
    const partials = base === undefined ? null : join(base, 'partials');
    if (!partials || !existsSync(partials)) continue;
    for (const f of readdirSync(partials).sort()) {
      if (f.endsWith(ext)) hb.registerPartial(f.slice(0, -ext.length), readFileSync(join(partials, f), 'utf8'));
    }
  }
  let compiled: HandlebarsTemplateDelegate;
  try {
    const text = readFileSync(file, 'utf8');
    Handlebars.parse(text); // syntax errors now, with the file named, not at the first render
    compiled = hb.compile(text, { noEscape: true, strict: false });
  } catch (e) {
    throw new ProblemError(`template: ${(e as Error).message.split('\n')[0]}`, file);
  }
  const t: Compiled<T> = (d) => {
    try {
      return compiled(d);
    } catch (e) {
      throw new ProblemError(`template: ${(e as Error).message.split('\n')[0]}`, file);
    }
  };
  cache.set(id, t as Compiled<never>);
  return t;
}
