/**
 * The neutral input of the LMS packages: questions with a statement, figures
 * and one numerical answer with its tolerance, arranged either as one quiz
 * per variant (per-student assignment) or as question groups from which each
 * student draws one question. The writers (qti21.ts, canvas.ts) know nothing
 * of problems or solutions; anything that can phrase a question (a variant's
 * asked scalar, an exam item, later a tensor entry) feeds them this model.
 */
import type { Paragraph } from '../question-text.js';
import type { Tolerance } from '../spec.js';

export interface QuizFigure {
  /** a standalone SVG document */
  readonly svg: string;
  /** text for readers who cannot see it (the figure's caption) */
  readonly alt: string;
}

export interface QuizQuestion {
  /** unique in the package; an XML NCName (a letter first, then letters, digits, - _ .) */
  readonly id: string;
  readonly title: string;
  /** statement paragraphs, shown before the figures */
  readonly intro: readonly Paragraph[];
  readonly figures: readonly QuizFigure[];
  /** what to compute, shown with the answer box */
  readonly prompt: Paragraph;
  readonly answer: number;
  readonly tolerance: Tolerance;
  readonly points: number;
}

/** A quiz (one variant's questions, in order) or a question group (one question is drawn). */
export interface QuizPart {
  readonly id: string;
  readonly title: string;
  readonly questions: readonly QuizQuestion[];
}

export type QuizLayout =
  /** one quiz per variant: every question of the part, for the student it is assigned to */
  | { readonly kind: 'quizzes'; readonly quizzes: readonly QuizPart[] }
  /** one quiz of question groups: each student draws one question of each group */
  | { readonly kind: 'groups'; readonly groups: readonly QuizPart[] };

export interface QuizSet {
  /** an NCName naming the package */
  readonly id: string;
  readonly title: string;
  readonly layout: QuizLayout;
}

/** Every question of the set, in package order. */
export function allQuestions(set: QuizSet): QuizQuestion[] {
  const parts = set.layout.kind === 'quizzes' ? set.layout.quizzes : set.layout.groups;
  return parts.flatMap((p) => p.questions);
}

/** XML NCName without a colon, the form of QTI identifiers. */
export const NCNAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** `p-<id>` style identifiers from free text: letters, digits, - _ . kept, anything else a '-'. */
export function ncname(prefix: string, ...parts: readonly string[]): string {
  return [prefix, ...parts].join('-').replace(/[^A-Za-z0-9_.-]/g, '-');
}
