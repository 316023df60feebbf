/**
 * The pipeline for a network written as tensor equations: the tensor level
 * derives every asked gradient in matrix form (delta_z2 = p - t,
 * dE/dW2 = delta_z2 h^T) and evaluates it; central differences along random
 * directions check every gradient; where the scalar expansion fits (contract
 * 6.1), the scalar engine derives every entry again, independently, with its
 * per-entry closed forms and per-entry finite differences, and the two
 * levels must agree entry by entry.
 */
import { kindOf } from '../networks/registry.js';
import { ProblemError } from '../errors.js';
import { zero, type Expr } from '../expr/expr.js';
import { indicesOf, type Graph } from '../expr/graph.js';
import type { Rational } from '../expr/rational.js';
import { sizeOf, tdagSize, tnum, tref, trefsOf, ttopo, type Shape, type TExpr } from '../expr/tensor.js';
import type { TGraph } from '../expr/tensor-graph.js';
import { allFinite, stack, tensor, type Tensor } from '../expr/tensor-value.js';
import { reverseTensor, type TAdjoints } from '../diff/tensor-reverse.js';
import { deriveForms, type TForms } from '../diff/tensor-forms.js';
import { entryKey } from '../diff/scalar-level.js';
import { jacobians } from './jacobian.js';
import { tensorTable } from './tensor-table.js';
import { scalarLevelLimit } from '../networks/core/scalar-level-limit.js';
import { stateJacobianNorms, type StateJacobianNorms } from '../diff/state-jacobian.js';
import { evaluateAdjoints, type AdjointValues } from '../numeric/tensor-adjoint-eval.js';
import { directionalCheck, lineDerivative, lineFunction, probeValue, type Objective, type Probe } from '../numeric/tensor-check.js';
import { evaluateGraph, evaluateGraphExact } from '../numeric/evaluate.js';
import { FD_TOLERANCE, fdError } from '../numeric/gradcheck.js';
import { forward as forwardPass } from '../numeric/tensor-eval.js';
import * as T from '../ops/tensor-build.js';
import { TOPS } from '../ops/tensor-ops.js';
import type { BuiltNetwork, TensorNetwork } from '../networks/core/built.js';
import type { AskItem, ProblemSpec } from '../problem/spec.js';
import { bindGiven } from '../input/bind-given.js';
import { scalarGradients, type GradientRequest } from './scalar-gradients.js';
import type { CheckReport, GradientEntry, GradientResult, PublishedResult, Solution, SolveOptions } from './solve.js';
import { agreesAtPrecision } from './published.js';
import type { TensorCheck, TensorGradient, TensorPass, TensorSolution } from '../networks/core/solution.js';
export type { TensorCheck, TensorGradient, TensorPass, TensorSolution } from '../networks/core/solution.js';

/** Directions per gradient of the directional check. */
export const DIRECTIONS = 3;

/** A name as asked: a node, a step of a sequence, an element (of a step). */
export interface Resolved { readonly node: string; readonly step: number | null; readonly index: readonly number[] | null }

export function resolveTensorName(g: TGraph, name: string, field: AskItem['field']): Resolved {
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[([\d,\s]+)\])?$/.exec(name.replace(/\s+/g, ''));
  if (!m) return field.fail(`'${name}' is not a name of this network: expected a node, a step h[2] or an entry W[1,2]`);
  const node = g.nodes.get(m[1]!);
  if (!node) field.fail(`'${m[1]}' is not a name of this network (known: ${[...g.nodes.keys()].slice(0, 30).join(', ')})`);
  if (!m[2]) return { node: node.name, step: null, index: null };
  let idx = m[2].split(',').map(Number);
  let step: number | null = null;
  if (node.seq) {
    step = idx[0]!;
    if (step < 1 || step > g.steps!) field.fail(`${name}: step ${step} is outside the steps 1..${g.steps}`);
    idx = idx.slice(1);
    if (idx.length === 0) return { node: node.name, step, index: null };
  }
  if (idx.length !== node.shape.length || idx.some((i, d) => i < 1 || i > node.shape[d]!)) {
    field.fail(`${name} is outside '${node.name}' of shape [${(node.seq ? [g.steps!, ...node.shape] : node.shape).join(', ')}]`);
  }
  return { node: node.name, step, index: idx };
}

