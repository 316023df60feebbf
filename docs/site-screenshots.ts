/**
 * The README's pictures of the site: `npx tsx docs/site-screenshots.ts` builds
 * the site from problems/ into a temporary folder, opens it from disk in
 * Debian's Chromium and writes docs/site-{index,problem,playground}.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runSite } from '../src/commands/site.js';

const docs = import.meta.dirname;
const out = mkdtempSync(join(tmpdir(), 'gradsheet-shots-'));
const site = join(out, 'site');
if (await runSite(['--out', site]) !== 0) throw new Error('gradsheet site failed');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
const url = (rel: string) => pathToFileURL(join(site, rel)).href;
const katexReady = () => page.evaluate(() => document.fonts.ready.then(() => true));

await page.goto(url('index.html'));
await katexReady();
await page.screenshot({ path: join(docs, 'site-index.png') });

// a problem page with a wrong answer checked: the verdict, the diagnosis and the counterexample
await page.goto(url('problems/sigmoid-chain-vanish.html'));
await page.selectOption('[data-testid=wrt]', 'b1');
await page.fill('[data-testid=answer]', 'w4 w3 h3 (1-h3) w2 h2 h1 (1-h1)');
await page.click('[data-testid=check-button]');
await page.waitForSelector('[data-testid=verdict]:not(:empty)');
await katexReady();
await page.screenshot({ path: join(docs, 'site-problem.png') });

// the playground with a tensor problem: the editor, the re-rendered sheet
await page.goto(url('playground.html'));
await page.selectOption('[data-testid=problem-select]', 'seed000-q1-xor-corrected');
await page.waitForFunction(() => /seed000-q1-xor-corrected/.test(document.querySelector('[data-testid=sheet]')!.textContent ?? ''));
await katexReady();
await page.screenshot({ path: join(docs, 'site-playground.png') });

await browser.close();
rmSync(out, { recursive: true, force: true });
