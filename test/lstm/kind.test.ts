/**
 * `kind: lstm` (issue 15, item 2: a kind added as one folder and one registry
 * line): a shorthand that writes the LSTM's tensor equations. Its answers
 * match an independent NumPy BPTT (test/lstm/oracle.py, hand-written from the
 * textbook cell) to 1e-12, and the same network written out as the seven
 * lines of problems/time-lstm.yaml gives the same values, gradients and
 * matrix forms. A malformed spec is an input error with file, line and key.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveJson } from '../../src/derive/json.js';
import { solve } from '../../src/derive/solve.js';
import { loadProblem } from '../../src/problem/read.js';
import { runCli } from '../helpers/cli.js';
import { REPO } from '../helpers/oracles.js';

type Nested = number | Nested[];
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

function oracle(file: string): { values: Record<string, Nested>; gradients: { E: Record<string, Nested> } } {
  const r = spawnSync('python3', [join(REPO, 'test/lstm/oracle.py'), file], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReturnType<typeof oracle>;
}

function expectClose(got: Nested, want: Nested, what: string): void {
  const g = flat(got), w = flat(want);
  expect(g.length, what).toBe(w.length);
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w[i]!))));
}

const FILES = ['problems/lstm-shorthand-softmax.yaml', 'test/lstm/many-to-many.yaml'];

describe('the lstm kind against an independent NumPy BPTT', () => {
  for (const rel of FILES) {
    it(rel, () => {
      const file = join(REPO, rel);
      const json = deriveJson(solve(loadProblem(file)));
      const want = oracle(file);
      for (const [name, v] of Object.entries(json.values)) expectClose(v as Nested, want.values[name]!, name);
      for (const [wrt, v] of Object.entries(json.gradients.E!)) expectClose(v as Nested, want.gradients.E[wrt]!, `dE/d${wrt}`);
      expect((json.check as { passed: boolean }).passed).toBe(true);
      expect((json.check as { scalarLevel: { ran: boolean; maxAbsDiff: number } }).scalarLevel.maxAbsDiff).toBeLessThan(1e-12);
    });
  }

  it('is the network of problems/time-lstm.yaml: same values, gradients and matrix forms', () => {
    const kind = deriveJson(solve(loadProblem(join(REPO, 'test/lstm/many-to-many.yaml'))));
    const written = deriveJson(solve(loadProblem(join(REPO, 'problems/time-lstm.yaml'))));
    expect(kind.values).toEqual(written.values);
    expect(kind.gradients).toEqual(written.gradients);
    expect(kind.matrixForms).toEqual(written.matrixForms);
    expect(kind.definitions?.['delta_c[t]']).toBe('delta_c[t+1] * f[t+1] + delta_h[t] * o[t] * (1 - tanh(c[t])^2)');
  });

  it('the softmax read-out prints delta_u = p - y', () => {
    const json = deriveJson(solve(loadProblem(join(REPO, 'problems/lstm-shorthand-softmax.yaml'))));
    expect(json.definitions?.delta_u).toBe('p - y');
    expect((json.matrixForms as Record<string, Record<string, string>>).E!.Wy).toBe('delta_u @ h[3]^T');
  });
});

describe('a malformed lstm spec is an input error (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradsheet-lstm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = `id: bad\ntitle: bad\nnetwork:\n  kind: lstm\n  steps: 2\n  sizes: {input: 1, hidden: 1}\n  loss: half-squared-error\ngiven: {x: {fill: 1}, y: {fill: 0}, h0: {fill: 0}, c0: {fill: 0}, Wf: {fill: 0.1}, Wi: {fill: 0.1}, Wo: {fill: 0.1}, Wg: {fill: 0.1}, bf: {fill: 0}, bi: {fill: 0}, bo: {fill: 0}, bg: {fill: 0}}\nask:\n  - gradient: {of: E, wrt: [Wf]}\n`;
  const cases: Array<[string, string, RegExp]> = [
    ['runs', base, /^$/],
    ['no steps', base.replace('  steps: 2\n', '  steps: 0\n'), /:5: network\.steps: steps is the length of the sequence and must be at least 1, got 0/],
    ['output size without an output layer', base.replace('hidden: 1}', 'hidden: 1, output: 2}'), /network\.sizes\.output: sizes\.output is the size of an output layer/],
    ['cross-entropy on h', base.replace('loss: half-squared-error', 'loss: cross-entropy'), /network\.loss: cross-entropy needs probabilities: use output: softmax/],
    ['unknown key', base.replace('  steps: 2\n', '  steps: 2\n  peepholes: true\n'), /network.*peepholes/],
    ['a gate weight of the wrong shape', base.replace('Wf: {fill: 0.1}', 'Wf: [[0.1, 0.2, 0.3]]'), /:8: given\.Wf: 'Wf' has shape \[1, 2\], but the given value has shape \[1, 3\]/],
  ];
  for (const [name, yaml, message] of cases) {
    it(name, () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, yaml);
      const r = runCli(['derive', file, '--json']);
      if (name === 'runs') { expect(r.status, r.stderr).toBe(0); return; }
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
});
