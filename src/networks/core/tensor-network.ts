/**
 * A tensor-equations network, built: its tensor graph, its leaf values as
 * float64, the forward pass at those values, and its scalar expansion (the
 * second level) while that stays within the scalar-level limit (contract
 * 6.1: 20,000 scalar nodes; `--scalar-check` lifts it up to the node budget).
 */
import { BudgetExceededError, ProblemError } from '../../errors.js';
import { add, exprsCreated, mul, ref } from '../../expr/expr.js';
import { elementKey, GraphBuilder, indicesOf, nodeBudget, type Graph, type GraphNode, type TensorInfo } from '../../expr/graph.js';
import { sizeOf, type Shape } from '../../expr/tensor.js';
import type { TGraph, TNode } from '../../expr/tensor-graph.js';
import { filled, tensor, type Tensor } from '../../expr/tensor-value.js';
import { TimeGraphBuilder } from '../../expr/time-graph.js';
import { expandToScalar, scalarNodeCount, scalarShape, scalarSizeEstimate, ScalarLevelTooLarge } from '../../diff/scalar-level.js';
import { forward, phasesOf, type ForwardValues } from '../../numeric/tensor-eval.js';
import { initNumbers } from '../../input/initializer.js';
import { bindGiven } from '../../input/bind-given.js';
import type { GivenValue } from '../../input/given-value.js';
import type { BuildContext, BuiltNetwork } from './built.js';
import { buildTensorGraph, type TensorEquationsPart } from './tensor-equations.js';
import { scalarLevelLimit } from './scalar-level-limit.js';

/** The tensor level may do this many products and sums per node of the scalar budget (an RNN with 64 units over 400 steps does 3.4 million). */
const TENSOR_WORK_FACTOR = 50;

export interface TensorBuildOptions {
  /** nodes whose adjoints keep their names in the forms (a shorthand's deltas as its seeds print them) */
  readonly keepAdjoints?: readonly string[];
}

export function buildTensorNetwork(part: TensorEquationsPart, ctx: BuildContext, opts: TensorBuildOptions = {}): BuiltNetwork {
  const problem = ctx.problem;
  const value = (name: string): GivenValue | undefined => ctx.given?.get(name) ?? problem.given.get(name)?.value;
  const upstream = new Map<string, string>(); // upstream name -> the node it is the gradient of
  for (const a of problem.ask) if (a.kind === 'gradient' && a.upstream) upstream.set(a.upstream, a.of);
  const g = buildTensorGraph(part, {
    givenShape: (n) => givenShape(value(n)),
    givenValues: (n) => { const v = value(n); return v ? [...numbers(v, givenShape(v) ?? [])] : undefined; },
    upstream,
    givenField: problem.givenField,
    givenEntryField: (n) => problem.given.get(n)?.field,
    isFill: (n) => value(n)?.kind === 'fill',
  });
  const leaves = bindLeaves(g, ctx, value);
  let phases;
  try {
    phases = phasesOf(g);
  } catch (e) {
    if (e instanceof ProblemError && !e.file) part.field.get('equations').fail(e.message);
    throw e;
  }
  let fwd: ForwardValues | null = null;
  try {
    fwd = forward(g, leaves, phases);
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e; // a leaf without a value: reported where a value is needed
  }
  const objectives = new Map([...upstream].map(([G, of]) => [`<${G},${of}>`, { of, upstream: G }]));
  const limit = scalarLevelLimit();
  const steps = part.field.get('equations');
  // the tensor level's own work is bounded too: products and sums, over every step
  const work = scalarSizeEstimate(g);
  if (work > TENSOR_WORK_FACTOR * nodeBudget()) {
    const at = part.field.get('steps').exists ? part.field.get('steps') : part.field;
    throw new BudgetExceededError(`the work of these equations (${work.toLocaleString('en-US')} products and sums over all steps, 50 per node of the budget)`, nodeBudget(), '--max-nodes', at.file, at.line, at.key);
  }
  const overBudget = (lim: number): never => {
    throw new BudgetExceededError('the scalar graph of these equations', lim, '--max-nodes', steps.file, steps.line, steps.key);
  };
  // the named entries alone past the limit: not worth starting the expansion
  let scalarNodes = scalarNodeCount(g) + objectives.size;
  let graph: Graph | null = null;
  if (scalarNodes <= limit && scalarSizeEstimate(g) <= 4 * limit) {
    const before = exprsCreated();
    try {
      graph = withObjectives(expandToScalar(g, phases, fwd ?? { values: new Map(), seq: new Map() }, overBudget, undefined, limit), g, objectives);
      scalarNodes = exprsCreated() - before;
    } catch (e) {
      if (!(e instanceof ScalarLevelTooLarge)) throw e;
      scalarNodes = limit + 1;
    }
  }
  const scalarLevel = graph !== null;
  graph ??= entriesOnly(g, objectives);
  const last = part.equations[part.equations.length - 1]!.name;
  return {
    graph,
    parameters: [],
    output: last,
    tensor: { graph: g, phases, leaves, forward: fwd, scalarLevel, scalarNodes, objectives, keepAdjoints: opts.keepAdjoints ?? [] },
  };
}

