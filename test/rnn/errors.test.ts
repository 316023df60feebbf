/** Bad RNN input is a ProblemError naming the line and key (exit 2 on the command line), never a stack trace. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { ProblemError } from '../../src/errors.js';
import { solveText } from './helpers.js';

const BASE = `id: bad-rnn
title: bad
network:
  kind: rnn
  mode: many-to-many
  steps: 2
  sizes: {input: 3, hidden: 2, output: 2}
  hidden: tanh
  output: softmax
  loss: cross-entropy
given:
  x: [[1, 0, 0], [0, 1, 0]]
  t: [[1, 0], [0, 1]]
  h0: {fill: 0}
  W1: {fill: 0.1}
  H1: {fill: 0.1}
  b1: {fill: 0.1}
  W2: {fill: 0.1}
  b2: {fill: 0.1}
ask:
  - gradient: {of: E, wrt: [W1]}
`;

/** The error of solving `text`, which must be a ProblemError. */
function errorOf(text: string): ProblemError {
  try {
    solveText(text, 'bad.yaml');
  } catch (e) {
    if (e instanceof ProblemError) return e;
    throw e;
  }
  throw new Error('no error');
}

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('bad RNN input', () => {
  it('the base problem itself is fine', () => {
    expect(solveText(BASE).json.check.passed).toBe(true);
  });

  it('a weight whose shape does not match the sizes', () => {
    const text = BASE.replace('W1: {fill: 0.1}', 'W1: [[0.1, 0.1], [0.1, 0.1]]');
    const e = errorOf(text);
    expect(e.key).toBe('given.W1');
    expect(e.line).toBe(lineOf(text, 'W1: [['));
    expect(e.file).toBe('bad.yaml');
    expect(e.message).toContain('hidden x input = 2 x 3');
    expect(e.message).toContain('[2, 2]');
  });

  it('inputs with a row count other than steps', () => {
    const text = BASE.replace('x: [[1, 0, 0], [0, 1, 0]]', 'x: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]');
    const e = errorOf(text);
    expect(e.key).toBe('given.x');
    expect(e.message).toContain('one row per step: steps x input = 2 x 3');
  });

  it('a one-dimensional input written as a flat list gets a hint', () => {
    const text = BASE.replace('{input: 3,', '{input: 1,').replace('x: [[1, 0, 0], [0, 1, 0]]', 'x: [1, 0]');
    const e = errorOf(text);
    expect(e.key).toBe('given.x');
    expect(e.message).toContain('write one row per step');
  });

  it('a many-to-one target with one row per step', () => {
    const text = BASE.replace('mode: many-to-many', 'mode: many-to-one');
    const e = errorOf(text);
    expect(e.key).toBe('given.t');
    expect(e.message).toContain('one vector of the output size 2 (many-to-one)');
  });

  it('steps below 1', () => {
    for (const steps of ['0', '-3']) {
      const text = BASE.replace('steps: 2', `steps: ${steps}`);
      const e = errorOf(text);
      expect(e.key).toBe('network.steps');
      expect(e.line).toBe(lineOf(text, 'steps:'));
      expect(e.message).toContain('at least 1');
    }
  });

  it('a cross-entropy target that is not a distribution', () => {
    const text = BASE.replace('t: [[1, 0], [0, 1]]', 't: [[1, 0], [1, 1]]');
    const e = errorOf(text);
    expect(e.key).toBe('given.t');
    expect(e.line).toBe(lineOf(text, 't: [['));
    expect(e.message).toContain('(step 2) it sums to 2');
  });

  it('a negative or too large probability', () => {
    const e = errorOf(BASE.replace('t: [[1, 0], [0, 1]]', 't: [[1.5, -0.5], [0, 1]]'));
    expect(e.key).toBe('given.t');
    expect(e.message).toContain('[0, 1]');
  });

  it('a binary cross-entropy target outside [0, 1] (sigmoid output)', () => {
    const e = errorOf(BASE.replace('output: softmax', 'output: sigmoid').replace('t: [[1, 0], [0, 1]]', 't: [[1, 0], [0, 2]]'));
    expect(e.message).toContain('probabilities in [0, 1]');
  });

  it('a missing initial state', () => {
    const text = BASE.replace('  h0: {fill: 0}\n', '');
    const e = errorOf(text);
    expect(e.key).toBe('given');
    expect(e.line).toBe(lineOf(text, 'given:'));
    expect(e.message).toContain("the initial state 'h0' is missing");
  });

  it("a missing second-layer initial state (stacked: 2)", () => {
    const text = BASE.replace('  loss: cross-entropy', '  loss: cross-entropy\n  stacked: 2').replace('b2: {fill: 0.1}', 'b2: {fill: 0.1}\n  W3: {fill: 0.1}\n  H3: {fill: 0.1}\n  b3: {fill: 0.1}');
    expect(errorOf(text).message).toContain("the second layer initial state 's0' is missing");
  });

  it('names that collide', () => {
    const text = BASE.replace('  loss: cross-entropy', '  loss: cross-entropy\n  names: {h: z}');
    const e = errorOf(text);
    expect(e.key).toBe('network.names.h');
    expect(e.message).toContain("'z' would name both");
  });

  it('names of parts the network does not have', () => {
    const cases: Array<[string, string]> = [
      ['names: {input2: V}', 'stacked: 2'],
      ['names: {hiddenBias: c}\n  bias: false', 'bias is false'],
      ['names: {foo: bar}', "unknown name key 'foo'"],
    ];
    for (const [extra, message] of cases) {
      expect(errorOf(BASE.replace('  loss: cross-entropy', `  loss: cross-entropy\n  ${extra}`)).message).toContain(message);
    }
    const m2o = BASE.replace('mode: many-to-many', 'mode: many-to-one').replace('  loss: cross-entropy', '  loss: cross-entropy\n  names: {e: Et}');
    expect(errorOf(m2o).message).toContain('many-to-one network has only E');
  });

  it('a softmax over one output and cross-entropy after an identity output', () => {
    const one = errorOf(BASE.replace('output: 2}', 'output: 1}'));
    expect(one.key).toBe('network.output');
    const ce = errorOf(BASE.replace('output: softmax', 'output: identity'));
    expect(ce.key).toBe('network.loss');
  });

  it('unknown keys, hidden2 without stacking, a bad activation', () => {
    expect(errorOf(BASE.replace('  hidden: tanh', '  hiden: tanh')).message).toContain("unknown key 'hiden'");
    expect(errorOf(BASE.replace('hidden: 2,', 'hidden: 2, hidden2: 3,')).key).toBe('network.sizes.hidden2');
    expect(errorOf(BASE.replace('  hidden: tanh', '  hidden: softmax')).key).toBe('network.hidden');
  });

  it('on the command line: exit 2 and one line naming file, line and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradsheet-rnn-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, BASE.replace('steps: 2', 'steps: 0'));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['derive', file, '--json'])).toBe(2);
      const msg = err.mock.calls.map((c) => String(c[0])).join('');
      expect(msg).toContain(`${file}:${lineOf(BASE, 'steps:')}: network.steps:`);
      expect(msg).not.toContain('    at ');
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
