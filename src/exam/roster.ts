/**
 * The class roster (contract 7): a CSV with one student per line, `name, id`;
 * variant k goes to the student on line k. A first line `name,id` is a header.
 */
import { readFileSync } from 'node:fs';
import { ProblemError } from '../errors.js';
import type { Field } from '../input/field.js';
import { parseCsv } from './csv.js';
import type { RosterEntry } from './spec.js';

export function readRoster(file: string, field: Field): RosterEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return field.fail(`cannot read the roster ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const rows = parseCsv(text, file);
  const body = rows.length && rows[0]!.fields.map((f) => f.toLowerCase()).join(',') === 'name,id' ? rows.slice(1) : rows;
  if (body.length === 0) field.fail(`the roster ${file} lists no students`);
  const ids = new Map<string, number>();
  return body.map((r) => {
    if (r.fields.length !== 2 || !r.fields[0] || !r.fields[1]) {
      throw new ProblemError(`a roster line is 'name, id' (two fields, neither empty), got ${r.fields.length} field(s)`, file, r.line);
    }
    const [name, id] = r.fields as [string, string];
    if (name.length > 200 || id.length > 100) throw new ProblemError('a name or id longer than 200 characters', file, r.line);
    const seen = ids.get(id);
    if (seen !== undefined) throw new ProblemError(`the id '${id}' is already on line ${seen}`, file, r.line);
    ids.set(id, r.line);
    return { name, id, line: r.line };
  });
}
