/**
 * The engine's script, run in the page's Worker (see bundle.ts): the parser,
 * the pipeline, the checker, the renderer with KaTeX, and the site's sheet
 * templates, precompiled at bundle time (the Handlebars runtime runs them
 * without eval, which the page's Content-Security-Policy forbids).
 */
import Handlebars from 'handlebars/runtime';
import type { SheetTemplates, TemplateName } from '../../render/sheets.js';
import { startWorker } from './worker.js';

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];
export type TemplateSpecs = Partial<Record<TemplateName, TemplateSpecification>>;

export function startEngine(specs: TemplateSpecs): void {
  startWorker(globalThis as unknown as Parameters<typeof startWorker>[0], runtimeTemplates(specs));
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
