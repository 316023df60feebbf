/**
 * A validated exam file (contract 7), as the rest of the exam module sees it.
 * An exam is numbered questions 1..n; a question is one problem file, one
 * text-only item, or a group whose parts are problems and text items
 * (seed 000 Q1: a XOR network and a proof; Q2: two sigmoid chains).
 */
import type { Rational } from '../expr/rational.js';
import type { Field } from '../input/field.js';
import type { ProblemSpec } from '../problem/spec.js';
import type { Tolerance } from '../variants/spec.js';

/** How one problem unit's points are shared among its asked scalars. */
export type PartsSpec =
  | { readonly kind: 'none' }
  /** labels of the problem's ask items, in order; the unit's points split evenly over all its scalars */
  | { readonly kind: 'labels'; readonly labels: readonly string[] }
  /** labels with points each; a part's points split evenly over that part's scalars */
  | { readonly kind: 'points'; readonly labels: readonly string[]; readonly points: readonly Rational[] };

/** A problem file, with the exam's overrides applied (statement, variants). */
export interface ProblemUnit {
  readonly kind: 'problem';
  readonly problem: ProblemSpec;
  /** the heading: the item's `title`, else the problem's own */
  readonly title: string;
  readonly points: Rational;
  readonly parts: PartsSpec;
  /** true when the problem (or the exam's override) has a `variants` section */
  readonly randomized: boolean;
  /** grading tolerance from the exam (item, then exam level), if it gives one */
  readonly tolerance?: Tolerance;
  /** answer space per part on the exam, in cm */
  readonly space: number;
  readonly field: Field;
}

/** A question answered in words: printed on the exam, its model answer in the key, graded by hand. */
export interface TextUnit {
  readonly kind: 'text';
  readonly title?: string;
  readonly text: string;
  readonly answer?: string;
  readonly points: Rational;
  readonly space: number;
  readonly field: Field;
}

export type Unit = ProblemUnit | TextUnit;

/**
 * One numbered question. `label` is its number ("3") for a single unit, or
 * its number and the part's label ("1.2") inside a group: the unit's name in
 * answers.csv columns (`1.2:o/b1`) and the suffix of its problem seed.
 */
export interface LabelledUnit { readonly label: string; readonly partLabel?: string; readonly unit: Unit }

export interface Question {
  readonly number: number;
  readonly title?: string;
  /** a group's introduction (text with $...$ math) */
  readonly statement?: string;
  readonly points: Rational;
  readonly units: readonly LabelledUnit[];
  readonly field: Field;
}

export interface RosterEntry { readonly name: string; readonly id: string; readonly line: number }

export interface ExamSpec {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly course?: string;
  readonly date?: string;
  readonly instructions?: string;
  readonly questions: readonly Question[];
  readonly totalPoints: Rational;
  /** from the file's `variants` (the command line may override both) */
  readonly count?: number;
  readonly seed?: string;
  readonly roster?: { readonly file: string; readonly students: readonly RosterEntry[]; readonly field: Field };
  readonly root: Field;
}

/** Every unit of the exam in order, with its label. */
export const allUnits = (exam: ExamSpec): LabelledUnit[] => exam.questions.flatMap((q) => q.units);

/** The seed a problem unit draws its variants from: `${examSeed}-${label}` (e.g. `5-3`, `5-1.1`). */
export const unitSeed = (examSeed: string, label: string): string => `${examSeed}-${label}`;