/** The scalar-graph keys of a resolved name, and the shape its gradient has. */
function keysOf(g: TGraph, r: Resolved): { keys: string[]; shape: Shape } {
  const n = g.nodes.get(r.node)!;
  if (r.index) return { keys: [entryKey(g, r.node, r.step, r.index)], shape: [] };
  if (n.seq && r.step === null) {
    const keys = Array.from({ length: g.steps! }, (_, t) => indicesOf(n.shape).map((i) => entryKey(g, r.node, t + 1, i))).flat();
    return { keys, shape: [g.steps!, ...n.shape] };
  }
  return { keys: indicesOf(n.shape).map((i) => entryKey(g, r.node, r.step, i)), shape: n.shape };
}

export function solveTensor(problem: ProblemSpec, network: BuiltNetwork, opts: SolveOptions): Solution {
  const tn = network.tensor!;
  const g = tn.graph;
  const items = problem.ask;
  for (const a of items) {
    if ((a.kind === 'shape' || a.kind === 'padding' || a.kind === 'parameters') && !network.answers?.includes(a.kind)) {
      a.field.fail(`'${a.kind}' is not answered for tensor equations yet (asks here: forward, gradient, update, jacobian, table)`);
    }
  }
  if (!tn.forward) jacobianMissing(problem, tn);
  const fwd = tn.forward ?? missingValue(problem, tn);
  checkFinite(problem, g, fwd);

  // What is asked, resolved.
  const forwardNames = items.flatMap((a) => (a.kind === 'forward' ? a.names.map((n) => ({ name: n, r: resolveTensorName(g, n, a.field) })) : []));
  // `of` as asked (E, or a step's loss e[2]) with the node and step it names
  type Req = { of: string; ofNode: string; ofStep: number | null; upstream: string | null; wrt: string; r: Resolved; asked: boolean };
  const reqs: Req[] = [];
  for (const a of items) {
    if (a.kind !== 'gradient') continue;
    const of = resolveTensorName(g, a.of, a.field.get('of'));
    if (of.index !== null || (g.nodes.get(of.node)!.seq && (of.step === null || a.upstream))) a.field.get('of').fail(`'${a.of}': a gradient is taken of a loss (a node outside time, or one step of a per-step loss such as e[2]), or of a layer's output with an upstream gradient`);
    const ofNode = g.nodes.get(of.node)!;
    if (!a.upstream && sizeOf(ofNode.shape) !== 1) a.field.get('of').fail(`'${a.of}' has shape [${ofNode.shape.join(', ')}]; a gradient is of a scalar, or give its upstream gradient (upstream: G)`);
    if (a.upstream && !tn.leaves.has(a.upstream)) a.field.get('upstream').fail(`the upstream gradient '${a.upstream}' has no value: add it under given, with the shape of '${a.of}' [${ofNode.shape.join(', ')}]`);
    const ofLabel = of.step === null ? of.node : `${of.node}[${of.step}]`;
    for (const w of a.wrt) reqs.push({ of: ofLabel, ofNode: of.node, ofStep: of.step, upstream: a.upstream ?? null, wrt: w, r: resolveTensorName(g, w, a.field.get('wrt')), asked: true });
  }
  const updateAsk = items.find((a): a is Extract<AskItem, { kind: 'update' }> => a.kind === 'update');
  let updateOf: string | null = null;
  let updateParams: string[] = [];
  if (updateAsk) {
    const firstGrad = items.find((a): a is Extract<AskItem, { kind: 'gradient' }> => a.kind === 'gradient' && !a.upstream);
    const ofName = updateAsk.of ?? network.loss ?? firstGrad?.of;
    if (!ofName) updateAsk.field.fail("update needs a loss: give 'of', or ask a gradient of the loss");
    const uo = resolveTensorName(g, ofName!, updateAsk.field);
    updateOf = uo.step === null ? uo.node : `${uo.node}[${uo.step}]`;
    updateParams = updateAsk.params ?? (network.parameters.length ? [...network.parameters] : [...new Set(reqs.filter((q) => q.of === updateOf && !q.upstream).map((q) => q.wrt))]);
    for (const p of updateParams) {
      const r = resolveTensorName(g, p, updateAsk.field);
      if (g.nodes.get(r.node)!.def || r.step !== null || r.index !== null) updateAsk.field.fail(`'${p}' is not a parameter: an update moves leaves such as weights and biases`);
      if (!reqs.some((q) => q.of === updateOf && !q.upstream && q.wrt === p)) reqs.push({ of: updateOf!, ofNode: uo.node, ofStep: uo.step, upstream: null, wrt: p, r, asked: false });
    }
  }
  requireValues(problem, tn, [...forwardNames.map((f) => f.r.node), ...reqs.map((q) => q.ofNode)]);

  // One reverse pass per (of, upstream).
  const passes: TensorPass[] = [];
  const passOf = (of: string, upstream: string | null): TensorPass => {
    let p = passes.find((x) => x.of === of && x.upstream === upstream);
    if (p) return p;
    const wanted = reqs.filter((q) => q.of === of && q.upstream === upstream);
    // a shorthand's kept nodes are differentiated too (the rnn kind shows every weight's gradient per loss term)
    const names = [...new Set([...wanted.map((q) => q.r.node), ...tn.keepAdjoints])];
    const { ofNode: node, ofStep } = wanted[0]!;
    const ofNode = g.nodes.get(node)!;
    const one = upstream ? tref(upstream, ofNode.shape) : T.bcast(tnum(1), ofNode.shape);
    // a step's loss e[2]: the seed is 1 at that step only
    const seed: TExpr = ofStep === null ? one : T.atStep(one, ofStep);
    const adjoints = reverseTensor(g, node, seed, names);
    const asked = new Set([...wanted.filter((q) => g.nodes.get(q.r.node)!.def).map((q) => q.r.node), ...tn.keepAdjoints.filter((k) => adjointsKnown(g, k))]);
    const forms = deriveForms(g, adjoints, asked, (n) => sumsToOne(g, n));
    const values = evaluateAdjoints(g, tn.phases, fwd, forms.forms);
    p = { of, node, step: ofStep, upstream, adjoints, forms, values };
    passes.push(p);
    return p;
  };
  const gradients: TensorGradient[] = reqs.map((q) => {
    const p = passOf(q.of, q.upstream);
    const value = gradientValue(g, p, q.r);
    if (!allFinite(value)) definingField(problem, q.r.node).fail(`d${q.of}/d${q.wrt} is not a finite number at the given values`);
    return { of: q.of, ofNode: q.ofNode, ofStep: q.ofStep, upstream: q.upstream, wrt: q.wrt, node: q.r.node, step: q.r.step, index: q.r.index, value, asked: q.asked };
  });

  // The directional check of every gradient (a kink on its path takes it out, listed as not differentiable).
  const check = opts.skipCheck ? { directions: 0, maxError: 0, worst: null, skipped: [] } : directional(problem, tn, fwd, passes, gradients);

  // The second level.
  const scalar = tn.scalarLevel ? scalarLevel(problem, network.graph, tn, fwd, reqs, gradients, opts) : null;
  // A Jacobian is a matrix of entries: the scalar level answers it, row by row.
  const jacobianAsk = items.find((a) => a.kind === 'jacobian');
  if (jacobianAsk && !scalar) {
    jacobianAsk.field.fail(`a Jacobian is computed entry by entry on the scalar level, which is over its limit for this network (${tn.scalarNodes.toLocaleString('en-US')} scalar nodes, limit ${scalarLevelLimit().toLocaleString('en-US')}, see --scalar-check); ask for a gradient instead`);
  }

  // Updates: every parameter minus the rate times its gradient.
  let updates: Map<string, Tensor> | null = null;
  if (updateAsk && updateOf) {
    const rate = updateAsk.rate.toNumber();
    updates = new Map(updateParams.map((p) => {
      const gr = gradients.find((x) => x.of === updateOf && !x.upstream && x.wrt === p)!;
      const before = tn.leaves.get(gr.node) ?? missingLeaf(problem, gr.node);
      const next = tensor(before.shape, before.data.map((v, i) => v - rate * gr.value.data[i]!));
      if (!allFinite(next)) updateAsk.field.fail(`the updated value of '${p}' is not a finite number`);
      return [p, next];
    }));
  }

  const notes: string[] = [];
  if (!tn.scalarLevel) notes.push(`the scalar level (per-entry closed forms and checks) was left out: its graph would have more than ${(20_000).toLocaleString('en-US')} nodes (contract 6.1; --scalar-check runs it up to --max-nodes)`);
  for (const p of passes) for (const t of p.forms.factsUsed) notes.push(`the rows of the target ${t} sum to 1 (${g.nodes.get(t)!.targetKind}), which the delta of ${p.of} uses`);

  const forwardDag = tdagSize([...g.nodes.values()].flatMap((n) => (n.def ? [n.def] : [])));
  const gradientDag = Math.max(0, ...passes.map((p) => tdagSize([...p.forms.forms.values()])));
  const tensorSolution: TensorSolution = {
    network: tn, forward: fwd, passes, gradients, check, notes, updates,
    scalarLevel: scalar ? { ran: true, maxAbsDiff: scalar.maxAbsDiff, compared: scalar.compared, values: scalar.forwardValues } : { ran: false, maxAbsDiff: null, compared: 0 },
    sizes: { forward: forwardDag, gradient: gradientDag },
    stateNorms: g.steps ? stateJacobianNorms(g, tn.phases, fwd) : null,
  };
  const sol = assemble(problem, network, tensorSolution, forwardNames.map((f) => f.r), scalar, updateAsk);
  // set in place: a spread would evaluate the entry getters of a large network
  if (network.report) (sol as { report: Solution['report'] }).report = network.report(sol);
  return sol;
}

