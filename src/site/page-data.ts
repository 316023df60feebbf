/**
 * What a site page carries besides its HTML: the problem texts the engine
 * needs, as JSON in a `<script type="application/json">` block (never run).
 */
import type { ProblemSource } from './protocol.js';

/** The derivatives a page offers: each `of` with the leaves it can be taken with respect to. */
export interface Derivative {
  readonly of: string;
  /** whole tensors first, then their elements (K, K[1,1], ...) */
  readonly wrt: readonly string[];
}

export interface PlaygroundProblem {
  readonly id: string;
  readonly title: string;
  readonly source: ProblemSource;
  readonly hasVariants: boolean;
}

export type PageData =
  | {
    readonly page: 'problem'; readonly capMs: number; readonly problem: ProblemSource; readonly derivatives: readonly Derivative[];
    /** the solution sheet's HTML, put into the page when the student opens it (most of a page's weight: as
     *  a string it costs no HTML parsing while the page loads and the engine starts) */
    readonly solutionHtml: string;
  }
  | { readonly page: 'playground'; readonly capMs: number; readonly problems: readonly PlaygroundProblem[] };

/** The global the site's script defines first: the engine's whole source, as a string for a Worker. */
export const ENGINE_SOURCE = 'gradsheetEngine';

/** The id of the JSON block in every page. */
export const DATA_ID = 'gradsheet-data';

/** JSON that cannot end its `<script>` block or start a comment, whatever the strings in it hold. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
