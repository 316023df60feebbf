/**
 * Finite-difference checks at the tensor level. Along random directions (as
 * JAX's check_grads does): for a direction v, the derivative of
 * s -> f(theta + s v) at 0 by central differences must equal v . g, so each
 * direction costs two forward passes and the check stays linear in the
 * graph. Per entry (v a unit vector) for small problems. Where plain central
 * differences miss, Ridders' extrapolation of central differences decides
 * (Numerical Recipes, dfridr), as at the scalar level.
 */
import { tensor, type Tensor } from '../expr/tensor-value.js';
import type { Phases, TGraph } from '../expr/tensor-graph.js';
import { forward, type ForwardValues } from './tensor-eval.js';
import { initializerStream } from './rng.js';
import { FD_TOLERANCE, fdError } from './gradcheck.js';

/** What is differentiated: a leaf, an intermediate node, or one step of a sequence. */
export interface Probe { readonly name: string; readonly step: number | null }

/** The objective: the value of `of` (at a step for a per-step loss), or <G, of> for an upstream gradient G. */
export interface Objective { readonly of: string; readonly step?: number | null; readonly upstream: Tensor | null }

/** The scalar objective after a forward pass. */
export function objectiveValue(obj: Objective, fwd: ForwardValues): number {
  const v = obj.step ? fwd.seq.get(obj.of)![obj.step - 1]! : fwd.values.get(obj.of)!;
  if (!obj.upstream) return v.data[0]!;
  let s = 0;
  for (let i = 0; i < v.data.length; i++) s += obj.upstream.data[i]! * v.data[i]!;
  return s;
}

/** s -> objective with the probed tensor moved by s v. */
export function lineFunction(g: TGraph, phases: Phases, leaves: ReadonlyMap<string, Tensor>, base: ForwardValues, obj: Objective, probe: Probe, v: Float64Array): (s: number) => number {
  const node = g.nodes.get(probe.name)!;
  const start = probeValue(g, base, leaves, probe);
  const moved = (s: number): Tensor => {
    const t = tensor(start.shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = start.data[i]! + s * v[i]!;
    return t;
  };
  if (!node.def && !node.seq) {
    return (s) => {
      const l = new Map(leaves);
      l.set(probe.name, moved(s));
      checkPasses++;
      return objectiveValue(obj, forward(g, l, phases));
    };
  }
  if (!node.def && node.seq) {
    // a step of a given sequence: replace that row of the stacked value
    return (s) => {
      const l = new Map(leaves);
      const all = leaves.get(probe.name)!;
      const copy = tensor(all.shape, all.data);
      const size = start.data.length;
      const m = moved(s);
      copy.data.set(m.data, (probe.step! - 1) * size);
      l.set(probe.name, copy);
      return objectiveValue(obj, forward(g, l, phases));
    };
  }
  return (s) => objectiveValue(obj, forward(g, leaves, phases, { name: probe.name, step: probe.step, value: moved(s) }));
}

/** Forward passes the checks have run (benchmarks read it). */
export let checkPasses = 0;

export function probeValue(g: TGraph, fwd: ForwardValues, leaves: ReadonlyMap<string, Tensor>, probe: Probe): Tensor {
  const node = g.nodes.get(probe.name)!;
  if (!node.seq) return fwd.values.get(probe.name) ?? leaves.get(probe.name)!;
  return fwd.seq.get(probe.name)![probe.step! - 1]!;
}

/**
 * d/ds f(s) at 0: central differences at h and h/2 combined by Richardson's
 * rule (error O(h^4), four forward passes); where that misses the contract's
 * tolerance, Ridders' extrapolation decides.
 */
export function lineDerivative(f: (s: number) => number, exact: number, scale: number): number {
  const h = 1e-4 * Math.max(1, scale);
  const d1 = (f(h) - f(-h)) / (2 * h);
  // plain central differences usually settle it (two forward passes); well inside the tolerance they do
  if (fdError(d1, exact) <= FD_TOLERANCE * 1e-1) return d1;
  const d2 = (f(h / 2) - f(-h / 2)) / h;
  const plain = (4 * d2 - d1) / 3;
  if (fdError(plain, exact) <= FD_TOLERANCE * 1e-1) return plain;
  let best = { value: plain, error: Infinity };
  // down to 1e-6 like the per-entry check (gradcheck.ts): a steep chain (seed 000 Q2(1), w = 100..200)
  // saturates its sigmoids within 1e-4 of w1, and only the small starting steps see its slope
  for (const h0 of [1e-2, 1e-3, 1e-4, 1e-6]) {
    const r = ridders(f, h0 * Math.max(1, scale));
    if (Number.isFinite(r.value) && r.error < best.error) best = r;
  }
  return fdError(plain, exact) <= fdError(best.value, exact) ? plain : best.value;
}

function ridders(f: (s: number) => number, h0: number): { value: number; error: number } {
  const CON = 1.4, CON2 = CON * CON, NTAB = 10, SAFE = 2;
  const a: number[][] = Array.from({ length: NTAB }, () => new Array<number>(NTAB).fill(0));
  let h = h0, err = Infinity, ans = NaN;
  a[0]![0] = (f(h) - f(-h)) / (2 * h);
  for (let i = 1; i < NTAB; i++) {
    h /= CON;
    a[0]![i] = (f(h) - f(-h)) / (2 * h);
    let fac = CON2;
    for (let j = 1; j <= i; j++) {
      a[j]![i] = (a[j - 1]![i]! * fac - a[j - 1]![i - 1]!) / (fac - 1);
      fac *= CON2;
      const errt = Math.max(Math.abs(a[j]![i]! - a[j - 1]![i]!), Math.abs(a[j]![i]! - a[j - 1]![i - 1]!));
      if (errt <= err) { err = errt; ans = a[j]![i]!; }
    }
    if (Math.abs(a[i]![i]! - a[i - 1]![i - 1]!) >= SAFE * err) break;
  }
  return { value: ans, error: err };
}

/** k reproducible directions with entries uniform in [-1, 1] (the stream of `check-<label>`). */
export function directions(label: string, size: number, k: number): Float64Array[] {
  const stream = initializerStream(`check-${label}`);
  return Array.from({ length: k }, () => {
    const v = new Float64Array(size);
    for (let i = 0; i < size; i++) v[i] = stream.nextUint32() / 2 ** 31 - 1;
    return v;
  });
}

export interface DirectionalResult { readonly label: string; readonly fd: number; readonly exact: number; readonly error: number }

/** The directional check of one gradient: k directions, each v . g against d/ds f(theta + s v). */
export function directionalCheck(
  g: TGraph, phases: Phases, leaves: ReadonlyMap<string, Tensor>, base: ForwardValues, obj: Objective, probe: Probe, grad: Tensor, k: number, label: string,
): DirectionalResult[] {
  const start = probeValue(g, base, leaves, probe);
  let scale = 0;
  for (const x of start.data) scale = Math.max(scale, Math.abs(x));
  return directions(label, grad.data.length, k).map((v, i) => {
    let exact = 0;
    for (let j = 0; j < v.length; j++) exact += v[j]! * grad.data[j]!;
    const fd = lineDerivative(lineFunction(g, phases, leaves, base, obj, probe, v), exact, scale);
    return { label: `${label} (direction ${i + 1})`, fd, exact, error: fdError(fd, exact) };
  });
}
