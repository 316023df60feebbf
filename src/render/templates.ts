/** Handlebars templates from `templates/` (or a folder given with --template), compiled once. */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The project's own templates folder, found from this module (src/ or dist/src/). */
export function defaultTemplateDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'templates', 'solution.tex.hbs'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new Error('internal error: templates folder not found');
}

import type { SheetData, TemplateName } from './sheets.js';

export type { SheetData, TemplateName } from './sheets.js';

const cache = new Map<string, (d: SheetData) => string>();

export function template(name: TemplateName, dir = defaultTemplateDir()): (d: SheetData) => string {
  const id = `${dir}|${name}`;
  let t = cache.get(id);
  if (!t) {
    // A private Handlebars environment: no logic beyond each/if, no prototype access, strict about missing fields.
    const hb = Handlebars.create();
    const partials = join(dir, 'partials');
    if (existsSync(partials)) {
      for (const f of readdirSync(partials).sort()) {
        if (f.endsWith('.hbs')) hb.registerPartial(f.replace(/\.(tex|html)\.hbs$/, ''), readFileSync(join(partials, f), 'utf8'));
      }
    }
    const compiled = hb.compile(readFileSync(join(dir, `${name}.hbs`), 'utf8'), { noEscape: true, strict: false });
    t = (d: SheetData) => compiled(d);
    cache.set(id, t);
  }
  return t;
}
