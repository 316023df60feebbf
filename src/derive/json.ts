/** The `derive --json` document (contract 6.1). */
import { toText } from '../ops/print.js';
import { unbar } from '../diff/reverse.js';
import type { Graph } from '../expr/graph.js';
import type { Solution } from './solve.js';
import { tensorJson } from './tensor-json.js';

export { nest } from '../expr/tensor-value.js';
import { nest } from '../expr/tensor-value.js';

export interface DeriveJson {
  id: string;
  values: Record<string, unknown>;
  gradients: Record<string, Record<string, unknown>>;
  closedForms: Record<string, Record<string, unknown>>;
  definitions?: Record<string, string>;
  updates?: Record<string, unknown>;
  table?: unknown[];
  published?: unknown[];
  check: Record<string, unknown>;
  [extra: string]: unknown;
}

/** The `table` ask's rows (either level). */
export const tableJson = (sol: Solution): unknown[] =>
  (sol.table ?? []).map((r) => ({ input: r.input, output: r.output, expected: r.expected ?? null, ok: r.ok ?? null }));

export function deriveJson(sol: Solution): DeriveJson {
  if (sol.tensor) return tensorJson(sol);
  const g = sol.graph;
  const values: Record<string, unknown> = {};
  for (const name of tensorsOf(g, sol.forward)) values[name] = tensorValue(g, name, sol.values);
  const gradients: Record<string, Record<string, unknown>> = {};
  const closedForms: Record<string, Record<string, unknown>> = {};
  for (const gr of sol.gradients.filter((x) => x.asked)) {
    const of = asAsked(g, gr.of);
    (gradients[of] ??= {})[gr.wrt] = nest(gr.entries.map((e) => e.value), gr.shape);
    (closedForms[of] ??= {})[gr.wrt] = nest(gr.entries.map((e) => toText(e.closedForm)), gr.shape);
  }
  const out: DeriveJson = { id: sol.problem.id, values, gradients, closedForms, check: {} };
  if (sol.definitions.size) {
    out.definitions = Object.fromEntries([...sol.definitions].map(([k, d]) => [`delta_${unbar(k)}`, toText(d)]));
  }
  if (sol.updates) {
    out.updates = Object.fromEntries([...sol.updates].map(([name, v]) => [name, nest(v, g.tensors.get(name)?.shape ?? [])]));
  }
  if (sol.table) out.table = tableJson(sol);
  if (sol.published) out.published = sol.published.map((p) => ({ ...p }));
  if (sol.jacobians.length) out.jacobians = jacobiansJson(sol);
  out.check = {
    method: sol.check.method,
    maxRelError: sol.check.maxRelError,
    worst: sol.check.worst,
    passed: sol.check.passed,
    entries: sol.check.entries,
    ...(sol.check.nondifferentiable.length ? { nondifferentiable: sol.check.nondifferentiable } : {}),
  };
  if (sol.report.json) Object.assign(out, sol.report.json);
  return out;
}

/** Rows are the entries of `of`, columns the entries of `wrt`, both flattened row-major (README, "Jacobians"). */
export function jacobiansJson(sol: Solution): unknown[] {
  return sol.jacobians.map((j) => ({
    of: j.of, wrt: j.wrt, shape: [j.values.length, j.wrtKeys.length], ofShape: [...j.ofShape], wrtShape: [...j.wrtShape],
    rows: [...j.ofKeys], columns: [...j.wrtKeys], values: j.values.map((r) => [...r]),
    check: { method: 'central-difference', maxRelError: j.check.maxError, passed: j.check.passed },
  }));
}

/** `o` for the key `o[1]` of a one-element tensor (as the problem asked it), else the key itself. */
export function asAsked(g: Graph, key: string): string {
  const t = g.tensors.get(g.nodes.get(key)?.tensor ?? key);
  return t && t.keys.length === 1 ? t.name : key;
}

/** Tensor names of a list of keys, in first-seen order. */
function tensorsOf(g: Graph, keys: readonly string[]): string[] {
  return [...new Set(keys.map((k) => g.nodes.get(k)!.tensor))];
}

function tensorValue(g: Graph, name: string, values: ReadonlyMap<string, number>): unknown {
  const t = g.tensors.get(name)!;
  return nest(t.keys.map((k) => values.get(k) ?? null), t.shape);
}
