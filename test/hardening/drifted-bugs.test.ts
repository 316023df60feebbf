/**
 * Issue 15: mistakes that slipped past the readers, run as a user runs them
 * (`node bin/gradsheet.js ...`). Each is exit 2 with one line naming the file,
 * line and key (or the option), nothing on stdout, no stack trace, and no
 * output written: the --out folder does not exist afterwards.
 *   - a tolerance outside its range (variants, exam, check --tolerance);
 *   - a broken --template DIR (build, variants, exam);
 *   - --format with no format in it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliMany, type CliResult } from '../helpers/cli.js';
import { REPO } from '../helpers/oracles.js';

const work = mkdtempSync(join(tmpdir(), 'gradsheet-drifted-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Every run goes through the CLI's own `main` (test/hardening/driver.ts: one Node start-up
 * for all of them; an uncaught exception is status 'crash' with its stack on stderr); a few
 * also go through `node bin/gradsheet.js` itself (the last describe block).
 */
const planned: string[][] = [];
let results: Array<{ status: number | 'crash'; stdout: string; stderr: string }> = [];
/** Plan a run now; its result, once the driver has run them all. */
function run(args: string[]): () => CliResult {
  const i = planned.push(args) - 1;
  return () => {
    const r = results[i]!;
    return { status: r.status === 'crash' ? 1 : r.status, stdout: r.stdout, stderr: r.stderr };
  };
}
beforeAll(() => {
  writeFileSync(join(work, 'runs.json'), JSON.stringify(planned));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'hardening', 'driver.ts'), join(work, 'runs.json'), join(work, 'results.json')],
    { cwd: REPO, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`the driver died (status ${r.status}, signal ${r.signal}): ${r.stderr.slice(-2000)}`);
  results = JSON.parse(readFileSync(join(work, 'results.json'), 'utf8')) as typeof results;
}, 300_000);

const CHAIN = join(REPO, 'problems', 'variants-sigmoid-chain.yaml');
const chainText = readFileSync(CHAIN, 'utf8');
const TOLERANCE_LINE = /^ {2}tolerance: \{relative: 1e-3\}$/m;
const toleranceLine = chainText.split('\n').findIndex((l) => TOLERANCE_LINE.test(l)) + 1;

/** A user's mistake as the command line shows it. */
function expectUserError(r: CliResult, message: RegExp, out: string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(r.stdout).toBe('');
  expect(existsSync(out), `${out} was written`).toBe(false);
}

let outs = 0;
const freshOut = (): string => join(work, `out-${++outs}`);

describe('tolerances: one reader, relative in (0, 1), absolute above 0', () => {
  it('the problem file keeps its tolerance where the cases replace it', () => {
    expect(toleranceLine).toBeGreaterThan(0);
  });

  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['{relative: 5}', 'relative', /a relative tolerance must be below 1 .*got 5$/m],
    ['{relative: 1}', 'relative', /a relative tolerance must be below 1 .*got 1$/m],
    ['5', '', /a relative tolerance must be below 1 .*got 5$/m],
    ['{relative: 0}', 'relative', /a tolerance must be positive, got 0$/m],
    ['{relative: -1e-3}', 'relative', /a tolerance must be positive, got -0\.001$/m],
    ['{absolute: 0}', 'absolute', /a tolerance must be positive, got 0$/m],
    ['{absolute: -0.5}', 'absolute', /a tolerance must be positive, got -0\.5$/m],
    ['{absolute: .inf}', 'absolute', /expected a finite number, got Infinity$/m],
    ['{relative: .nan}', 'relative', /expected a finite number, got NaN$/m],
  ];
  for (const [value, sub, message] of cases) {
    const file = join(work, `tol-${sub || 'bare'}-${value.replace(/[^a-z0-9]/gi, '')}.yaml`);
    writeFileSync(file, chainText.replace(TOLERANCE_LINE, `  tolerance: ${value}`));
    const out = freshOut();
    const result = run(['variants', file, '--count', '2', '--seed', '1', '--out', out]);
    it(`variants: {tolerance: ${value}} is refused at its file, line and key`, () => {
      const key = sub ? `variants.tolerance.${sub}` : 'variants.tolerance';
      expectUserError(result(), new RegExp(`^gradsheet: ${escape(file)}:${toleranceLine}: ${escape(key)}: ${message.source.replace(/\$$/, '')}`, 'm'), out);
    });
  }

  const fine = ['{absolute: 0.01}', '{relative: 0.5}'].map((value, i) => {
    const file = join(work, `tol-ok-${i}.yaml`);
    writeFileSync(file, chainText.replace(TOLERANCE_LINE, `  tolerance: ${value}`));
    return run(['variants', file, '--count', '1', '--seed', '1', '--json']);
  });
  it('a tolerance that is in range still works: absolute 0.01 and relative 0.5', () => {
    for (const r of fine) expect(r().status, r().stderr).toBe(0);
  });

  const exam = (extra: string, item: string) => [
    'id: tolquiz', 'title: Quiz', 'variants: {count: 1, seed: 3}', extra, 'items:', `  - {problem: ${CHAIN}, points: 4${item}}`, '',
  ].join('\n');
  const top = join(work, 'exam-top.yaml'), item = join(work, 'exam-item.yaml');
  writeFileSync(top, exam('tolerance: {relative: 5}', ''));
  writeFileSync(item, exam('', ', tolerance: {absolute: 0}'));
  const [o1, o2] = [freshOut(), freshOut()];
  const r1 = run(['exam', top, '--format', 'tex', '--out', o1]), r2 = run(['exam', item, '--format', 'tex', '--out', o2]);
  it("an exam's tolerance goes through the same reader (exam level and item level)", () => {
    expectUserError(r1(), new RegExp(`^gradsheet: ${escape(top)}:4: tolerance\\.relative: a relative tolerance must be below 1`), o1);
    expectUserError(r2(), new RegExp(`^gradsheet: ${escape(item)}:6: items\\[0\\]\\.tolerance\\.absolute: a tolerance must be positive, got 0`), o2);
  });

  const checks = ['5', '0', 'Infinity'].map((v) => [v, run(['check', CHAIN, '--of', 'o', '--wrt', 'w1', '--answer', '1', '--tolerance', v])] as const);
  it('check --tolerance takes a relative tolerance in (0, 1)', () => {
    for (const [v, r] of checks) {
      expectUserError(r(), new RegExp(`^gradsheet: --tolerance takes a relative tolerance, a number between 0 and 1 \\(exclusive\\), got '${v}'$`, 'm'), join(work, 'never'));
    }
  });
});

