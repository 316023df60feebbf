/**
 * `npm run bench:site`: the site's figures (issue 18), printed as a table.
 *
 * - the script's size, raw and compressed (gzip -9 and brotli), with its
 *   largest parts, and KaTeX's stylesheet and fonts apart;
 * - time from page load to the first verdict: a fresh tab per round, the
 *   answer typed and checked as soon as the button is enabled (by a script
 *   in the page), measured by the page's own performance marks (navigation
 *   start -> verdict shown), on a small scalar problem and on the largest
 *   shipped sheet (an RNN); driven over a bare DevTools pipe (bench/cdp.ts),
 *   because Playwright's debugger on the Worker slows the engine's start;
 * - time per check in the page: click -> verdict shown, for every one of the
 *   138 checker cases on its problem's page (the first check of a derivative
 *   includes preparing it), median, 90th percentile and maximum.
 *
 * Options: --rounds N (first-verdict rounds per page, default 7)  --json FILE
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { runSite } from '../src/commands/site.js';
import { bundleSite } from '../src/site/bundle.js';
import { RawChromium } from './cdp.js';
import { machine } from './machine.js';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const rounds = Number(opt('rounds') ?? 7);
const REPO = join(import.meta.dirname, '..');

/** When, after navigation start, the page's script ran, the problem was prepared in the Worker, the verdict was shown. */
interface Phase { script: number; prepared: number; verdict: number }

interface Case { id: string; problem: string; of: string; wrt: string; answer: string; latex: boolean }

/** Types the answer and presses Check as soon as the page enables the button (runs in the page). */
const STUDENT = `function (q) {
  function go() {
    var button = document.querySelector('[data-testid=check-button]');
    if (!button || button.disabled) { requestAnimationFrame(go); return; }
    function set(id, v) { var el = document.querySelector('[data-testid=' + id + ']'); el.value = v; el.dispatchEvent(new Event('change')); }
    set('of', q.of);
    set('wrt', q.wrt);
    document.querySelector('[data-testid=latex-toggle]').checked = q.latex;
    document.querySelector('[data-testid=answer]').value = q.answer;
    button.click();
  }
  requestAnimationFrame(go);
}`;

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!; };

