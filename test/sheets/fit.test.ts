/**
 * The proof on every sheet (issue 17): every shipped problem's problem and
 * solution sheet, one variant of every exam, and the stress problems of
 * ./stress.ts are rendered, compiled by pdflatex (two at a time) and opened in
 * one headless Chromium (Debian's, through playwright-core). A sheet fails on
 * an overfull line wider than 1 pt, on TeX source showing in the PDF's text,
 * on an HTML element wider than the page outside a scroll box, on a console
 * error or failed request (the page must open offline), on a figure of no
 * size, or on a blank PDF page. This replaces test/render/browser.test.ts,
 * which built and opened the same sheets for the last three.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { copyKatexAssets } from '../../src/render/write.js';
import { sheetSources, type Sheet } from './corpus.js';
import { SheetCompiler } from './tex.js';
import { CLIPPING, HTML_SLACK_PX, measureOverflow, overfullBoxes, pool, rawTexLines } from './fit.js';

const CHROMIUM = '/usr/bin/chromium';
/** Wide enough for the sheet's 52rem column; the page is the body's content box. */
const VIEWPORT = { width: 1000, height: 800 };
const TEX_WORKERS = 2;

interface Compiled { readonly sheet: Sheet; readonly problems: string[] }

/** GRADSHEET_FIT_ONLY=stress (a part of the names) checks only those sources, while working on them. */
const only = process.env.GRADSHEET_FIT_ONLY;
const sources = sheetSources().filter((s) => !only || s.name.includes(only));
const tex = new SheetCompiler();
const out = mkdtempSync(join(tmpdir(), 'gradsheet-fit-'));
const compiled = new Map<string, Compiled[] | Error>();
let browser: Browser | undefined;
/** One page for every sheet: a new page per sheet costs more than the sheet's own check. */
let page: Page | undefined;

/** The TeX side of one sheet: compile, read the log, the text and the pages. */
async function texProblems(sheet: Sheet): Promise<string[]> {
  const r = await tex.compile(sheet.tex);
  if (!r.ok) return [`pdflatex failed: ${r.firstError}`];
  const problems = overfullBoxes(r.log).map((o) => `overfull line: ${o}`);
  const pdf = join(out, `${sheet.path}.pdf`);
  writeFileSync(pdf, r.pdf);
  const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  if (text.status !== 0) problems.push(`pdftotext failed: ${text.stderr}`);
  problems.push(...rawTexLines(text.stdout).map((l) => `raw TeX in the PDF text: ${l}`));
  problems.push(...blankPages(pdf));
  return problems;
}

/** pdftoppm renders grey pages; a page with no pixel darker than 200 is blank. */
function blankPages(pdf: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'gradsheet-fit-png-'));
  try {
    const r = spawnSync('pdftoppm', ['-r', '20', '-gray', pdf, join(dir, 'p')]);
    if (r.status !== 0) return ['pdftoppm failed'];
    return readdirSync(dir).sort().flatMap((p) => {
      const pgm = readFileSync(join(dir, p));
      const header = pgm.subarray(0, 20).toString('latin1').split(/\s+/);
      const pixels = pgm.subarray(pgm.length - Number(header[1]) * Number(header[2]));
      return pixels.some((v) => v < 200) ? [] : [`blank PDF page ${p}`];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The HTML side: console errors, failed requests, figures of no size, elements wider than the page. */
/** What the page reported while the current sheet was open (console errors, failed requests). */
const pageEvents: string[] = [];

async function htmlProblems(sheet: Sheet): Promise<string[]> {
  pageEvents.length = 0;
  const problems: string[] = [];
  await page!.goto(pathToFileURL(join(out, `${sheet.path}.html`)).href, { waitUntil: 'load' });
  const sizes = await page!.$$eval('svg.figure', (els) => els.map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }));
  if (sizes.some(([w, h]) => !(w! > 0 && h! > 0))) problems.push('a figure has no size');
  const o = await page!.evaluate(measureOverflow, [HTML_SLACK_PX, CLIPPING] as [number, string]);
  if (o.pageOverflow > HTML_SLACK_PX) problems.push(`the page scrolls sideways by ${o.pageOverflow}px`);
  problems.push(...o.elements.map((e) => `wider than the page: ${e}`));
  return [...pageEvents, ...problems];
}

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: bash .ci/install-deps installs it`).toBe(true);
  copyKatexAssets(out);
  const sheets: Array<{ source: string; sheet: Sheet }> = [];
  for (const s of sources) {
    try {
      for (const sheet of s.render()) {
        mkdirSync(dirname(join(out, sheet.path)), { recursive: true });
        writeFileSync(join(out, `${sheet.path}.tex`), sheet.tex);
        writeFileSync(join(out, `${sheet.path}.html`), sheet.html);
        sheets.push({ source: s.name, sheet });
      }
    } catch (e) {
      compiled.set(s.name, e as Error);
    }
  }
  const [texResults] = await Promise.all([
    pool(sheets.map((x) => () => texProblems(x.sheet)), TEX_WORKERS),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }).then(async (b) => {
      browser = b;
      page = await b.newPage({ viewport: VIEWPORT });
      page.on('console', (m) => { if (m.type() === 'error') pageEvents.push(`console error: ${m.text()}`); });
      page.on('pageerror', (e) => pageEvents.push(`page error: ${String(e)}`));
      page.on('requestfailed', (r) => pageEvents.push(`failed request ${r.url()}`));
    }),
  ]);
  sheets.forEach((x, i) => {
    const list = compiled.get(x.source);
    const entry = { sheet: x.sheet, problems: texResults[i]! };
    if (list instanceof Error) return;
    compiled.set(x.source, [...(list ?? []), entry]);
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  tex.dispose();
  rmSync(out, { recursive: true, force: true });
});

describe('every sheet fits the page, in the PDF and in the browser', () => {
  it('covers every problem file, every exam and the stress set', () => {
    if (only !== undefined) { expect(sources.length, `GRADSHEET_FIT_ONLY=${only} matches no source`).toBeGreaterThan(0); return; }
    expect(sources.filter((s) => s.name.startsWith('problems/')).length).toBe(readdirSync('problems').filter((f) => f.endsWith('.yaml')).length);
    expect(sources.some((s) => s.name.startsWith('exams/'))).toBe(true);
    expect(sources.filter((s) => s.name.startsWith('stress ')).length).toBeGreaterThanOrEqual(4);
  });

  it('draws the network of a chain in both formats', () => {
    const chains = [...compiled.values()].flatMap((c) => (c instanceof Error ? [] : c)).filter((c) => /sigmoid-chain-(explode|vanish)\/(problem|solution)$/.test(c.sheet.path));
    if (only === undefined) expect(chains.length).toBe(4);
    for (const { sheet } of chains) {
      expect(sheet.html, sheet.name).toContain('<svg');
      expect(sheet.tex, sheet.name).toContain('\\begin{tikzpicture}');
    }
  });

  it.each(sources.map((s) => s.name))('%s', async (name) => {
    const c = compiled.get(name);
    if (c instanceof Error) throw c;
    expect(c?.length, `${name} rendered no sheet`).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { sheet, problems: tex } of c!) {
      const html = await htmlProblems(sheet);
      problems.push(...[...tex, ...html].map((p) => `${sheet.name}: ${p}`));
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
