// Bad exam files, as a user meets them: through the library (loadExam, every case) and
// through the command line (one case of each kind the issue names: a missing problem
// file, points that are not positive numbers, a problem id used twice, a roster with more
// students than variants). Each exits 2 with one line naming the file, line and key,
// and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProblemError } from '../../src/errors.js';
import { loadExam } from '../../src/exam/load.js';
import { REPO } from '../helpers/oracles.js';
import { runCliMany, type CliResult } from '../helpers/cli.js';

const P = (name: string) => join(REPO, 'problems', name);
const HEAD = 'id: bad\ntitle: Bad exam\nvariants: {count: 2, seed: 1}\n';
const CHAIN = P('seed000-q2-1-sigmoid-chain-explode.yaml');
const VANISH = P('seed000-q2-2-sigmoid-chain-vanish.yaml');

interface Case { name: string; text: string; line: number; /** none for a YAML error, which has a line but no key yet */ key?: string; says: RegExp; cli?: boolean; roster?: string }

const CASES: Case[] = [
  { name: 'missing-problem', text: `${HEAD}items:\n  - {problem: ../no-such-problem.yaml, points: 5}\n`, line: 5, key: 'items[0].problem', says: /no problem file at .*no-such-problem\.yaml/, cli: true },
  { name: 'points-zero', text: `${HEAD}items:\n  - problem: ${CHAIN}\n    points: 0\n`, line: 6, key: 'items[0].points', says: /points must be a positive number, got 0/, cli: true },
  { name: 'points-negative', text: `${HEAD}items:\n  - {problem: ${CHAIN}, points: -5}\n`, line: 5, key: 'items[0].points', says: /positive number, got -5/ },
  { name: 'points-text', text: `${HEAD}items:\n  - {problem: ${CHAIN}, points: ten}\n`, line: 5, key: 'items[0].points', says: /positive number, got "ten"/ },
  { name: 'points-missing', text: `${HEAD}items:\n  - {problem: ${CHAIN}}\n`, line: 5, key: 'items[0]', says: /missing required key 'points'/ },
  { name: 'part-points-negative', text: `${HEAD}items:\n  - problem: ${CHAIN}\n    parts: {a: 5, b: -1}\n`, line: 6, key: 'items[0].parts.b', says: /positive number, got -1/ },
  { name: 'text-points-zero', text: `${HEAD}items:\n  - {text: "Prove it.", points: 0}\n`, line: 5, key: 'items[0].points', says: /positive number, got 0/ },
  { name: 'id-twice', text: `${HEAD}items:\n  - {problem: ${CHAIN}, points: 5}\n  - {problem: ${VANISH}, points: 5}\n  - {problem: ${CHAIN}, points: 5}\n`, line: 7, key: 'items[2].problem', says: /problem id 'sigmoid-chain-explode' is already used by item 1/, cli: true },
  { name: 'id-twice-in-group', text: `${HEAD}items:\n  - title: Twice\n    parts:\n      - {problem: ${CHAIN}, points: 5}\n      - {problem: ${CHAIN}, points: 5}\n`, line: 8, key: 'items[0].parts[1].problem', says: /already used by item 1\.1/ },
  { name: 'parts-count', text: `${HEAD}items:\n  - {problem: ${CHAIN}, points: 5, parts: [a, b, c]}\n`, line: 5, key: 'items[0].parts', says: /asks 2 things \(forward, gradient\), so parts needs 2 labels, got 3/ },
  { name: 'parts-sum', text: `${HEAD}items:\n  - {problem: ${CHAIN}, points: 10, parts: {a: 2, b: 3}}\n`, line: 5, key: 'items[0].points', says: /worth 10 points but its parts add up to 5/ },
  { name: 'group-sum', text: `${HEAD}items:\n  - title: G\n    points: 7\n    parts:\n      - {problem: ${CHAIN}, points: 5}\n`, line: 6, key: 'items[0].points', says: /worth 7 points but its parts add up to 5/ },
  { name: 'unknown-key', text: `${HEAD}items:\n  - {problem: ${CHAIN}, points: 5, pionts: 3}\n`, line: 5, key: 'items[0].pionts', says: /unknown key 'pionts'/ },
  { name: 'bad-seed', text: 'id: bad\ntitle: Bad\nvariants: {count: 2, seed: "a b"}\nitems:\n  - {text: x, points: 1}\n', line: 3, key: 'variants.seed', says: /a seed is letters/ },
  { name: 'no-items', text: `${HEAD}items: []\n`, line: 4, key: 'items', says: /lists no items/ },
  // read by the problems' own YAML reader (input/yaml.ts): a repeated key is named, an alias refused
  { name: 'key-twice', text: `${HEAD}items:\n  - {text: x, points: 1}\nitems: []\n`, line: 6, says: /the key 'items' appears twice in the same mapping/ },
  { name: 'alias', text: `${HEAD}items:\n  - &a {text: x, points: 1}\n  - *a\n`, line: 6, says: /aliases such as '\*a' are not allowed in an exam file; write the value out/ },
  {
    name: 'roster-too-long', text: `${HEAD}roster: roster.csv\nitems:\n  - {text: "Prove it.", points: 5}\n`, line: 4, key: 'roster',
    says: /the roster lists 3 students, more than the 2 variants/, cli: true, roster: 'name,id\nAda,1\nBob,2\nCy,3\n',
  },
];

let tmp: string;
const results = new Map<string, CliResult>();
const out = (c: Case) => join(tmp, `${c.name}-out`);
const file = (c: Case) => join(tmp, c.name, 'exam.yaml');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gradsheet-exam-bad-'));
  for (const c of CASES) {
    const dir = join(tmp, c.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(file(c), c.text);
    if (c.roster) writeFileSync(join(dir, 'roster.csv'), c.roster);
  }
  const cli = CASES.filter((c) => c.cli);
  const runs = await runCliMany(cli.map((c) => ['exam', file(c), '--format', 'tex', '--out', out(c)]));
  cli.forEach((c, i) => results.set(c.name, runs[i]!));
}, 120_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe('bad exam files', () => {
  for (const c of CASES.filter((x) => !x.roster)) {
    it(`${c.name}: loadExam names ${c.key} at line ${c.line}`, () => {
      let err: unknown;
      try { loadExam(file(c)); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ProblemError);
      const e = err as ProblemError;
      expect(e.file).toBe(file(c));
      expect(e.line).toBe(c.line);
      expect(e.key).toBe(c.key);
      expect(e.message).toMatch(c.says);
    });
  }

  for (const c of CASES.filter((x) => x.cli)) {
    it(`${c.name}: the command exits 2 with one line naming ${c.key}, and writes nothing`, () => {
      const r = results.get(c.name)!;
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]!.startsWith(`gradsheet: ${file(c)}:${c.line}: ${c.key}: `), lines[0]).toBe(true);
      expect(lines[0]).toMatch(c.says);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out(c))).toBe(false);
    });
  }
});
