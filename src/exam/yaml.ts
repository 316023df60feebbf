/**
 * Reading a YAML file into a root `Field`, with the same rules as problem
 * files (no tabs, no repeated keys, a size cap), so an exam's mistakes are
 * reported as file:line: key: message like a problem's.
 */
import { readFileSync } from 'node:fs';
import { ProblemError } from '../errors.js';
import type { Field } from '../input/field.js';
import { parseYamlField } from '../input/yaml.js';

export function readYamlField(file: string): Field {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProblemError(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  return parseYamlField(text, file, 'exam file');
}
