/**
 * Solving an exam's variants, in memory: everything that can fail on the
 * input happens here, before any file is written. Exam variant k gives every
 * problem unit its own variant k, drawn by the variants module under the
 * unit's seed `${examSeed}-${label}` (`5-3` for question 3, `5-1.1` for part 1
 * of question 1), so question 3 of variant k is exactly variant k of
 * `gradsheet variants PROBLEM --seed 5-3` (when the exam does not override the
 * problem's `variants`). A problem without variants keeps its own values in
 * every exam variant.
 */
import { solve, type Solution } from '../derive/solve.js';
import { DEFAULT_TOLERANCE, type Tolerance } from '../variants/spec.js';
import { solveVariants } from '../variants/job.js';
import { unitScalars, type GradedScalar, type ManualPoints } from './scalars.js';
import { allUnits, unitSeed, type ExamSpec, type LabelledUnit, type RosterEntry } from './spec.js';

export interface SolvedUnit {
  readonly lu: LabelledUnit;
  /** null for a text unit */
  readonly sol: Solution | null;
  /** `5-3-2` (the unit's seed and the variant) for a randomized problem; null when its values are fixed */
  readonly seedLabel: string | null;
  readonly tolerance: Tolerance;
  readonly scalars: readonly GradedScalar[];
  readonly manual: readonly ManualPoints[];
}

export interface ExamVariant {
  readonly number: number;
  readonly seed: string;
  readonly units: readonly SolvedUnit[];
  /** line k of the roster, when there is one and it is that long */
  readonly student?: RosterEntry;
}

/** Exam variants `from`..`to` (1-based) under `seed`. */
export function solveExam(exam: ExamSpec, seed: string, from: number, to: number, progress?: (done: number, total: number) => void): ExamVariant[] {
  const units = allUnits(exam);
  const perUnit = units.map((lu, i) => {
    progress?.(i, units.length);
    return solveUnit(lu, seed, from, to);
  });
  const out: ExamVariant[] = [];
  for (let k = from; k <= to; k++) {
    out.push({ number: k, seed, student: exam.roster?.students[k - 1], units: perUnit.map((byVariant) => byVariant(k)) });
  }
  return out;
}

/** variant number -> the unit solved for it */
function solveUnit(lu: LabelledUnit, seed: string, from: number, to: number): (k: number) => SolvedUnit {
  const unit = lu.unit;
  if (unit.kind === 'text') {
    const solved: SolvedUnit = { lu, sol: null, seedLabel: null, tolerance: DEFAULT_TOLERANCE, scalars: [], manual: [{ label: lu.label, points: unit.points }] };
    return () => solved;
  }
  if (!unit.randomized) {
    const sol = solve(unit.problem);
    const solved = withScalars(lu, sol, null, unit.tolerance ?? DEFAULT_TOLERANCE);
    return () => solved;
  }
  const run = solveVariants(unit.problem, unitSeed(seed, lu.label), from, to);
  const tolerance = unit.tolerance ?? run.spec.tolerance;
  const solved = run.variants.map((v) => withScalars(lu, v.sol, v.seedLabel, tolerance));
  return (k) => solved[k - from]!;
}

function withScalars(lu: LabelledUnit, sol: Solution, seedLabel: string | null, tolerance: Tolerance): SolvedUnit {
  const { scalars, manual } = unitScalars(lu, sol);
  return { lu, sol, seedLabel, tolerance, scalars, manual };
}

/** Problem units whose finite-difference check failed, as messages. */
export function failedChecks(variants: readonly ExamVariant[]): string[] {
  const out: string[] = [];
  for (const v of variants) {
    for (const u of v.units) {
      const c = u.sol?.check;
      if (c && c.entries > 0 && !c.passed) out.push(`variant ${v.number}, item ${u.lu.label} (${u.sol!.problem.id}): finite-difference check failed (${c.worst}: ${c.maxRelError.toExponential(2)})`);
    }
  }
  return out;
}
