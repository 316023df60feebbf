/**
 * Reading a YAML file into a root `Field`, with the same rules as problem
 * files (no tabs, no repeated keys, a size cap), so an exam's mistakes are
 * reported as file:line: key: message like a problem's.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { ProblemError } from '../errors.js';
import { Field } from '../input/field.js';
import { MAX_FILE_BYTES } from '../problem/load.js';

export function readYamlField(file: string): Field {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProblemError(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  if (text.length > MAX_FILE_BYTES) throw new ProblemError(`file larger than ${MAX_FILE_BYTES} bytes`, file);
  const tab = text.split('\n').findIndex((l) => l.startsWith('\t'));
  if (tab >= 0) throw new ProblemError('a tab indents this line; YAML indents with spaces', file, tab + 1);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const what = err.code === 'DUPLICATE_KEY' ? 'a key appears twice in the same mapping' : err.message.split('\n')[0];
    throw new ProblemError(`YAML: ${what}`, file, lines.linePos(err.pos[0]).line);
  }
  return Field.root(file, doc, lines);
}
