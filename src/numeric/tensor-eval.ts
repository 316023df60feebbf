/**
 * Float64 evaluation at the tensor level: expressions over named tensors,
 * and the forward pass of a tensor graph through time (nodes outside time
 * first, then every sequence step by step, then the nodes that read whole
 * sequences).
 *
 * Stable numerics where the printed form would overflow: log of a sigmoid is
 * -softplus(-u), log(1 - sigmoid(u)) is -softplus(u), log of a softmax is
 * z - logsumexp(z); softmax and logsumexp shift by the maximum (their ops);
 * t log p is 0 where t = 0 (the mul op). So inputs of size 1000 give finite
 * values and gradients.
 */
import { ProblemError } from '../errors.js';
import { isTNum, type TApply, type TExpr, type TRef } from '../expr/tensor.js';
import type { TGraph, TNode, Phases } from '../expr/tensor-graph.js';
import { filled, tensor, type Tensor } from '../expr/tensor-value.js';
import { FUNCTIONS } from '../ops/registry.js';
import { TOPS } from '../ops/tensor-ops.js';

/** Resolves a reference at step t (null outside time). */
export type TEnv = (r: TRef, t: number | null) => Tensor;

/** The value of `e` at step t; `memo` holds values of nodes evaluated at this same step. */
export function evalT(e: TExpr, env: TEnv, t: number | null, memo: Map<number, Tensor> = new Map()): Tensor {
  const hit = memo.get(e.id);
  if (hit) return hit;
  let v: Tensor;
  switch (e.kind) {
    case 'num': v = numTensor(e); break;
    case 'ref': v = env(e, t); break;
    case 'apply': v = evalApply(e, env, t, memo); break;
  }
  memo.set(e.id, v);
  return v;
}

/** A number's tensor, made once: values are never written after they are made. */
const numTensors = new WeakMap<TExpr, Tensor>();
function numTensor(e: Extract<TExpr, { kind: 'num' }>): Tensor {
  let t = numTensors.get(e);
  if (!t) numTensors.set(e, (t = tensor([], [e.value.toNumber()])));
  return t;
}

function evalApply(e: TApply, env: TEnv, t: number | null, memo: Map<number, Tensor>): Tensor {
  switch (e.op) {
    case 'sumT': {
      const steps = stepsOf(env);
      const out = tensor(e.shape);
      for (let s = 1; s <= steps; s++) {
        const v = evalT(e.args[0]!, env, s, new Map());
        for (let i = 0; i < out.data.length; i++) out.data[i]! += v.data[i]!;
      }
      return out;
    }
    case 'atStep': return t === (e.attrs.step as number) ? evalT(e.args[0]!, env, t, memo) : tensor(e.shape);
    case 'log': {
      const fused = fusedLog(e.args[0]!, env, t, memo);
      if (fused) return fused;
      break;
    }
    default: break;
  }
  const args = e.args.map((a) => evalT(a, env, t, memo));
  return TOPS[e.op]!.eval(args, e.attrs, e.shape);
}

/**
 * log(sigmoid(u)) = -softplus(-u); log(1 - sigmoid(u)) = -softplus(u);
 * log(softmax(z)) = z - logsumexp(z). The sigmoid or softmax may be written
 * inline or be a named node (p: softmax(z2); E: -sum(t * log(p))): a named
 * node is looked through to its definition, at the step it is read.
 */
function fusedLog(arg: TExpr, env: TEnv, t: number | null, memo: Map<number, Tensor>): Tensor | null {
  const softplus = FUNCTIONS.softplus.eval;
  const seen = through(arg, env, t);
  const a = seen.e, at = seen.t;
  const inner = (x: TExpr): Tensor => (at === t ? evalT(x, env, at, memo) : evalT(x, env, at));
  if (a.kind === 'apply' && a.op === 'sigmoid') return map(inner(a.args[0]!), (x) => -softplus([-x]));
  if (a.kind === 'apply' && a.op === 'add' && a.args.length === 2 && isTNum(a.args[0]!, 1) && a.args[1]!.kind === 'apply' && (a.args[1] as TApply).op === 'neg') {
    const s = through((a.args[1] as TApply).args[0]!, env, at);
    if (s.e.kind === 'apply' && s.e.op === 'sigmoid') {
      const u = s.t === t ? evalT(s.e.args[0]!, env, s.t, memo) : evalT(s.e.args[0]!, env, s.t);
      return map(u, (x) => -softplus([x]));
    }
  }
  if (a.kind === 'apply' && a.op === 'softmax') {
    const z = inner(a.args[0]!);
    const lse = TOPS.logsumexp!.eval([z], a.attrs, logsumexpShape(z, a.attrs.axis as number | null));
    const out = tensor(z.shape);
    const axis = (a.attrs.axis as number | null) ?? null;
    const cols = z.shape.length === 2 ? z.shape[1]! : 1;
    for (let i = 0; i < z.data.length; i++) {
      const j = axis === null ? 0 : axis === 2 ? Math.floor(i / cols) : i % cols;
      out.data[i] = z.data[i]! - lse.data[j]!;
    }
    return out;
  }
  return null;
}

/** A reference to a named node seen as its definition (at the step it reads); anything else as itself. */
function through(e: TExpr, env: TEnv, t: number | null): { e: TExpr; t: number | null } {
  const defOf = INFO.get(env)?.defOf;
  if (e.kind !== 'ref' || e.adjoint || !defOf) return { e, t };
  const d = defOf(e, t);
  return d ?? { e, t };
}

