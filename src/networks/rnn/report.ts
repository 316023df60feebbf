/**
 * The RNN's layer-level report (BuiltNetwork.report): BPTT in matrix form for
 * the loss and for every asked loss term, checked against the solved scalar
 * graph; the norms of dh_T/dh_k; for scalar RNNs the sum over paths; as JSON
 * keys and as solution-sheet sections.
 */
import type { Solution } from '../../derive/solve.js';
import { nest } from '../../derive/json.js';
import type { NetworkReport, SheetSection } from '../built.js';
import { backward, forward, forwardMagnitude, type RnnBackward } from './bptt.js';
import { compareWithGraph, type Levels } from './compare.js';
import { exactForms } from './exact-forms.js';
import { hiddenJacobianNorms } from './jacobian.js';
import { shapeOf, type RnnLayout } from './layout.js';
import type { Mat, Vec } from '../../numeric/matrix.js';
import { RNN_NOTATIONS, RnnTex } from './notation.js';
import { hasPathView, isScalarRnn, pathSum, type PathSum } from './paths.js';
import { lossStepsOf, readValues } from './read.js';
import { jacobianSection, pathSection, recurrenceSection, stepsSection } from './sections.js';

export function buildReport(layout: RnnLayout, sol: Solution): NetworkReport {
  const spec = layout.spec, graph = sol.graph, names = spec.names;
  const p = readValues(layout, graph, sol.values);
  if (!p) return {}; // some parameter or input has no value: nothing to compute at the layer level
  const notation = sol.problem.notation && RNN_NOTATIONS.includes(sol.problem.notation) ? sol.problem.notation : undefined;
  const tex = new RnnTex(layout, notation);
  const f = forward(spec, p);
  const hasTargets = p.target.some((t) => t !== null);

  // One backward pass per loss `of`: the loss E, and single steps e[t] when those are asked.
  const ofs = [...new Set(sol.gradients.map((g) => g.of))].filter((of) => lossStepsOf(layout, graph, of) !== null);
  if (ofs.length === 0 && hasTargets) ofs.push(names.E);
  // Each pass also in magnitudes (sums of |terms|), the scale for judging rounding where values cancel.
  const levels = new Map<string, Levels<RnnBackward>>();
  if (hasTargets) {
    for (const of of ofs) {
      const steps = lossStepsOf(layout, graph, of)!;
      levels.set(of, { value: backward(spec, p, f, steps), magnitude: backward(spec, p, f, steps, true) });
    }
  }
  const byOf = new Map([...levels].map(([of, l]) => [of, l.value]));
  const check = compareWithGraph(layout, sol, { value: f, magnitude: forwardMagnitude(spec, p, f) }, levels);
  const norms = hiddenJacobianNorms(spec, p, f);

  const ofLatex = (of: string): string => (of === names.E ? tex.tensor('E') : tex.element('e', graph.nodes.get(of)!.index));
  const precision = sol.problem.precision;
  const sections: SheetSection[] = [recurrenceSection(layout, tex)];
  for (const [of, b] of byOf) {
    const exact = sol.problem.exact ? exactForms(layout, graph, sol.leaves, b.lossSteps) : null;
    sections.push(stepsSection(layout, tex, b, { text: of, latex: ofLatex(of) }, precision, check, exact));
  }
  sections.push(jacobianSection(layout, tex, norms, spec.steps, precision));

  const paths: PathSum[] = [];
  if (isScalarRnn(layout)) {
    for (const g of sol.gradients.filter((x) => x.asked && byOf.has(x.of))) {
      const role = layout.roleOf.get(graph.nodes.get(g.entries[0]!.key)!.tensor);
      if (!role || !hasPathView(role)) continue;
      const ps = pathSum(layout, tex, ofLatex(g.of), g.of, role, p, f, byOf.get(g.of)!);
      if (!ps) continue;
      paths.push(ps);
      sections.push(pathSection(ps, ofLatex(g.of), tex.element(role, role.startsWith('b') ? [1] : [1, 1]), g.entries[0]!.value, precision));
    }
  }

  const bptt: Record<string, unknown> = {};
  for (const [of, b] of byOf) {
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
