/**
 * The one reader of Handlebars templates (sheets, variants and exams) and of
 * `--template DIR`. A template or partial found in DIR replaces the project's
 * own (`templates/`); what DIR lacks comes from `templates/`, so an
 * institution may override only a wrapper or a partial. Partials of a TeX
 * template are the `partials/*.tex.hbs` files, of an HTML template the
 * `*.html.hbs` ones, each registered under its stem (`preamble`, `head`).
 *
 * A template is the user's input when it comes from --template: every mistake
 * in it (no such folder, a folder with none of the templates, a syntax error,
 * a partial or helper that does not exist, an #if without its argument) is a
 * ProblemError naming the file and, where Handlebars knows it, the line. The
 * commands read their templates up front (`readTemplateOption`), before
 * anything is solved or written, so a broken template leaves no partial output.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ProblemError } from '../errors.js';

/** The project's own templates folder, found from this module (src/input/ or dist/src/input/). */
export function defaultTemplateDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'templates', 'solution.tex.hbs'))) return join(dir, 'templates');
    dir = dirname(dir);
  }
  throw new Error('internal error: templates folder not found');
}

/** A compiled template: its data in, the text out. */
export type Compiled<T> = (data: T) => string;

/** Handlebars' built-in helpers and how many arguments each takes (`#if` without one fails only when run). */
const BUILTIN_ARITY: Readonly<Record<string, number | undefined>> = { if: 1, unless: 1, with: 1, each: 1, lookup: 2, log: undefined };

const cache = new Map<string, Compiled<never>>();

/**
 * `--template DIR` of a command that renders `names` (`['problem.tex', ...]`):
 * undefined when not given, else DIR resolved, after every template the
 * command reads (from DIR or its fallback) has been compiled and checked.
 */
export function readTemplateOption(value: string | undefined, names: readonly string[]): string | undefined {
  if (value === undefined) {
    for (const n of names) compileTemplate(n);
    return undefined;
  }
  if (!existsSync(value)) throw new ProblemError(`--template: no such folder '${value}'`);
  if (!statSync(value).isDirectory()) throw new ProblemError(`--template: '${value}' is a file, not a folder of templates`);
  const dir = resolve(value);
  const own = names.filter((n) => existsSync(join(dir, `${n}.hbs`)));
  const partials = partialFiles(join(dir, 'partials'), '.tex.hbs').length + partialFiles(join(dir, 'partials'), '.html.hbs').length;
  if (names.length && !own.length && !partials) {
    // an empty or wrong folder would otherwise render the project's templates without a word
    throw new ProblemError(`--template: '${value}' holds none of the templates this command reads (${names.map((n) => `${n}.hbs`).join(', ')}, partials/*.tex.hbs, partials/*.html.hbs)`);
  }
  for (const n of names) compileTemplate(n, dir);
  return dir;
}

/**
 * The template `name` (its file name without `.hbs`: `solution.tex`,
 * `exam-body.html`) from `dir` (else templates/), with its partials, compiled
 * once. Errors in it are ProblemErrors naming its file; so are errors while it
 * runs (a helper given a value it cannot take).
 */
export function compileTemplate<T>(name: string, dir?: string): Compiled<T> {
  const id = `${dir ?? ''}|${name}`;
  const hit = cache.get(id);
  if (hit) return hit as Compiled<T>;
  const fallback = defaultTemplateDir();
  const file = [dir, fallback].filter((d): d is string => d !== undefined).map((d) => join(d, `${name}.hbs`)).find((f) => existsSync(f));
  if (file === undefined) throw new Error(`internal error: no template ${name}.hbs in ${fallback}`);
  // A private Handlebars environment: no logic beyond each/if, no prototype access.
  const hb = Handlebars.create();
  const ext = name.endsWith('.tex') ? '.tex.hbs' : '.html.hbs';
  const partials = new Map<string, string>(); // stem -> file; DIR's replace the project's
  for (const base of [fallback, dir]) {
    if (base === undefined) continue;
    for (const f of partialFiles(join(base, 'partials'), ext)) partials.set(f.slice(0, -ext.length), join(base, 'partials', f));
  }
  for (const [stem, f] of partials) {
    const text = readTemplateFile(f);
    checkTemplate(text, f, partials, ext);
    hb.registerPartial(stem, text);
  }
  const text = readTemplateFile(file);
  checkTemplate(text, file, partials, ext);
  const compiled = hb.compile(text, { noEscape: true, strict: false });
  const t: Compiled<T> = (d) => {
    try {
      return compiled(d);
    } catch (e) {
      throw new ProblemError(`template: ${firstLine(e)}`, file);
    }
  };
  cache.set(id, t as Compiled<never>);
  return t;
}

