// Every HTML sheet opens in headless Chromium (Debian's, via playwright-core) with no console
// errors and no failed requests, and every figure has a non-zero size; every PDF page has ink.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const out = mkdtempSync(join(tmpdir(), 'gradsheet-browser-'));
const haveChromium = existsSync(CHROMIUM);
let browser: Browser | undefined;

beforeAll(async () => {
  const r = spawnSync(process.execPath, ['bin/gradsheet.js', 'build', '--out', out, '--format', 'html,pdf'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  if (haveChromium) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  rmSync(out, { recursive: true, force: true });
});

const ids = () => readdirSync(out).filter((d) => existsSync(join(out, d, 'solution.html'))).sort();

describe('HTML sheets in Chromium', () => {
  it('open offline without console errors; figures have size', async () => {
    expect(haveChromium, `${CHROMIUM} is missing: bash .ci/install-deps installs it`).toBe(true);
    expect(ids().length).toBeGreaterThan(0);
    for (const id of ids()) {
      for (const sheet of ['problem.html', 'solution.html']) {
        const page = await browser!.newPage();
        const errors: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('requestfailed', (r) => errors.push(`failed request ${r.url()}`));
        await page.goto(pathToFileURL(join(out, id, sheet)).href, { waitUntil: 'load' });
        const sizes = await page.$$eval('svg.figure', (els) => els.map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }));
        for (const [w, h] of sizes) { expect(w, `${id}/${sheet}`).toBeGreaterThan(0); expect(h).toBeGreaterThan(0); }
        expect(errors, `${id}/${sheet}`).toEqual([]);
        await page.close();
      }
    }
  }, 300_000);

  it('every sheet of a network kind with a diagram has its figure in both formats', () => {
    for (const id of ['sigmoid-chain-explode', 'sigmoid-chain-vanish']) {
      expect(readFileSync(join(out, id, 'problem.html'), 'utf8')).toContain('<svg');
      expect(readFileSync(join(out, id, 'solution.html'), 'utf8')).toContain('<svg');
    }
  });
});

describe('PDF pages', () => {
  it('no page is blank', () => {
    for (const id of ids()) {
      for (const pdf of ['problem.pdf', 'solution.pdf']) {
        const file = join(out, id, pdf);
        expect(existsSync(file), file).toBe(true);
        // pdftoppm renders grey pages; a blank page is all white (255).
        const dir = mkdtempSync(join(tmpdir(), 'gradsheet-png-'));
        const r = spawnSync('pdftoppm', ['-r', '20', '-gray', file, join(dir, 'p')]);
        expect(r.status).toBe(0);
        const pages = readdirSync(dir).sort();
        expect(pages.length).toBeGreaterThan(0);
        for (const p of pages) {
          const pgm = readFileSync(join(dir, p));
          const header = pgm.subarray(0, 20).toString('latin1').split(/\s+/);
          const pixels = pgm.subarray(pgm.length - Number(header[1]) * Number(header[2]));
          expect(pixels.some((v) => v < 200), `${id}/${pdf} ${p}`).toBe(true);
        }
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
