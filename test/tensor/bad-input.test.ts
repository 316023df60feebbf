/**
 * Bad tensor and time equations (issues 13 and 14): each mistake is one clear
 * message naming the file, the line and the key; through the CLI it exits 2
 * with no stack trace.
 */
import { describe, expect, it } from 'vitest';
import { parseProblem } from '../../src/problem/load.js';
import { solve } from '../../src/derive/solve.js';
import { ProblemError } from '../../src/errors.js';
import { runCliMany } from '../helpers/cli.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Case { name: string; text: string; line: number; key: string; says: RegExp }

const MLP = (z1: string, extra = '') => `id: bad
title: Bad
network:
  kind: equations
  equations:
    z1: ${z1}
    h: relu(z1)
    E: sum(h)
${extra}given:
  W1: [[1, 2, 3], [4, 5, 6]]
  x: [1, 2]
  b1: [0, 0]
ask:
  - gradient: {of: E, wrt: [W1]}
`;

const RNN = (lines: string[], steps = 'steps: 3', given = '  h0: [0, 0]\n') => `id: bad
title: Bad
network:
  kind: equations
  ${steps}
  equations:
${lines.map((l) => `    ${l}`).join('\n')}
given:
  x: [[1, 0], [0, 1], [1, 1]]
  W: [[0.5, 0], [0, 0.5]]
${given}ask:
  - gradient: {of: E, wrt: [W]}
`;

const CASES: Case[] = [
  { name: 'shape mismatch names both shapes', text: MLP('W1 @ x + b1'), line: 6, key: 'network.equations.z1', says: /W1 @ x: .*\[2, 3\] @ \[2\]/ },
  { name: 'unknown function lists the known ones', text: MLP('swish(W1 @ x)'), line: 6, key: 'network.equations.z1', says: /unknown function 'swish' \(known: .*sigmoid.*softmax/ },
  { name: 'an axis that is not 1 or 2', text: MLP('sum(W1, 3) + b1'), line: 6, key: 'network.equations.z1', says: /axis of sum is 1 .* or 2 .*not 3/ },
  { name: 'max(z, 0) suggests relu', text: MLP('max(W1^T @ x, 0)'), line: 6, key: 'network.equations.z1', says: /relu/ },
  { name: 'a name used before it is defined', text: MLP('W1 @ y + b1').replace('    h: relu(z1)', '    h: relu(z1)\n    y: h * 2'), line: 6, key: 'network.equations.z1', says: /cycle|before it is defined/ },
  { name: 'a cycle among equations', text: MLP('W1^T @ x + h').replace('    E: sum(h)', '    E: sum(h)'), line: 6, key: 'network.equations.z1', says: /cycle: z1 -> h -> z1|equations form a cycle/ },
  { name: 'a fill without a shape', text: MLP('W1^T @ x + b1').replace('  b1: [0, 0]', '  b1: {fill: 0}'), line: 12, key: 'given.b1', says: /no shape; declare it under network.shapes/ },
  { name: 'reading the future', text: RNN(['h[t]: tanh(W @ h[t+1] + x[t])', 'E: sum(h[T])']), line: 7, key: 'network.equations.h[t]', says: /future step/ },
  { name: 'a sequence without its initial value', text: RNN(['h[t]: tanh(W @ h[t-1] + x[t])', 'E: sum(h[T])'], 'steps: 3', ''), line: 7, key: 'network.equations.h[t]', says: /initial value 'h0', which is not given/ },
  { name: 'steps: 0', text: RNN(['h[t]: tanh(W @ h[t-1] + x[t])', 'E: sum(h[T])'], 'steps: 0'), line: 5, key: 'network.steps', says: /whole number from 1/ },
  { name: 'a step index out of range', text: RNN(['h[t]: tanh(W @ h[t-1] + x[t])', 'E: sum(h[4])']), line: 8, key: 'network.equations.E', says: /step 4 is outside the steps 1\.\.3/ },
  { name: 'a step without steps', text: RNN(['h[t]: tanh(W @ h[t-1] + x[t])', 'E: sum(h[T])'], 'targets: []'), line: 7, key: 'network.equations.h[t]', says: /add 'steps: N'/ },
];

describe('bad tensor equations', () => {
  for (const c of CASES) {
    it(c.name, () => {
      let err: unknown;
      try { solve(parseProblem(c.text, 'bad.yaml')); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ProblemError);
      const pe = err as ProblemError;
      expect(pe.format()).toMatch(c.says);
      expect(pe.file).toBe('bad.yaml');
      expect(pe.key).toBe(c.key);
      expect(pe.line).toBe(c.line);
    });
  }

  it('through the command line: exit 2, one line, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradsheet-bad-tensor-'));
    const files = CASES.slice(0, 3).concat(CASES.slice(7, 9)).map((c, i) => { const f = join(dir, `bad${i}.yaml`); writeFileSync(f, c.text); return f; });
    const results = await runCliMany(files.map((f) => ['derive', f, '--json']));
    for (const r of results) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/bad\d\.yaml:\d+: network\./);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
