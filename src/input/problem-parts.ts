/** The parts of a problem file every stage reads: given values, asks, published values (contract 3-4). */
import type { Rational } from '../expr/rational.js';
import type { Field } from './field.js';
import type { GivenValue } from './given-value.js';
export type { GivenValue };


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

/** The problem without its network section: what a kind reads besides its own section. */
export interface ProblemBase {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly statement?: string;
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
