// `gradsheet site` on problems/, opened from disk (file://) in Debian's Chromium: every page opens with
// no console error, no failed request and no request outside the site, and nothing is wider than the
// page; right and wrong answers give the CLI's verdict and diagnosis; a derivation shows its first wrong
// line; the playground re-renders a changed number, keeps the last good sheet on an error and shows a
// variant; hostile answers and problem text are shown as text and run nothing. One browser for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from '../helpers/oracles.js';
import { caseArgs, CHECK_CASES, cliCheck, problemText, type CheckCase } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const out = mkdtempSync(join(tmpdir(), 'gradsheet-site-'));
const site = join(out, 'site');
let browser: Browser;

beforeAll(async () => {
  const r = spawnSync(process.execPath, ['bin/gradsheet.js', 'site', '--out', site], { cwd: REPO, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: bash .ci/install-deps installs it`).toBe(true);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

interface Watched { page: Page; problems: string[] }

/** A page that records console errors, page errors, dialogs, failed requests and any request outside the site. */
async function open(rel: string, viewport = { width: 1280, height: 900 }): Promise<Watched> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  const base = pathToFileURL(site).href + '/';
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on('requestfailed', (r) => problems.push(`failed request ${r.url()} (${r.failure()?.errorText})`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('blob:')) problems.push(`request outside the site: ${r.url()}`); });
  await page.goto(base + rel, { waitUntil: 'load' });
  return { page, problems };
}

/** Nothing wider than the page: the document does not scroll sideways. */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

const idOf = (c: CheckCase): string => /^id:\s*(\S+)/m.exec(problemText(c))![1]!;

async function check(page: Page, c: { of: string; wrt: string; answer: string; latex: boolean }, derivation = false): Promise<void> {
  await page.selectOption('[data-testid=of]', c.of);
  const offered = await page.$$eval('[data-testid=wrt] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(offered, `${c.wrt} is offered`).toContain(c.wrt);
  await page.selectOption('[data-testid=wrt]', c.wrt);
  await page.setChecked('[data-testid=latex-toggle]', c.latex);
  await page.setChecked('[data-testid=derivation-toggle]', derivation);
  await page.fill('[data-testid=answer]', c.answer);
  // clear the previous verdict so the wait below sees this check's
  await page.$eval('[data-testid=verdict]', (el) => { el.textContent = ''; });
  await page.$eval('[data-testid=answer-error]', (el) => { el.textContent = ''; });
  await page.click('[data-testid=check-button]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=verdict]')!.textContent ?? '') !== '' || (document.querySelector('[data-testid=answer-error]')!.textContent ?? '') !== '', null, { timeout: 90_000 }); // generous: on a loaded machine a sub-second check once took over 30 s
}

const text = (page: Page, id: string): Promise<string> => page.$eval(`[data-testid=${id}]`, (el) => (el as HTMLElement).innerText.trim());

describe('gradsheet site in Chromium, from file://', () => {
  it('every page opens cleanly and nothing is wider than the page (with the solution open)', async () => {
    const pages = ['index.html', 'playground.html', ...readdirSync(join(site, 'problems')).sort().map((f) => `problems/${f}`)];
    expect(pages.length).toBe(2 + readdirSync(join(REPO, 'problems')).filter((f) => f.endsWith('.yaml')).length);
    // one tab for every page (a tab per page costs more than the page); the watcher's list is per page
    const { page, problems } = await open('index.html');
    for (const rel of pages) {
      problems.length = 0;
      await page.goto(pathToFileURL(join(site, rel)).href, { waitUntil: 'load' });
      if (rel === 'playground.html') await page.waitForFunction(() => document.querySelector('[data-testid=sheet]')!.childElementCount > 0, null, { timeout: 90_000 }); // generous: on a loaded machine a sub-second check once took over 30 s
      if (rel.startsWith('problems/')) {
        expect(await page.isVisible('[data-testid=solution-sheet]'), rel).toBe(false); // hidden until asked for
        await page.click('[data-testid=solution-toggle] summary');
        await page.waitForSelector('[data-testid=solution-sheet] h1', { state: 'visible' });
        expect(await page.textContent('[data-testid=solution-sheet] .subtitle'), rel).toContain('Solution');
      }
      expect(await overflow(page), rel).toBeLessThanOrEqual(0);
      expect(problems, rel).toEqual([]);
    }
    await page.close();
    // a phone-sized window: the columns stack and still nothing is wider than the page
    for (const rel of ['problems/seed003-elman-rnn.html', 'problems/seed001-cnn-5-conv-maxpool.html', 'playground.html']) {
      expect(existsSync(join(site, rel)), rel).toBe(true);
      const { page, problems } = await open(rel, { width: 390, height: 800 });
      await page.waitForTimeout(300);
      expect(await overflow(page), `${rel} at 390 px`).toBeLessThanOrEqual(0);
      expect(problems, rel).toEqual([]);
      await page.close();
    }
  }, 180_000);

  it('gives the CLI\'s verdict and diagnosis for right and wrong answers, plain and LaTeX, scalar and tensor', async () => {
    const ids = ['chain-b1-sigma-of-z', 'chain-b1-dropped-sigmaprime', 'conv2d-K-transposed', 'elman-Wy-sign', 'shared-w-missing-direct', 'logistic-w1-cancelled', 'rnn1-ws-delta-latex-literal'];
    const cases = ids.map((id) => CHECK_CASES.find((c) => c.id === id)!);
    let equivalent = 0, wrong = 0, refused = 0;
    for (const c of cases) {
      const { page, problems } = await open(`problems/${idOf(c)}.html`);
      await check(page, c);
      const cli = cliCheck(caseArgs(c, false));
      const lines = cli.stdout.trimEnd().split('\n');
      if (cli.status === 2) {
        refused++;
        expect(await text(page, 'verdict'), c.id).toBe('');
        expect(await text(page, 'answer-error'), c.id).toContain(cli.stderr.split('\n')[0]!.replace(/^gradsheet: --answer:(\d+): /, 'answer line $1: '));
      } else {
        const v = await text(page, 'verdict');
        expect(v, c.id).toMatch(/^(equivalent|not equivalent)/);
        expect(v, c.id).toBe(lines.find((l) => /^(not )?equivalent \(/.test(l)));
        if (cli.status === 0) equivalent++;
        else {
          wrong++;
          // the diagnosis line and the counterexample, as the CLI prints them
          const diag = await text(page, 'diagnosis');
          expect(diag, c.id).toContain(lines.find((l) => l.startsWith('  diagnosis: '))!.trim());
        }
        const entries = await page.$$eval('[data-testid=entries] tbody tr', (rs) => rs.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
        const cliEntries = lines.filter((l) => /^ {2}\S+\[[\d,]+\]: /.test(l));
        expect(entries.length, c.id).toBe(cliEntries.length);
      }
      expect(problems, c.id).toEqual([]);
      await page.close();
    }
    expect({ equivalent, wrong, refused }).toEqual({ equivalent: 3, wrong: 4, refused: 0 });
  }, 120_000);

  it('a pasted derivation shows the first line that does not follow, as the CLI does', async () => {
    const c = CHECK_CASES.find((x) => x.id === 'chain-b1-sigma-of-z')!;
    const steps = 'do/db1 = do/dh3 * dh3/dh2 * dh2/dh1 * dh1/db1\n= w4 h3 (1-h3) w3 h2 (1-h2) w2 h1 (1-h1)\n= w4 h3 (1-h3) w3 h2 w2 h1 (1-h1)';
    const { page, problems } = await open(`problems/${idOf(c)}.html`);
    await check(page, { ...c, answer: steps, latex: false }, true);
    const file = join(out, 'steps.txt');
    writeFileSync(file, steps + '\n');
    const cli = cliCheck([join(REPO, c.problem), '--of', c.of, '--wrt', c.wrt, '--derivation', file]);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('the first line that does not follow is line 3');
    const diag = await text(page, 'diagnosis');
    for (const l of cli.stdout.trimEnd().split('\n').filter((x) => /^line \d|first line/.test(x))) expect(diag).toContain(l);
    expect(await text(page, 'verdict')).toBe(cli.stdout.split('\n').find((l) => l.startsWith('not equivalent')));
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('shows hostile answers as text and runs nothing from them', async () => {
    const c = CHECK_CASES.find((x) => x.id === 'chain-b1-sigma-of-z')!;
    const { page, problems } = await open(`problems/${idOf(c)}.html`);
    const hostile: Array<[string, boolean]> = [
      ['<img src=x onerror="window.__pwned=1">', false], ['<img src=x onerror="window.__pwned=1">', true],
      ['<script>window.__pwned=1</script>', true], ['\\href{javascript:window.__pwned=1}{w_4}', true],
      ['\\url{file:///etc/passwd}', true], ['\\def\\a{\\a\\a}\\a', true], ['\\input{/etc/passwd}', true],
      ['\\htmlClass{x}{w_4}\\includegraphics{x.png}', true],
    ];
    for (const [answer, latex] of hostile) {
      await check(page, { of: c.of, wrt: c.wrt, answer, latex });
      const shown = (await text(page, 'verdict')) + (await text(page, 'answer-error'));
      expect(shown.length, answer).toBeGreaterThan(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), answer).toBeUndefined();
      expect(await page.$$eval('img, script:not([src]):not([type="application/json"]), iframe, object, a[href^="javascript"]', (els) => els.length), answer).toBe(0);
    }
    // the refusals of the preview: these are shown as text, not typeset
    await page.fill('[data-testid=answer]', '\\def\\a{\\a\\a}\\a');
    await page.setChecked('[data-testid=latex-toggle]', true);
    await page.waitForFunction(() => (document.querySelector('[data-testid=preview]')!.textContent ?? '').includes('\\def'));
    expect(await page.$eval('[data-testid=preview]', (el) => el.classList.contains('as-text'))).toBe(true);
    expect(await text(page, 'preview')).toContain('\\def\\a{\\a\\a}\\a');
    expect(problems).toEqual([]);
    // and were something injected, the page's Content-Security-Policy refuses every request it could make
    const tried = await page.evaluate(async () => {
      const f = await fetch('https://example.com/').then(() => 'fetched', () => 'blocked');
      const x = await new Promise<string>((res) => { const i = new Image(); i.onload = () => res('loaded'); i.onerror = () => res('blocked'); i.src = 'https://example.com/x.png'; });
      return [f, x];
    });
    expect(tried).toEqual(['blocked', 'blocked']);
    // the image is announced as a request and then refused before it leaves the browser ('csp')
    const refused = problems.flatMap((p) => /^failed request (\S+) \(csp\)$/.exec(p)?.[1] ?? []);
    expect(refused).toEqual(['https://example.com/x.png']);
    expect(problems.filter((p) => !/Content Security Policy/.test(p) && !refused.some((u) => p.includes(u)))).toEqual([]);
    await page.close();
  }, 60_000);

  it('the playground re-renders a changed number, keeps the last good sheet on an error, and shows a variant', async () => {
    const { page, problems } = await open('playground.html');
    const sheet = () => text(page, 'sheet');
    await page.selectOption('[data-testid=problem-select]', 'own-logistic-neuron');
    await page.waitForFunction(() => /own-logistic-neuron/.test(document.querySelector('[data-testid=sheet]')!.textContent ?? ''), null, { timeout: 90_000 }); // generous: on a loaded machine a sub-second check once took over 30 s
    // p = sigmoid(w1 x1 + w2 x2 + b) with x = (2, -1), w2 = 0.4, b = -0.1: 0.5250 at w1 = 0.3, 0.6225 at w1 = 0.5
    // (python3: 1/(1+exp(-0.1)) = 0.524979, 1/(1+exp(-0.5)) = 0.622459)
    expect(await sheet()).toContain('0.5250');
    expect(await sheet()).not.toContain('0.6225');
    const yaml = await page.inputValue('[data-testid=problem-editor]');
    await page.fill('[data-testid=problem-editor]', yaml.replace(/^ {2}w1: 0\.3$/m, '  w1: 0.5'));
    await page.waitForFunction(() => (document.querySelector('[data-testid=sheet]')!.textContent ?? '').includes('0.6225'), null, { timeout: 90_000 }); // generous: on a loaded machine a sub-second check once took over 30 s

    // a mistake: the error names the line and key, and the last good sheet stays (marked out of date)
    await page.fill('[data-testid=problem-editor]', yaml.replace(/^ {2}w1: 0\.3$/m, '  w1: abc'));
    await page.waitForSelector('[data-testid=error]:not([hidden])', { timeout: 30_000 });
    const line = yaml.split('\n').findIndex((l) => l === '  w1: 0.3') + 1;
    expect(await text(page, 'error')).toMatch(new RegExp(`own-logistic-neuron\\.yaml:${line}: given\\.w1: `));
    expect(await sheet()).toContain('0.6225');
    expect(await page.$eval('[data-testid=sheet]', (el) => el.classList.contains('stale'))).toBe(true);
    // a YAML syntax error also keeps the sheet; the right file again clears the error
    await page.fill('[data-testid=problem-editor]', yaml.replace(/^ {2}w1: 0\.3$/m, '  w1: [oops'));
    await page.waitForFunction((l) => (document.querySelector('[data-testid=error]')!.textContent ?? '').includes(`yaml:${l}`), line, { timeout: 30_000 });
    expect(await sheet()).toContain('0.6225');
    await page.fill('[data-testid=problem-editor]', yaml);
    await page.waitForSelector('[data-testid=error][hidden]', { state: 'attached', timeout: 30_000 });
    expect(await sheet()).toContain('0.5250');

    // the variant picker: variant 2 of seed 7, as `gradsheet variants --seed 7` draws it
    await page.selectOption('[data-testid=problem-select]', 'variants-sigmoid-chain');
    await page.waitForFunction(() => /variants-sigmoid-chain/.test(document.querySelector('[data-testid=sheet]')!.textContent ?? ''), null, { timeout: 90_000 }); // generous: on a loaded machine a sub-second check once took over 30 s
    await page.fill('[data-testid=variant-seed]', '7');
    await page.fill('[data-testid=variant-number]', '2');
    await page.waitForFunction(() => /variant 2, seed 7-2/.test(document.querySelector('[data-testid=sheet]')!.textContent ?? ''), null, { timeout: 90_000 }); // generous: on a loaded machine a sub-second check once took over 30 s
    const r = spawnSync(process.execPath, ['bin/gradsheet.js', 'variants', 'problems/variants-sigmoid-chain.yaml', '--count', '2', '--seed', '7', '--json'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const v2 = (JSON.parse(r.stdout) as Array<{ given: Record<string, number> }>)[1]!;
    const shown = (await sheet()).replace(/\u2212/g, '-');
    for (const name of ['w1', 'w2', 'b1']) expect(shown, name).toContain(String(v2.given[name]));
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('the playground shows hostile problem text as text', async () => {
    const { page, problems } = await open('playground.html');
    await page.selectOption('[data-testid=problem-select]', 'own-logistic-neuron');
    await page.waitForFunction(() => /own-logistic-neuron/.test(document.querySelector('[data-testid=sheet]')!.textContent ?? ''), null, { timeout: 90_000 }); // generous: on a loaded machine a sub-second check once took over 30 s
    const yaml = await page.inputValue('[data-testid=problem-editor]');
    const evil = yaml
      .replace(/^title: .*$/m, 'title: "<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>"')
      .replace(/^statement: >-$/m, 'statement: >-\n  $\\href{javascript:window.__pwned=3}{x}$ and $\\def\\a{\\a\\a}\\a$ and $\\input{/etc/passwd}$ <iframe src="https://example.com"></iframe>');
    await page.fill('[data-testid=problem-editor]', evil);
    await page.waitForFunction(() => (document.querySelector('[data-testid=sheet]')!.textContent ?? '').includes('<img src=x'), null, { timeout: 90_000 }); // generous: on a loaded machine a sub-second check once took over 30 s
    const s = await text(page, 'sheet');
    expect(s).toContain('<script>window.__pwned=2</script>');
    expect(await page.$$eval('[data-testid=sheet] :is(img, script, iframe, a[href^="javascript"])', (els) => els.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