const adjointsKnown = (g: TGraph, name: string): boolean => !!g.nodes.get(name)?.def;

/** A target whose rows each sum to 1 (one-hot or a distribution). */
function sumsToOne(g: TGraph, name: string): boolean {
  const k = g.nodes.get(name)?.targetKind;
  return k === 'one-hot' || k === 'distribution';
}

/** The value of one asked gradient from its pass. */
function gradientValue(g: TGraph, p: TensorPass, r: Resolved): Tensor {
  const n = g.nodes.get(r.node)!;
  const full = ((): Tensor => {
    if (!n.seq) return p.values.values.get(r.node) ?? tensor(n.shape);
    const steps = p.values.seq.get(r.node);
    if (r.step !== null) return steps?.[r.step - 1] ?? tensor(n.shape);
    return stack(steps ?? Array.from({ length: g.steps! }, () => tensor(n.shape)), n.shape);
  })();
  if (!r.index) return full;
  const st = n.shape.reduce<number[]>((acc, _d, i) => { acc.push(n.shape.slice(i + 1).reduce((a, b) => a * b, 1)); return acc; }, []);
  const at = r.index.reduce((s, v, i) => s + (v - 1) * st[i]!, 0);
  return tensor([], [full.data[at]!]);
}

function directional(problem: ProblemSpec, tn: TensorNetwork, fwd: TensorSolution['forward'], passes: readonly TensorPass[], gradients: readonly TensorGradient[]): TensorCheck {
  const g = tn.graph;
  let maxError = 0, worst: string | null = null, n = 0;
  const skipped: string[] = [];
  const kinked = kinkedNodes(tn, fwd);
  for (const gr of gradients) {
    const label = `${gr.of}/${gr.wrt}`;
    if (kinkOnPath(tn, kinked, passes.find((p) => p.of === gr.of && p.upstream === gr.upstream)!.adjoints, gr.node)) { skipped.push(label); continue; }
    const obj: Objective = { of: gr.ofNode, step: gr.ofStep, upstream: gr.upstream ? tn.leaves.get(gr.upstream) ?? missingLeaf(problem, gr.upstream) : null };
    const probe: Probe = { name: gr.node, step: gr.step };
    const seqWhole = g.nodes.get(gr.node)!.seq && gr.step === null;
    const probes: Array<{ probe: Probe; grad: Tensor }> = seqWhole
      ? Array.from({ length: g.steps! }, (_, t) => ({ probe: { name: gr.node, step: t + 1 }, grad: sliceStep(gr.value, t) }))
      : [{ probe, grad: gr.value }];
    for (const pr of probes) {
      const results = gr.index
        ? [unitCheck(g, tn, fwd, obj, pr.probe, gr)]
        : directionalCheck(g, tn.phases, tn.leaves, fwd, obj, pr.probe, pr.grad, DIRECTIONS, `${label}${seqWhole ? ` step ${pr.probe.step}` : ''}`);
      for (const r of results) {
        n++;
        if (!(r.error <= maxError)) { maxError = r.error; worst = r.label; }
      }
    }
  }
  return { directions: n, maxError, worst, skipped };
}

