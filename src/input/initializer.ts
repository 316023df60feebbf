/**
 * Seeded initializers (contract 3): `{uniform: [lo, hi], shape, seed, step}`
 * and `{normal: [mean, sd], shape, seed, step}` fill a tensor reproducibly on
 * every machine, so a network too large to write out (an MLP 784-128-10) is
 * still one small problem file.
 *
 * The algorithm, for another tool to reproduce: the stream is xoshiro128**
 * seeded from the first 16 bytes of SHA-256(`init-<seed>`) read as four
 * little-endian 32-bit words (numeric/rng.ts). Entries are drawn in row-major
 * order. uniform: with n = floor((hi - lo)/step) + 1 grid points, draw i
 * uniform in [0, n) (32-bit outputs at or above the largest multiple of n
 * below 2^32 are redrawn) and take lo + i*step. normal: draw two 32-bit
 * outputs a, b; u1 = (a + 0.5)/2^32, u2 = (b + 0.5)/2^32; z = sqrt(-2 ln u1)
 * cos(2 pi u2); the value is mean + round(z*sd/step)*step.
 */
import { Rational } from '../expr/rational.js';
import { initializerStream } from '../numeric/rng.js';

export interface Initializer {
  readonly kind: 'init';
  readonly dist: 'uniform' | 'normal';
  /** lo and hi, or mean and sd */
  readonly a: Rational;
  readonly b: Rational;
  readonly shape: readonly number[];
  readonly seed: string;
  readonly step: Rational;
}

/** Most entries one initializer may fill. */
export const MAX_INIT_ELEMENTS = 2_000_000;

/** Grid indices (uniform) or grid offsets from the mean (normal), one per entry. */
function draws(init: Initializer): Int32Array | Float64Array {
  const n = init.shape.reduce((x, y) => x * y, 1);
  const stream = initializerStream(init.seed);
  if (init.dist === 'uniform') {
    const q = init.b.sub(init.a).div(init.step);
    const count = Number(q.num / q.den) + 1;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = stream.below(count);
    return out;
  }
  const out = new Float64Array(n);
  const ratio = init.b.toNumber() / init.step.toNumber();
  for (let i = 0; i < n; i++) {
    const u1 = (stream.nextUint32() + 0.5) / 2 ** 32;
    const u2 = (stream.nextUint32() + 0.5) / 2 ** 32;
    out[i] = Math.round(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2) * ratio);
  }
  return out;
}

const cache = new WeakMap<Initializer, Int32Array | Float64Array>();
const drawsOf = (init: Initializer): Int32Array | Float64Array => {
  let d = cache.get(init);
  if (!d) cache.set(init, (d = draws(init)));
  return d;
};

/**
 * The values as float64. A grid point (a.num*s.den + k*s.num*a.den) / (a.den*s.den) is one
 * division of two exact integers, so it is the double nearest the exact value (0.037, not
 * 0.037000000000000005), the same number the scalar level's rationals convert to.
 */
export function initNumbers(init: Initializer): Float64Array {
  const d = drawsOf(init);
  const out = new Float64Array(d.length);
  const base = init.a; // lo, or the mean
  const an = Number(base.num), ad = Number(base.den), sn = Number(init.step.num), sd = Number(init.step.den);
  const den = ad * sd;
  const safe = [an, ad, sn, sd].every(Number.isSafeInteger) && Number.isSafeInteger(den);
  for (let i = 0; i < d.length; i++) {
    const top = an * sd + d[i]! * sn * ad;
    out[i] = safe && Number.isSafeInteger(top) ? top / den : base.add(init.step.mul(Rational.of(BigInt(d[i]!)))).toNumber();
  }
  return out;
}

/** The exact values (the scalar level computes in rationals). */
export function initRationals(init: Initializer): Rational[] {
  return Array.from(drawsOf(init), (k) => init.a.add(init.step.mul(Rational.of(BigInt(k)))));
}

/** Shape of the initializer's tensor. */
export const initShape = (init: Initializer): readonly number[] => init.shape;
