/** RFC 4180 CSV, both ways: rosters and student responses in, answers and grades out. */
import { ProblemError } from '../errors.js';

export interface CsvRow { readonly line: number; readonly fields: readonly string[] }

/** Largest CSV read (a class's responses are a few hundred KB). */
export const MAX_CSV_BYTES = 20_000_000;

/**
 * Rows of a CSV text with the line each starts on. Quoted fields may hold
 * commas, doubled quotes and line breaks; blank lines are skipped; a UTF-8
 * byte-order mark (spreadsheets write one) is dropped.
 */
export function parseCsv(text: string, file: string): CsvRow[] {
  if (text.length > MAX_CSV_BYTES) throw new ProblemError(`file larger than ${MAX_CSV_BYTES} bytes`, file);
  const s = text.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  let line = 1, start = 1, i = 0;
  let fields: string[] = [], field = '', quoted = false, any = false;
  const endField = () => { fields.push(field); field = ''; };
  const endRow = () => {
    endField();
    if (any) rows.push({ line: start, fields });
    fields = []; any = false;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      if (c === '\n') line++;
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; any = true; i++; continue; }
    if (c === ',') { endField(); any = true; i++; continue; }
    if (c === '\r' && s[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { endRow(); line++; start = line; i++; continue; }
    if (c.trim() !== '') any = true;
    field += c; i++;
  }
  if (quoted) throw new ProblemError('a quoted field is never closed', file, start);
  endRow();
  return rows.map((r) => ({ line: r.line, fields: r.fields.map((f) => f.trim()) }));
}

/** A field quoted when it holds a comma, a quote or a line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