function sliceStep(v: Tensor, t: number): Tensor {
  const size = v.data.length / v.shape[0]!;
  return tensor(v.shape.slice(1), v.data.slice(t * size, (t + 1) * size));
}

/** One asked element: its direction is the unit vector of that entry. */
function unitCheck(g: TGraph, tn: TensorNetwork, fwd: TensorSolution['forward'], obj: Objective, probe: Probe, gr: TensorGradient) {
  const n = g.nodes.get(gr.node)!;
  const at = indicesOf(n.shape).findIndex((i) => i.every((v, d) => v === gr.index![d]));
  const v = new Float64Array(sizeOf(n.shape));
  v[at] = 1;
  const exact = gr.value.data[0]!;
  const start = probeValue(g, fwd, tn.leaves, probe);
  let scale = 0;
  for (const x of start.data) scale = Math.max(scale, Math.abs(x));
  const fd = lineDerivative(lineFunction(g, tn.phases, tn.leaves, fwd, obj, probe, v), exact, scale);
  return { label: `${gr.of}/${gr.wrt}`, fd, exact, error: fdError(fd, exact) };
}

/** Ops that have a kink somewhere (relu and step at 0, |u| at 0, a tie of max): only they can take a gradient out of the check. */
const KINKED_OPS = new Set(Object.entries(TOPS).filter(([, spec]) => spec.kink).map(([op]) => op));

