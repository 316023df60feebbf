/**
 * The one YAML reader (issue 15): problem files and exam files alike are read
 * into a root `Field` with the same rules, so a mistake in either is reported
 * as file:line: key: message. No tabs, no repeated keys (named), no aliases
 * (a second path to one node, and a "billion laughs" chain must not expand),
 * and a size cap checked before parsing.
 */
import { LineCounter, parseDocument, visit } from 'yaml';
import { ProblemError } from '../errors.js';
import { Field } from './field.js';

/** Largest file we read: a hand-written problem is a few KB; an MLP 784-128-10 written out is about 0.7 MB. */
export const MAX_FILE_BYTES = 4_000_000;

export function parseYamlField(text: string, file: string, what = 'file'): Field {
  if (text.length > MAX_FILE_BYTES) throw new ProblemError(`file larger than ${MAX_FILE_BYTES} bytes`, file);
  if (/^\t/m.test(text)) {
    const line = text.split('\n').findIndex((l) => l.startsWith('\t')) + 1;
    throw new ProblemError('a tab indents this line; YAML indents with spaces', file, line);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const line = lines.linePos(err.pos[0]).line;
    // the error starts at the repeated key, so the message can name it
    const dup = /^("[^"\n]*"|'[^'\n]*'|[^:\s,{}[\]]+)/.exec(text.slice(err.pos[0], err.pos[0] + 100))?.[1] ?? '';
    const message = err.code === 'DUPLICATE_KEY' ? `the key '${dup}' appears twice in the same mapping` : err.message.split('\n')[0];
    throw new ProblemError(`YAML: ${message}`, file, line);
  }
  visit(doc, {
    Alias(_, node) {
      throw new ProblemError(`YAML: aliases such as '*${node.source}' are not allowed in ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}; write the value out`, file, node.range ? lines.linePos(node.range[0]).line : undefined);
    },
  });
  return Field.root(file, doc, lines);
}
