/**
 * Bad input, as a user meets it: through the library (`loadProblem` + `solve`,
 * every case) and through the command line (`derive --json` for one case of
 * each kind of mistake, `build` for three). Every case exits 2 with ONE line on
 * stderr naming the file, the line and the key (where the input has one), with
 * no stack trace, and writes nothing.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadProblem } from '../src/problem/read.js';
import { solve } from '../src/derive/solve.js';
import { ProblemError } from '../src/errors.js';
import { runCliMany, type CliResult } from './helpers/cli.js';

interface BadCase {
  readonly name: string;
  readonly text: string;
  /** the line the message must name */
  readonly line: number;
  /** the YAML key the message must name (a path such as network.depth), if the input has one */
  readonly key?: string;
  /** what the message must say */
  readonly says: RegExp;
  /** run it through the command line too (one case per kind of mistake: each run costs a Node start) */
  readonly cli?: boolean;
  /** also run `build` on it, to see that nothing is written */
  readonly build?: boolean;
}

const HEAD = 'id: bad\ntitle: Bad input\n';
const CHAIN = 'network: {kind: chain, depth: 1, activation: sigmoid, output: linear}\n';
const GIVEN = 'given:\n  x: 1\n  w1: 0.5\n  b1: 0\n  w2: 2\n  b2: 1\n';
const ASK = 'ask:\n  - gradient: {of: o, wrt: [b1]}\n';
const eqs = (...lines: string[]) => `network:\n  kind: equations\n  equations:\n${lines.map((l) => `    ${l}\n`).join('')}`;

const CASES: readonly BadCase[] = [
  { name: 'missing-ask', text: HEAD + CHAIN + GIVEN, line: 1, says: /missing required key 'ask'/, cli: true },
  { name: 'missing-depth', text: HEAD + 'network: {kind: chain}\n' + GIVEN + ASK, line: 3, key: 'network', says: /missing required key 'depth'/ },
  {
    name: 'unknown-function',
    text: HEAD + eqs('h: sigma(w*x + b)', 'o: v*h') + 'given: {w: 1, x: 1, b: 0, v: 2}\n' + 'ask:\n  - gradient: {of: o, wrt: [w]}\n',
    line: 6, key: 'network.equations.h', says: /unknown function 'sigma'/, cli: true,
  },
  {
    name: 'no-value',
    text: HEAD + CHAIN + 'given:\n  x: 1\n  w1: 0.5\n  w2: 2\n  b2: 1\n' + ASK,
    line: 4, key: 'given', says: /'b1' has no value/, cli: true, build: true,
  },
  {
    name: 'cycle',
    text: HEAD + eqs('a: w*b + x', 'b: sigmoid(a)', 'o: 2*b') + 'given: {w: 1, x: 1}\n' + 'ask:\n  - forward: [o]\n',
    line: 6, key: 'network.equations.a', says: /equations form a cycle: a -> b -> a/, cli: true, build: true,
  },
  { name: 'malformed-yaml', text: HEAD + 'network: {kind: chain, depth: 1\n' + GIVEN + ASK, line: 4, says: /^YAML: /, cli: true, build: true },
  { name: 'bad-indentation', text: HEAD + CHAIN + 'given:\n  x: 1\n w1: 2\n' + ASK, line: 6, says: /^YAML: / },
  { name: 'tab', text: HEAD + CHAIN + 'given:\n\tx: 1\n' + ASK, line: 5, says: /a tab indents this line/, cli: true },
  { name: 'duplicate-key', text: HEAD + CHAIN + GIVEN + '  w1: 0.7\n' + ASK, line: 10, says: /the key 'w1' appears twice/, cli: true },
  { name: 'wrong-type-depth', text: HEAD + 'network: {kind: chain, depth: three}\n' + GIVEN + ASK, line: 3, key: 'network.depth', says: /expected a whole number, got "three"/, cli: true },
  { name: 'wrong-type-value', text: HEAD + CHAIN + GIVEN.replace('w1: 0.5', 'w1: [0.5, "a"]') + ASK, line: 6, key: 'given.w1[1]', says: /expected a number or a fraction/ },
  { name: 'wrong-type-exact', text: HEAD + 'exact: maybe\n' + CHAIN + GIVEN + ASK, line: 3, key: 'exact', says: /expected true or false/ },
  { name: 'wrong-shape', text: HEAD + CHAIN + GIVEN.replace('x: 1', 'x: [1, 2]') + ASK, line: 5, key: 'given.x', says: /has shape a single number, but the given value has shape \[2\]/ },
  { name: 'unknown-kind', text: HEAD + 'network: {kind: transformer, depth: 1}\n' + GIVEN + ASK, line: 3, key: 'network.kind', says: /unknown network kind 'transformer' \(expected one of equations, chain, mlp, rnn, layers, lstm\)/, cli: true },
  { name: 'nan', text: HEAD + CHAIN + GIVEN.replace('w1: 0.5', 'w1: .nan') + ASK, line: 6, key: 'given.w1', says: /expected a finite number, got NaN/, cli: true },
  { name: 'inf', text: HEAD + CHAIN + GIVEN.replace('b2: 1', 'b2: -.inf') + ASK, line: 9, key: 'given.b2', says: /expected a finite number, got -Infinity/, cli: true },
  { name: 'shadows-function', text: HEAD + CHAIN + GIVEN + '  exp: 3\n' + ASK, line: 10, key: 'given.exp', says: /'exp' is a function name/, cli: true },
  { name: 'unknown-top-key', text: HEAD + 'gvien: {x: 1}\n' + CHAIN + GIVEN + ASK, line: 3, key: 'gvien', says: /unknown key 'gvien'/ },
  { name: 'not-a-network-name', text: HEAD + CHAIN + GIVEN + '  q: 3\n' + ASK, line: 10, key: 'given.q', says: /'q' is not a name of this network/ },
  {
    name: 'not-finite-value',
    text: HEAD + eqs('a: log(x - 2)') + 'given: {x: 1}\n' + 'ask:\n  - gradient: {of: a, wrt: [x]}\n',
    line: 6, key: 'network.equations.a', says: /not a finite number \(NaN\)/,
  },
  { name: 'ask-unknown', text: HEAD + CHAIN + GIVEN + 'ask:\n  - hessian: {of: o}\n', line: 11, key: 'ask[0].hessian', says: /unknown ask 'hessian'/ },
];

