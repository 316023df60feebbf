/**
 * The hand answers of ../shared/check-cases.json (138 over 11 shipped problems; vendored byte for byte as
 * check-cases.json, since CI clones only this repository) and our own 45 of fixtures/own-cases.json (six
 * other problems and notations; verdicts from fixtures/own-cases.py, an mpmath oracle that shares no
 * code with gradsheet). Issue 16's targets: at least 98% of verdicts right and no wrong answer accepted;
 * at least 90% of the diagnoses right (the case's expected diagnosis or one of its acceptable ones); a
 * dropped factor that is 1 at the given point is named, never "off by the constant factor 1".
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnswer, type CheckResult } from '../../src/check/check.js';
import { ctxFor, fixture, ROOT } from './helpers.js';

interface Case {
  id: string;
  problem: string;
  of: string;
  wrt: string;
  answer: string;
  latex: boolean;
  expected_equivalent: boolean;
  expected_diagnosis: string | null;
  acceptable_diagnoses: string[];
  independent_check: { equal_at_given_point: boolean };
}

const VENDORED = join(ROOT, 'test/check/check-cases.json');
/** sha256 of ../shared/check-cases.json as vendored (2026-12-02) */
const SHARED_SHA256 = 'bd456b747ace74c1c896efaa569a345ada9fbee3159b1fe20fa1728bc87fd963';

interface Outcome { c: Case; r: CheckResult | null; error: string | null }

function runAll(cases: readonly Case[]): Outcome[] {
  return cases.map((c) => {
    try {
      return { c, r: checkAnswer(ctxFor(join(ROOT, c.problem), c.of, c.wrt), c.answer, { latex: c.latex }), error: null };
    } catch (e) {
      return { c, r: null, error: (e as Error).message };
    }
  });
}

/** Verdict and diagnosis accuracy, with every miss listed for the failure message. */
function score(outcomes: readonly Outcome[]) {
  const verdictMisses = outcomes.filter((o) => o.r?.equivalent !== o.c.expected_equivalent);
  const wrongAccepted = outcomes.filter((o) => o.r?.equivalent === true && !o.c.expected_equivalent);
  const diagnosed = outcomes.filter((o) => o.c.expected_diagnosis !== null);
  const diagnosisMisses = diagnosed.filter((o) => !(o.r && !o.r.equivalent && [o.c.expected_diagnosis, ...o.c.acceptable_diagnoses].includes(o.r.diagnosis)));
  const named = diagnosed.filter((o) => o.c.expected_diagnosis !== 'other');
  const namedMisses = named.filter((o) => diagnosisMisses.includes(o));
  const describe = (o: Outcome) => `${o.c.id}: ${o.r ? `${o.r.equivalent} ${o.r.diagnosis} (${o.r.detail ?? ''})` : `error ${o.error}`}`;
  return {
    verdicts: 1 - verdictMisses.length / outcomes.length,
    diagnoses: 1 - diagnosisMisses.length / diagnosed.length,
    summary: `${outcomes.length - verdictMisses.length}/${outcomes.length} verdicts, ${diagnosed.length - diagnosisMisses.length}/${diagnosed.length} diagnoses ` +
      `(${named.length - namedMisses.length}/${named.length} of those expecting a named mistake), ${wrongAccepted.length} wrong answers accepted`,
    misses: [...verdictMisses, ...diagnosisMisses].map(describe),
    wrongAccepted: wrongAccepted.map(describe),
  };
}

const sets: Array<[string, string]> = [
  ['the shared 138 (../shared/check-cases.json, vendored)', VENDORED],
  ['our own 45 (fixtures/own-cases.json)', fixture('own-cases.json')],
];

describe.each(sets)('%s', (_name, file) => {
  const cases = JSON.parse(readFileSync(file, 'utf8')) as Case[];
  const outcomes = runAll(cases);

  it('meets issue 16\'s targets: >= 98% verdicts, no wrong answer accepted, >= 90% diagnoses', () => {
    const s = score(outcomes);
    console.log(`${file.replace(ROOT + '/', '')}: ${s.summary}`);
    expect(s.wrongAccepted).toEqual([]);
    expect(s.verdicts, s.misses.join('\n')).toBeGreaterThanOrEqual(0.98);
    expect(s.diagnoses, s.misses.join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('names a dropped factor that is 1 at the given point; never "off by the constant factor 1"', () => {
    for (const o of outcomes) expect(o.r?.detail ?? '', o.c.id).not.toMatch(/constant factor 1\b(?!\/)/);
    const dropped = outcomes.filter((o) => !o.c.expected_equivalent && o.c.independent_check.equal_at_given_point && o.c.acceptable_diagnoses.includes('missing-factor'));
    expect(dropped.length).toBeGreaterThan(0);
    for (const o of dropped) {
      expect(o.r?.diagnosis, o.c.id).toBe('missing-factor');
      expect(o.r?.detail, o.c.id).toMatch(/leaves out .*factor/);
      expect(o.r?.detail, o.c.id).toContain('right at the problem\'s values but not as a formula');
    }
  });
});

describe('the vendored copy', () => {
  it('is byte for byte ../shared/check-cases.json (by its recorded hash; compared directly where ../shared exists)', () => {
    const bytes = readFileSync(VENDORED);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(SHARED_SHA256);
    const shared = join(ROOT, '../shared/check-cases.json');
    if (existsSync(shared)) expect(readFileSync(shared).equals(bytes)).toBe(true);
  });
});
