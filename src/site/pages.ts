/**
 * The site's pages as HTML text: an index, one page per problem (its sheet,
 * its solution hidden, the checker) and the playground. Every string from a
 * problem file enters as escaped text, inside the renderer's sheets (which
 * escape it themselves) or as JSON in a data block that is never run. The
 * data and the script come first, in the head: the engine's Worker starts
 * and prepares the problem while the browser is still parsing the sheet.
 */
import type { Solution } from '../derive/solve.js';
import { escapeHtml } from '../tex/format.js';
import { DATA_ID, scriptJson, type Derivative, type PageData } from './page-data.js';
import type { ProblemSource } from './protocol.js';

/** A derivation or check running longer than this in the page is stopped (its Worker is ended). */
export const TIME_CAP_MS = 10_000;
/** Elements of one tensor offered in the `wrt` list, beside the whole tensor. */
const MAX_ELEMENTS = 64;

/**
 * No requests beyond the site's own files: scripts, styles and fonts from the site itself (file:// or
 * the host), the engine's Worker from a blob: URL, and nothing else (no fetch, no images, no forms).
 * Inline style attributes are KaTeX's and the figures'; inline scripts and event handlers are refused.
 */
export const CSP = [
  "default-src 'none'", "script-src 'self'", 'worker-src blob:', "style-src 'self' 'unsafe-inline'", "font-src 'self'",
  "img-src 'none'", "connect-src 'none'", "media-src 'none'", "object-src 'none'", "frame-src 'none'",
  "manifest-src 'none'", "form-action 'none'", "base-uri 'none'",
].join('; ');

export interface SiteProblem {
  readonly source: ProblemSource;
  readonly sol: Solution;
  /** the problem and solution sheets (HTML fragments from templates/site/) */
  readonly problemHtml: string;
  readonly solutionHtml: string;
}

const page = (o: { title: string; root: string; body: string; data?: PageData }): string => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
${o.data ? `<script type="application/json" id="${DATA_ID}">${scriptJson(o.data)}</script>\n<script src="${o.root}assets/gradsheet.js"></script>\n` : ''}<link rel="stylesheet" href="${o.root}katex/katex.min.css">
<link rel="stylesheet" href="${o.root}assets/site.css">
</head>
<body>
${o.body}
</body>
</html>
`;

const nav = (root: string, extra = ''): string =>
  `<header class="site"><a href="${root}index.html">Problems</a><a href="${root}playground.html">Playground</a>${extra}</header>`;

export const problemHref = (id: string): string => `problems/${id}.html`;

export function indexPage(problems: readonly SiteProblem[]): string {
  const items = problems.map((p) => {
    const spec = p.sol.problem;
    return `<li><a href="${problemHref(spec.id)}">${escapeHtml(spec.title)}</a> <span class="id">${escapeHtml(spec.id)} &middot; ${escapeHtml(spec.network.kind)}</span></li>`;
  });
  return page({
    title: 'gradsheet problems', root: '',
    body: `${nav('')}
<main>
<h1>Problems</h1>
<p>Each page has the problem sheet and a checker: pick a derivative, type your answer (plain text or LaTeX) or a whole derivation, and see whether it is right and, if not, the likely mistake. Everything runs in this page; nothing is sent anywhere. The <a href="playground.html">playground</a> re-renders a problem's solution sheet as you edit its file.</p>
<ul class="problems">
${items.join('\n')}
</ul>
</main>`,
  });
}

export function problemPage(p: SiteProblem, all: readonly SiteProblem[]): string {
  const id = p.sol.problem.id;
  const derivatives = derivativesOf(p.sol);
  const first = derivatives[0];
  const options = (xs: readonly string[]) => xs.map((x) => `<option value="${escapeHtml(x)}">${escapeHtml(x)}</option>`).join('');
  const picker = `<label>Problem <select data-testid="problem-select">${all.map((q) => {
    const qid = q.sol.problem.id;
    return `<option value="${escapeHtml(qid)}"${qid === id ? ' selected' : ''}>${escapeHtml(q.sol.problem.title)}</option>`;
  }).join('')}</select></label>`;
  const checker = first
    ? `<p class="controls">
