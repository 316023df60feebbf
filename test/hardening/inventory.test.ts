/**
 * Issue 8, item 1: the inventory of malformed problem files. Every case goes through
 * `derive FILE --json` and `build FILE --out DIR`, run by the CLI's own `main` in a child
 * Node process with a capped heap (test/hardening/driver.ts: one start-up for all runs), and
 * a handful through `node bin/gradsheet.js` itself. Each must exit 2 with ONE stderr line
 * `gradsheet: FILE:LINE: KEY: message`, no stack trace, nothing on stdout, nothing written.
 * The closing summary line (bad inputs tried / handled cleanly) is printed for the lead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO } from '../helpers/oracles.js';
import { runCliMany, type CliResult } from '../helpers/cli.js';
import { CASES, type InventoryCase } from './inventory-cases.js';

interface DriverResult { status: number | 'crash'; stdout: string; stderr: string; ms: number }

let dir = '';
let derive: DriverResult[] = [];
let build: DriverResult[] = [];
let binRuns: CliResult[] = [];
let budgetRuns: DriverResult[] = [];
/** every command that builds a graph takes --max-nodes; 5 nodes is below any shipped problem */
const CHAIN = join(REPO, 'problems', 'variants-sigmoid-chain.yaml');
const BUDGET_COMMANDS: ReadonlyArray<readonly [string, (out: string) => string[]]> = [
  ['derive', () => ['derive', CHAIN, '--json']],
  ['build', (out) => ['build', CHAIN, '--out', out, '--format', 'tex,html']],
  ['check', () => ['check', CHAIN, '--of', 'o', '--wrt', 'b1', '--answer', '1']],
  ['variants', (out) => ['variants', CHAIN, '--count', '2', '--seed', 's', '--out', out, '--format', 'tex']],
  ['exam', (out) => ['exam', join(REPO, 'exams', 'seed000-midterm.yaml'), '--count', '1', '--seed', 's', '--out', out, '--format', 'tex']],
];
const fileOf = (c: InventoryCase): string => join(dir, 'bad', `${c.name}.yaml`);
const outOf = (c: InventoryCase): string => join(dir, 'out', c.name);
/** the cases also run through bin/gradsheet.js: the memory-heavy ones and one per file-level kind */
const BIN_CASES = ['empty-file', 'binary-garbage', 'billion-laughs', 'five-megabytes', 'layers-ten-million-fill', 'mlp-over-budget', 'rnn-over-budget', 'infinite-gradient'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradsheet-inventory-'));
  mkdirSync(join(dir, 'bad'));
  mkdirSync(join(dir, 'out'));
  for (const c of CASES) writeFileSync(fileOf(c), c.text);
  const runs = [
    ...CASES.map((c) => ['derive', fileOf(c), '--json']),
    ...CASES.map((c) => ['build', fileOf(c), '--out', outOf(c), '--format', 'tex,html']),
    ...BUDGET_COMMANDS.map(([name, args]) => [...args(join(dir, 'out', `budget-${name}`)), '--max-nodes', '5']),
  ];
  writeFileSync(join(dir, 'runs.json'), JSON.stringify(runs));
  // 600 MB of heap: a case that allocated per element of a 10^7 tensor would die here (exit 134)
  const r = spawnSync(process.execPath, ['--max-old-space-size=600', '--import', 'tsx', join(REPO, 'test', 'hardening', 'driver.ts'), join(dir, 'runs.json'), join(dir, 'results.json')],
    { cwd: REPO, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`the driver died (status ${r.status}, signal ${r.signal}): ${r.stderr.slice(-2000)}`);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as DriverResult[];
  derive = results.slice(0, CASES.length);
  build = results.slice(CASES.length, 2 * CASES.length);
  budgetRuns = results.slice(2 * CASES.length);
  binRuns = await runCliMany(BIN_CASES.map((n) => ['derive', fileOf(CASES.find((c) => c.name === n)!), '--json']));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** the reason a run is not clean, or null */
function problemWith(c: InventoryCase, r: { status: number | 'crash' | null; stdout: string; stderr: string }, out?: string): string | null {
  if (r.status !== 2) return `exit ${r.status}: ${r.stderr.slice(0, 400)}`;
  if (r.stdout !== '') return `stdout: ${r.stdout.slice(0, 200)}`;
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  if (lines.length !== 1) return `${lines.length} stderr lines: ${r.stderr.slice(0, 400)}`;
  const line = lines[0]!;
  if (/\bat .*\.(ts|js):\d+/.test(line) || /internal error/.test(line)) return `stack or internal error: ${line}`;
  const prefix = `gradsheet: ${fileOf(c)}${c.line !== undefined ? `:${c.line}` : ''}: `;
  if (!line.startsWith(prefix)) return `'${line.slice(0, 300)}' does not start with '${prefix}'`;
  let rest = line.slice(prefix.length);
  if (c.key) {
    if (!rest.startsWith(`${c.key}: `)) return `'${rest.slice(0, 300)}' does not name the key ${c.key}`;
    rest = rest.slice(c.key.length + 2);
  }
  if (!c.says.test(rest)) return `'${rest.slice(0, 300)}' does not say ${c.says}`;
  if (out && existsSync(out) && readdirSync(out).length > 0) return `wrote ${readdirSync(out).join(', ')}`;
  return null;
}

describe('the inventory of malformed problem files', () => {
  test('holds at least 40 cases, each named once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  CASES.forEach((c, i) => {
    test(`${c.name}: derive and build exit 2 with one line${c.line ? ` naming line ${c.line}` : ''}${c.key ? ` and ${c.key}` : ''}, nothing written`, () => {
      expect(problemWith(c, derive[i]!), 'derive').toBeNull();
      expect(problemWith(c, build[i]!, outOf(c)), 'build').toBeNull();
    });
  });

  test('through bin/gradsheet.js too (a real process per run, default heap)', () => {
    BIN_CASES.forEach((n, i) => expect(problemWith(CASES.find((c) => c.name === n)!, binRuns[i]!), n).toBeNull());
  });

  test('--max-nodes reaches every command that builds a graph: derive, build, check, variants, exam', () => {
    BUDGET_COMMANDS.forEach(([name], i) => {
      const r = budgetRuns[i]!;
      expect(r.status, `${name}: ${r.stderr}`).toBe(2);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, name).toHaveLength(1);
      // placed at the network section of the problem, naming the limit and the flag
      expect(lines[0], name).toMatch(/^gradsheet: \S+\.yaml:\d+: network(\.sizes)?: BudgetExceeded: .* exceeds the limit of 5 nodes \(raise it with --max-nodes N\)$/);
      const out = join(dir, 'out', `budget-${name}`);
      expect(existsSync(out) ? readdirSync(out) : [], name).toEqual([]);
    });
  });

  test('sizes over the budget fail fast: no run near its time limit', () => {
    // generous: a case that built its graph would take minutes or die; a clean refusal takes milliseconds
    const slow = [...derive, ...build].map((r, i) => ({ name: CASES[i % CASES.length]!.name, ms: r.ms })).filter((r) => r.ms > 20_000);
    expect(slow).toEqual([]);
  });

  test('summary: bad inputs tried and handled cleanly', () => {
    const runs = CASES.length * 2 + BIN_CASES.length + BUDGET_COMMANDS.length;
    const clean = CASES.filter((c, i) => problemWith(c, derive[i]!) === null).length
      + CASES.filter((c, i) => problemWith(c, build[i]!, outOf(c)) === null).length
      + BIN_CASES.filter((n, i) => problemWith(CASES.find((c) => c.name === n)!, binRuns[i]!) === null).length
      + budgetRuns.filter((r) => r.status === 2 && /BudgetExceeded/.test(r.stderr) && r.stderr.trim().split('\n').length === 1).length;
    console.log(`hardening inventory: ${CASES.length} bad problem files, ${runs} runs (derive + build + bin + ${BUDGET_COMMANDS.length} --max-nodes), ${clean} handled cleanly`);
    expect(clean).toBe(runs);
  });
});
