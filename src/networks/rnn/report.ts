/**
 * The RNN's report (BuiltNetwork.report): the generic engine's BPTT read by
 * role (levels.ts) for the loss and every asked loss term, the tensor level
 * against the scalar graph, the norms of dh_T/dh_k per recurrent layer, for
 * scalar RNNs the sum over paths; as JSON keys and as solution-sheet
 * sections in the problem's notation.
 */
import type { KindSolution as Solution } from '../core/solution.js';
import { nest } from '../../expr/tensor-value.js';
import type { TensorPass } from '../core/solution.js';
import { stateJacobianNorms } from '../../diff/state-jacobian.js';
import type { NetworkReport, SheetSection } from '../core/built.js';
import { exactForms } from './exact-forms.js';
import { shapeOf, type RnnLayout } from './layout.js';
import type { Mat, Vec } from '../../numeric/matrix.js';
import { RNN_NOTATIONS, RnnTex } from './notation.js';
import { hasPathView, isScalarRnn, pathSum, type PathSum } from './paths.js';
import { lossStepsOf, readBackward, readForward, readValues, type RnnBackward } from './levels.js';
import { jacobianSection, pathSection, recurrenceSection, stepsSection, type HiddenJacobianNorms, type LayerCheck } from './sections.js';

export function buildReport(layout: RnnLayout, sol: Solution): NetworkReport {
  const spec = layout.spec, graph = sol.graph, names = spec.names;
  const ts = sol.tensor;
  const p = ts ? readValues(layout, ts) : null;
  if (!ts || !p) return {}; // some parameter or input has no value: nothing to show at the layer level
  const notation = sol.problem.notation && RNN_NOTATIONS.includes(sol.problem.notation) ? sol.problem.notation : undefined;
  const tex = new RnnTex(layout, notation);
  const f = readForward(layout, ts);

  // One backward pass per loss `of` (the engine's passes): the loss E, and single steps e[t] when those are asked.
  const byOf = new Map<string, { pass: TensorPass; b: RnnBackward }>();
  for (const pass of ts.passes) {
    const steps = lossStepsOf(layout, pass);
    if (steps && !pass.upstream) byOf.set(pass.of, { pass, b: readBackward(layout, ts, pass, steps) });
  }
  // the two levels: the tensor level's matrix forms against the scalar graph, entry by entry
  const check: LayerCheck = { maxRelError: ts.scalarLevel.maxAbsDiff ?? 0, compared: ts.scalarLevel.compared, worst: null };
  const norms: HiddenJacobianNorms[] = [];
  for (const [state, role] of [[names.h, 'h'], ...(spec.stacked === 2 ? [[names.s, 's']] : [])] as Array<[string, 'h' | 's']>) {
    const r = stateJacobianNorms(ts.network.graph, ts.network.phases, ts.forward, [state]);
    if (r) norms.push({ state, role, norm: 'spectral', values: r.values });
  }

  const ofLatex = (of: string): string => {
    const pass = byOf.get(of)?.pass;
    return pass && pass.step !== null ? tex.element('e', [pass.step]) : tex.tensor('E');
  };
  const precision = sol.problem.precision;
  const sections: SheetSection[] = [recurrenceSection(layout, tex)];
  for (const [of, { pass, b }] of byOf) {
    const exact = sol.problem.exact ? exactForms(layout, ts, pass, b.lossSteps, (k) => sol.leaves.get(k)) : null;
    sections.push(stepsSection(layout, tex, b, { text: of, latex: ofLatex(of) }, precision, check, exact));
  }
  sections.push(jacobianSection(layout, tex, norms, spec.steps, precision));

  const paths: PathSum[] = [];
  if (isScalarRnn(layout)) {
    for (const g of sol.gradients.filter((x) => x.asked && byOf.has(x.of))) {
      const role = layout.roleOf.get(graph.nodes.get(g.entries[0]!.key)!.tensor);
      if (!role || !hasPathView(role)) continue;
      const ps = pathSum(layout, tex, ofLatex(g.of), g.of, role, p, f, byOf.get(g.of)!.b);
      if (!ps) continue;
      paths.push(ps);
      sections.push(pathSection(ps, ofLatex(g.of), tex.element(role, role.startsWith('b') ? [1] : [1, 1]), g.entries[0]!.value, precision));
    }
  }

  const bptt: Record<string, unknown> = {};
  for (const [of, { b }] of byOf) {
    const deltas: Record<string, unknown> = {
      [names.u]: spec.mode === 'many-to-many' ? b.deltaOut.map((d) => d ?? new Array<number>(spec.sizes.output).fill(0)) : b.deltaOut[spec.steps - 1],
      [names.z]: b.delta1,
    };
    if (b.delta2) deltas[names.z2] = b.delta2;
    const gradients: Record<string, unknown> = {};
    for (const r of spec.roles.filter((x) => b.grads[x])) gradients[names[r]] = nestAs(b.grads[r]!, shapeOf(spec, r));
    bptt[of] = { lossSteps: b.lossSteps, deltas, gradients };
  }
  const json: Record<string, unknown> = {
    bptt,
    layerCheck: { ...check },
    hiddenJacobianNorms: norms.map((n) => ({ state: n.state, norm: n.norm, values: n.values.map((v) => ({ ...v })) })),
  };
  if (paths.length) json.pathSums = paths.map((ps) => ({ of: ps.of, wrt: ps.wrt, total: ps.total, terms: ps.terms.map((t) => ({ route: t.route, value: t.value, factors: t.factors.map((x) => x.value) })) }));
  return { json, sections, layerCheck: { maxRelError: check.maxRelError, compared: check.compared } };
}

function nestAs(m: Mat | Vec, shape: readonly number[]): unknown {
  const flat = Array.isArray(m[0]) ? (m as Mat).flat() : (m as Vec);
  return nest(flat, shape);
}
