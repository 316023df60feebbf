/** Drawing one candidate set of `given` values from a variant's stream. */
import { Rational } from '../expr/rational.js';
import type { GivenValue } from '../problem/spec.js';
import { assertNever } from '../errors.js';
import type { Stream } from '../numeric/rng.js';
import type { ElementDraw, VariantsSpec } from './spec.js';

/**
 * Name -> value for every name under `variants.given`, in file order, each
 * tensor element in row-major order: the order of draws from the stream is
 * part of the output's definition, so it never depends on anything else.
 */
export function drawGiven(spec: VariantsSpec, stream: Stream): Map<string, GivenValue> {
  const out = new Map<string, GivenValue>();
  for (const { leaf, spec: s } of spec.draws) {
    switch (s.kind) {
      case 'each':
        out.set(leaf.name, { kind: 'array', shape: [...leaf.shape], values: Array.from({ length: leaf.size }, () => drawElement(s.draw, stream)) });
        break;
      case 'fill': out.set(leaf.name, { kind: 'fill', value: drawElement(s.draw, stream) }); break;
      case 'pick': out.set(leaf.name, s.options[stream.below(s.options.length)]!); break;
      case 'fixed': out.set(leaf.name, s.value); break;
      default: assertNever(s);
    }
  }
  return out;
}

function drawElement(d: ElementDraw, stream: Stream): Rational {
  switch (d.kind) {
    // lo + i*step with i uniform on the grid: exact, e.g. -2 + 13/10 = -7/10
    case 'grid': return d.lo.add(d.step.mul(Rational.of(BigInt(stream.below(d.count)))));
    case 'choice': return d.options[stream.below(d.options.length)]!;
    case 'normal': {
      // the initializers' normal draw (problem/initializer.ts): Box-Muller on two 32-bit outputs, rounded to the grid
      const u1 = (stream.nextUint32() + 0.5) / 2 ** 32;
      const u2 = (stream.nextUint32() + 0.5) / 2 ** 32;
      const k = Math.round(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2) * (d.sd.toNumber() / d.step.toNumber()));
      return d.mean.add(d.step.mul(Rational.of(BigInt(k))));
    }
    default: return assertNever(d);
  }
}

/** The leaf values as one string, to recognize a repeated variant under `distinct`. */
export function signature(leaves: ReadonlyMap<string, Rational>): string {
  return [...leaves].map(([k, v]) => `${k}=${v.toString()}`).join(';');
}
