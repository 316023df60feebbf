/** The validated problem, as the rest of the pipeline sees it. */
import type { NetworkSpec } from '../networks/registry.js';
import type { ProblemBase } from '../input/problem-parts.js';
export type { AskItem, GivenEntry, GivenValue, LmsSpec, ProblemBase, Published } from '../input/problem-parts.js';

export interface ProblemSpec extends ProblemBase {
  readonly network: NetworkSpec;
}
