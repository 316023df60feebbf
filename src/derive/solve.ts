/**
 * The pipeline for one problem: build the graph, bind `given`, evaluate,
 * differentiate every asked `of`/`wrt`, check against finite differences,
 * and collect everything a sheet or the JSON prints.
 */
import { ProblemError } from '../errors.js';
import type { Expr } from '../expr/expr.js';
import { ancestors, elementKey, type Graph, type TensorInfo } from '../expr/graph.js';
import type { Rational } from '../expr/rational.js';
import { graphSizes, type Adjoints } from '../diff/reverse.js';
import { evaluateGraph, evaluateGraphExact } from '../numeric/evaluate.js';
import { FD_TOLERANCE, fdError } from '../numeric/gradcheck.js';
import { buildNetwork } from '../networks/registry.js';
import type { BuiltNetwork, NetworkReport } from '../networks/core/built.js';
import type { AskItem, GivenValue, ProblemSpec } from '../problem/spec.js';
import { bindGiven, givenShape } from '../input/bind-given.js';
import { definingField, scalarGradients, type GradientRequest } from './scalar-gradients.js';
import { agreesAtPrecision } from './published.js';
import { solveTensor, type TensorSolution } from './tensor-solve.js';
import { jacobians, type JacobianResult } from './jacobian.js';

export { agreesAtPrecision };
export type { CheckReport, GradientEntry, GradientResult, PublishedResult, TableRow } from '../networks/core/solution.js';
import type { CheckReport, GradientEntry, GradientResult, PublishedResult, TableRow, SolutionOf } from '../networks/core/solution.js';
/** A solved problem file. */
export type Solution = SolutionOf<ProblemSpec>;


export interface SolveOptions {
  /** replaces given values (variants) */
  readonly given?: ReadonlyMap<string, GivenValue>;
  /** skip the finite-difference check (variants draw many points and check once) */
  readonly skipCheck?: boolean;
}

