/**
 * The `jacobian` ask (contract 4; issue 17, item 5) in every network kind:
 * `derive --json` has a `jacobians` entry whose values match an independent
 * SymPy computation (jacobian_oracle.py -> jacobian-expected.json) and pass
 * their finite-difference check; the problem sheet asks for it and the
 * solution sheet gives its formula and its matrix; a bad ask exits 2 naming
 * the file, the line and the key.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solve } from '../../src/derive/solve.js';
import { deriveJson } from '../../src/derive/json.js';
import { loadProblem } from '../../src/problem/read.js';
import { sheetModel } from '../../src/render/sheet.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from './corpus.js';

interface Expected { of: string; wrt: string; values: number[][] }
const expected = JSON.parse(readFileSync(join(ROOT, 'test/sheets/jacobian-expected.json'), 'utf8')) as Record<string, Expected[]>;
const KINDS = ['equations', 'chain', 'mlp', 'layers', 'rnn'] as const;
const fixture = (kind: string): string => join(ROOT, 'test/sheets/fixtures', `jacobian-${kind}.yaml`);

describe('every network kind answers a jacobian ask', () => {
  for (const kind of KINDS) {
    it(kind, () => {
      const sol = solve(loadProblem(fixture(kind)));
      expect(sol.problem.network.kind).toBe(kind);
      const json = deriveJson(sol).jacobians as Array<{ of: string; wrt: string; shape: number[]; values: number[][]; check: { passed: boolean } }>;
      const want = expected[`jacobian-${kind}`]!;
      expect(json.map((j) => [j.of, j.wrt])).toEqual(want.map((j) => [j.of, j.wrt]));
      json.forEach((j, k) => {
        const w = want[k]!.values;
        expect(j.shape).toEqual([w.length, w[0]!.length]);
        j.values.forEach((row, u) => row.forEach((v, l) => expect(Math.abs(v - w[u]![l]!), `${kind} ${j.of}/${j.wrt} [${u}][${l}]`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w[u]![l]!)))));
        expect(j.check.passed).toBe(true);
      });
      const model = sheetModel(sol);
      const asked = JSON.stringify(model.problem.find((s) => s.title === 'Questions'));
      const solution = model.solution.filter((s) => s.title.startsWith('The Jacobian of'));
      expect(solution.map((s) => s.title)).toEqual(want.map((j) => `The Jacobian of ${j.of} with respect to ${j.wrt}`));
      expect(asked).toContain('Compute the Jacobian');
      for (const s of solution) expect(JSON.stringify(s.blocks)).toContain('finite differences');
    });
  }

  it("writes seed 002's Delta as a product of the weight matrix and a diagonal of slopes", () => {
    const sol = solve(loadProblem(fixture('mlp')));
    const s = sheetModel(sol).solution.find((x) => x.title === 'The Jacobian of z2 with respect to z1')!;
    const math = s.blocks.flatMap((b) => (b.kind === 'math' ? [b.latex] : [])).join('\n');
    expect(math).toContain('\\frac{\\partial \\mathbf{z}^{[2]}}{\\partial \\mathbf{h}}\\,\\frac{\\partial \\mathbf{h}}{\\partial \\mathbf{z}^{[1]}}');
    expect(math).toContain('&= \\mathbf{W}^{[2]}');
    expect(math).toContain('\\operatorname{diag}\\left(h_{1}\\,\\left(1 - h_{1}\\right)');
  });

  it('says how a recurrence is handled instead of writing a wrong product', () => {
    const s = sheetModel(solve(loadProblem(fixture('rnn')))).solution.find((x) => x.title === 'The Jacobian of h with respect to h0')!;
    expect(JSON.stringify(s.blocks)).toContain('recurrence over time');
  });
});

describe('a jacobian ask that cannot be answered is an input error (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradsheet-jacobian-'));
  const base = readFileSync(fixture('mlp'), 'utf8');
  const cases: Array<[string, string, RegExp]> = [
    ['unknown', base.replace('{of: z2, wrt: z1}', '{of: z9, wrt: z1}'), /:\d+: ask\[0\]\.jacobian\.of: 'z9' is not a node of this network/],
    ['backwards', base.replace('{of: z2, wrt: z1}', '{of: z1, wrt: z2}'), /ask\[0\]\.jacobian\.wrt: 'z1' does not depend on 'z2'/],
    ['no value', base.replace('  x: [0.5, -1]\n', ''), /ask\[0\]\.jacobian\.of: 'x', which 'z2' depends on, has no value/],
  ];
  for (const [name, yaml, message] of cases) {
    it(name, () => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, yaml);
      const r = runCli(['derive', file, '--json']);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
  it('tensor equations (contract 2.7) answer it on the scalar level: dz2/dz1 = W2 diag(relu\'(z1))', () => {
    const file = join(dir, 'tensor.yaml');
    writeFileSync(file, `${readFileSync(join(ROOT, 'problems/tensor-mlp-softmax.yaml'), 'utf8').trimEnd()}\n  - jacobian: {of: z2, wrt: z1}\n`);
    const r = runCli(['derive', file, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const [j] = JSON.parse(r.stdout).jacobians as Array<{ values: number[][]; check: { passed: boolean } }>;
    // by hand: z1 = W1 x + b1 = (0.7, -1.05, -0.15, 1.1), so relu' = (1, 0, 0, 1) keeps columns 1 and 4 of W2
    const want = [[0.3, 0, 0, 0.1], [-0.4, 0, 0, -0.3], [0.2, 0, 0, 0.4]];
    j!.values.forEach((row, u) => row.forEach((v, l) => expect(v).toBeCloseTo(want[u]![l]!, 12)));
    expect(j!.check.passed).toBe(true);
  });
  it('too large for a sheet', () => {
    const file = join(dir, 'large.yaml');
    writeFileSync(file, `id: large\ntitle: large\nnetwork: {kind: mlp, sizes: [70, 70, 1]}\ngiven: {x: {fill: 0.1}, W1: {fill: 0.01}, b1: {fill: 0}, W2: {fill: 0.1}, b2: 0}\nask:\n  - jacobian: {of: z1, wrt: x}\n`);
    const r = runCli(['derive', file, '--json']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/ask\[0\]\.jacobian: the Jacobian of 'z1' \(70 entries\) with respect to 'x' \(70 entries\) has 4900 entries, more than the 4096/);
    rmSync(dir, { recursive: true, force: true });
  });
});