/** Nodes whose definition sits exactly at a kink at the given values (at some step), computed once per solution. */
function kinkedNodes(tn: TensorNetwork, fwd: TensorSolution['forward']): Set<string> {
  const g = tn.graph;
  const out = new Set<string>();
  for (const [name, n] of g.nodes) {
    if (!n.def || !ttopo([n.def]).some((x) => x.kind === 'apply' && KINKED_OPS.has(x.op))) continue;
    const steps = n.seq ? Array.from({ length: g.steps! }, (_, t) => t + 1) : [null];
    if (steps.some((t) => kinkIn(n.def!, t, g, fwd, tn))) out.add(name);
  }
  return out;
}

/** Is some node downstream of `node` (not `node` itself) and on the way to `of` exactly at a kink? */
function kinkOnPath(tn: TensorNetwork, kinked: ReadonlySet<string>, adj: TAdjoints, node: string): boolean {
  if (kinked.size === 0) return false;
  const g = tn.graph;
  const users = new Map<string, string[]>();
  for (const [name, n] of g.nodes) {
    if (!n.def) continue;
    for (const r of trefsOf(n.def)) if (!r.adjoint) (users.get(r.name) ?? users.set(r.name, []).get(r.name)!).push(name);
  }
  const down = new Set<string>();
  const stack = [...(users.get(node) ?? [])];
  const init = [...g.nodes.values()].find((n) => n.initial === node);
  if (init) stack.push(...(users.get(init.name) ?? []));
  while (stack.length) {
    const k = stack.pop()!;
    if (down.has(k)) continue;
    down.add(k);
    stack.push(...(users.get(k) ?? []));
  }
  return [...kinked].some((k) => down.has(k) && adj.relevant.has(k));
}

function kinkIn(def: TExpr, t: number | null, g: TGraph, fwd: TensorSolution['forward'], tn: TensorNetwork): boolean {
  const memo = new Map<number, Tensor>();
  let found = false;
  const visit = (e: TExpr): Tensor => {
    const hit = memo.get(e.id);
    if (hit) return hit;
    let v: Tensor;
    if (e.kind === 'num') v = tensor([], [e.value.toNumber()]);
    else if (e.kind === 'ref') {
      const n = g.nodes.get(e.name)!;
      if (!n.seq) v = fwd.values.get(e.name) ?? tn.leaves.get(e.name)!;
      else {
        const s = e.step!.kind === 'abs' ? e.step!.step : t! + e.step!.offset;
        v = s === 0 ? (fwd.values.get(n.initial!) ?? tn.leaves.get(n.initial!)!) : fwd.seq.get(e.name)![s - 1]!;
      }
    } else if (e.op === 'sumT') {
      for (let s = 1; s <= g.steps!; s++) if (kinkIn(e.args[0]!, s, g, fwd, tn)) found = true;
      v = tensor(e.shape);
    } else {
      const args = e.args.map(visit);
      const spec = TOPS[e.op]!;
      if (spec.kink?.(args, e.attrs)) found = true;
      v = spec.eval(args, e.attrs, e.shape);
    }
    memo.set(e.id, v);
    return v;
  };
  visit(def);
  return found;
}

interface ScalarResult {
  readonly graph: Graph;
  readonly leaves: Map<string, Rational>;
  readonly values: Map<string, number>;
  readonly exactValues: Map<string, Rational | null>;
  readonly gradients: GradientResult[];
  readonly definitions: Map<string, Expr>;
  readonly maxAbsDiff: number;
  readonly compared: number;
  readonly forwardValues: { readonly compared: number; readonly maxRelDiff: number };
}

