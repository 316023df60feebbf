/**
 * The oracles describe the problems we ship: the given values the SymPy oracle
 * used (test/oracles/expected.json) are the problem files' given values, and
 * the vendored seed answers are the shared file's, unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, test } from 'vitest';
import { Rational } from '../../src/expr/rational.js';
import {
  REPO, SHARED_SEED_ANSWERS, VENDORED_SEED_ANSWERS, hasSharedSeedAnswers, readSeedAnswers,
} from '../helpers/oracles.js';
import { chainYaml } from '../helpers/chain.js';

type Given = string | number | Given[];

/** Exact text of a given value ("0.1" and 0.1 and "1/10" all become "1/10"). */
function normalize(v: Given): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  const r = typeof v === 'number' ? Rational.fromNumber(v) : Rational.parse(v);
  if (!r) throw new Error(`not a number: ${v}`);
  return r.toString();
}

const normalizeAll = (g: Record<string, Given>) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, normalize(v)]));

const expected = JSON.parse(readFileSync(join(REPO, 'test', 'oracles', 'expected.json'), 'utf8')) as Record<string, { given: Record<string, Given> }>;

describe('oracle inputs match the problems', () => {
  for (const id of Object.keys(expected).filter((k) => k !== 'chain-50')) {
    test(`problems/${id}.yaml has the given values the oracle used`, () => {
      const doc = parseYaml(readFileSync(join(REPO, 'problems', `${id}.yaml`), 'utf8')) as { id: string; given: Record<string, Given> };
      expect(doc.id).toBe(id);
      expect(normalizeAll(doc.given)).toEqual(normalizeAll(expected[id]!.given));
    });
  }

  test('the depth-50 chain of the swell test and the benchmark has the oracle\'s parameters', () => {
    const doc = parseYaml(chainYaml(50, ['b1'])) as { given: Record<string, Given> };
    expect(normalizeAll(doc.given)).toEqual(normalizeAll(expected['chain-50']!.given));
  });
});

describe('the full vendored oracle (test/oracles/seed-answers.json)', () => {
  test('is byte for byte the shared file where that is present, so tests run the same from any clone', () => {
    const vendored = readFileSync('test/oracles/seed-answers.json', 'utf8');
    expect(JSON.parse(vendored).length).toBeGreaterThan(50);
    const shared = '../shared/seed-answers.json';
    if (existsSync(shared)) expect(vendored).toBe(readFileSync(shared, 'utf8'));
  });
});