const logsumexpShape = (z: Tensor, axis: number | null): number[] =>
  axis === null ? [] : axis === 2 ? [z.shape[0]!] : [z.shape[1]!];

function map(a: Tensor, f: (x: number) => number): Tensor {
  const out = tensor(a.shape);
  for (let i = 0; i < a.data.length; i++) out.data[i] = f(a.data[i]!);
  return out;
}

/** What an environment knows besides values: the number of steps (for sum_t) and, in a forward pass, the nodes' definitions. */
interface EnvInfo {
  readonly steps: number;
  readonly defOf?: (r: TRef, t: number | null) => { e: TExpr; t: number | null } | null;
}
const INFO = new WeakMap<TEnv, EnvInfo>();
const stepsOf = (env: TEnv): number => INFO.get(env)?.steps ?? 0;
export function withSteps(env: TEnv, steps: number | null, defOf?: EnvInfo['defOf']): TEnv {
  INFO.set(env, { steps: steps ?? 0, defOf });
  return env;
}

/** The forward values of a tensor graph: nodes outside time, and sequences step by step (index 0 is step 1). */
export interface ForwardValues {
  readonly values: ReadonlyMap<string, Tensor>;
  readonly seq: ReadonlyMap<string, readonly Tensor[]>;
}

/** A value that replaces a node's own (a finite-difference probe of an intermediate node or one step of it). */
export interface Override { readonly name: string; readonly step: number | null; readonly value: Tensor }

/** Splits the graph's order into the three phases of the forward pass. */
export function phasesOf(g: TGraph): Phases {
  const after = new Set<string>();
  const before: string[] = [], seq: string[] = [], post: string[] = [];
  for (const name of g.order) {
    const n = g.nodes.get(name)!;
    if (n.seq) { if (n.def) seq.push(name); continue; }
    if (!n.def) continue;
    const reads = refsIn(n.def);
    if (reads.some((r) => g.nodes.get(r.name)!.seq || after.has(r.name))) { after.add(name); post.push(name); } else before.push(name);
  }
  for (const name of seq) {
    const r = refsIn(g.nodes.get(name)!.def!).find((x) => after.has(x.name));
    if (r) throw new ProblemError(`'${name}[t]' reads '${r.name}', which is computed from a whole sequence; a step can read only values that exist before the sequence runs`);
  }
  return { before, seq, after: post };
}

function refsIn(e: TExpr): TRef[] {
  const out: TRef[] = [];
  const seen = new Set<number>();
  const visit = (x: TExpr): void => {
    if (seen.has(x.id)) return;
    seen.add(x.id);
    if (x.kind === 'ref') out.push(x);
    else if (x.kind === 'apply') x.args.forEach(visit);
  };
  visit(e);
  return out;
}

/**
 * The forward pass. `leaves` holds every leaf's value (a sequence leaf stacked
 * steps x size). Values that leave the finite numbers are reported by the caller.
 */
export function forward(g: TGraph, leaves: ReadonlyMap<string, Tensor>, phases: Phases = phasesOf(g), override?: Override): ForwardValues {
  const values = new Map<string, Tensor>();
  const seq = new Map<string, Tensor[]>();
  for (const [name, v] of leaves) {
    const n = g.nodes.get(name);
    if (!n) continue;
    if (n.seq) seq.set(name, unstack(v, n));
    else values.set(name, v);
  }
  const env: TEnv = withSteps((r, t) => {
    const node = g.nodes.get(r.name)!;
    if (!node.seq) return values.get(r.name) ?? missing(r.name);
    const s = r.step!.kind === 'abs' ? r.step!.step : t! + r.step!.offset;
    if (s === 0) return values.get(node.initial!) ?? missing(node.initial ?? `${r.name}0`);
    const arr = seq.get(r.name);
    const v = arr?.[s - 1];
    return v ?? missing(`${r.name}[${s}]`);
  }, g.steps, (r, t) => {
    const node = g.nodes.get(r.name);
    if (!node?.def) return null;
    if (!node.seq) return { e: node.def, t: null };
    const s = r.step!.kind === 'abs' ? r.step!.step : t! + r.step!.offset;
    return s >= 1 ? { e: node.def, t: s } : null;
  });
  const set = (name: string, step: number | null, v: Tensor): Tensor => (override && override.name === name && override.step === step ? override.value : v);
  for (const name of phases.before) values.set(name, set(name, null, evalT(g.nodes.get(name)!.def!, env, null)));
  if (override && !g.nodes.get(override.name)!.def && !g.nodes.get(override.name)!.seq) values.set(override.name, override.value);
  if (phases.seq.length) {
    for (const name of phases.seq) seq.set(name, []);
    for (let t = 1; t <= g.steps!; t++) {
      const memo = new Map<number, Tensor>();
      for (const name of phases.seq) {
        // one memo per step: a subexpression shared by two nodes of this step is evaluated once
        seq.get(name)!.push(set(name, t, evalT(g.nodes.get(name)!.def!, env, t, memo)));
      }
    }
  }
  for (const name of phases.after) values.set(name, set(name, null, evalT(g.nodes.get(name)!.def!, env, null)));
  return { values, seq };
}

function missing(name: string): never {
  throw new ProblemError(`'${name}' has no value (add it under given)`);
}

/** A stacked sequence (steps x ...) as per-step tensors. */
export function unstack(v: Tensor, n: TNode): Tensor[] {
  const size = n.shape.reduce((a, b) => a * b, 1);
  const steps = v.data.length / size;
  return Array.from({ length: steps }, (_, i) => tensor(n.shape, v.data.subarray(i * size, (i + 1) * size)));
}

export { filled };
