/**
 * What a `layers` network adds to `derive --json` and to the sheets: shapes,
 * parameter counts, padding (from the spec alone), and, where the tensor
 * engine derived it, max-pool routing, layer deltas, the layer-level sheet
 * sections and the check of the tensor level against the scalar level.
 */
import { Namer } from '../../tex/names.js';
import type { KindSolution as Solution } from '../core/solution.js';
import type { NetworkReport, SheetSection } from '../core/built.js';
import { denseComparison, parameterCounts, totalParameters } from './counts.js';
import { Tex } from './latex.js';
import { readLevels } from './levels.js';
import { routesOf } from './routing.js';
import { paddingOf, shapesOf } from './shapes.js';
import { architectureSection, convConventionSection, paddingSection, parametersSection, shapesSection } from './sheet-structure.js';
import { checkSection, layerGradientSection } from './sheet-gradients.js';
import { routingSection } from './sheet-values.js';
import { nested } from './tensor.js';
import type { LayersSpec } from './types.js';

export function layersReport(spec: LayersSpec, sol: Solution): NetworkReport {
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
  const level = readLevels(spec, sol);
  if (level && sol.tensor) {
    const namer = new Namer(sol.graph, problem.symbols);
    const routes = routesOf(spec, sol.values);
    // each layer's output is in the forward pass, channel by channel
    const routing = routingSection(routes, sol.values, namer, problem.precision);
    if (routing) sections.push(routing);
    if (routes.size) json.routing = Object.fromEntries([...routes].map(([layer, rs]) => [layer, rs.map((r) => ({
      output: r.output, to: r.window[r.selected], value: sol.values.get(r.output) ?? null, window: r.window, ties: r.ties.map((t) => r.window[t]),
    }))]));
    const deltas: Record<string, Record<string, unknown>> = {};
    for (const [of, bw] of level.backward) {
      deltas[of] = Object.fromEntries(bw.layers.map((lg) => [lg.layer, nested(lg.delta)]));
      sections.push(layerGradientSection(spec, sol, level.states, of, bw, tex, namer));
    }
    if (level.backward.size) json.deltas = deltas;
    // the tensor level (the layer-level forms) against the scalar level, entry by entry, where it ran:
    // every layer's forward values and every gradient entry (its largest difference over the largest gradient)
    const sl = sol.tensor.scalarLevel;
    if (sl.ran && sl.maxAbsDiff !== null) {
      const scale = Math.max(0, ...sol.tensor.gradients.flatMap((g) => [...g.value.data].map(Math.abs)));
      const grads = sl.maxAbsDiff === 0 ? 0 : sl.maxAbsDiff / scale;
      const check = { maxRelError: Math.max(grads, sl.values?.maxRelDiff ?? 0), compared: sl.compared + (sl.values?.compared ?? 0) };
      json.layerCheck = { ...check, worst: null };
      layerCheck = check;
      if (check.compared) sections.push(checkSection(check));
    }
  }
  return { json, sections, problemSections: [architectureSection(spec, tex)], ...(layerCheck ? { layerCheck } : {}) };
}
