/**
 * One exam variant's files, in memory: the exam and its answer key as full
 * TeX documents, body-only TeX fragments (`exam-body.tex`,
 * `solutions-body.tex`, to \input into an institution's own document), HTML,
 * and PDFs from the locked-down pdflatex. Nothing here depends on the number
 * of variants in the run, so `--only K` rebuilds variant K byte for byte.
 */
import { basename } from 'node:path';
import type { Format } from '../render/index.js';
import { escapeHtml, escapeTex } from '../tex/format.js';
import { htmlText, texText } from '../render/blocks.js';
import { compilePdf, hasPdflatex } from '../render/pdf.js';
import { examContent, keyContent, type QuestionContent } from './content.js';
import { htmlPieces, texPieces } from './pieces.js';
import { formatPoints } from './points.js';
import type { ExamVariant } from './solve.js';
import type { ExamSpec, Question } from './spec.js';
import { examTemplate, type BodyData, type DocumentData } from './templates.js';

export interface RenderOptions {
  readonly formats: readonly Format[];
  readonly templateDir?: string;
  /** KaTeX stylesheet, relative to the variant's folder */
  readonly katexCss: string;
}

export interface RenderedVariant {
  readonly files: Map<string, string | Buffer>;
  /** the full TeX documents, for the combined all-exams.pdf and all-solutions.pdf */
  readonly tex: { readonly exam: string; readonly solutions: string };
  readonly warnings: string[];
}

type Which = 'exam' | 'solutions';

export function renderVariant(exam: ExamSpec, v: ExamVariant, opts: RenderOptions): RenderedVariant {
  const files = new Map<string, string | Buffer>();
  const warnings: string[] = [];
  const content: Record<Which, QuestionContent[]> = { exam: examContent(exam.questions, v), solutions: keyContent(exam.questions, v) };
  const tex = { exam: '', solutions: '' };
  const wantTex = opts.formats.includes('tex') || opts.formats.includes('pdf');
  for (const which of ['exam', 'solutions'] as const) {
    const bodyName = which === 'exam' ? 'exam-body' : 'exam-solutions-body';
    if (wantTex) {
      const body = examTemplate<BodyData>(`${bodyName}.tex`, opts.templateDir)(bodyData(exam, v, content[which], 'tex'));
      const doc = examTemplate<DocumentData>('exam.tex', opts.templateDir)(documentData(exam, v, which, body, 'tex', opts.katexCss));
      tex[which] = doc;
      if (opts.formats.includes('tex')) {
        files.set(`${which}.tex`, doc);
        files.set(`${which}-body.tex`, body);
      }
      if (opts.formats.includes('pdf') && hasPdflatex()) {
        const r = compilePdf(doc);
        if (r.ok) files.set(`${which}.pdf`, r.pdf);
        else warnings.push(`variant ${v.number}: ${which}.pdf: TeX failed (${r.log}); the .tex and .html files are written`);
      }
    }
    if (opts.formats.includes('html')) {
      const body = examTemplate<BodyData>(`${bodyName}.html`, opts.templateDir)(bodyData(exam, v, content[which], 'html'));
      files.set(`${which}.html`, examTemplate<DocumentData>('exam.html', opts.templateDir)(documentData(exam, v, which, body, 'html', opts.katexCss)));
    }
  }
  return { files, tex, warnings };
}

function bodyData(exam: ExamSpec, v: ExamVariant, content: readonly QuestionContent[], fmt: 'tex' | 'html'): BodyData {
  const esc = fmt === 'tex' ? escapeTex : escapeHtml;
  const txt = fmt === 'tex' ? texText : htmlText;
  return {
    title: esc(exam.title),
    course: exam.course ? esc(exam.course) : '',
    date: exam.date ? esc(exam.date) : '',
    instructions: exam.instructions ? txt(exam.instructions) : '',
    variant: String(v.number),
    seed: esc(v.seed),
    // in TeX, -{}- keeps the two hyphens of an option apart (T1 fonts join -- into a dash)
    rebuild: fmt === 'tex' ? esc(rebuild(exam, v)).replace(/--/g, '-{}-') : esc(rebuild(exam, v)),
    student: v.student ? { name: esc(v.student.name), id: esc(v.student.id) } : null,
    totalPoints: formatPoints(exam.totalPoints),
    questions: content.map(({ question, pieces }) => ({
      number: String(question.number),
      title: esc(questionTitle(question)),
      points: formatPoints(question.points),
      body: fmt === 'tex' ? texPieces(pieces) : htmlPieces(pieces),
    })),
  };
}

function documentData(exam: ExamSpec, v: ExamVariant, which: Which, body: string, fmt: 'tex' | 'html', katexCss: string): DocumentData {
  const esc = fmt === 'tex' ? escapeTex : escapeHtml;
  return { title: esc(exam.title), kind: which === 'exam' ? 'exam' : 'answer key', variant: String(v.number), seed: esc(v.seed), body, katexCss };
}

const rebuild = (exam: ExamSpec, v: ExamVariant): string => `gradsheet exam ${basename(exam.file)} --seed ${v.seed} --only ${v.number}`;

/** A group's title, a problem's (or the item's) title, a text item's title, or none. */
export function questionTitle(q: Question): string {
  if (q.title) return q.title;
  const u = q.units[0]!.unit;
  return u.kind === 'problem' ? u.title : u.title ?? '';
}
