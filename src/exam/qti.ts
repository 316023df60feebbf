/**
 * An exam's variants as a quiz set for the LMS packages (variants/qti): one
 * quiz per exam variant holding every graded number of every problem item,
 * in exam order, each question restating its item with that variant's
 * values. When every problem item names its number with `lms: {ask: ...}`,
 * the set is one quiz with a question group per item instead, whose
 * questions are that number in each variant (a student draws one per item),
 * each worth the item's points.
 * Text items and asks with no single number are graded by hand: they are
 * not in the packages, and a warning says so.
 */
import { columnOf } from './scalars.js';
import type { ExamVariant, SolvedUnit } from './solve.js';
import type { ExamSpec, Question } from './spec.js';
import type { SolvedVariant } from '../variants/answers.js';
import { introParagraphs, namerOf, promptParagraph, statementInlines, type Paragraph } from '../variants/question-text.js';
import { variantFigures } from '../variants/qti/figures.js';
import { pickScalar } from '../variants/qti/from-variants.js';
import { ncname, type QuizPart, type QuizQuestion, type QuizSet } from '../variants/qti/model.js';

export interface ExamQuiz { readonly set: QuizSet; readonly warnings: string[] }

export function quizFromExam(exam: ExamSpec, variants: readonly ExamVariant[], count: number): ExamQuiz {
  const warnings: string[] = [];
  const pad = (k: number) => String(k).padStart(Math.max(3, String(count).length), '0');
  const first = variants[0]!;
  const graded = first.units.filter((u) => u.sol && u.scalars.length);
  if (first.units.some((u) => u.manual.length)) {
    warnings.push('quiz-qti.zip, quiz-canvas.zip: text items and asks with no single number to enter are left out of the LMS packages (grade them by hand)');
  }
  const withLms = graded.filter((u) => u.sol!.problem.lms);
  const groups = graded.length > 0 && withLms.length === graded.length;
  if (withLms.length && !groups) {
    warnings.push(`quiz-qti.zip, quiz-canvas.zip: lms.ask is set in ${withLms.length} of the ${graded.length} problem items; question groups need it in every one, so the packages hold one quiz per variant`);
  }
  const questionOf = new Map<string, Question>(exam.questions.flatMap((q) => q.units.map((lu) => [lu.label, q] as const)));
  const id = ncname('e', exam.id);

  // questions of unit u in exam variant v; under groups, only the lms number
  const questions = (v: ExamVariant, u: SolvedUnit): QuizQuestion[] => {
    const sol = u.sol!;
    const sv: SolvedVariant = { number: v.number, seedLabel: u.seedLabel ?? '', sol };
    const namer = namerOf(sv);
    const q = questionOf.get(u.lu.label);
    const unitTitle = u.lu.unit.kind === 'problem' ? u.lu.unit.title : sol.problem.title;
    const heading: Paragraph = [
      { kind: 'strong', text: `${exam.title}, question ${u.lu.label}` },
      { kind: 'text', text: `: ${unitTitle} (variant ${v.number}${u.seedLabel ? `, seed ${u.seedLabel}` : ''})` },
    ];
    const intro = [heading, ...(q?.statement && q.units.length > 1 ? [statementInlines(q.statement)] : []), ...introParagraphs(sv, namer).slice(1)];
    const figures = variantFigures(sol, namer);
    const cols = u.scalars.map((s) => ({ s, column: columnOf(s.quantity, sol) }));
    const lms = sol.problem.lms;
    // lms.ask is checked against the solved network even when it is not used, so a wrong index is reported
    const picked = lms ? pickScalar(cols, lms.ask, lms.field) : null;
    const chosen = groups && picked ? [picked] : cols;
    return chosen.map(({ s }) => ({
      id: ncname('q', exam.id, pad(v.number), u.lu.label, String(u.scalars.indexOf(s) + 1).padStart(Math.max(2, String(u.scalars.length).length), '0')),
      title: `${exam.title}: variant ${v.number}, ${s.header}`,
      intro, figures, prompt: promptParagraph(sv, s.quantity, namer),
      // under groups the one number stands for the whole item, so it carries the item's points
      answer: s.value, tolerance: u.tolerance, points: groups && u.lu.unit.kind === 'problem' ? u.lu.unit.points.toNumber() : s.points.toNumber(),
    }));
  };

  if (groups) {
    const parts: QuizPart[] = graded.map((u0, i) => {
      const label = u0.lu.label;
      const unitOf = (v: ExamVariant) => v.units.find((u) => u.lu.label === label)!;
      // an item with fixed values is the same question in every variant: the group holds it once
      const vs = u0.seedLabel === null ? [first] : variants;
      return { id: ncname('g', exam.id, label), title: `Question ${label}: ${graded[i]!.sol!.problem.lms!.ask}`, questions: vs.flatMap((v) => questions(v, unitOf(v))) };
    });
    return { set: { id, title: exam.title, layout: { kind: 'groups', groups: parts } }, warnings };
  }
  const quizzes: QuizPart[] = variants.map((v) => ({
    id: ncname('v', exam.id, pad(v.number)),
    title: `${exam.title} (variant ${v.number}${v.student ? `, ${v.student.name}` : ''})`,
    questions: v.units.filter((u) => u.sol && u.scalars.length).flatMap((u) => questions(v, u)),
  }));
  return { set: { id, title: exam.title, layout: { kind: 'quizzes', quizzes } }, warnings };
}
