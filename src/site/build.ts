/**
 * A whole site in memory: relative path -> contents. Problems are solved and
 * their sheets rendered here (with templates/site/), the script is bundled,
 * and nothing is written: `gradsheet site` writes only when all of it exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Solution } from '../derive/solve.js';
import { renderTextSheets } from '../render/sheets.js';
import { template } from '../render/templates.js';
import { bundleSite, siteTemplateDir, type SiteBundle } from './bundle.js';
import { indexPage, playgroundPage, problemHref, problemPage, type SiteProblem } from './pages.js';
import type { ProblemSource } from './protocol.js';

export interface SiteFiles {
  readonly files: ReadonlyMap<string, string>;
  readonly bundle: SiteBundle;
}

export async function buildSite(problems: ReadonlyArray<{ source: ProblemSource; sol: Solution }>): Promise<SiteFiles> {
  const dir = siteTemplateDir();
  const site: SiteProblem[] = problems.map(({ source, sol }) => {
    const { sheets } = renderTextSheets(sol, { formats: ['html'] }, (name) => template(name, dir));
    const html = (which: 'problem' | 'solution') => sheets.find((s) => s.which === which)!.texts.get('html')!;
    return { source, sol, problemHtml: html('problem'), solutionHtml: html('solution') };
  });
  const bundle = await bundleSite();
  const files = new Map<string, string>();
  files.set('index.html', indexPage(site));
  files.set('playground.html', playgroundPage(site));
  for (const p of site) files.set(problemHref(p.sol.problem.id), problemPage(p, site));
  files.set('assets/gradsheet.js', bundle.js);
  files.set('assets/site.css', readFileSync(join(dir, 'site.css'), 'utf8'));
  return { files, bundle };
}
