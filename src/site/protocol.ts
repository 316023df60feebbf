/**
 * Messages between a site page and its engine (a Worker made from the page's
 * own script). Plain data only: they cross postMessage by structured clone.
 */
import type { CheckJson } from '../check/report.js';
import type { Preview } from './preview.js';

/** A problem file as the page holds it: its name (for messages) and its text. */
export interface ProblemSource {
  readonly file: string;
  readonly text: string;
}

export interface VariantChoice {
  readonly seed: string;
  readonly number: number;
}

export type EngineRequest =
  /** solve for d of / d wrt ahead of the first answer, so the first verdict comes quickly */
  | { readonly kind: 'prepare'; readonly problem: ProblemSource; readonly of: string; readonly wrt: string }
  | {
    readonly kind: 'check'; readonly problem: ProblemSource; readonly of: string; readonly wrt: string;
    readonly answer: string; readonly latex: boolean;
    /** the answer is a derivation, one step per line (the CLI's --derivation) */
    readonly derivation: boolean;
  }
  /** the solution sheet (HTML) of a problem text, or of one of its variants */
  | { readonly kind: 'sheet'; readonly problem: ProblemSource; readonly variant: VariantChoice | null }
  /** an answer typeset as typed (KaTeX lives in the engine, so the page compiles none of it) */
  | { readonly kind: 'preview'; readonly text: string; readonly latex: boolean };

export type EngineRequestKind = EngineRequest['kind'];

/** Where an input error points: the problem file (line, key) or the answer (line, column). */
export interface InputError {
  readonly message: string;
  readonly source: 'problem' | 'answer';
  readonly line?: number;
  readonly column?: number;
  readonly key?: string;
  /** the answer's own line with a caret under the column, as the CLI prints it */
  readonly excerpt?: string;
}

export type EngineResult =
  | { readonly kind: 'prepared' }
  | {
    readonly kind: 'checked';
    /** exactly `gradsheet check --json` */
    readonly json: CheckJson;
    /** exactly `gradsheet check` without --json */
    readonly text: string;
    readonly ms: number;
  }
  | { readonly kind: 'sheet'; readonly html: string; readonly subtitle: string; readonly ms: number }
  | { readonly kind: 'preview'; readonly preview: Preview }
  | { readonly kind: 'input-error'; readonly error: InputError }
  /** a bug of ours (an exception that is not an input error), or the time cap */
  | { readonly kind: 'failed'; readonly message: string };

export interface EngineEnvelope { readonly id: number; readonly request: EngineRequest }
export interface EngineReply { readonly id: number; readonly result: EngineResult }