export function solve(problem: ProblemSpec, opts: SolveOptions = {}): Solution {
  const given = opts.given;
  const network = locate(problem, () => buildNetwork(problem.network, {
    problem,
    given,
    givenShape: (n) => { const v = given?.get(n) ?? problem.given.get(n)?.value; return v ? givenShape(v) : undefined; },
  }));
  if (network.tensor) return locate(problem, () => solveTensor(problem, network, opts));
  const graph = network.graph;
  const leaves = bindGiven(problem, graph, given);
  const items = problem.ask;

  // Everything asked, resolved to keys; every leaf it needs must have a value.
  const forward = items.flatMap((a) => (a.kind === 'forward' ? a.names.map((n) => resolveName(graph, n, a)) : [])).flat();
  const gradAsks = items.filter((a): a is Extract<AskItem, { kind: 'gradient' }> => a.kind === 'gradient');
  const updateAsk = items.find((a): a is Extract<AskItem, { kind: 'update' }> => a.kind === 'update');
  const requests: GradientRequest[] = [];
  for (const g of gradAsks) {
    const of = resolveName(graph, g.of, g);
    if (of.length !== 1) g.field.get('of').fail(`'${g.of}' is a tensor; name one element, e.g. ${g.of}[1]`);
    for (const w of g.wrt) requests.push(request(graph, of[0]!, w, resolveLeafName(graph, w, g), true));
  }
  let update: { of: string; params: string[] } | null = null;
  if (updateAsk) {
    const of = updateAsk.of ?? network.loss ?? gradAsks[0]?.of;
    if (!of) updateAsk.field.fail("update needs a loss: give 'of' or a network with a loss");
    const params = updateAsk.params ?? (network.parameters.length ? [...network.parameters] : [...new Set(gradAsks.flatMap((g) => g.wrt))]);
    const ofKey = resolveName(graph, of, updateAsk)[0]!;
    for (const p of params) {
      const keys = resolveLeafName(graph, p, updateAsk);
      if (!requests.some((r) => r.of === ofKey && r.wrt === p)) requests.push(request(graph, ofKey, p, keys, false));
    }
    update = { of: ofKey, params };
  }
  const needed = ancestors(graph, [...forward, ...requests.map((r) => r.of)]);
  for (const k of needed) {
    const n = graph.nodes.get(k)!;
    if (!n.def && !leaves.has(k)) problem.givenField.fail(`'${n.tensor}' has no value (add it under given)`);
  }

  const leafNumbers = new Map([...leaves].map(([k, r]) => [k, r.toNumber()]));
  const values = evaluateGraph(graph, leafNumbers);
  // in evaluation order, so the node named is where the values left the finite numbers, not a later victim
  for (const k of graph.order) {
    if (!needed.has(k)) continue;
    const v = values.get(k);
    if (v !== undefined && !Number.isFinite(v)) definingField(problem, graph.nodes.get(k)!.tensor).fail(`the value of '${k}' is not a finite number (${v}) at the given values`);
  }
  const exactValues = problem.exact ? evaluateGraphExact(graph, leaves) : new Map<string, Rational | null>();

  const { gradients, gradientSize, definitions } = scalarGradients(problem, graph, values, exactValues, leaves, requests, opts.skipCheck === true);

  const check = checkReport(gradients, opts.skipCheck === true);
  const sizes = { forward: forwardSize(graph), gradient: gradientSize };

  let updates: Map<string, number[]> | null = null;
  if (update && updateAsk) {
    const rate = updateAsk.rate.toNumber();
    updates = new Map(update.params.map((p) => {
      const g = gradients.find((x) => x.of === update!.of && x.wrt === p)!;
      const next = g.entries.map((e) => values.get(e.key)! - rate * e.value);
      const bad = next.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) updateAsk.field.fail(`the updated value of '${g.entries[bad]!.key}' is not a finite number (${next[bad]})`);
      return [p, next];
    }));
  }

  const sol: Solution = {
    problem, network, graph, leaves, values, exactValues, forward, gradients, definitions,
    updates, updateRate: updateAsk?.rate ?? null,
    table: tableRows(problem, network, leafNumbers),
    published: publishedResults(problem, graph, values, gradients),
    jacobians: jacobians(graph, values, items),
    check, sizes, report: {},
  };
  return network.report ? { ...sol, report: network.report(sol) } : sol;
}

/** A request for the gradient of `of` with respect to a name as asked (a tensor, or one element: shape []). */
function request(graph: Graph, of: string, wrt: string, keys: string[], asked: boolean): GradientRequest {
  const shape = graph.tensors.get(graph.nodes.get(keys[0]!)!.tensor)!.shape;
  return { of, wrt, keys, asked, shape: wrt.includes('[') ? [] : shape };
}

/** A ProblemError raised without a place (a budget, a graph limit) is placed at the problem's network section. */
export function locate<T>(problem: ProblemSpec, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ProblemError && !e.file) {
      const f = problem.root.get('network');
      const placed = new ProblemError(e.message, problem.file, f.line, 'network');
      placed.name = e.name;
      throw placed;
    }
    throw e;
  }
}

/** Keys of a name as asked: a scalar, a whole tensor, or one element `W1[2,3]`. */
export function resolveName(graph: Graph, name: string, ask: { field: AskItem['field'] }): string[] {
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[([\d,\s]+)\])?$/.exec(name)!;
  const t = graph.tensors.get(m[1]!);
  if (!t) ask.field.fail(`'${m[1]}' is not a name of this network (known: ${[...graph.tensors.keys()].slice(0, 30).join(', ')})`);
  if (!m[2]) return [...t.keys];
  const index = m[2].split(',').map((x) => Number(x.trim()));
  const key = elementKey(t.name, index);
  if (!graph.nodes.has(key)) ask.field.fail(`${name} is outside '${t.name}' of shape [${t.shape.join(', ')}]`);
  return [key];
}

