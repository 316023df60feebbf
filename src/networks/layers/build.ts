/**
 * `kind: layers` (contract 2.4): the builder. A problem that asks only for
 * shapes, padding or parameter counts is not expanded element by element:
 * its graph holds just the leaves that `given` names (so their shapes are
 * still checked), and the report answers from the layer specs alone.
 */
import { BudgetExceededError } from '../../errors.js';
import { GraphBuilder, nodeBudget } from '../../expr/graph.js';
import type { ProblemBase } from '../../input/problem-parts.js';
import type { BuildContext, BuiltNetwork } from '../core/built.js';
import { expandLayers } from './expand.js';
import { layersReport, shapesOf } from './report.js';
import { isConv, layerParameters, size, type LayersSpec } from './types.js';

export { parseLayersSpec } from './parse.js';
export type { LayersSpec } from './types.js';

/** Asks that need values, hence the scalar graph. */
const VALUE_ASKS = new Set(['forward', 'gradient', 'update', 'jacobian', 'table']);

export const needsExpansion = (problem: ProblemBase): boolean =>
  problem.published !== undefined || problem.ask.some((a) => VALUE_ASKS.has(a.kind));

export function buildLayers(spec: LayersSpec, ctx: BuildContext): BuiltNetwork {
  const problem = ctx.problem;
  checkStructureAsks(spec, problem);
  const common = {
    parameters: spec.layers.flatMap((l) => layerParameters(l).map((p) => p.name)),
    output: spec.layers[spec.layers.length - 1]!.name,
    input: spec.input.name,
    loss: spec.loss?.name,
  };
  if (!needsExpansion(problem)) {
    const b = new GraphBuilder();
    const shapes = shapesOf(spec);
    const leaves = new Set([spec.input.name, ...common.parameters, ...(spec.loss ? [spec.loss.target] : [])]);
    checkBudget(spec, [...problem.given.keys()].filter((n) => leaves.has(n)).map((n) => shapes[n]!), 'the given tensors of this network');
    for (const name of problem.given.keys()) {
      if (leaves.has(name)) b.leaf(name, shapes[name]!, name === spec.input.name ? 'input' : name === spec.loss?.target ? 'target' : 'parameter');
    }
    return { graph: b.build(), ...common, report: (sol) => layersReport(spec, null, sol) };
  }
  checkBudget(spec, Object.values(shapesOf(spec)), 'the scalar graph of these layers');
  const ex = expandLayers(spec, problem, ctx.given);
  return { graph: ex.graph, ...common, report: (sol) => layersReport(spec, ex, sol) };
}

/** `shape` names layers (or the input); `padding` needs a sliding layer. */
function checkStructureAsks(spec: LayersSpec, problem: ProblemBase): void {
  const known = [spec.input.name, ...spec.layers.map((l) => l.name)];
  for (const a of problem.ask) {
    if (a.kind === 'shape') {
      for (const n of a.names) if (!known.includes(n)) a.field.fail(`'${n}' is not a layer of this network (its layers: ${known.join(', ')})`);
    }
    if (a.kind === 'padding' && !spec.layers.some((l) => isConv(l) || l.kind === 'pool')) a.field.fail('padding needs a convolution or pooling layer');
  }
}

/**
 * Fail fast on tensors whose elements alone exceed the node budget (--max-nodes), before
 * the graph allocates one index per element: a [10000, 1000] input would otherwise take
 * gigabytes before the graph's own check runs (issue 8). The sum is a lower bound of the
 * graph's size, so nothing the graph would accept is refused here.
 */
function checkBudget(spec: LayersSpec, shapes: ReadonlyArray<readonly number[]>, what: string): void {
  const total = shapes.reduce((s, sh) => s + size(sh), 0);
  const limit = nodeBudget();
  if (total > limit) {
    const f = spec.field.get('input').get('shape');
    throw new BudgetExceededError(`${what} (${total.toLocaleString('en-US')} tensor elements)`, limit, '--max-nodes', f.file, f.line, f.key);
  }
}
