/**
 * A problem's variants as a quiz set: each variant's asked scalars become
 * questions (the statement with the variant's values, its figures, one
 * number), one quiz per variant; with `lms: {ask: ...}` in the problem, the
 * set is one question group whose questions are that scalar in every variant.
 */
import type { Field } from '../../input/field.js';
import { askedScalars, type SolvedVariant } from '../answers.js';
import { introParagraphs, namerOf, promptParagraph } from '../question-text.js';
import type { Tolerance } from '../spec.js';
import { variantFigures } from './figures.js';
import { ncname, type QuizPart, type QuizQuestion, type QuizSet } from './model.js';

export function quizFromVariants(variants: readonly SolvedVariant[], tolerance: Tolerance, count: number): QuizSet {
  const problem = variants[0]!.sol.problem;
  const id = ncname('p', problem.id);
  const pad = (k: number) => String(k).padStart(Math.max(3, String(count).length), '0');
  const lms = problem.lms;
  const parts: QuizPart[] = variants.map((v) => {
    const namer = namerOf(v);
    const intro = introParagraphs(v, namer);
    const figures = variantFigures(v.sol, namer);
    const scalars = askedScalars(v.sol);
    const chosen = lms ? [pickScalar(scalars, lms.ask, lms.field)] : scalars;
    const questions = chosen.map((s): QuizQuestion => ({
      id: ncname('q', problem.id, pad(v.number), String(scalars.indexOf(s) + 1).padStart(Math.max(2, String(scalars.length).length), '0')),
      title: `${problem.title}: variant ${v.number}, ${s.column}`,
      intro, figures, prompt: promptParagraph(v, s, namer),
      answer: s.value, tolerance, points: 1,
    }));
    return { id: ncname('v', problem.id, pad(v.number)), title: `${problem.title} (variant ${v.number})`, questions };
  });
  if (lms) {
    return { id, title: problem.title, layout: { kind: 'groups', groups: [{ id: ncname('g', problem.id), title: `${problem.title}: ${lms.ask}`, questions: parts.flatMap((p) => p.questions) }] } };
  }
  return { id, title: problem.title, layout: { kind: 'quizzes', quizzes: parts } };
}

/** The asked scalar `lms.ask` names (an answers.csv column); an index outside its tensor is the problem file's error. */
export function pickScalar<S extends { readonly column: string }>(scalars: readonly S[], ask: string, field: Field): S {
  const found = scalars.find((s) => s.column.replace(/\s+/g, '') === ask);
  if (!found) {
    const cols = scalars.map((s) => s.column);
    field.fail(`"${ask}" is not one of the numbers this problem asks for (${cols.slice(0, 12).join(', ')}${cols.length > 12 ? ', ...' : ''})`);
  }
  return found;
}
