/**
 * `derive --json` for a network written as tensor equations (contract 6.1):
 * values and gradients from the tensor level, nested by shape (a sequence
 * steps first); `matrixForms` and the named adjoints in `definitions`, in the
 * syntax of 2.7 (`delta_z[T]` listed before `delta_z[t]`); per-entry
 * `closedForms` where the scalar level ran.
 */
import { toText } from '../ops/print.js';
import { tref, type TExpr } from '../expr/tensor.js';
import * as T from '../ops/tensor-build.js';
import type { TGraph } from '../expr/tensor-graph.js';
import { nestTensor, stack, type Nested, type Tensor } from '../expr/tensor-value.js';
import { unbar } from '../diff/reverse.js';
import { stepCases } from '../numeric/tensor-adjoint-eval.js';
import { atFixedStep } from '../ops/tensor-rebuild.js';
import { printT, textNames, toTextT } from '../ops/tensor-print.js';
import type { DeriveJson } from './json.js';
import { nest, jacobiansJson, tableJson } from './json.js';
import type { Solution } from './solve.js';
import { resolveTensorName, type TensorGradient, type TensorPass, type TensorSolution } from './tensor-solve.js';

export function tensorJson(sol: Solution): DeriveJson {
  const ts = sol.tensor!;
  const g = ts.network.graph;
  const values: Record<string, unknown> = {};
  for (const a of sol.problem.ask) {
    if (a.kind !== 'forward') continue;
    for (const name of a.names) values[name] = valueOf(g, ts, resolveTensorName(g, name, a.field));
  }
  const gradients: Record<string, Record<string, unknown>> = {};
  const matrixForms: Record<string, Record<string, string>> = {};
  const closedForms: Record<string, Record<string, unknown>> = {};
  ts.gradients.forEach((tg, i) => {
    if (!tg.asked) return;
    (gradients[tg.of] ??= {})[tg.wrt] = tg.index ? tg.value.data[0]! : nestTensor(tg.value);
    // a per-step loss's pass (e[2]) names the same adjoints as the loss's own: its forms are its closed forms
    const form = tg.ofStep === null ? matrixForm(g, ts, tg) : null;
    if (form !== null) (matrixForms[tg.of] ??= {})[tg.wrt] = form;
    if (!ts.scalarLevel.ran) return;
    const sg = sol.gradients[i]!;
    if (sg.entries.length) (closedForms[tg.of] ??= {})[tg.wrt] = nest(sg.entries.map((e) => toText(e.closedForm)), sg.shape);
  });
  const definitions: Record<string, string> = {};
  for (const p of ts.passes.filter((x) => x.step === null)) Object.assign(definitions, Object.fromEntries(deltaDefinitions(g, p).filter(([k]) => !(k in definitions))));
  if (ts.scalarLevel.ran) for (const [k, d] of sol.definitions) definitions[`delta_${unbar(k)}`] ??= toText(d);
  const out: DeriveJson = { id: sol.problem.id, values, gradients, closedForms, matrixForms, check: {} };
  if (Object.keys(definitions).length) out.definitions = definitions;
  if (ts.updates) out.updates = Object.fromEntries([...ts.updates].map(([k, v]) => [k, nestTensor(v)]));
  if (sol.table) out.table = tableJson(sol);
  if (sol.published) out.published = sol.published.map((p) => ({ ...p }));
  if (sol.jacobians.length) out.jacobians = jacobiansJson(sol);
  out.check = {
    method: sol.check.method,
    maxRelError: sol.check.maxRelError,
    worst: sol.check.worst,
    passed: sol.check.passed,
    entries: sol.check.entries,
    directions: sol.check.directions ?? 0,
    scalarLevel: sol.check.scalarLevel ?? { ran: false, maxAbsDiff: null },
    ...(sol.check.nondifferentiable.length ? { nondifferentiable: sol.check.nondifferentiable } : {}),
  };
  if (ts.stateNorms) out.hiddenJacobianNorms = [{ state: ts.stateNorms.states.join(','), norm: 'spectral', values: ts.stateNorms.values.map((v) => ({ ...v })) }];
  if (ts.notes.length) out.notes = [...ts.notes];
  if (sol.report.json) Object.assign(out, sol.report.json);
  return out;
}

function valueOf(g: TGraph, ts: TensorSolution, r: { node: string; step: number | null; index: readonly number[] | null }): Nested {
  const n = g.nodes.get(r.node)!;
  let v: Tensor;
  if (!n.seq) v = ts.forward.values.get(r.node) ?? ts.network.leaves.get(r.node)!;
  else {
    const steps = ts.forward.seq.get(r.node)!;
    v = r.step === null ? stack(steps, n.shape) : steps[r.step - 1]!;
  }
  if (!r.index) return nestTensor(v);
  const st = n.shape.map((_, i) => n.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return v.data[r.index.reduce((s, x, i) => s + (x - 1) * st[i]!, 0)]!;
}

/** The matrix form of one asked gradient: the leaf's gradient form, or the named adjoint of a node (null for one element). */
export function matrixFormExpr(g: TGraph, ts: TensorSolution, tg: TensorGradient): TExpr | null {
  if (tg.index) return null;
  const n = g.nodes.get(tg.node)!;
  const form = passFor(ts, tg).forms.forms.get(tg.node);
  if (!form) return T.zeros(n.shape);
  if (n.def) return tref(tg.node, n.shape, n.seq ? (tg.step === null ? { kind: 'rel', offset: 0 } : { kind: 'abs', step: tg.step }) : null, true);
  if (!n.seq || tg.step === null) return form;
  return atFixedStep(form, tg.step, g.steps!, (x) => g.nodes.get(x)?.initial);
}

export function matrixForm(g: TGraph, ts: TensorSolution, tg: TensorGradient): string | null {
  const e = matrixFormExpr(g, ts, tg);
  return e === null ? null : toTextT(e);
}

export const passFor = (ts: TensorSolution, tg: { of: string; upstream: string | null }): TensorPass =>
  ts.passes.find((p) => p.of === tg.of && p.upstream === tg.upstream)!;

/** The named adjoints of a pass, as `definitions` lists them: a sequence's last step first, then the general step. */
export function deltaDefinitions(g: TGraph, p: TensorPass): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, e] of p.forms.deltas) {
    const n = g.nodes.get(name)!;
    if (!n.seq) { out.push([`delta_${name}`, toTextT(e)]); continue; }
    for (const [label, form] of sequenceCases(g, e)) out.push([`delta_${name}[${label}]`, printT(form, textNames(label === 'T' ? 'T' : 't'))]);
  }
  return out;
}

/**
 * The cases of a sequence adjoint: [T] first, then [t] (t < T), then any fixed
 * step with a term of its own; one case [t] where the last step reads the same.
 */
export function sequenceCases(g: TGraph, e: TExpr): Array<[string, TExpr]> {
  const c = stepCases(e, g.steps!);
  if (g.steps! > 1 && c.last === c.inner) return [['t', c.inner], ...[...c.special].map(([j, f]): [string, TExpr] => [String(j), atFixedStep(f, j, g.steps!, (x) => g.nodes.get(x)?.initial)])];
  const out: Array<[string, TExpr]> = [['T', c.last]];
  if (g.steps! > 1) out.push(['t', c.inner]);
  // a fixed step's own case, written at that step (h[2], not h[t])
  for (const [j, form] of c.special) out.push([String(j), atFixedStep(form, j, g.steps!, (x) => g.nodes.get(x)?.initial)]);
  return out;
}