function partialFiles(folder: string, ext: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder).filter((f) => f.endsWith(ext)).sort();
}

function readTemplateFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProblemError(`cannot read the template (${(e as NodeJS.ErrnoException).code ?? firstLine(e)})`, file);
  }
}

/**
 * Parse `text` now, so a syntax error names its file and line before anything
 * is rendered, and find the mistakes Handlebars reports only when a template
 * runs: a partial that does not exist, a built-in helper with the wrong number
 * of arguments, an unknown helper called with arguments.
 */
function checkTemplate(text: string, file: string, partials: ReadonlyMap<string, string>, ext: string): void {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /^Parse error on line (\d+):\n[^\n]*\n[^\n]*\n(.*)$/s.exec(msg);
    if (m) throw new ProblemError(`template syntax error: ${describeExpected(m[2]!)}`, file, Number(m[1]));
    const line = /line (\d+)/.exec(msg);
    throw new ProblemError(`template syntax error: ${firstLine(e)}`, file, line ? Number(line[1]) : undefined);
  }
  const fail = (message: string, node: hbs.AST.Node): never => {
    throw new ProblemError(message, file, node.loc?.start.line);
  };
  const visit = (node: hbs.AST.Node | null | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of (node as hbs.AST.Program).body) visit(s);
        return;
      case 'PartialStatement': case 'PartialBlockStatement': {
        const p = node as hbs.AST.PartialStatement;
        const name = p.name.type === 'PathExpression' ? (p.name as hbs.AST.PathExpression).original : null;
        if (name !== null && !partials.has(name)) fail(`template: no partial '${name}' (no partials/${name}${ext} in the template folder or in templates/; known: ${[...partials.keys()].join(', ') || 'none'})`, node);
        if (node.type === 'PartialBlockStatement') visit((node as hbs.AST.PartialBlockStatement).program);
        return;
      }
      case 'BlockStatement': case 'MustacheStatement': case 'SubExpression': {
        const s = node as hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;
        const name = s.path.type === 'PathExpression' ? (s.path as hbs.AST.PathExpression).original : null;
        const args = s.params.length;
        if (name !== null && Object.hasOwn(BUILTIN_ARITY, name)) {
          const want = BUILTIN_ARITY[name];
          if (want !== undefined && args !== want) fail(`template: {{${node.type === 'BlockStatement' ? '#' : ''}${name}}} takes ${want === 1 ? 'one argument' : `${want} arguments`}, got ${args}`, node);
        } else if (name !== null && (args > 0 || (s.hash?.pairs.length ?? 0) > 0)) {
          fail(`template: unknown helper '${name}' (templates hold no logic beyond each, if, unless, with, lookup)`, node);
        }
        for (const p of s.params) visit(p);
        for (const p of s.hash?.pairs ?? []) visit(p.value);
        if (node.type === 'BlockStatement') {
          visit((node as hbs.AST.BlockStatement).program);
          visit((node as hbs.AST.BlockStatement).inverse);
        }
        return;
      }
      default:
        return;
    }
  };
  visit(ast);
}

/** "Expecting 'OPEN_ENDBLOCK', ..., got 'EOF'" in words a template author knows. */
function describeExpected(s: string): string {
  const got = /got '([A-Z_]+)'/.exec(s)?.[1];
  if (got === 'EOF' && /OPEN_ENDBLOCK/.test(s)) return 'a block ({{#if}}, {{#each}}, ...) is not closed before the end of the file';
  if (got === 'OPEN_ENDBLOCK') return 'a closing {{/...}} without its opening block';
  return s.replace(/\s+/g, ' ').trim();
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
