/**
 * Recurrent networks drawn as in the seeds: the folded cell (a loop through
 * the recurrent weights) and the graph unrolled over the steps, both from
 * the validated spec, so the steps and names are the derivation's own.
 */
import type { RnnSpec } from './spec.js';
import type { Namer } from '../../tex/names.js';
import type { Diagram, DiagramEdge, DiagramNode } from '../../tex/diagram.js';
import type { SheetBlock } from '../../tex/sheet-blocks.js';

/** Steps drawn one by one; longer sequences show the first and last steps with an ellipsis between. */
export const MAX_DRAWN_STEPS = 6;

export function foldedRnn(spec: RnnSpec, namer: Namer): Diagram {
  const n = spec.names;
  const t = (name: string) => `${namer.tensor(name)}_t`;
  const nodes: DiagramNode[] = [
    { id: 'x', label: t(n.x), x: 0, y: 0, shape: 'circle', fill: 'input' },
    { id: 'h', label: t(n.h), x: 0, y: 1.8, shape: 'circle', fill: 'hidden' },
    { id: 'y', label: t(n.y), x: 0, y: 3.6 + (spec.stacked === 2 ? 1.8 : 0), shape: 'circle', fill: 'output' },
  ];
  const edges: DiagramEdge[] = [
    { from: 'x', to: 'h', label: namer.tensor(n.W1) },
    { from: 'h', to: 'h', label: namer.tensor(n.H1) },
  ];
  if (spec.stacked === 2) {
    nodes.push({ id: 's', label: t(n.s), x: 0, y: 3.6, shape: 'circle', fill: 'hidden' });
    edges.push({ from: 'h', to: 's', label: namer.tensor(n.W3) }, { from: 's', to: 's', label: namer.tensor(n.H3) }, { from: 's', to: 'y', label: namer.tensor(n.W2) });
  } else edges.push({ from: 'h', to: 'y', label: namer.tensor(n.W2) });
  return { nodes, edges };
}

export function unrolledRnn(spec: RnnSpec, namer: Namer): Diagram {
  const n = spec.names;
  const T = spec.steps;
  const steps = T <= MAX_DRAWN_STEPS ? range(1, T) : [1, 2, -1, T - 1, T];
  const col = (i: number) => 1.9 + i * 1.9;
  const nodes: DiagramNode[] = [{ id: 'h0', label: `${namer.tensor(n.h)}_0`, x: 0, y: 1.6, shape: 'circle', fill: 'input' }];
  const edges: DiagramEdge[] = [];
  const top = spec.stacked === 2 ? 4.8 : 3.2;
  if (spec.stacked === 2) nodes.push({ id: 's0', label: `${namer.tensor(n.s)}_0`, x: 0, y: 3.2, shape: 'circle', fill: 'input' });
  let prev = 'h0', prevS = 's0';
  steps.forEach((t, i) => {
    const x = col(i);
    if (t < 0) {
      nodes.push({ id: `dots${i}`, label: '\\cdots', x, y: 1.6, shape: 'text' });
      edges.push({ from: prev, to: `dots${i}` });
      prev = `dots${i}`;
      if (spec.stacked === 2) { nodes.push({ id: `sdots${i}`, label: '\\cdots', x, y: 3.2, shape: 'text' }); edges.push({ from: prevS, to: `sdots${i}` }); prevS = `sdots${i}`; }
      return;
    }
    const withOutput = spec.mode === 'many-to-many' || t === T;
    nodes.push({ id: `x${t}`, label: `${namer.tensor(n.x)}_{${t}}`, x, y: 0, shape: 'circle', fill: 'input' });
    nodes.push({ id: `h${t}`, label: `${namer.tensor(n.h)}_{${t}}`, x, y: 1.6, shape: 'circle', fill: 'hidden' });
    edges.push({ from: `x${t}`, to: `h${t}`, label: i === 0 ? namer.tensor(n.W1) : undefined });
    edges.push({ from: prev, to: `h${t}`, label: namer.tensor(n.H1) });
    prev = `h${t}`;
    let below = `h${t}`;
    if (spec.stacked === 2) {
      nodes.push({ id: `s${t}`, label: `${namer.tensor(n.s)}_{${t}}`, x, y: 3.2, shape: 'circle', fill: 'hidden' });
      edges.push({ from: `h${t}`, to: `s${t}`, label: i === 0 ? namer.tensor(n.W3) : undefined }, { from: prevS, to: `s${t}`, label: namer.tensor(n.H3) });
      prevS = `s${t}`;
      below = `s${t}`;
    }
    if (withOutput) {
      nodes.push({ id: `y${t}`, label: `${namer.tensor(n.y)}_{${t}}`, x, y: top, shape: 'circle', fill: 'output' });
      edges.push({ from: below, to: `y${t}`, label: i === 0 || t === T ? namer.tensor(n.W2) : undefined });
    }
  });
  return { nodes, edges };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** The folded cell and the unrolled graph of a recurrent network. */
export function rnnFigures(spec: RnnSpec, namer: Namer): SheetBlock[] {
  return [
    { kind: 'figure', caption: 'The recurrent cell, folded: the loop is the recurrent weight, applied at every step.', figure: { type: 'diagram', diagram: foldedRnn(spec, namer) } },
    { kind: 'figure', caption: `Unrolled over the ${spec.steps} steps: the same weights on every step${spec.mode === 'many-to-one' ? '; only the last step has an output' : ''}.`, figure: { type: 'diagram', diagram: unrolledRnn(spec, namer) } },
  ];
}