/**
 * Every computed entry's value on the two levels: the tensor level's forward pass against the scalar
 * graph evaluated entry by entry (|a - b| / max(|a|, |b|)). An entry the scalar level takes out of the
 * finite numbers where the tensor level is stable (a softmax at |z| = 1000) is not compared.
 */
function compareValues(g: TGraph, fwd: TensorSolution['forward'], values: ReadonlyMap<string, number>): { compared: number; maxRelDiff: number } {
  let compared = 0, maxRelDiff = 0;
  const visit = (name: string, step: number | null, t: Tensor | undefined) => {
    if (!t) return;
    indicesOf(g.nodes.get(name)!.shape).forEach((idx, i) => {
      const b = values.get(entryKey(g, name, step, idx)), a = t.data[i]!;
      if (b === undefined || !Number.isFinite(b)) return;
      compared++;
      const d = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
      if (!(d <= maxRelDiff)) maxRelDiff = d;
    });
  };
  for (const [name, n] of g.nodes) {
    if (!n.def) continue;
    if (n.seq) fwd.seq.get(name)?.forEach((t, k) => visit(name, k + 1, t));
    else visit(name, null, fwd.values.get(name));
  }
  return { compared, maxRelDiff };
}

/** The second level: the scalar engine on the expanded graph, every entry compared with the tensor level. */
function scalarLevel(
  problem: ProblemSpec, graph: Graph, tn: TensorNetwork, fwd: TensorSolution['forward'],
  reqs: ReadonlyArray<{ ofNode: string; ofStep: number | null; upstream: string | null; wrt: string; r: Resolved; asked: boolean }>,
  tensorGrads: readonly TensorGradient[], opts: SolveOptions,
): ScalarResult {
  const g = tn.graph;
  const leaves = bindGiven(problem, graph, opts.given);
  const values = evaluateGraph(graph, new Map([...leaves].map(([k, r]) => [k, r.toNumber()])));
  const exactValues = problem.exact ? evaluateGraphExact(graph, leaves) : new Map<string, Rational | null>();
  const objectiveKey = (of: string, step: number | null, upstream: string | null): string =>
    upstream ? [...tn.objectives].find(([, o]) => o.of === of && o.upstream === upstream)![0] : entryKey(g, of, step, g.nodes.get(of)!.shape.map(() => 1));
  const requests: GradientRequest[] = reqs.map((q) => {
    const { keys, shape } = keysOf(g, q.r);
    return { of: objectiveKey(q.ofNode, q.ofStep, q.upstream), wrt: q.wrt, keys, asked: q.asked, shape };
  });
  // The scalar level may leave the finite numbers where the tensor level is stable (softmax at |z| = 1000):
  // then it is reported as not run for those entries, never as a disagreement.
  let gradients: GradientResult[];
  let definitions: Map<string, Expr>;
  try {
    ({ gradients, definitions } = scalarGradients(problem, graph, values, exactValues, leaves, requests, opts.skipCheck === true));
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e;
    gradients = requests.map((r) => ({ of: r.of, wrt: r.wrt, shape: r.shape, entries: [], adjoints: { of: r.of, defs: new Map(), edges: new Map(), relevant: new Set() }, asked: r.asked }));
    definitions = new Map();
  }
  let maxAbsDiff = 0, compared = 0;
  gradients.forEach((sg, i) => {
    const tg = tensorGrads[i]!;
    sg.entries.forEach((e, j) => {
      const d = Math.abs(e.value - tg.value.data[j]!);
      compared++;
      if (!(d <= maxAbsDiff)) maxAbsDiff = d;
    });
  });
  return { graph, leaves, values, exactValues, gradients, definitions, maxAbsDiff, compared, forwardValues: compareValues(g, fwd, values) };
}

