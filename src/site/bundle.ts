/**
 * The site's script, bundled by esbuild when `gradsheet site` runs, from the
 * same tree the command runs from (src/ under tsx or vitest, dist/src/ when
 * installed), so the page always has the engine of the command that wrote it.
 * Two bundles make the one classic script: the engine (browser/worker-main.ts
 * and everything it imports: parser, pipeline, checker, renderer, KaTeX, YAML)
 * becomes a string, `var gradsheetEngine = "..."`, and the page's small part
 * (browser/page-main.ts) follows it and starts a Worker from that string. Both
 * target the browser platform: a Node module anywhere in their import graphs
 * is a build error, not a surprise in a page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import Handlebars from 'handlebars';
import type { TemplateName } from '../render/sheets.js';
import { defaultTemplateDir } from '../input/templates.js';
import { ENGINE_SOURCE } from './page-data.js';

/** The sheets a page renders in the browser; the problem page's sheets are rendered when the site is built. */
export const BROWSER_TEMPLATES: readonly TemplateName[] = ['problem.html', 'solution.html'];

export function siteTemplateDir(): string {
  return join(defaultTemplateDir(), 'site');
}

export interface SiteBundle {
  /** the page's script: the engine's source as a string, then the page's part */
  readonly js: string;
  /** the engine's source (the string the script defines), for tests and measurements */
  readonly engine: string;
  /** bytes in the output per input (node_modules packages and src/ folders), engine and page together */
  readonly inputs: ReadonlyMap<string, number>;
}

/** Files of a bundle entry beside this module: the .ts in src/, the .js in dist/src/. */
function entryFile(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = [`browser/${name}.ts`, `browser/${name}.js`].map((f) => join(here, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`internal error: the site's ${name} is missing beside ${here}`);
  return file;
}

const OPTIONS: BuildOptions = {
  bundle: true, write: false, metafile: true, logLevel: 'silent', platform: 'browser', format: 'iife',
  target: ['es2022'], minify: true, legalComments: 'eof', define: { 'process.env.NODE_ENV': '"production"' },
};

export async function bundleSite(): Promise<SiteBundle> {
  // Templates are precompiled here (the page's Handlebars runtime runs them without eval),
  // with the options of input/templates.ts.
  const specs = BROWSER_TEMPLATES.map((name) => {
    const source = readFileSync(join(siteTemplateDir(), `${name}.hbs`), 'utf8');
    return `${JSON.stringify(name)}: ${Handlebars.precompile(source, { noEscape: true, strict: false })}`;
  });
  const engineEntry = entryFile('worker-main');
  const engine = await build({
    ...OPTIONS,
    stdin: { contents: `import { startEngine } from ${JSON.stringify(engineEntry)};\nstartEngine({\n${specs.join(',\n')}\n});\n`, resolveDir: dirname(engineEntry), sourcefile: 'gradsheet-engine.js', loader: 'js' },
  });
  const pageEntry = entryFile('page-main');
  const page = await build({
    ...OPTIONS,
    stdin: { contents: `import { startPage } from ${JSON.stringify(pageEntry)};\nstartPage();\n`, resolveDir: dirname(pageEntry), sourcefile: 'gradsheet-page.js', loader: 'js' },
  });
  const engineJs = engine.outputFiles![0]!.text;
  const inputs = new Map<string, number>();
  for (const r of [engine, page]) {
    for (const o of Object.values(r.metafile!.outputs)) {
      for (const [path, i] of Object.entries(o.inputs)) {
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
        const key = m ? m[1]! : path.replace(/^.*?\b(src\/[^/]+)\/.*$/, '$1');
        inputs.set(key, (inputs.get(key) ?? 0) + i.bytesInOutput);
      }
    }
  }
  // a string literal the page's parser only scans; the engine is compiled once, in the Worker
  const js = `var ${ENGINE_SOURCE} = ${JSON.stringify(engineJs)};\n${page.outputFiles![0]!.text}`;
  return { js, engine: engineJs, inputs };
}
