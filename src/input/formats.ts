/**
 * The one reader of `--format` (build, variants, exam): a comma-separated list
 * of output formats. An empty list or an unknown name is an input error, so
 * `--format ,` cannot silently write nothing useful.
 */
import { ProblemError } from '../errors.js';

export type Format = 'tex' | 'html' | 'pdf';
export const FORMATS: readonly Format[] = ['tex', 'html', 'pdf'];

/** What `--format` asks for: sheet formats, and `qti` for the LMS packages (quiz-qti.zip, quiz-canvas.zip) where allowed. */
export interface OutputFormats { readonly sheets: Format[]; readonly qti: boolean }

export function parseOutputFormats(s: string, allowQti = true): OutputFormats {
  const list = s.split(',').map((x) => x.trim()).filter(Boolean);
  const known = allowQti ? [...FORMATS, 'qti'] : [...FORMATS];
  for (const f of list) if (!known.includes(f)) throw new ProblemError(`--format: unknown format '${f}' (expected ${known.join(', ')})`);
  if (!list.length) throw new ProblemError(`--format lists no format (expected some of ${known.join(', ')})`);
  return { sheets: list.filter((f): f is Format => f !== 'qti'), qti: list.includes('qti') };
}