/** The Solution the rest of the pipeline reads: tensor-level values and gradients, scalar-level forms where it ran. */
function assemble(
  problem: ProblemSpec, network: BuiltNetwork, ts: TensorSolution, forwardAsked: readonly Resolved[], scalar: ScalarResult | null, updateAsk: Extract<AskItem, { kind: 'update' }> | undefined,
): Solution {
  const g = ts.network.graph;
  // Entries keyed as the scalar graph keys them are built on first use: a sheet or the JSON of a
  // tensor problem reads the tensor level, and an MLP 784-128-10 has 100,000 of them.
  // values from the tensor level (the core), so the JSON, sheets and answer keys print the same numbers
  const values = lazy(() => tensorValues(ts));
  const forward = lazy(() => forwardAsked.flatMap((r) => keysOf(g, r).keys));
  const gradients = lazy((): GradientResult[] => ts.gradients.map((tg, i) => {
    const sg = scalar?.gradients[i];
    const { keys, shape } = keysOf(g, { node: tg.node, step: tg.step, index: tg.index });
    const entries: GradientEntry[] = keys.map((key, j) => {
      const s = sg?.entries[j];
      return { key, value: tg.value.data[j]!, exact: s?.exact ?? null, closedForm: s?.closedForm ?? zero, fd: s?.fd ?? null, nondifferentiable: s?.nondifferentiable ?? false };
    });
    return {
      of: sg?.of ?? tg.of, wrt: tg.wrt, shape, entries, asked: tg.asked,
      adjoints: sg?.adjoints ?? { of: tg.of, defs: new Map(), edges: new Map(), relevant: new Set() },
    };
  }));
  const updates = ts.updates ? new Map([...ts.updates].map(([k, v]) => [k, [...v.data]])) : null;
  return {
    problem,
    network,
    graph: network.graph,
    leaves: scalar?.leaves ?? new Map(),
    get values() { return values(); },
    exactValues: scalar?.exactValues ?? new Map(),
    get forward() { return forward(); },
    get gradients() { return gradients(); },
    definitions: scalar?.definitions ?? new Map(),
    updates,
    updateRate: updateAsk?.rate ?? null,
    table: tensorTable(problem, network, ts.network),
    published: published(problem, g, ts, values),
    jacobians: scalar ? jacobians(scalar.graph, scalar.values, problem.ask) : [],
    check: checkReport(ts, scalar?.gradients ?? []),
    sizes: ts.sizes,
    report: {},
    tensor: ts,
  };
}

function lazy<T>(make: () => T): () => T {
  let v: { value: T } | null = null;
  return () => (v ??= { value: make() }).value;
}

/** Entry values from the tensor level (every node, a sequence step by step), keyed as the scalar graph keys them. */
function tensorValues(ts: TensorSolution): Map<string, number> {
  const g = ts.network.graph;
  const out = new Map<string, number>();
  const put = (name: string, step: number | null, v: Tensor | undefined) => {
    if (!v) return;
    indicesOf(g.nodes.get(name)!.shape).forEach((idx, i) => out.set(entryKey(g, name, step, idx), v.data[i]!));
  };
  for (const [name, n] of g.nodes) {
    if (n.seq) {
      const steps = ts.forward.seq.get(name);
      for (let t = 1; t <= g.steps!; t++) put(name, t, steps?.[t - 1]);
    } else put(name, null, ts.forward.values.get(name) ?? ts.network.leaves.get(name));
  }
  return out;
}

function checkReport(ts: TensorSolution, gradients: readonly GradientResult[]): CheckReport {
  // per entry, where the scalar level ran its central differences; along directions always
  let maxRelError = ts.check.maxError, worst = ts.check.worst, entries = 0;
  const nondiff: string[] = [...ts.check.skipped];
  let perEntry = false;
  for (const gr of gradients) {
    for (const e of gr.entries) {
      if (e.nondifferentiable) { nondiff.push(`${gr.of}/${e.key}`); continue; }
      if (e.fd === null) continue;
      perEntry = true;
      entries++;
      const err = Math.abs(e.fd - e.value) / Math.max(1, Math.abs(e.value));
      if (!(err <= maxRelError)) { maxRelError = err; worst = `${gr.of}/${e.key}`; }
    }
  }
  const scalarOk = !ts.scalarLevel.ran || ts.scalarLevel.maxAbsDiff === null || ts.scalarLevel.maxAbsDiff <= 1e-9 * Math.max(1, maxGradient(ts));
  return {
    method: perEntry ? 'central-difference' : 'directional',
    maxRelError, worst, entries, nondifferentiable: [...new Set(nondiff)],
    // nothing asked to differentiate (forward values only) has nothing to fail; anything asked must have been checked
    passed: (ts.gradients.length === 0 || ts.check.directions + entries > 0) && Number.isFinite(maxRelError) && maxRelError <= FD_TOLERANCE && scalarOk,
    directions: ts.check.directions,
    scalarLevel: { ran: ts.scalarLevel.ran, maxAbsDiff: ts.scalarLevel.maxAbsDiff },
  };
}