function resolveLeafName(graph: Graph, name: string, ask: { field: AskItem['field'] }): string[] {
  const keys = resolveName(graph, name, ask);
  const node = graph.nodes.get(keys[0]!)!;
  if (node.def) ask.field.fail(`'${name}' is computed by the network; gradients are taken with respect to inputs and parameters`);
  return keys;
}

function forwardSize(graph: Graph): number {
  return graphSizes(graph, { of: '', defs: new Map(), edges: new Map(), relevant: new Set() }).forward;
}

function checkReport(gradients: readonly GradientResult[], skipped: boolean): CheckReport {
  let maxRelError = 0, worst: string | null = null, n = 0;
  const nondiff: string[] = [];
  for (const g of gradients) {
    for (const e of g.entries) {
      const label = `${g.of}/${e.key}`;
      if (e.nondifferentiable) { nondiff.push(label); continue; }
      if (e.fd === null) continue;
      n++;
      const err = fdError(e.fd, e.value);
      if (!(err <= maxRelError)) { maxRelError = err; worst = label; }
    }
  }
  return {
    method: 'central-difference', maxRelError, worst, nondifferentiable: nondiff, entries: n,
    passed: !skipped && Number.isFinite(maxRelError) && maxRelError <= FD_TOLERANCE,
  };
}

function tableRows(problem: ProblemSpec, network: BuiltNetwork, leaves: ReadonlyMap<string, number>): TableRow[] | null {
  const ask = problem.ask.find((a): a is Extract<AskItem, { kind: 'table' }> => a.kind === 'table');
  if (!ask) return null;
  const graph = network.graph;
  const notInput = (): never => ask.field.get('input').fail(`'${ask.input}' is not an input of this network`);
  const input: TensorInfo = graph.tensors.get(ask.input) ?? notInput();
  if (input.role === 'intermediate') notInput();
  const outName = ask.output ?? network.output;
  const output = graph.tensors.get(outName) ?? ask.field.fail(`'${outName}' is not a node of this network`);
  return ask.rows.map((row, i) => {
    if (row.length !== input.keys.length) ask.field.get('rows').items()[i]!.fail(`a row has ${row.length} values, the input '${ask.input}' has ${input.keys.length}`);
    const env = new Map(leaves);
    input.keys.forEach((k, j) => env.set(k, row[j]!.toNumber()));
    const missing = [...ancestors(graph, output.keys)].find((k) => !graph.nodes.get(k)!.def && !env.has(k));
    if (missing) problem.givenField.fail(`'${graph.nodes.get(missing)!.tensor}' has no value (add it under given)`);
    const out = evaluateGraph(graph, env).get(output.keys[0]!)!;
    const expected = ask.expect?.[i]?.toNumber();
    return { input: row.map((r) => r.toNumber()), output: out, expected, ok: expected === undefined ? undefined : out === expected };
  });
}

function publishedResults(problem: ProblemSpec, graph: Graph, values: ReadonlyMap<string, number>, gradients: readonly GradientResult[]): PublishedResult[] | null {
  if (!problem.published) return null;
  return problem.published.values.map(({ what, value, field }) => {
    let computed: number;
    const slash = what.indexOf('/');
    if (slash > 0) {
      const of = what.slice(0, slash), wrt = what.slice(slash + 1);
      // `o/b1` names the output of a one-element tensor `o` (key `o[1]`) too
      const ofKey = graph.tensors.get(of)?.keys.length === 1 ? graph.tensors.get(of)!.keys[0]! : of;
      const g = gradients.find((x) => x.of === ofKey && x.entries.some((e) => e.key === wrt));
      computed = g?.entries.find((e) => e.key === wrt)?.value ?? field.fail(`'${what}' is not among the asked gradients (add it to ask)`);
    } else {
      const key = graph.tensors.get(what)?.keys.length === 1 ? graph.tensors.get(what)!.keys[0]! : what;
      if (!graph.nodes.has(key)) field.fail(`'${what}' is not a node of this network`);
      computed = values.get(key) ?? field.fail(`'${what}' has no value`);
    }
    return { what, published: value, computed, agrees: agreesAtPrecision(computed, value, problem.precision) };
  });
}
