/**
 * Time in a problem, as answers use it: which tensors are sequences (time
 * first: `h[2,1]` is unit 1 at step 2), the initial state each reads at step 0
 * (`h_0` is `h0`), which tensors exist only at the last step (a many-to-one
 * RNN's output: `y^{(3)}` is `y`), the number of steps (`T`), and the
 * pre-activation whose adjoint a bare `\delta_t` means. Read from the tensor
 * graph of a network written as 2.7 equations, from the RNN builder's layout,
 * else from the 2.7 convention that a sequence `n` starts from a tensor `n0`
 * (`n_0` when the name ends in a digit).
 */
import type { Graph, TensorInfo } from '../expr/graph.js';
import type { TGraph } from '../expr/tensor-graph.js';
import { kindTime } from '../networks/registry.js';

export interface Sequence {
  readonly name: string;
  readonly steps: number;
  /** the tensor read at step 0, if any */
  readonly initial: string | null;
}

export interface TimeInfo {
  /** the number of steps, when the problem has one */
  readonly steps: number | null;
  readonly sequences: ReadonlyMap<string, Sequence>;
  /** tensors that exist only at the last step (many-to-one outputs and targets) */
  readonly lastOnly: ReadonlySet<string>;
  /** the hidden pre-activation sequence: `\delta_t` is its adjoint at step t */
  readonly deltaOf: string | null;
}

export function timeInfo(graph: Graph, tensor?: TGraph): TimeInfo {
  // a kind's own layout (the rnn kind's roles) knows its notation best; bare 2.7 equations have the tensor graph
  const own = kindTime(graph);
  if (tensor && !own) return fromTensorGraph(graph, tensor);
  if (own) return own;
  const sequences = new Map<string, Sequence>();
  const lastOnly = new Set<string>();
  // 2.7: a sequence n (steps x size) reads n0 (n_0 after a digit) at step 0
  const steps = new Set<number>();
  for (const t of graph.tensors.values()) {
    if (t.shape.length !== 2) continue;
    const initial = [`${t.name}0`, `${t.name}_0`].map((n) => graph.tensors.get(n)).find((i): i is TensorInfo => i !== undefined && i.shape.length === 1 && i.shape[0] === t.shape[1]);
    if (!initial) continue;
    sequences.set(t.name, { name: t.name, steps: t.shape[0]!, initial: initial.name });
    steps.add(t.shape[0]!);
  }
  const z = sequences.has('z') ? 'z' : null;
  return { steps: steps.size === 1 ? [...steps][0]! : null, sequences, lastOnly, deltaOf: z };
}

const ACTIVATIONS: ReadonlySet<string> = new Set(['tanh', 'sigmoid', 'relu']);

/**
 * 2.7 equations: the tensor graph knows its sequences and their initial values; `\delta_t` is the adjoint
 * of the one sequence that an activation turns into another (z in h[t] = tanh(z[t])).
 */
function fromTensorGraph(graph: Graph, tg: TGraph): TimeInfo {
  const sequences = new Map<string, Sequence>();
  const steps = tg.steps;
  const preActivations = new Set<string>();
  for (const n of tg.nodes.values()) {
    if (!n.seq || steps === null || !graph.tensors.has(n.name)) continue;
    sequences.set(n.name, { name: n.name, steps, initial: n.initial && graph.tensors.has(n.initial) ? n.initial : null });
    const d = n.def;
    if (d?.kind === 'apply' && ACTIVATIONS.has(d.op) && d.args[0]?.kind === 'ref' && d.args[0].step?.kind === 'rel' && d.args[0].step.offset === 0) {
      preActivations.add(d.args[0].name);
    }
  }
  const deltaOf = sequences.has('z') ? 'z' : preActivations.size === 1 ? [...preActivations][0]! : null;
  return { steps, sequences, lastOnly: new Set(), deltaOf };
}
