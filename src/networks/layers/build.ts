/**
 * `kind: layers` (contract 2.4): the builder, a shorthand for tensor
 * equations (equations.ts) that the generic engine derives; the layer
 * outputs' adjoints keep their names (the sheet's layer-by-layer deltas).
 * A problem that asks only for shapes, padding or parameter counts is not
 * built at all: its graph holds just the leaves that `given` names (so their
 * shapes are still checked), and the report answers from the layer specs
 * alone. Shapes, padding and counts are always the report's answers.
 */
import { BudgetExceededError } from '../../errors.js';
import { GraphBuilder, nodeBudget, type Graph } from '../../expr/graph.js';
import { bindGiven } from '../../input/bind-given.js';
import type { ProblemBase } from '../../input/problem-parts.js';
import type { BuildContext, BuiltNetwork } from '../core/built.js';
import { buildTensorNetwork } from '../core/tensor-network.js';
import { layersEquations } from './equations.js';
import { layersReport } from './report.js';
import { shapesOf } from './shapes.js';
import { isConv, layerParameters, size, type LayersSpec } from './types.js';

export { parseLayersSpec } from './parse.js';
export type { LayersSpec } from './types.js';

/** Asks that need values, hence the equations. */
const VALUE_ASKS = new Set(['forward', 'gradient', 'update', 'jacobian', 'table']);

/** Asks the report answers from the spec alone (shapes, same padding, parameter counts). */
const STRUCTURE_ASKS = ['shape', 'padding', 'parameters'] as const;

export const needsEquations = (problem: ProblemBase): boolean =>
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
  const leaves = new Set([spec.input.name, ...common.parameters, ...(spec.loss ? [spec.loss.target] : [])]);
  if (!needsEquations(problem)) {
    checkBudget(spec, [...problem.given.keys()].filter((n) => leaves.has(n)).map((n) => shapesOf(spec)[n]!), 'the given tensors of this network');
    return { graph: givenLeaves(spec, problem, leaves), ...common, report: (sol) => layersReport(spec, sol) };
  }
  checkBudget(spec, Object.values(shapesOf(spec)), 'the tensors of these layers');
  // every given value has its leaf's shape exactly, as the spec declares it (the equations would take [4] for [2, 2])
  const given = new Map([...problem.given].filter(([n]) => leaves.has(n)));
  bindGiven({ given, givenField: problem.givenField }, givenLeaves(spec, problem, leaves), ctx.given && new Map([...ctx.given].filter(([n]) => leaves.has(n))));
  const built = buildTensorNetwork(layersEquations(spec), ctx, { keepAdjoints: spec.layers.map((l) => l.name) });
  return { ...built, ...common, answers: STRUCTURE_ASKS, report: (sol) => layersReport(spec, sol) };
}

/** A graph of the given leaves alone (no node computed), with the shapes the spec declares. */
function givenLeaves(spec: LayersSpec, problem: ProblemBase, leaves: ReadonlySet<string>): Graph {
  const b = new GraphBuilder();
  const shapes = shapesOf(spec);
  for (const name of problem.given.keys()) {
    if (leaves.has(name)) b.leaf(name, shapes[name]!, name === spec.input.name ? 'input' : name === spec.loss?.target ? 'target' : 'parameter');
  }
  return b.build();
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
