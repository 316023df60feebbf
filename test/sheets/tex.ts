/**
 * pdflatex for the sheet-fit test, with the production sheets' flags and
 * environment (src/render/pdf.ts), made about twice as fast: the preamble
 * every sheet shares (tikz and pgfplots take half a second to load) is read
 * once into a format file, and each sheet's body is compiled on that format.
 * A document whose preamble differs (the exam wrapper) gets a format of its
 * own; the body compiled is the sheet's own text from \begin{document} on.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFLATEX_ARGS, PDFLATEX_TIMEOUT_MS, firstErrorOf, texEnv } from '../../src/render/pdf.js';

export type Compiled = { ok: true; pdf: Buffer; log: string } | { ok: false; log: string; firstError: string };

function run(args: readonly string[], dir: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('pdflatex', args, { cwd: dir, timeout: PDFLATEX_TIMEOUT_MS, env: texEnv(dir), stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('latin1'); });
    let done = false;
    const end = (code: number | null): void => { if (!done) { done = true; resolve({ code, stdout }); } };
    child.on('error', () => end(null));
    child.on('close', end);
  });
}

export class SheetCompiler {
  private readonly dir = mkdtempSync(join(tmpdir(), 'gradsheet-fmt-'));
  private readonly formats = new Map<string, Promise<string | null>>();

  /** The format holding this preamble, dumped on first use; null if TeX could not dump it. */
  private format(preamble: string): Promise<string | null> {
    const name = `sheet-${createHash('sha256').update(preamble).digest('hex').slice(0, 12)}`;
    let f = this.formats.get(name);
    if (!f) {
      writeFileSync(join(this.dir, `${name}.tex`), `${preamble}\n\\dump\n`);
      f = run(['-ini', `-jobname=${name}`, '&pdflatex', `${name}.tex`], this.dir).then((r) => (r.code === 0 ? join(this.dir, name) : null));
      this.formats.set(name, f);
    }
    return f;
  }

  async compile(tex: string): Promise<Compiled> {
    const at = tex.indexOf('\\begin{document}');
    const fmt = at > 0 ? await this.format(tex.slice(0, at)) : null;
    const dir = mkdtempSync(join(tmpdir(), 'gradsheet-tex-'));
    try {
      writeFileSync(join(dir, 'sheet.tex'), fmt ? tex.slice(at) : tex);
      const r = await run(fmt ? [`-fmt=${fmt}`, ...PDFLATEX_ARGS] : PDFLATEX_ARGS, dir);
      let log = r.stdout;
      try { log = readFileSync(join(dir, 'sheet.log'), 'latin1'); } catch { /* no log: keep stdout */ }
      if (r.code !== 0) return { ok: false, log, firstError: firstErrorOf(r.stdout) };
      return { ok: true, pdf: readFileSync(join(dir, 'sheet.pdf')), log };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
