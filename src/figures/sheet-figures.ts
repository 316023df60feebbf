/** The figures a sheet shows, as blocks: the network, the backward paths of a gradient, gradient magnitudes per layer. */
import type { Solution } from '../derive/solve.js';
import type { SheetBlock } from '../networks/built.js';
import type { Namer } from '../render/names.js';
import { barKey, reverseAccumulate } from '../diff/reverse.js';
import { evalExpr } from '../numeric/evaluate.js';
import { PATH_COLORS } from './diagram.js';
import { highlightPaths, networkCaption, networkLayout, type NetworkLayout } from './network.js';
import { slidingFigure } from './conv.js';
import { foldedRnn, unrolledRnn } from './rnn.js';
import { isConv, type ConvLayer, type LayersSpec, type PoolLayer } from '../networks/layers/types.js';

const layouts = new WeakMap<Solution, NetworkLayout | null>();

function layoutOf(sol: Solution, namer: Namer): NetworkLayout | null {
  if (!layouts.has(sol)) layouts.set(sol, networkLayout(sol.graph, namer));
  return layouts.get(sol)!;
}

export function networkFigure(sol: Solution, namer: Namer): SheetBlock | null {
  const spec = sol.problem.network;
  if (spec.kind === 'layers') return layersFigure(spec, namer);
  if (spec.kind === 'rnn') return null; // drawn by rnnFigures, folded and unrolled
  const layout = layoutOf(sol, namer);
  if (!layout) return null;
  return { kind: 'figure', caption: networkCaption(layout), figure: { type: 'diagram', diagram: layout.diagram } };
}

const COLOR_NAMES: Record<string, string> = { p1: 'red', p2: 'blue', p3: 'green', p4: 'purple', p5: 'orange', p6: 'brown', p7: 'pink', p8: 'cyan' };

/**
 * One figure for a family of gradients (every asked derivative of one output
 * whose chain is a single path): the arrows along which the derivative flows
 * back from `of` to each asked leaf, in one colour. A derivative that sums
 * over several paths gets its own figure (pathsFigure), one colour per term.
 */
export function familyFigure(sol: Solution, namer: Namer, ofL: string, entries: ReadonlyArray<{ readonly wrtL: string; readonly path: readonly string[] }>): SheetBlock | null {
  if (sol.problem.network.kind === 'layers' || sol.problem.network.kind === 'rnn' || entries.length === 0) return null;
  const layout = layoutOf(sol, namer);
  if (!layout) return null;
  const names = entries.map((e) => `$${e.wrtL}$`);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const caption = entries.length === 1
    ? `The backward path from $${ofL}$ to ${list} (red): the chain rule below multiplies the local derivatives along it.`
    : `The backward paths from $${ofL}$ to ${list} (red): each derivative below that has a single chain multiplies the local derivatives along its own path.`;
  return { kind: 'figure', caption, figure: { type: 'diagram', diagram: highlightPaths(layout, entries.map((e) => e.path), true) } };
}

/** The backward paths of one gradient entry, one colour per path (matching the terms of the chain-rule sum, in order). */
export function pathsFigure(sol: Solution, namer: Namer, paths: readonly (readonly string[])[], ofL: string, wrtL: string): SheetBlock | null {
  // Layered networks (conv, rnn) are shown by their layer-level forms; a path through hundreds of scalar nodes teaches nothing.
  if (sol.problem.network.kind === 'layers' || sol.problem.network.kind === 'rnn') return null;
  const layout = layoutOf(sol, namer);
  if (!layout || paths.length === 0) return null;
  const colors = paths.map((_, i) => COLOR_NAMES[PATH_COLORS[i % PATH_COLORS.length]!]);
  const caption = paths.length === 1
    ? `The backward path from $${ofL}$ to $${wrtL}$ (${colors[0]}).`
    : `The ${paths.length} backward paths from $${ofL}$ to $${wrtL}$, one colour per term of the sum, in order: ${colors.join(', ')}.`;
  return { kind: 'figure', caption, figure: { type: 'diagram', diagram: highlightPaths(layout, paths) } };
}

/**
 * For a chain (seed 000 Q2): |d o / d b_i| for every layer i, on a log scale,
 * the picture of vanishing and exploding gradients.
 */
