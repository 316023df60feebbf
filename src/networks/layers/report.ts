/**
 * What a `layers` network adds to `derive --json` and to the sheets: shapes,
 * parameter counts, padding, max-pool routing, layer deltas, and the check of
 * the layer-level forms against the scalar graph.
 */
import { Namer } from '../../tex/names.js';
import type { KindSolution as Solution } from '../core/solution.js';
import type { NetworkReport, SheetSection } from '../core/built.js';
import { denseComparison, parameterCounts, totalParameters } from './counts.js';
import { layerLevel } from './compare.js';
import type { Expansion } from './expand.js';
import { samePadding } from './geometry.js';
import { Tex } from './latex.js';
import { architectureSection, convConventionSection, paddingSection, parametersSection, shapesSection } from './sheet-structure.js';
import { checkSection, layerGradientSection } from './sheet-gradients.js';
import { routingSection } from './sheet-values.js';
import { nested } from './tensor.js';
import { isConv, layerParameters, type ConvLayer, type LayersSpec, type PoolLayer } from './types.js';

export function layersReport(spec: LayersSpec, ex: Expansion | null, sol: Solution): NetworkReport {
  const problem = sol.problem;
  const tex = new Tex(problem.symbols);
  const counts = parameterCounts(spec);
  const json: Record<string, unknown> = {
    shapes: shapesOf(spec),
    parameterCount: totalParameters(counts),
    parametersPerLayer: counts.map(({ weightFactors: _f, ...c }) => c),
  };
  const sections: SheetSection[] = [];
  const conv = convConventionSection(spec, tex);
  if (conv) sections.push(conv);
  const shapeAsks = problem.ask.flatMap((a) => (a.kind === 'shape' ? a.names : []));
  if (shapeAsks.some((n) => n !== spec.input.name)) sections.push(shapesSection(spec, shapeAsks.filter((n) => n !== spec.input.name), tex));
  if (problem.ask.some((a) => a.kind === 'padding')) {
    json.padding = paddingOf(spec);
    sections.push(paddingSection(spec, tex));
  }
  const compare = problem.ask.some((a) => a.kind === 'parameters' && a.compare === 'dense');
  if (compare) json.denseComparison = denseComparison(spec);
  if (problem.ask.some((a) => a.kind === 'parameters')) sections.push(parametersSection(spec, compare, tex));

  let layerCheck: NetworkReport['layerCheck'];
  if (ex) {
    const level = layerLevel(spec, sol, ex.routes);
    if (level.misrouted.length) {
      // The graph was built at other values than it was solved at (a variant's drawn values reach solve() but not the builder).
      const pool = spec.layers.find((l) => l.name === sol.graph.nodes.get(level.misrouted[0]!)!.tensor)!;
      pool.field.fail(`max pooling routes by the values it was built at, and the values solved here put the maximum of ${level.misrouted[0]} elsewhere: drawn values (variants) that change a max-pool input are not supported yet`);
    }
    const namer = new Namer(sol.graph, problem.symbols);
    // each layer's output is in the forward pass, channel by channel
    const routing = routingSection(ex.routes, sol.values, namer, problem.precision);
    if (routing) sections.push(routing);
    if (ex.routes.size) json.routing = Object.fromEntries([...ex.routes].map(([layer, rs]) => [layer, rs.map((r) => ({
      output: r.output, to: r.window[r.selected], value: sol.values.get(r.output) ?? null, window: r.window, ties: r.ties.map((t) => r.window[t]),
    }))]));
    const deltas: Record<string, Record<string, unknown>> = {};
    for (const [of, bw] of level.backward) {
      deltas[of] = Object.fromEntries(bw.layers.map((lg) => [lg.layer, nested(lg.delta)]));
      sections.push(layerGradientSection(spec, sol, level.states, of, bw, tex, namer));
    }
    if (level.backward.size) json.deltas = deltas;
    json.layerCheck = level.check;
    layerCheck = { maxRelError: level.check.maxRelError, compared: level.check.compared };
    if (level.check.compared) sections.push(checkSection(level.check));
  }
  return { json, sections, problemSections: [architectureSection(spec, tex)], ...(layerCheck ? { layerCheck } : {}) };
}

/** Every tensor of the network: input, each layer's parameters and output, target and loss. */
export function shapesOf(spec: LayersSpec): Record<string, number[]> {
  const out: Record<string, number[]> = { [spec.input.name]: [...spec.input.shape] };
  for (const l of spec.layers) {
    for (const p of layerParameters(l)) out[p.name] = [...p.shape];
    out[l.name] = [...l.outShape];
  }
  if (spec.loss) {
    out[spec.loss.target] = [...spec.layers[spec.layers.length - 1]!.outShape];
    out[spec.loss.name] = [];
  }
  return out;
}

/** The padding that keeps the size, per dimension, for the layers the padding section covers. */
export function paddingOf(spec: LayersSpec): Record<string, { before: number[]; after: number[] }> {
  const sliding = spec.layers.filter((l): l is ConvLayer | PoolLayer => isConv(l) || l.kind === 'pool');
  const chosen = sliding.some((l) => l.samePadding) ? sliding.filter((l) => l.samePadding) : sliding.filter(isConv);
  return Object.fromEntries(chosen.map((l) => {
    const axes = l.in.spatial.length === 2 ? l.axes : [l.axes[1]];
    const pads = axes.map((a) => samePadding(a.size, a.window, a.stride));
    return [l.name, { before: pads.map((p) => p.before), after: pads.map((p) => p.after) }];
  }));
}
