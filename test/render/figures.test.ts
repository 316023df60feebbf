/**
 * Figures drawn truthfully from the graph (issue 17, item 4): every leaf is
 * an input node unless it only multiplies (then it labels the arrow), every
 * computed node an inner node, an arrow that skips a node curves around it,
 * captions say only what is drawn, and one figure per family of gradients.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseProblem } from '../../src/problem/load.js';
import { loadProblem } from '../../src/problem/read.js';
import { solve } from '../../src/derive/solve.js';
import { sheetModel } from '../../src/render/sheet.js';
import { Namer } from '../../src/tex/names.js';
import { bentControls, type Diagram } from '../../src/tex/diagram.js';
import { networkCaption, networkLayout } from '../../src/tex/network-figure.js';
import type { SheetSection } from '../../src/networks/core/built.js';

const layoutOf = (yaml: string) => {
  const sol = solve(parseProblem(yaml, 'figure.yaml'));
  return networkLayout(sol.graph, new Namer(sol.graph, sol.problem.symbols))!;
};
const fromFile = (id: string) => {
  const sol = solve(loadProblem(join('problems', `${id}.yaml`)));
  return { sol, layout: networkLayout(sol.graph, new Namer(sol.graph, sol.problem.symbols))! };
};
const node = (d: Diagram, id: string) => d.nodes.find((n) => n.id === id);
const figures = (sections: readonly SheetSection[]) => sections.flatMap((s) => s.blocks.filter((b) => b.kind === 'figure'));

describe('the network figure', () => {
  it('draws every leaf as an input node and every computed node as an inner node (radial-basis unit)', () => {
    const { layout } = fromFile('own-rbf-abs-error');
    const d = layout.diagram;
    for (const leaf of ['x1', 'x2', 'c1', 'c2', 's', 't']) expect(node(d, leaf)?.fill, leaf).toBe('input');
    for (const inner of ['r', 'g', 'o']) expect(node(d, inner)?.fill, inner).toBe('hidden');
    expect(node(d, 'E')?.fill).toBe('output');
    // a multiplies g and nothing else: it labels the arrow g -> o instead of being a node
    expect(node(d, 'a')).toBeUndefined();
    expect(d.edges.find((e) => e.from === 'g' && e.to === 'o')?.label).toBe('a');
  });

  it('labels an arrow with the weight only where the weight multiplies its source (shared weight)', () => {
    const { layout } = fromFile('own-shared-weight');
    const d = layout.diagram;
    expect(d.edges.find((e) => e.from === 'x1' && e.to === 'h')?.label).toBe('w');
    expect(d.edges.find((e) => e.from === 'h' && e.to === 'o')?.label).toBe('w');
    expect(node(d, 'b')?.fill).toBe('input'); // a bias is added, not multiplied
    expect(node(d, 't')?.fill).toBe('input');
    expect(networkCaption(layout)).toContain('A label on an arrow is the parameter that multiplies');
  });

  it('routes a skip connection around the node it skips, in both drawings alike', () => {
    const layout = layoutOf(`id: skip\ntitle: skip\nnetwork:\n  kind: equations\n  equations:\n    h1: tanh(w1*x)\n    h2: tanh(w2*h1)\n    o: h2 + h1\ngiven: {x: 1, w1: 0.5, w2: 0.5}\nask: [{forward: [o]}]\n`);
    const d = layout.diagram;
    const skip = d.edges.find((e) => e.from === 'h1' && e.to === 'o')!;
    expect(skip.bend ?? 0).not.toBe(0);
    // the curve stays clear of h2 (sampled along the cubic both TikZ and SVG draw)
    const a = node(d, 'h1')!, b = node(d, 'o')!, mid = node(d, 'h2')!;
    const [c1, c2] = bentControls(a, b, skip.bend!);
    for (let t = 0; t <= 1; t += 0.02) {
      const m = 1 - t;
      const x = m ** 3 * a.x + 3 * m * m * t * c1.x + 3 * m * t * t * c2.x + t ** 3 * b.x;
      const y = m ** 3 * a.y + 3 * m * m * t * c1.y + 3 * m * t * t * c2.y + t ** 3 * b.y;
      expect(Math.hypot(x - mid.x, y - mid.y)).toBeGreaterThan(0.45);
    }
    // the straight arrows stay straight
    expect(d.edges.find((e) => e.from === 'h1' && e.to === 'h2')?.bend).toBeUndefined();
    expect(networkCaption(layout)).toContain('curved arrow');
    // nothing is labelled there, so the caption does not say arrows carry weights
    const chain = layoutOf(`id: plain\ntitle: plain\nnetwork:\n  kind: equations\n  equations:\n    h: tanh(x)\n    o: h + 1\ngiven: {x: 1}\nask: [{forward: [o]}]\n`);
    expect(networkCaption(chain)).not.toContain('label');
    expect(networkCaption(chain)).not.toContain('curved');
  });
});

describe('one figure per family of gradients', () => {
  it('the XOR MLP: the network, then one backward-path figure for its four gradients', () => {
    const model = sheetModel(solve(loadProblem('problems/seed000-q1-xor-corrected.yaml')));
    const figs = figures(model.solution);
    expect(figs).toHaveLength(2);
    expect(figs[1]!.kind === 'figure' && figs[1]!.caption).toContain('backward paths');
  });

  it('a sum over two paths keeps its own figure, one colour per term', () => {
    const model = sheetModel(solve(loadProblem('problems/own-shared-weight.yaml')));
    const captions = figures(model.solution).map((f) => (f.kind === 'figure' ? f.caption : ''));
    // dE/dw and do/dw each sum two paths; the single chains of E (to b and v) share one figure; o has no single chain
    expect(captions.filter((c) => c.includes('one colour per term of the sum'))).toHaveLength(2);
    expect(captions.filter((c) => c.startsWith('The backward path'))).toHaveLength(1);
    expect(captions).toHaveLength(4);
  });
});