/**
 * A shorthand's given values bound against the leaves it declares, shaped exactly as declared (the
 * equations alone take [4] for [2, 2]): a value of another shape is refused with the same words as
 * everywhere else ('x' has shape a single number, but ...).
 */
export function bindDeclaredShapes(part: TensorEquationsPart, ctx: BuildContext): void {
  const b = new GraphBuilder();
  for (const [name, { shape }] of part.shapes) b.leaf(name, shape, part.targets.has(name) ? 'target' : 'parameter');
  const declared = <V>(m: ReadonlyMap<string, V>): Map<string, V> => new Map([...m].filter(([n]) => part.shapes.has(n)));
  bindGiven({ given: declared(ctx.problem.given), givenField: ctx.problem.givenField }, b.build(), ctx.given && declared(ctx.given));
}

function givenShape(v: GivenValue | undefined): Shape | undefined {
  if (!v) return undefined;
  if (v.kind === 'array') return v.shape;
  if (v.kind === 'init') return v.shape;
  return undefined; // a fill takes the shape the equations give
}

/** A given value as float64, row-major. */
function numbers(v: GivenValue, shape: Shape): Float64Array {
  switch (v.kind) {
    case 'array': return Float64Array.from(v.values, (r) => r.toNumber());
    case 'fill': return filled(shape, v.value.toNumber()).data;
    case 'init': return initNumbers(v);
  }
}

/** Leaf values with their shapes checked; a name given but not a leaf of the network is an input error. */
function bindLeaves(g: TGraph, ctx: BuildContext, value: (n: string) => GivenValue | undefined): Map<string, Tensor> {
  const problem = ctx.problem;
  const out = new Map<string, Tensor>();
  for (const n of g.nodes.values()) {
    const v = value(n.name);
    if (!v) continue;
    const field = problem.given.get(n.name)?.field ?? problem.givenField;
    if (n.def) field.fail(`'${n.name}' is computed by the network and cannot be given`);
    const shape = scalarShape(g, n);
    const data = numbers(v, shape);
    if (data.length !== sizeOf(shape)) {
      field.fail(`'${n.name}' has shape [${shape.join(', ')}], but the given value has ${data.length} entries`);
    }
    out.set(n.name, tensor(shape, data));
  }
  for (const [name, entry] of problem.given) {
    if (!g.nodes.has(name)) entry.field.fail(`'${name}' is not a name of this network (its names: ${[...g.nodes.values()].filter((x) => !x.def).map((x) => x.name).join(', ')})`);
  }
  return out;
}

/** Scalar objective nodes <G,Y> = sum_i G_i Y_i for upstream asks, added to the expansion. */
function withObjectives(graph: Graph, g: TGraph, objectives: ReadonlyMap<string, { of: string; upstream: string }>): Graph {
  if (objectives.size === 0) return graph;
  const nodes = graph.nodes as Map<string, GraphNode>;
  const order = graph.order as string[];
  const tensors = graph.tensors as Map<string, TensorInfo>;
  for (const [key, { of, upstream }] of objectives) {
    const idx = indicesOf(g.nodes.get(of)!.shape);
    const def = add(...idx.map((i) => mul(ref(elementKey(upstream, i)), ref(elementKey(of, i)))));
    nodes.set(key, { key, tensor: key, index: [], role: 'intermediate', def });
    order.push(key);
    tensors.set(key, { name: key, shape: [], role: 'intermediate', keys: [key] });
  }
  return graph;
}

/**
 * The entries of a network too large for the scalar level: every named tensor
 * with its keys and role, no definitions. Built on first use (the checker and
 * the variants need names; derive --json does not).
 */
function entriesOnly(g: TGraph, objectives: ReadonlyMap<string, unknown>): Graph {
  let built: Graph | null = null;
  const make = (): Graph => {
    if (built) return built;
    const b = new TimeGraphBuilder((lim) => { throw new BudgetExceededError('the entries of these equations', lim, '--max-nodes'); }, Number.MAX_SAFE_INTEGER);
    for (const name of g.order) {
      const n: TNode = g.nodes.get(name)!;
      b.leaf(name, scalarShape(g, n), n.role === 'intermediate' ? 'parameter' : n.role);
    }
    const graph = b.build();
    for (const name of g.order) {
      const n = g.nodes.get(name)!;
      if (!n.def) continue;
      const t = graph.tensors.get(name)!;
      (graph.tensors as Map<string, TensorInfo>).set(name, { ...t, role: 'intermediate' });
      for (const k of t.keys) (graph.nodes as Map<string, GraphNode>).set(k, { ...graph.nodes.get(k)!, role: 'intermediate' });
    }
    void objectives;
    return (built = graph);
  };
  return {
    get nodes() { return make().nodes; },
    get order() { return make().order; },
    get tensors() { return make().tensors; },
  };
}