export function chainMagnitudePlot(sol: Solution): SheetBlock | null {
  if (sol.problem.network.kind !== 'chain') return null;
  const depth = sol.problem.network.depth;
  const of = sol.network.output;
  const biases = Array.from({ length: depth + 1 }, (_, i) => `b${i + 1}`);
  if (!biases.every((b) => sol.leaves.has(b))) return null;
  const adj = reverseAccumulate(sol.graph, of, biases);
  const bv = new Map<string, number>();
  const env = (k: string) => bv.get(k) ?? sol.values.get(k);
  for (const [k, d] of adj.defs) bv.set(k, evalExpr(d, env));
  const points = biases.map((b, i) => ({ x: i + 1, y: Math.abs(bv.get(barKey(b)) ?? 0) }));
  return {
    kind: 'figure',
    caption: `How large the gradient is at each layer: $|\\partial o/\\partial b_i|$ on a logarithmic scale (layer ${depth + 1} is the output).`,
    figure: { type: 'plot', plot: { title: 'gradient magnitude per layer', xLabel: 'i', yLabel: '|\\partial o/\\partial b_i|', points } },
  };
}

/** The first sliding layer of a `layers` network: input grid, kernel (or pooling window) and output grid. */
function layersFigure(spec: LayersSpec, namer: Namer): SheetBlock | null {
  const layer = spec.layers.find((l): l is ConvLayer | PoolLayer => isConv(l) || l.kind === 'pool');
  if (!layer) return null;
  const index = spec.layers.indexOf(layer);
  const input = index === 0 ? spec.input.name : spec.layers[index - 1]!.name;
  const diagram = slidingFigure(layer, input, namer);
  if (!diagram) return null;
  const [r, c] = layer.axes;
  const what = layer.kind === 'pool'
    ? `a ${r.window}x${c.window} ${layer.op}-pooling window`
    : 'the kernel (it slides over the input without flipping, as in the seeds)';
  const stride = layer.kind === 'conv1d' ? `${c.stride}` : `${r.stride}x${c.stride}`;
  const pad = r.before + r.after + c.before + c.after > 0 ? ' Dashed cells are zero padding.' : '';
  return {
    kind: 'figure',
    caption: `Layer $${namer.tensor(layer.name)}$: the highlighted input window, combined with ${what}, gives the highlighted output element; stride ${stride}.${pad}`,
    figure: { type: 'diagram', diagram },
  };
}

/** The folded cell and the unrolled graph of a recurrent network. */
export function rnnFigures(sol: Solution, namer: Namer): SheetBlock[] {
  const spec = sol.problem.network;
  if (spec.kind !== 'rnn') return [];
  return [
    { kind: 'figure', caption: 'The recurrent cell, folded: the loop is the recurrent weight, applied at every step.', figure: { type: 'diagram', diagram: foldedRnn(spec, namer) } },
    { kind: 'figure', caption: `Unrolled over the ${spec.steps} steps: the same weights on every step${spec.mode === 'many-to-one' ? '; only the last step has an output' : ''}.`, figure: { type: 'diagram', diagram: unrolledRnn(spec, namer) } },
  ];
}

/** ||dh_T/dh_k|| (spectral norm) for every k, from the recurrent report, on a log scale. */
export function rnnNormPlot(sol: Solution): SheetBlock | null {
  const norms = sol.report.json?.hiddenJacobianNorms as Array<{ state: string; values: Array<{ k: number; spectral: number }> }> | undefined;
  const first = norms?.[0];
  if (!first || first.values.length < 2) return null;
  const T = Math.max(...first.values.map((v) => v.k));
  return {
    kind: 'figure',
    caption: `How much of a gradient at the last step reaches step $k$: the spectral norm (largest singular value) $\\|\\partial h_{${T}}/\\partial h_k\\|_2$ for every $k$, on a logarithmic scale.`,
    figure: { type: 'plot', plot: { title: 'hidden-state Jacobian norms', xLabel: 'k', yLabel: `\\|\\partial h_{${T}}/\\partial h_k\\|_2`, points: first.values.map((v) => ({ x: v.k, y: v.spectral })) } },
  };
}
