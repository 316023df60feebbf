/**
 * The `table` ask for a network of tensor equations (seed 000 Q1: is this
 * network XOR?): one forward pass of the tensor graph per row, with the
 * input leaf replaced by the row, and the output's first entry compared with
 * the expected value.
 */
import { ProblemError } from '../errors.js';
import { sizeOf } from '../expr/tensor.js';
import { tensor } from '../expr/tensor-value.js';
import { scalarShape } from '../diff/scalar-level.js';
import { forward } from '../numeric/tensor-eval.js';
import type { BuiltNetwork, TensorNetwork } from '../networks/core/built.js';
import type { TableRow } from '../networks/core/solution.js';
import type { AskItem, ProblemSpec } from '../problem/spec.js';

export function tensorTable(problem: ProblemSpec, network: BuiltNetwork, tn: TensorNetwork): TableRow[] | null {
  const ask = problem.ask.find((a): a is Extract<AskItem, { kind: 'table' }> => a.kind === 'table');
  if (!ask) return null;
  const g = tn.graph;
  const notInput = (): never => ask.field.get('input').fail(`'${ask.input}' is not an input of this network`);
  const input = g.nodes.get(ask.input) ?? notInput();
  if (input.def) notInput();
  const outName = ask.output ?? network.output;
  const output = g.nodes.get(outName) ?? ask.field.fail(`'${outName}' is not a node of this network`);
  const shape = scalarShape(g, input);
  const size = sizeOf(shape);
  return ask.rows.map((row, i) => {
    if (row.length !== size) ask.field.get('rows').items()[i]!.fail(`a row has ${row.length} values, the input '${ask.input}' has ${size}`);
    const leaves = new Map(tn.leaves);
    leaves.set(input.name, tensor(shape, Float64Array.from(row, (r) => r.toNumber())));
    let values;
    try {
      values = forward(g, leaves, tn.phases);
    } catch (e) {
      if (e instanceof ProblemError) problem.givenField.fail(e.message);
      throw e;
    }
    // the output's first entry (at step 1 for a sequence), as the scalar graph's first key
    const out = (output.seq ? values.seq.get(output.name)?.[0] : values.values.get(output.name) ?? leaves.get(output.name))!.data[0]!;
    const expected = ask.expect?.[i]?.toNumber();
    return { input: row.map((r) => r.toNumber()), output: out, expected, ok: expected === undefined ? undefined : out === expected };
  });
}
