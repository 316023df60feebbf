/**
 * Bad `layers` input gets a ProblemError naming the line and the key (exit 2
 * on the command line): a kernel or window larger than the padded input, a
 * stride of 0, a negative padding, a `given` value whose shape is not the
 * declared one, and the other mistakes the parser catches.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ProblemError } from '../../src/errors.js';
import { parseProblem } from '../../src/problem/load.js';
import { solve } from '../../src/derive/solve.js';
import { runCliMany } from '../helpers/cli.js';

interface Case { readonly name: string; readonly text: string; readonly line: number; readonly key: string; readonly says: RegExp; readonly cli?: boolean }

/** A network: input [3, 3] -> `layer` -> dense o (Hadamard) -> E; line 6 is the layer. */
const net = (layer: string, given = 'given: {X: [[1, 2, 0], [0, 1, 3], [2, 1, 1]], K: [[1, 0], [0, 1]], W: [[1, 2], [3, 4]], z: 1}', input = '[3, 3]') => `id: bad
title: Bad input
network:
  kind: layers
  input: {name: X, shape: ${input}}
  layers:
    - ${layer}
    - {kind: dense, name: o, weights: {name: W}, activation: sigmoid}
  loss: {kind: half-squared-error, target: z, name: E}
${given}
ask:
  - gradient: {of: E, wrt: [K]}
`;

const CASES: readonly Case[] = [
  {
    name: 'kernel larger than the padded input',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [4, 2]}, padding: [0, 1]}'),
    line: 7, key: 'network.layers[0].kernel', says: /the kernel height 4 is larger than the padded input height 3 \(3 \+ padding 0 \+ 0\)/, cli: true,
  },
  {
    name: 'stride of 0',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}, stride: [1, 0]}'),
    line: 7, key: 'network.layers[0].stride[1]', says: /a stride of 0: it must be at least 1/, cli: true,
  },
  {
    name: 'negative padding',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}, padding: -1}'),
    line: 7, key: 'network.layers[0].padding', says: /a negative padding \(-1\)/, cli: true,
  },
  {
    name: 'given shape differs from the declared shape',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}}', 'given:\n  X: [[1, 2, 0], [0, 1, 3]]\n  K: [[1, 0], [0, 1]]\n  W: [[1, 2], [3, 4]]\n  z: 1'),
    line: 11, key: 'given.X', says: /'X' has shape \[3, 3\], but the given value has shape \[2, 3\]/, cli: true,
  },
  {
    name: 'given kernel of the wrong shape',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}}', 'given:\n  X: [[1, 2, 0], [0, 1, 3], [2, 1, 1]]\n  K: [1, 0, 0, 1]\n  W: [[1, 2], [3, 4]]\n  z: 1'),
    line: 12, key: 'given.K', says: /'K' has shape \[2, 2\], but the given value has shape \[4\]/,
  },
  {
    name: 'pool window larger than the input',
    text: net('{kind: pool, name: Y, window: [4, 4]}').replace('wrt: [K]', 'wrt: [X]'),
    line: 7, key: 'network.layers[0].window', says: /the window height 4 is larger than the padded input height 3/,
  },
  {
    name: 'kernel channels that do not follow the input',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2, 2]}}', 'given: {}', '[3, 3, 3]'),
    line: 7, key: 'network.layers[0].kernel.shape', says: /the kernel has 2 channels but its input 'X' has 3/,
  },
  {
    name: 'conv2d on a vector',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}}', 'given: {}', '[9]'),
    line: 7, key: 'network.layers[0]', says: /a conv2d layer reads a map of shape \[H, W\] or \[H, W, C\]; 'X' has shape \[9\]/,
  },
  {
    name: 'a name used twice',
    text: net('{kind: conv2d, name: Y, kernel: {name: W, shape: [2, 2]}}'),
    line: 8, key: 'network.layers[1].weights.name', says: /'W' already names something else \(line 7, network.layers\[0\].kernel.name\)/,
  },
  {
    name: 'kernels disagreeing with the kernel shape',
    text: net('{kind: conv2d, name: Y, kernels: 3, kernel: {name: K, shape: [2, 2, 2]}}'),
    line: 7, key: 'network.layers[0].kernels', says: /kernels: 3 but the kernel shape \[2, 2, 2\] holds 2/,
  },
  {
    name: 'a misspelt key',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}, strides: [1, 1]}'),
    line: 7, key: 'network.layers[0].strides', says: /unknown key 'strides'/,
  },
  {
    name: 'an unknown layer kind',
    text: net('{kind: conv3d, name: Y, kernel: {name: K, shape: [2, 2]}}'),
    line: 7, key: 'network.layers[0].kind', says: /expected one of conv1d, conv2d, pool, dense, activation, got "conv3d"/,
  },
  {
    name: 'weights of the wrong declared shape',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}}').replace('weights: {name: W}', 'weights: {name: W, shape: [4]}'),
    line: 8, key: 'network.layers[1].weights.shape', says: /the weights have shape \[2, 2\]/,
  },
  {
    name: 'shape asked of a name that is no layer',
    text: net('{kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}}', 'given: {}').replace('  - gradient: {of: E, wrt: [K]}', '  - shape: [Q]'),
    line: 12, key: 'ask[0].shape', says: /'Q' is not a layer of this network \(its layers: X, Y, o\)/,
  },
  {
    // max pooling routes by the values of its input, as the forward pass computes them: a missing input is a missing value
    name: 'max pooling without the values it routes by',
    text: net('{kind: pool, name: Y, window: [2, 2], stride: 1}', 'given: {W: [[1, 2], [3, 4]], z: 1}').replace('wrt: [K]', 'wrt: [W]'),
    line: 10, key: 'given', says: /'X' has no value \(add it under given\)/,
  },
];

function thrown(text: string): ProblemError {
  try {
    solve(parseProblem(text, 'bad.yaml'));
  } catch (e) {
    if (e instanceof ProblemError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('bad layers input: ProblemError with line and key', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const e = thrown(c.text);
      expect(e.message).toMatch(c.says);
      expect(e.file).toBe('bad.yaml');
      expect(e.key).toBe(c.key);
      expect(e.line).toBe(c.line);
    });
  }
});

describe('on the command line: exit 2, one line file:line: key: message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradsheet-layers-bad-'));
  const cli = CASES.filter((c) => c.cli);
  test(`${cli.length} cases`, async () => {
    const files = cli.map((c, i) => { const f = join(dir, `bad-${i}.yaml`); writeFileSync(f, c.text); return f; });
    const results = await runCliMany(files.map((f) => ['derive', f, '--json']));
    results.forEach((r, i) => {
      const c = cli[i]!;
      expect(r.status, c.name).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines, c.name).toHaveLength(1);
      expect(lines[0]).toContain(`${files[i]}:${c.line}: ${c.key}: `);
      expect(lines[0]).toMatch(c.says);
    });
  });
});