const CLI_CASES = CASES.filter((c) => c.cli);

let dir = '';
let cliDerive: CliResult[] = [];
let cliBuild: Array<{ c: BadCase; r: CliResult; out: string }> = [];

const fileOf = (c: BadCase) => join(dir, 'bad', `${c.name}.yaml`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradsheet-bad-'));
  mkdirSync(join(dir, 'bad'));
  for (const c of CASES) writeFileSync(fileOf(c), c.text);
  const builds = CASES.filter((c) => c.build);
  const runs = [
    ...CLI_CASES.map((c) => ['derive', fileOf(c), '--json']),
    ...builds.map((c) => ['build', fileOf(c), '--out', join(dir, `out-${c.name}`), '--format', 'tex,html']),
  ];
  const results = await runCliMany(runs);
  cliDerive = results.slice(0, CLI_CASES.length);
  cliBuild = builds.map((c, i) => ({ c, r: results[CLI_CASES.length + i]!, out: join(dir, `out-${c.name}`) }));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `gradsheet: FILE:LINE: KEY: message` (the key part where the input has one). */
function expectOneLine(stderr: string, c: BadCase): void {
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, stderr).toHaveLength(1);
  const line = lines[0]!;
  expect(line).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frame
  const prefix = `gradsheet: ${fileOf(c)}:${c.line}: `;
  expect(line.startsWith(prefix), `'${line}' should start with '${prefix}'`).toBe(true);
  const rest = line.slice(prefix.length);
  if (c.key) expect(rest.startsWith(`${c.key}: `), `'${rest}' should name the key ${c.key}`).toBe(true);
  expect(rest.replace(c.key ? `${c.key}: ` : '', '')).toMatch(c.says);
}

describe('bad input through the command line', () => {
  test('one command-line case per kind of mistake', () => {
    expect(CLI_CASES.map((c) => c.name)).toEqual([
      'missing-ask', 'unknown-function', 'no-value', 'cycle', 'malformed-yaml', 'tab', 'duplicate-key',
      'wrong-type-depth', 'unknown-kind', 'nan', 'inf', 'shadows-function',
    ]);
  });

  CLI_CASES.forEach((c, i) => {
    test(`derive ${c.name}: exit 2, one line naming file:${c.line}${c.key ? ` and ${c.key}` : ''}`, () => {
      const r = cliDerive[i]!;
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expectOneLine(r.stderr, c);
    });
  });

  test('build on bad input: exit 2, one line, nothing written', () => {
    expect(cliBuild.length).toBe(3);
    for (const { c, r, out } of cliBuild) {
      expect(r.status, `${c.name}: ${r.stderr}`).toBe(2);
      expectOneLine(r.stderr, c);
      expect(existsSync(out) ? readdirSync(out) : [], c.name).toEqual([]);
    }
  });

  test('a file that does not exist: exit 2, one line naming it', async () => {
    const missing = join(dir, 'no-such-file.yaml');
    const [r] = await runCliMany([['derive', missing, '--json']]);
    expect(r!.status).toBe(2);
    expect(r!.stderr).toBe(`gradsheet: ${missing}: cannot read the file (ENOENT)\n`);
  });
});

describe('bad input through the library', () => {
  for (const c of CASES) {
    test(`${c.name}: ProblemError with file, line and key`, () => {
      let err: unknown;
      try {
        solve(loadProblem(fileOf(c)));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProblemError);
      const pe = err as ProblemError;
      expect(pe.file).toBe(fileOf(c));
      expect(pe.line).toBe(c.line);
      expect(pe.key).toBe(c.key);
      expect(pe.message).toMatch(c.says);
      expect(pe.format()).not.toContain('\n');
    });
  }
});
