/**
 * The seeded generator of the variants: xoshiro128** (Blackman and Vigna,
 * https://prng.di.unimi.it/xoshiro128starstar.c), 32-bit output, period
 * 2^128 - 1, passes BigCrush. Each variant gets its own stream, seeded from
 * SHA-256 of `${seed}-${k}`, so variant k can be rebuilt without the others
 * and streams of nearby seeds are unrelated. Never Math.random.
 */
import { sha256 } from './sha256.js';

export class Stream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** The four 32-bit words of state; not all zero (the one state xoshiro cannot leave). */
  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w >>> 0) as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The stream of variant `k` under `seed`: state = first 16 bytes of SHA-256(`${seed}-${k}`), little-endian words. */
  static forVariant(seed: string, k: number): Stream {
    return hashStream(`${seed}-${k}`);
  }

  /** Next 32-bit output, as an unsigned number. */
  nextUint32(): number {
    // result = rotl(s1 * 5, 7) * 9
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * A uniform whole number in [0, n), n <= 2^32, without modulo bias:
   * outputs at or above the largest multiple of n below 2^32 are redrawn.
   */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`below(${n})`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/**
 * The stream of a seeded initializer (contract 3): xoshiro128** seeded from the
 * first 16 bytes of SHA-256 of `init-${seed}` (little-endian words), so the
 * values of `{uniform: [...], seed: 3}` are the same on every machine and
 * unrelated to any variant's stream.
 */
export function initializerStream(seed: string): Stream {
  return hashStream(`init-${seed}`);
}

/**
 * xoshiro128** from the first 16 bytes of SHA-256 of `text` (little-endian words). Our own SHA-256,
 * not node:crypto's, so a web page (gradsheet site) draws the same values as the command line.
 */
function hashStream(text: string): Stream {
  const h = new DataView(sha256(text).buffer);
  return new Stream([h.getUint32(0, true), h.getUint32(4, true), h.getUint32(8, true), h.getUint32(12, true)]);
}
