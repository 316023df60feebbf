/**
 * The site's script: src/site/browser/main.ts and everything it imports
 * (parser, engine, checker, renderer, KaTeX, YAML), bundled by esbuild into
 * one classic script when `gradsheet site` runs, from the same tree the
 * command runs from (src/ under tsx or vitest, dist/src/ when installed), so
 * the page always has the engine of the command that wrote it. The bundle
 * targets the browser platform: a Node module anywhere in its import graph
 * is a build error, not a surprise in a page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import type { TemplateName } from '../render/sheets.js';
import { defaultTemplateDir } from '../render/templates.js';
import { WRAPPER } from './page-data.js';

/** The sheets a page renders in the browser; the problem page's sheets are rendered when the site is built. */
export const BROWSER_TEMPLATES: readonly TemplateName[] = ['problem.html', 'solution.html'];

export function siteTemplateDir(): string {
  return join(defaultTemplateDir(), 'site');
}

export interface SiteBundle {
  readonly js: string;
  /** bytes in the output per input file (node_modules packages and src/ folders, for the benchmark) */
  readonly inputs: ReadonlyMap<string, number>;
}

export async function bundleSite(): Promise<SiteBundle> {
  const here = dirname(fileURLToPath(import.meta.url));
  const entry = ['browser/main.ts', 'browser/main.js'].map((f) => join(here, f)).find((f) => existsSync(f));
  if (!entry) throw new Error(`internal error: the site's script is missing beside ${here}`);
  // Templates are precompiled here (the page's Handlebars runtime runs them without eval),
  // with the options of render/templates.ts.
  const specs = BROWSER_TEMPLATES.map((name) => {
    const source = readFileSync(join(siteTemplateDir(), `${name}.hbs`), 'utf8');
    return `${JSON.stringify(name)}: ${Handlebars.precompile(source, { noEscape: true, strict: false })}`;
  });
  const contents = `import { startSite } from ${JSON.stringify(entry)};\nstartSite({\n${specs.join(',\n')}\n});\n`;
  const r = await build({
    stdin: { contents, resolveDir: here, sourcefile: 'gradsheet-site-entry.js', loader: 'js' },
    bundle: true, write: false, metafile: true, logLevel: 'silent',
    platform: 'browser', format: 'iife', target: ['es2022'], minify: true, legalComments: 'eof',
    define: { 'process.env.NODE_ENV': '"production"' },
    // the whole script is one function, so the page can start a Worker from the function's own source
    banner: { js: `var ${WRAPPER} = function () {` },
    footer: { js: `};\n${WRAPPER}();` },
  });
  const out = r.outputFiles[0]!;
  const inputs = new Map<string, number>();
  for (const o of Object.values(r.metafile.outputs)) {
    for (const [path, i] of Object.entries(o.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? m[1]! : path.replace(/^.*?\b(src\/[^/]+)\/.*$/, '$1');
      inputs.set(key, (inputs.get(key) ?? 0) + i.bytesInOutput);
    }
  }
  return { js: out.text, inputs };
}
