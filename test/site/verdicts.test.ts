// The page's verdict equals the command line's on every one of the checker's 138 cases: the site's
// script (the bytes a page loads) hands its engine to a vm context standing for the Worker, which answers each case;
// `gradsheet check --json` and `gradsheet check` answer the same case in-process. JSON, text and exit
// status must agree exactly; an answer the CLI cannot read (exit 2) must be refused by the page with the
// same message, line and column. Whether each verdict is the one decided independently (SymPy) in the
// case is the checker's own test (test/check/), not the page's: the page must only say what the CLI says.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { bundleSite } from '../../src/site/bundle.js';
import type { EngineRequest, EngineResult } from '../../src/site/protocol.js';
import { REPO } from '../helpers/oracles.js';
import { caseArgs, CHECK_CASES, cliCheck, problemText, workerFromScript } from './helpers.js';

let engine: (r: EngineRequest) => EngineResult;

beforeAll(async () => {
  engine = workerFromScript((await bundleSite()).js);
}, 60_000);

describe('the page engine against gradsheet check', () => {
  it('has the 138 vendored cases', () => {
    expect(CHECK_CASES).toHaveLength(138);
  });

  it('gives the CLI\'s JSON, text and verdict on every case', () => {
    const outcomes = { checked: 0, refused: 0 };
    for (const c of CHECK_CASES) {
      const page = engine({
        kind: 'check', problem: { file: join(REPO, c.problem), text: problemText(c) }, of: c.of, wrt: c.wrt,
        answer: c.answer, latex: c.latex, derivation: false,
      });
      const json = cliCheck(caseArgs(c, true));
      const text = cliCheck(caseArgs(c, false));
      if (json.status === 2) {
        outcomes.refused++;
        expect(page.kind, c.id).toBe('input-error');
        if (page.kind !== 'input-error') continue;
        const e = page.error;
        expect(text.stderr, c.id).toBe(`gradsheet: --answer:${e.line}: ${e.message}\n${e.excerpt!.replace(/^/gm, '  ')}\n`);
        continue;
      }
      outcomes.checked++;
      expect(page.kind, `${c.id}: ${JSON.stringify(page)}`).toBe('checked');
      if (page.kind !== 'checked') continue;
      expect(page.json, c.id).toEqual(JSON.parse(json.stdout));
      expect(page.text + '\n', c.id).toBe(text.stdout);
      expect(json.status, c.id).toBe(page.json.equivalent ? 0 : 1);
    }
    // most cases are read by today's checker; the rest are refused identically by both
    expect(outcomes.checked + outcomes.refused).toBe(138);
    expect(outcomes.checked).toBeGreaterThan(100);
  }, 120_000);

  it('reports an unreadable answer as the CLI does (same message, line and column)', () => {
    const c = CHECK_CASES[0]!;
    const bad = { ...c, answer: 'w4 * (h3 +' };
    const page = engine({ kind: 'check', problem: { file: join(REPO, c.problem), text: problemText(c) }, of: c.of, wrt: c.wrt, answer: bad.answer, latex: false, derivation: false });
    const cli = cliCheck(caseArgs(bad, false));
    expect(cli.status).toBe(2);
    expect(page.kind).toBe('input-error');
    if (page.kind !== 'input-error') return;
    expect(cli.stderr).toBe(`gradsheet: --answer:${page.error.line}: ${page.error.message}\n${page.error.excerpt!.replace(/^/gm, '  ')}\n`);
  });
});
