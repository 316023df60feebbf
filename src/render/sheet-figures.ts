/** The figures a sheet shows, as blocks: the network, the backward paths of a gradient, gradient magnitudes per layer. */
import type { Solution } from '../derive/solve.js';
import type { SheetBlock } from '../tex/sheet-blocks.js';
import type { Namer } from '../tex/names.js';
import { barKey, reverseAccumulate } from '../diff/reverse.js';
import { evalExpr } from '../numeric/evaluate.js';
import { PATH_COLORS } from '../tex/diagram.js';
import { highlightPaths, networkCaption, networkLayout, type NetworkLayout } from '../tex/network-figure.js';
import { kindOf } from '../networks/registry.js';

const layouts = new WeakMap<Solution, NetworkLayout | null>();

function layoutOf(sol: Solution, namer: Namer): NetworkLayout | null {
  if (!layouts.has(sol)) layouts.set(sol, networkLayout(sol.graph, namer));
  return layouts.get(sol)!;
}

/** The network: the kind's own figures (a conv layer's grids, a folded and unrolled RNN), else its drawn graph. */
export function networkFigures(sol: Solution, namer: Namer): SheetBlock[] {
  const spec = sol.problem.network;
  const own = kindOf(spec).networkFigures?.(spec, sol, namer);
  if (own) return own;
  const layout = layoutOf(sol, namer);
  if (!layout) return [];
  return [{ kind: 'figure', caption: networkCaption(layout), figure: { type: 'diagram', diagram: layout.diagram } }];
}

/** Figures a kind adds after its gradients (a chain's gradient magnitude per layer). */
export function gradientFigures(sol: Solution): SheetBlock[] {
  const spec = sol.problem.network;
  return kindOf(spec).gradientFigures?.(spec, sol) ?? [];
}

/** Layer-level kinds (conv, rnn) are shown by their layer-level forms; a path through hundreds of scalar nodes teaches nothing. */
const layerLevel = (sol: Solution): boolean => kindOf(sol.problem.network).layerLevel === true;

const COLOR_NAMES: Record<string, string> = { p1: 'red', p2: 'blue', p3: 'green', p4: 'purple', p5: 'orange', p6: 'brown', p7: 'pink', p8: 'cyan' };

/**
 * One figure for a family of gradients (every asked derivative of one output
 * whose chain is a single path): the arrows along which the derivative flows
 * back from `of` to each asked leaf, in one colour. A derivative that sums
 * over several paths gets its own figure (pathsFigure), one colour per term.
 */
export function familyFigure(sol: Solution, namer: Namer, ofL: string, entries: ReadonlyArray<{ readonly wrtL: string; readonly path: readonly string[] }>): SheetBlock | null {
  if (layerLevel(sol) || entries.length === 0) return null;
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
  if (layerLevel(sol)) return null;
  const layout = layoutOf(sol, namer);
  if (!layout || paths.length === 0) return null;
  const colors = paths.map((_, i) => COLOR_NAMES[PATH_COLORS[i % PATH_COLORS.length]!]);
  const caption = paths.length === 1
    ? `The backward path from $${ofL}$ to $${wrtL}$ (${colors[0]}).`
    : `The ${paths.length} backward paths from $${ofL}$ to $${wrtL}$, one colour per term of the sum, in order: ${colors.join(', ')}.`;
  return { kind: 'figure', caption, figure: { type: 'diagram', diagram: highlightPaths(layout, paths) } };
}

/** ||dh_T/dh_k|| (spectral norm) for every k, from the recurrent report, on a log scale. */
export function stateNormPlot(sol: Solution): SheetBlock | null {
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
