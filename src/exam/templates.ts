/**
 * The exam's Handlebars templates. With `--template DIR`, a template or
 * partial found in DIR replaces the project's own; one DIR lacks falls back
 * to templates/ (an institution may override only the document wrapper with
 * its own class and keep the bodies). Partials of a TeX template are the
 * `partials/*.tex.hbs` files, of an HTML template the `*.html.hbs` ones, each
 * registered under its stem (`preamble`, `head`), as for the sheets.
 * Templates receive finished strings; they hold no logic beyond each/if.
 */
import { compileTemplate, type Compiled } from '../input/templates.js';

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

/** The templates an exam render reads for these formats. */
export function examTemplateNames(formats: readonly string[]): ExamTemplateName[] {
  const names: ExamTemplateName[] = [];
  if (formats.includes('tex') || formats.includes('pdf')) names.push('exam.tex', 'exam-body.tex', 'exam-solutions-body.tex');
  if (formats.includes('html')) names.push('exam.html', 'exam-body.html', 'exam-solutions-body.html');
  return names;
}

/** One of the exam's templates from DIR, else templates/ (input/templates.ts reads and checks them). */
export function examTemplate<T extends BodyData | DocumentData>(name: ExamTemplateName, dir?: string): Compiled<T> {
  return compileTemplate<T>(name, dir);
}
