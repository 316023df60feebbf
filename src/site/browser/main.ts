/**
 * The site's one script (bundled by src/site/bundle.ts as a classic script,
 * wrapped in the function `gradsheetSite`). In a page it starts the page's
 * controls and a Worker made from its own source through a Blob URL: Chromium
 * refuses module scripts and worker files under file://, and a Blob needs no
 * request. In that Worker (no `document`) it is the engine.
 */
import Handlebars from 'handlebars/runtime';
import type { SheetTemplates, TemplateName } from '../../render/sheets.js';
import { DATA_ID, WRAPPER, type PageData } from '../page-data.js';
import { EngineClient, type WorkerLike } from './client.js';
import { startPlayground } from './playground.js';
import { startProblemPage } from './problem-page.js';
import { startWorker } from './worker.js';

/** Precompiled Handlebars templates of the site's sheets (templates/site/), generated at bundle time. */
export type TemplateSpecs = Partial<Record<TemplateName, TemplateSpecification>>;
type TemplateSpecification = Parameters<typeof Handlebars.template>[0];


export function startSite(specs: TemplateSpecs): void {
  if (typeof document === 'undefined') {
    startWorker(globalThis as unknown as Parameters<typeof startWorker>[0], runtimeTemplates(specs));
    return;
  }
  performance.mark('gradsheet:script');
  // The script runs from the head: start the engine now, and the page's controls once they are parsed.
  const block = document.getElementById(DATA_ID);
  if (!block?.textContent) return; // the index page has no engine
  const data = JSON.parse(block.textContent) as PageData;
  const client = new EngineClient(spawnWorker, data.capMs);
  client.warm();
  if (data.page === 'problem') {
    const d = data.derivatives[0];
    if (d?.wrt[0]) void client.request({ kind: 'prepare', problem: data.problem, of: d.of, wrt: d.wrt[0] }, 'prepare');
  }
  const run = () => startPage(data, client);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
}

function runtimeTemplates(specs: TemplateSpecs): SheetTemplates {
  const hb = Handlebars.create();
  const compiled = new Map<TemplateName, (d: object) => string>();
  return (name) => {
    let t = compiled.get(name);
    if (!t) {
      const spec = specs[name];
      if (!spec) throw new Error(`internal error: the site has no template ${name}`);
      t = hb.template(spec) as (d: object) => string;
      compiled.set(name, t);
    }
    return t;
  };
}

function startPage(data: PageData, client: EngineClient): void {
  switch (data.page) {
    case 'problem':
      startProblemPage(client, data.problem, data.derivatives, data.solutionHtml);
      return;
    case 'playground':
      startPlayground(client, data.problems);
      return;
  }
}

/** A Worker running this same script: the wrapper function's own source, through a Blob URL. */
function spawnWorker(): WorkerLike {
  const wrapper = (globalThis as unknown as Record<string, unknown>)[WRAPPER];
  if (typeof wrapper !== 'function') throw new Error(`internal error: ${WRAPPER} is not defined`);
  const source = `var ${WRAPPER} = ${wrapper.toString()};\n${WRAPPER}();\n`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: 'gradsheet-engine' });
  // the worker has read its script once it answers; the URL is not needed after the start
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return worker as unknown as WorkerLike;
}