function maxGradient(ts: TensorSolution): number {
  let m = 0;
  for (const g of ts.gradients) for (const v of g.value.data) m = Math.max(m, Math.abs(v));
  return m;
}

function published(problem: ProblemSpec, g: TGraph, ts: TensorSolution, valuesOf: () => ReadonlyMap<string, number>): PublishedResult[] | null {
  if (!problem.published) return null;
  return problem.published.values.map(({ what, value, field }) => {
    let computed: number;
    const slash = what.indexOf('/');
    if (slash > 0) {
      const of = what.slice(0, slash), wrt = what.slice(slash + 1);
      const r = resolveTensorName(g, wrt, field);
      const gr = ts.gradients.find((x) => x.of === of && x.node === r.node && (x.step === r.step || x.step === null));
      if (!gr) return field.fail(`'${what}' is not among the asked gradients (add it to ask)`);
      computed = pick(g, gr, r);
    } else {
      const r = resolveTensorName(g, what, field);
      const { keys } = keysOf(g, r);
      if (keys.length !== 1) field.fail(`'${what}' is a tensor; name one entry, e.g. ${what}[1]`);
      computed = valuesOf().get(keys[0]!) ?? field.fail(`'${what}' has no value`);
    }
    return { what, published: value, computed, agrees: agreesAtPrecision(computed, value, problem.precision) };
  });
}

/** One entry of a gradient, as a published value names it. */
function pick(g: TGraph, gr: TensorGradient, r: Resolved): number {
  const n = g.nodes.get(gr.node)!;
  if (gr.index) return gr.value.data[0]!;
  const idx = r.index ?? n.shape.map(() => 1);
  const st = n.shape.map((_, i) => n.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const inner = idx.reduce((s, v, i) => s + (v - 1) * st[i]!, 0);
  const stepOffset = n.seq && gr.step === null ? (r.step! - 1) * sizeOf(n.shape) : 0;
  return gr.value.data[stepOffset + inner]!;
}

function checkFinite(problem: ProblemSpec, g: TGraph, fwd: TensorSolution['forward']): void {
  for (const name of g.order) {
    const n = g.nodes.get(name)!;
    if (!n.def) continue;
    const vs = n.seq ? fwd.seq.get(name) ?? [] : [fwd.values.get(name)];
    vs.forEach((v, t) => {
      if (v && !allFinite(v)) definingField(problem, name).fail(`the value of '${name}${n.seq ? `[${t + 1}]` : ''}' is not a finite number at the given values`);
    });
  }
}

/** Every leaf an asked node depends on must have a value. */
function requireValues(problem: ProblemSpec, tn: TensorNetwork, names: readonly string[]): void {
  if (tn.forward) return;
  // the forward pass failed for want of a value: name the leaf
  try {
    forwardPass(tn.graph, tn.leaves, tn.phases);
  } catch (e) {
    if (e instanceof ProblemError) problem.givenField.fail(e.message);
    throw e;
  }
  void names;
}

/** A Jacobian whose `of` needs a leaf without a value is reported at its ask, as the scalar level reports it. */
function jacobianMissing(problem: ProblemSpec, tn: TensorNetwork): void {
  const g = tn.graph;
  for (const a of problem.ask) {
    if (a.kind !== 'jacobian' || !g.nodes.has(a.of)) continue; // an unknown name is reported where the Jacobian is taken
    const seen = new Set<string>();
    const stack = [a.of];
    while (stack.length) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const n = g.nodes.get(name)!;
      if (!n.def) {
        if (!tn.leaves.has(name)) a.field.get('of').fail(`'${name}', which '${a.of}' depends on, has no value (add it under given)`);
        continue;
      }
      stack.push(...trefsOf(n.def).map((r) => r.name), ...(n.initial ? [n.initial] : []));
    }
  }
}

function missingValue(problem: ProblemSpec, tn: TensorNetwork): never {
  requireValues(problem, tn, []);
  return problem.givenField.fail('some value is missing');
}

function missingLeaf(problem: ProblemSpec, name: string): never {
  return problem.givenField.fail(`'${name}' has no value (add it under given)`);
}

function definingField(problem: ProblemSpec, name: string): AskItem['field'] {
  return kindOf(problem.network).fieldOf?.(problem.network, name) ?? problem.givenField;
}