async function main(): Promise<void> {
  const m = machine();
  const out = mkdtempSync(join(tmpdir(), 'gradsheet-bench-site-'));
  const site = join(out, 'site');
  const write = process.stdout.write.bind(process.stdout);
  const t0 = performance.now();
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    if (await runSite(['--out', site]) !== 0) throw new Error('gradsheet site failed');
  } finally {
    process.stdout.write = write;
  }
  const buildMs = performance.now() - t0;

  // sizes
  const js = readFileSync(join(site, 'assets', 'gradsheet.js'));
  const gz = gzipSync(js, { level: 9 }).length;
  const br = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const css = readFileSync(join(site, 'katex', 'katex.min.css'));
  const fonts = readdirSync(join(site, 'katex', 'fonts')).reduce((s, f) => s + statSync(join(site, 'katex', 'fonts', f)).size, 0);
  const bundle = await bundleSite();
  const parts = [...bundle.inputs].sort((a, b) => b[1] - a[1]);
  // the engine's script compiled and run by Node's V8 in a fresh context (no page, no Worker start)
  const nodeEval: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    vm.runInContext(bundle.engine, vm.createContext({ postMessage: () => undefined, TextEncoder, performance, console }));
    nodeEval.push(performance.now() - t);
  }
  const pageBytes = (rel: string) => statSync(join(site, rel)).size;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const base = pathToFileURL(site).href;
  const cases = JSON.parse(readFileSync(join(REPO, 'test', 'check', 'check-cases.json'), 'utf8')) as Case[];
  const idOf = (file: string) => /^id:\s*(\S+)/m.exec(readFileSync(join(REPO, file), 'utf8'))![1]!;

  /** Select d of / d wrt (adding the option when the page does not offer that derivative or spelling) and check `answer`. */
  async function check(page: Page, c: Pick<Case, 'of' | 'wrt' | 'answer' | 'latex'>): Promise<void> {
    const pick = (id: string, v: string) => page.$eval(`[data-testid=${id}]`, (el, w) => {
      const s = el as HTMLSelectElement;
      if (![...s.options].some((o) => o.value === w)) s.add(new Option(w, w));
      s.value = w;
      s.dispatchEvent(new Event('change'));
    }, v);
    await pick('of', c.of);
    await pick('wrt', c.wrt);
    await page.setChecked('[data-testid=latex-toggle]', c.latex);
    await page.fill('[data-testid=answer]', c.answer);
    const before = await page.evaluate(() => performance.getEntriesByName('gradsheet:check').length);
    await page.$eval('[data-testid=answer-error]', (el) => el.replaceChildren());
    await page.click('[data-testid=check-button]');
    await page.waitForFunction((n) => performance.getEntriesByName('gradsheet:check').length > n || document.querySelector('[data-testid=answer-error]')!.childNodes.length > 0, before, { timeout: 60_000 })
      .catch((e: unknown) => { throw new Error(`no verdict for ${JSON.stringify(c)}: ${String(e)}`); });
  }

  // first verdict after load
  const firstPages: Array<{ id: string; answer: string; of: string; wrt: string; latex: boolean }> = [
    { id: 'sigmoid-chain-vanish', of: 'o', wrt: 'b1', answer: 'w4 w3 h3 (1-h3) w2 h2 (1-h2) h1 (1-h1)', latex: false },
    { id: 'seed003-elman-rnn', of: 'E', wrt: 'W_y', answer: '(p - l)^\\top h', latex: true },
  ];
  const first: Array<{ id: string; ms: number[]; bytes: number; phases: Phase[] }> = [];
  const raw = RawChromium.launch('/usr/bin/chromium');
  for (const p of firstPages) {
    const ms: number[] = [];
    const phases: Phase[] = [];
    for (let r = 0; r < rounds; r++) {
      // The student inside the page: as soon as the Check button is enabled, the answer is typed and
      // checked by a script injected before the page loads, so no automation round trip is timed.
      const page = await raw.page(`(${STUDENT})(${JSON.stringify(p)})`);
      await page.goto(`${base}/problems/${p.id}.html`);
      const t0 = Date.now();
      let marks: Phase & { text: string } | null = null;
      while (!marks && Date.now() - t0 < 60_000) {
        await new Promise((res) => setTimeout(res, 20));
        marks = await page.evaluate<Phase & { text: string } | null>(`(() => {
          const at = (k) => performance.getEntriesByName(k)[0]?.startTime ?? NaN;
          const v = document.querySelector('[data-testid=verdict]');
          return Number.isFinite(at('gradsheet:verdict')) ? { script: at('gradsheet:script'), prepared: at('gradsheet:prepared'), verdict: at('gradsheet:verdict'), text: v.textContent } : null;
        })()`).catch(() => null);
      }
      if (!marks || !marks.text.startsWith('equivalent')) throw new Error(`${p.id}: no verdict 'equivalent' (${marks?.text})`);
      phases.push(marks);
      ms.push(marks.verdict);
      await page.close();
    }
    first.push({ id: p.id, ms, bytes: pageBytes(`problems/${p.id}.html`), phases });
  }
  await raw.close();

  // time per check: every case on its problem's page
  const perCheck: number[] = [];
  const byProblem = new Map<string, Case[]>();
  for (const c of cases) byProblem.set(c.problem, [...(byProblem.get(c.problem) ?? []), c]);
  for (const [file, list] of byProblem) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => { throw new Error(`${file}: ${String(e)}`); });
    await page.goto(`${base}/problems/${idOf(file)}.html`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid=check-button]:not([disabled])');
    for (const c of list) await check(page, c);
    perCheck.push(...await page.evaluate(() => performance.getEntriesByName('gradsheet:check').map((e) => e.duration)));
    await page.close();
  }
  await browser.close();
  rmSync(out, { recursive: true, force: true });

  const lines = [
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; Chromium ${browser.version()}; load ${m.load.join(' ')} at start; commit ${m.commit}; ${m.date}`,
    '',
    '| figure | value | target |',
    '| --- | --- | --- |',
    `| script assets/gradsheet.js, raw | ${kb(js.length)} | |`,
    `| script, gzip -9 | **${kb(gz)}** | < 1.5 MB compressed |`,
    `| script, brotli 11 | ${kb(br)} | |`,
    `| KaTeX apart: katex.min.css, woff2 fonts | ${kb(css.length)}, ${kb(fonts)} | |`,
    ...first.map((f) => `| page load -> first verdict, ${f.id} (${kb(f.bytes)} page), median of ${f.ms.length} (min-max) | **${median(f.ms).toFixed(0)} ms** (${Math.min(...f.ms).toFixed(0)}-${Math.max(...f.ms).toFixed(0)}) | < 1 s |`),
    ...first.map((f) => {
      const m = (k: keyof Phase) => median(f.phases.map((p) => p[k])).toFixed(0);
      return `| ... ${f.id}, medians in ms after navigation start: the page's script runs ${m('script')}, the Worker has compiled the engine and prepared the problem ${m('prepared')}, verdict ${m('verdict')} | | |`;
    }),
    `| time per check in the page, ${perCheck.length} checks (138 cases; answers the checker refuses have no verdict) | median **${median(perCheck).toFixed(1)} ms**, p90 ${pct(perCheck, 0.9).toFixed(1)} ms, max ${Math.max(...perCheck).toFixed(0)} ms | median < 50 ms |`,
    `| the engine's script compiled and run in Node (a fresh vm context), first and median of 5 | ${nodeEval[0]!.toFixed(0)} ms, ${median(nodeEval).toFixed(0)} ms | |`,
    `| gradsheet site on problems/ (26 problems, in-process, bundle included) | ${(buildMs / 1000).toFixed(2)} s | |`,
    '',
    'largest parts of the script (bytes in the minified output):',
    ...parts.slice(0, 10).map(([k, v]) => `  ${k.padEnd(16)} ${kb(v)}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const json = opt('json');
  if (json) writeFileSync(json, JSON.stringify({ machine: m, js: js.length, gzip: gz, brotli: br, katexCss: css.length, katexFonts: fonts, first, perCheck, buildMs, parts, nodeEval }, null, 2) + '\n');
}

await main();
