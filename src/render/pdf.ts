/**
 * PDF from a real TeX engine: pdflatex in a private temporary folder, with no
 * shell escape, file access limited to that folder, a timeout, and the date
 * fixed so the same input gives the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PDFLATEX_TIMEOUT_MS = 60_000;
export const TEX_INSTALL_HINT = 'apt-get install -y texlive-latex-base texlive-latex-recommended lmodern';

let available: boolean | undefined;

export function hasPdflatex(): boolean {
  if (available === undefined) available = spawnSync('pdflatex', ['--version'], { stdio: 'ignore' }).status === 0;
  return available;
}

export type PdfResult = { ok: true; pdf: Buffer } | { ok: false; log: string };

/** pdflatex's arguments for `sheet.tex` in its own folder (the sheet-fit test compiles with the same). */
export const PDFLATEX_ARGS: readonly string[] = ['-no-shell-escape', '-halt-on-error', '-interaction=nonstopmode', 'sheet.tex'];

/** The locked-down environment of every run: fixed date, no reads or writes outside the folder, no shell escape. */
export function texEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SOURCE_DATE_EPOCH: '0', FORCE_SOURCE_DATE: '1',
    openin_any: 'p', openout_any: 'p', shell_escape: 'f',
    TEXMFOUTPUT: dir,
  };
}

export const firstErrorOf = (stdout: string): string => stdout.split('\n').find((l) => l.startsWith('!')) ?? 'pdflatex failed';

export function compilePdf(tex: string): PdfResult {
  const dir = mkdtempSync(join(tmpdir(), 'gradsheet-tex-'));
  try {
    writeFileSync(join(dir, 'sheet.tex'), tex);
    const r = spawnSync('pdflatex', [...PDFLATEX_ARGS], { cwd: dir, timeout: PDFLATEX_TIMEOUT_MS, encoding: 'utf8', env: texEnv(dir), input: '' });
    if (r.status !== 0) return { ok: false, log: firstErrorOf((r.stdout ?? '') + (r.error ? String(r.error) : '')) };
    return { ok: true, pdf: readFileSync(join(dir, 'sheet.pdf')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
