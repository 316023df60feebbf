/** Writing outputs: every file goes to a temporary name in its folder, then is renamed, so an interrupted build leaves the previous file intact. */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

let counter = 0;

export function writeAtomic(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${counter++}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** KaTeX's stylesheet and woff2 fonts, once per output folder, so HTML sheets open offline. */
export function copyKatexAssets(outDir: string): string {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('katex/dist/katex.min.css'));
  const target = join(outDir, 'katex');
  if (existsSync(join(target, 'katex.min.css'))) return 'katex/katex.min.css';
  for (const f of readdirSync(join(dist, 'fonts')).filter((f) => f.endsWith('.woff2')).sort()) {
    mkdirSync(join(target, 'fonts'), { recursive: true });
    const tmp = join(target, 'fonts', `${f}.tmp-${process.pid}`);
    copyFileSync(join(dist, 'fonts', f), tmp);
    renameSync(tmp, join(target, 'fonts', f));
  }
  writeAtomic(join(target, 'katex.min.css'), stripNonWoff2(readFileSync(join(dist, 'katex.min.css'), 'utf8')));
  return 'katex/katex.min.css';
}

/** Only the woff2 fonts are copied; drop the woff/ttf fallbacks so the page requests nothing missing. */
function stripNonWoff2(css: string): string {
  return css.replace(/,url\([^)]*\.(woff|ttf)\) format\("(woff|truetype)"\)/g, '');
}
