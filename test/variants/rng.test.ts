// The variants' generator: xoshiro128** against independent references, its
// per-variant seeding, and the uniformity of bounded draws.
import { describe, expect, it } from 'vitest';
import { Stream } from '../../src/numeric/rng.js';

describe('xoshiro128**', () => {
  it('matches the reference sequence from the state {1, 2, 3, 4}', () => {
    // The published test vector of xoshiro128** (rand_xoshiro's test `reference`, from the C
    // code of Blackman and Vigna); reproduced by test/variants/xoshiro_oracle.py.
    const s = new Stream([1, 2, 3, 4]);
    const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    expect(expected.map(() => s.nextUint32())).toEqual(expected);
  });

  it('seeds variant k from SHA-256 of `${seed}-${k}`', () => {
    // printed by `python3 test/variants/xoshiro_oracle.py` (hashlib + its own transcription of the C code)
    const expected: Record<string, number[]> = {
      '7-1': [2897897189, 546173587, 2472423591, 3821671398, 2326661969, 1580144632],
      '7-2': [2223342306, 3094125695, 423322287, 1506995878, 1988270375, 2902703822],
      '2026-13': [2424127255, 3002994521, 2653524707, 3517265819, 4293418247, 2068503647],
    };
    for (const [label, want] of Object.entries(expected)) {
      const [seed, k] = label.split('-') as [string, string];
      const s = Stream.forVariant(seed, Number(k));
      expect(want.map(() => s.nextUint32()), label).toEqual(want);
    }
  });

  it('draws below n without modulo bias, as the reference does', () => {
    // python3 test/variants/xoshiro_oracle.py: below(61) ten times on the stream 7-3
    const s = Stream.forVariant('7', 3);
    expect(Array.from({ length: 10 }, () => s.below(61))).toEqual([52, 1, 16, 14, 55, 60, 13, 20, 3, 44]);
  });

  it('gives roughly uniform values on a grid (chi-square, 60 cells, 120000 draws)', () => {
    const s = Stream.forVariant('chi', 1);
    const cells = 60, n = 120_000;
    const counts = new Array<number>(cells).fill(0);
    for (let i = 0; i < n; i++) counts[s.below(cells)]!++;
    const e = n / cells;
    const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
    // 59 degrees of freedom: the 99.9th percentile is 98.3 (scipy.stats.chi2.ppf(0.999, 59)); the mean is 59
    expect(chi2).toBeLessThan(98.3);
    expect(counts.every((c) => c > 0)).toBe(true);
  });

  it('gives different, independent streams to nearby seeds and variants', () => {
    const first = (seed: string, k: number) => Stream.forVariant(seed, k).nextUint32();
    const values = new Set([first('7', 1), first('7', 2), first('8', 1), first('71', 1), first('7', 11)]);
    expect(values.size).toBe(5);
    // "7-11" and "71-1" are different strings, so even these two streams differ
    expect(first('7', 11)).not.toBe(first('71', 1));
  });

  it('rejects a bound it cannot draw from', () => {
    const s = new Stream([1, 2, 3, 4]);
    expect(() => s.below(0)).toThrow(RangeError);
    expect(() => s.below(2 ** 32 + 1)).toThrow(RangeError);
    expect(s.below(1)).toBe(0);
  });
});