describe('--template DIR: every mistake is an input error naming the template file', () => {
  const tpl = (name: string, files: Readonly<Record<string, string>>): string => {
    const dir = join(work, 'tpl', name);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const missing = join(work, 'tpl', 'no-such-folder');
  const aFile = join(work, 'tpl-a-file.hbs');
  writeFileSync(aFile, 'not a folder\n');
  const empty = tpl('empty', {});
  const unclosed = tpl('unclosed', { 'solution.tex.hbs': 'line 1\n{{#if title}}\nnever closed\n', 'exam-body.tex.hbs': 'a\n{{#each questions}}\n' });
  const closing = tpl('closing', { 'problem.html.hbs': 'a\nb\n{{/if}}\n', 'exam.html.hbs': '{{/each}}\n' });
  const ifNoArg = tpl('if-no-arg', { 'problem.tex.hbs': 'a\n{{#if}}x{{/if}}\n', 'exam.tex.hbs': '\n\n{{#unless}}x{{/unless}}\n' });
  const noPartial = tpl('no-partial', { 'solution.html.hbs': '{{> footer}}\n', 'exam.html.hbs': '{{> footer}}\n' });
  const badPartial = tpl('bad-partial', { 'partials/preamble.tex.hbs': '\\documentclass{article}\n{{#if x}}\n' });
  const helper = tpl('helper', { 'solution.tex.hbs': '{{uppercase title}}\n', 'exam-body.tex.hbs': '{{uppercase title}}\n' });

  // [what, dir, --format, message for build and variants, message for exam]
  const cases: ReadonlyArray<readonly [string, string, string, RegExp, RegExp]> = [
    ['a folder that does not exist', missing, 'tex', /^gradsheet: --template: no such folder '.*no-such-folder'$/m, /^gradsheet: --template: no such folder/m],
    ['a file, not a folder', aFile, 'tex', /^gradsheet: --template: '.*tpl-a-file\.hbs' is a file, not a folder of templates$/m, /is a file, not a folder of templates$/m],
    ['a folder with none of the templates', empty, 'tex', /^gradsheet: --template: '.*empty' holds none of the templates this command reads \(problem\.tex\.hbs, solution\.tex\.hbs,/m,
      /holds none of the templates this command reads \(exam\.tex\.hbs, exam-body\.tex\.hbs,/m],
    ['an unclosed {{#if}}', unclosed, 'tex', new RegExp(`^gradsheet: ${escape(join(unclosed, 'solution.tex.hbs'))}:4: template syntax error: a block .* is not closed before the end of the file$`, 'm'),
      new RegExp(`^gradsheet: ${escape(join(unclosed, 'exam-body.tex.hbs'))}:3: template syntax error: a block .* is not closed`, 'm')],
    ['a {{/if}} without its block', closing, 'html', new RegExp(`^gradsheet: ${escape(join(closing, 'problem.html.hbs'))}:3: template syntax error: a closing \\{\\{/\\.\\.\\.\\}\\} without its opening block$`, 'm'),
      new RegExp(`^gradsheet: ${escape(join(closing, 'exam.html.hbs'))}:1: template syntax error: a closing`, 'm')],
    ['an {{#if}} without its argument', ifNoArg, 'tex', new RegExp(`^gradsheet: ${escape(join(ifNoArg, 'problem.tex.hbs'))}:2: template: \\{\\{#if\\}\\} takes one argument, got 0$`, 'm'),
      new RegExp(`^gradsheet: ${escape(join(ifNoArg, 'exam.tex.hbs'))}:3: template: \\{\\{#unless\\}\\} takes one argument, got 0$`, 'm')],
    ['a partial that does not exist', noPartial, 'html', new RegExp(`^gradsheet: ${escape(join(noPartial, 'solution.html.hbs'))}:1: template: no partial 'footer' \\(no partials/footer\\.html\\.hbs`, 'm'),
      new RegExp(`^gradsheet: ${escape(join(noPartial, 'exam.html.hbs'))}:1: template: no partial 'footer'`, 'm')],
    ['a partial with a syntax error', badPartial, 'tex', new RegExp(`^gradsheet: ${escape(join(badPartial, 'partials', 'preamble.tex.hbs'))}:3: template syntax error`, 'm'),
      new RegExp(`^gradsheet: ${escape(join(badPartial, 'partials', 'preamble.tex.hbs'))}:3: template syntax error`, 'm')],
    ['a helper that does not exist', helper, 'tex', new RegExp(`^gradsheet: ${escape(join(helper, 'solution.tex.hbs'))}:1: template: unknown helper 'uppercase'`, 'm'),
      new RegExp(`^gradsheet: ${escape(join(helper, 'exam-body.tex.hbs'))}:1: template: unknown helper 'uppercase'`, 'm')],
  ];
  const quiz = join(work, 'tpl-quiz.yaml');
  writeFileSync(quiz, ['id: tplquiz', 'title: Quiz', 'variants: {count: 1, seed: 3}', 'items:', `  - {problem: ${CHAIN}, points: 4}`, ''].join('\n'));

  for (const [what, dir, format, sheetMessage, examMessage] of cases) {
    const [o1, o2, o3] = [freshOut(), freshOut(), freshOut()];
    const b = run(['build', CHAIN, '--format', format, '--template', dir, '--out', o1]);
    const v = run(['variants', CHAIN, '--count', '2', '--seed', '1', '--format', format, '--template', dir, '--out', o2]);
    const e = run(['exam', quiz, '--format', format, '--template', dir, '--out', o3]);
    it(`${what}: exit 2 for build, variants and exam`, () => {
      expectUserError(b(), sheetMessage, o1);
      expectUserError(v(), sheetMessage, o2);
      expectUserError(e(), examMessage, o3);
    });
  }

  const headOnly = tpl('head-only', { 'partials/head.html.hbs': '<meta name="institution" content="mine">\n' });
  const headOut = freshOut();
  const ok = run(['build', CHAIN, '--format', 'html', '--template', headOnly, '--out', headOut]);
  it('a folder overriding one partial renders, the rest from templates/', () => {
    expect(ok().status, ok().stderr).toBe(0);
    expect(readFileSync(join(headOut, 'variants-sigmoid-chain', 'solution.html'), 'utf8')).toContain('<meta name="institution" content="mine">');
  });
});

describe('--format with no format in it', () => {
  for (const format of [',', ' , ']) {
    const out = freshOut();
    const r = run(['build', CHAIN, '--format', format, '--out', out]);
    it(`build --format '${format}' is exit 2 and writes nothing`, () => {
      expectUserError(r(), /^gradsheet: --format lists no format \(expected some of tex, html, pdf\)$/m, out);
    });
  }
});

describe('the same through node bin/gradsheet.js, as a user runs it', () => {
  it('a relative tolerance of 5, an unclosed {{#if}} and --format , are exit 2 with one line', async () => {
    const file = join(work, 'bin-tol.yaml');
    writeFileSync(file, chainText.replace(TOLERANCE_LINE, '  tolerance: {relative: 5}'));
    const dir = join(work, 'bin-tpl');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'solution.tex.hbs'), 'line 1\n{{#if title}}\n');
    const outs = [freshOut(), freshOut(), freshOut()];
    const [t, u, f] = await runCliMany([
      ['variants', file, '--count', '2', '--seed', '1', '--out', outs[0]!],
      ['build', CHAIN, '--format', 'tex', '--template', dir, '--out', outs[1]!],
      ['build', CHAIN, '--format', ',', '--out', outs[2]!],
    ]);
    expectUserError(t!, new RegExp(`^gradsheet: ${escape(file)}:${toleranceLine}: variants\\.tolerance\\.relative: a relative tolerance must be below 1`, 'm'), outs[0]!);
    expectUserError(u!, new RegExp(`^gradsheet: ${escape(join(dir, 'solution.tex.hbs'))}:3: template syntax error`, 'm'), outs[1]!);
    expectUserError(f!, /^gradsheet: --format lists no format/m, outs[2]!);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
