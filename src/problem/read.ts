/** Read a problem file from disk and validate it (Node only: the site's page parses text with parseProblem). */
import { readFileSync } from 'node:fs';
import { ProblemError } from '../errors.js';
import type { ProblemSpec } from './spec.js';
import { parseProblem } from './load.js';

export function loadProblem(file: string): ProblemSpec {
  return parseProblem(readProblemText(file), file);
}

/** A problem file's text; a file that cannot be read is an input error naming it. */
export function readProblemText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProblemError(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
}
