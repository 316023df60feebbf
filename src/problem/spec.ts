/** The validated problem, as the rest of the pipeline sees it. */
import type { Rational } from '../expr/rational.js';
import type { Field } from '../input/field.js';
import type { NetworkSpec } from '../networks/spec.js';
import type { Initializer } from './initializer.js';

/** A value from `given`: a number, nested arrays (row-major, shape inferred) or a fill. */
export type GivenValue =
  | { kind: 'array'; shape: number[]; values: Rational[] }
  | { kind: 'fill'; value: Rational }
  | Initializer;

export interface GivenEntry { readonly value: GivenValue; readonly field: Field }

export type AskItem =
  | { kind: 'forward'; names: string[]; field: Field }
  | { kind: 'gradient'; of: string; wrt: string[]; symbolic: string[]; upstream?: string; field: Field }
  | { kind: 'update'; rule: 'sgd'; rate: Rational; of?: string; params?: string[]; field: Field }
  | { kind: 'shape'; names: string[]; field: Field }
  | { kind: 'padding'; mode: 'same'; field: Field }
  | { kind: 'parameters'; compare?: 'dense'; field: Field }
  | { kind: 'jacobian'; of: string; wrt: string; field: Field }
  | { kind: 'table'; input: string; rows: Rational[][]; expect?: Rational[]; output?: string; field: Field };

export interface Published {
  readonly source: string;
  /** `of/wrt` for a derivative, a node name for a value */
  readonly values: ReadonlyArray<{ what: string; value: number; field: Field }>;
}

/** `lms`: how the problem goes into LMS quiz packages (variants/qti). */
export interface LmsSpec {
  /** the one asked number that forms a question group, as an answers.csv column (`E/W2[1,1]`) */
  readonly ask: string;
  readonly field: Field;
}

export interface ProblemSpec {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly statement?: string;
  readonly network: NetworkSpec;
  readonly given: ReadonlyMap<string, GivenEntry>;
  readonly givenField: Field;
  readonly ask: readonly AskItem[];
  readonly symbols: Readonly<Record<string, string>>;
  readonly exact: boolean;
  readonly precision: number;
  readonly notation?: string;
  readonly published?: Published;
  /** the raw `variants` section, validated by the variants module */
  readonly variants?: Field;
  readonly lms?: LmsSpec;
  readonly root: Field;
}