<label>d <select data-testid="of" aria-label="of">${options(derivatives.map((d) => d.of))}</select></label>
<label>/ d <select data-testid="wrt" aria-label="with respect to">${options(first.wrt)}</select></label>
</p>
<p class="controls">
<label><input type="checkbox" data-testid="latex-toggle"> LaTeX</label>
<label><input type="checkbox" data-testid="derivation-toggle"> a whole derivation, one step per line</label>
</p>
<textarea data-testid="answer" rows="3" spellcheck="false" autocomplete="off" aria-label="answer" placeholder="e.g. (o - z)*o*(1 - o)*x1, or with LaTeX: \\sigma'(u)\\,w_{11}"></textarea>
<div class="note">Preview (as typed; the checker reads it when you press Check):</div>
<div class="preview" data-testid="preview" aria-live="polite"></div>
<button type="button" data-testid="check-button" disabled>Check</button> <span class="note" data-testid="check-status"></span>
<div class="verdict" data-testid="verdict" role="status" aria-live="polite"></div>
<div class="diagnosis" data-testid="diagnosis"></div>
<div class="answer-error" data-testid="answer-error" role="alert"></div>
<div class="entries" data-testid="entries"></div>`
    : '<p>This problem asks for no derivative with respect to an input or a parameter, so there is nothing to check here.</p>';
  return page({
    title: p.sol.problem.title, root: '../',
    data: { page: 'problem', capMs: TIME_CAP_MS, problem: p.source, derivatives, solutionHtml: p.solutionHtml },
    body: `${nav('../', picker)}
<main class="problem-page">
<div class="columns">
<div class="sheet" data-testid="problem-sheet">
${p.problemHtml}
<div class="solution-box">
<p class="note">The solution is in this page for anyone who looks: it is for practice, not for graded work.</p>
<details data-testid="solution-toggle"><summary>Show the solution</summary>
<div data-testid="solution-sheet"></div>
</details>
</div>
</div>
<section class="checker panel" aria-label="Check an answer">
<h2>Check an answer</h2>
${checker}
</section>
</div>
</main>`,
  });
}

export function playgroundPage(all: readonly SiteProblem[]): string {
  const problems = all.map((p) => ({ id: p.sol.problem.id, title: p.sol.problem.title, source: p.source, hasVariants: p.sol.problem.variants !== undefined }));
  const options = problems.map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.title)}</option>`).join('');
  return page({
    title: 'gradsheet playground', root: '', data: { page: 'playground', capMs: TIME_CAP_MS, problems },
    body: `${nav('')}
<main class="playground">
<h1>Playground</h1>
<p class="note">Edit a problem file: its solution sheet is rendered again as you type, in this page. A mistake shows its line and key; the last good sheet stays until the file is right again.</p>
<div class="columns">
<div class="editor panel">
<p><label>Start from <select data-testid="problem-select">${options}</select></label></p>
<textarea data-testid="problem-editor" spellcheck="false" autocomplete="off" aria-label="problem file (YAML)"></textarea>
<p><label>Variant seed <input data-testid="variant-seed" size="8" value="1" aria-label="variant seed"></label>
<label>number <input data-testid="variant-number" type="number" min="0" max="1000000" value="0" aria-label="variant number"></label>
</p>
<p class="note">Number 0 is the problem as written; for a problem with a <code>variants</code> section, number k is variant k of <code>gradsheet variants --seed</code>.</p>
<div class="error" data-testid="error" role="alert" hidden></div>
</div>
<div class="panel-sheet">
<div class="note" data-testid="sheet-status"></div>
<div class="sheet" data-testid="sheet"></div>
</div>
</div>
</main>`,
  });
}

/**
 * The derivatives a problem asks for, with respect to inputs and parameters (the checker's `--wrt`):
 * each `of` with its whole tensors, then their elements.
 */
export function derivativesOf(sol: Solution): Derivative[] {
  const byOf = new Map<string, string[]>();
  for (const g of sol.gradients) {
    if (!g.asked || g.entries.length === 0 || !g.entries.every((e) => sol.leaves.has(e.key))) continue;
    const list = byOf.get(g.of) ?? [];
    if (!byOf.has(g.of)) byOf.set(g.of, list);
    const add = (w: string) => { if (!list.includes(w)) list.push(w); };
    add(g.wrt);
    if (g.shape.length > 0 && g.entries.length <= MAX_ELEMENTS) for (const e of g.entries) add(e.key);
  }
  return [...byOf].map(([of, wrt]) => ({ of, wrt }));
}
