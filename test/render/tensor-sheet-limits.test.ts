/**
 * A tensor sheet stays readable however many equations a problem has: the
 * network, the given values and the backward pass list their first 40 items
 * and say how many more there are (every value stays in derive --json). A
 * 6,000-layer chain's sheets went from 14 MB of HTML to a few hundred KB.
 */
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/derive/solve.js';
import { parseProblem } from '../../src/problem/load.js';
import { sheetModel } from '../../src/render/sheet.js';

const L = 60;
const yaml = [
  'id: deep-tensor',
  'title: sixty residual layers',
  'network:',
  '  kind: equations',
  '  equations:',
  // residual layers: each h is used twice, so each adjoint is named
  ...Array.from({ length: L }, (_, i) => { const prev = i === 0 ? 'x' : `h${i}`; return `    h${i + 1}: tanh(W${i + 1} @ ${prev}) + ${prev}`; }),
  `    E: sum(h${L})`,
  'given:',
  '  x: [0.5, -0.5]',
  ...Array.from({ length: L }, (_, i) => `  W${i + 1}: [[0.9, 0.1], [-0.2, 0.8]]`),
  'ask:',
  '  - gradient: {of: E, wrt: [W1]}',
].join('\n');

describe('a tensor sheet of 60 layers', () => {
  const model = sheetModel(solve(parseProblem(yaml, 'deep.yaml')));
  const text = (title: string, where: 'problem' | 'solution') => JSON.stringify(model[where].find((s) => s.title.startsWith(title))?.blocks ?? []);

  it('lists 40 equations, then the count and the last one', () => {
    const network = text('The network', 'problem');
    expect(network).toContain('21 more equations follow, the last:');
    expect(network).toContain('\\\\mathbf{h}_{40}');
    expect(network).not.toContain('\\\\mathbf{h}_{41} &=');
  });

  it('lists 40 given tensors, then the count', () => {
    expect(text('Given values', 'problem')).toContain('21 more given values are not listed here');
  });

  it('lists 40 named adjoints, then the count', () => {
    expect(text('The backward pass', 'solution')).toMatch(/\d+ more adjoints follow the same way and are not listed here; derive --json has every value/);
  });
});
