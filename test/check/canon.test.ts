/**
 * The symbolic first pass is sound: equal canonical forms mean equal functions (checked numerically on
 * random expressions), and the answer-side reverse pass agrees with the engine's adjoints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, fn, mul, neg, num, pow, ref, sub, div, type Expr } from '../../src/expr/expr.js';
import { Canonicalizer } from '../../src/check/canon.js';
import { Budget } from '../../src/check/limits.js';
import { Stream } from '../../src/numeric/rng.js';
import { evalExpr } from '../../src/numeric/evaluate.js';
import { ctxFor, fixture, shipped } from './helpers.js';

/** Same canonical form (one canonicalizer per comparison, as in the checker). */
const same = (x: Expr, y: Expr) => new Canonicalizer(new Budget()).same(x, y);
const [a, b, c] = [ref('a'), ref('b'), ref('c')];

describe('canonical forms', () => {
  it('collects, expands and cancels', () => {
    expect(same(pow(add(a, b), num(2)), add(mul(a, a), mul(num(2), a, b), mul(b, b)))).toBe(true);
    expect(same(mul(c, sub(num(1), c)), sub(c, pow(c, num(2))))).toBe(true);
    expect(same(div(mul(a, b), b), a)).toBe(true);
    expect(same(neg(sub(a, b)), sub(b, a))).toBe(true);
    expect(same(fn('sigmoid', add(a, b)), fn('sigmoid', add(b, a)))).toBe(true);
  });

  it('keeps different functions apart', () => {
    expect(same(fn('sigmoid', a), div(num(1), add(num(1), fn('exp', neg(a)))))).toBe(false);
    expect(same(add(a, num(1)), a)).toBe(false);
    expect(same(fn('tanh', a), fn('tanh', mul(num(0.5), fn('tanh', num(-1)))))).toBe(false);
  });

  it('gives up (null) past the term cap instead of growing', () => {
    const big = pow(add(a, b, c, ref('d'), ref('e'), ref('f'), ref('g'), ref('h')), num(6));
    expect(new Canonicalizer(new Budget()).key(mul(big, big))).toBeNull();
  });

  const leaves = fc.constantFrom(a, b, c, num(2), num(-1), num(0.5));
  const { e } = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof({ depthSize: 'small' }, leaves,
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => add(x, y)),
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => mul(x, y)),
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => sub(x, y)),
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => div(x, add(mul(y, y), num(1)))),
      fc.tuple(tie('e'), fc.integer({ min: 0, max: 3 })).map(([x, n]) => pow(x, num(n))),
      tie('e').map((x) => fn('tanh', x))),
  }));

  it('equal forms are equal functions (1,500 random pairs)', () => {
    const stream = new Stream([7, 1, 2, 3]);
    const rng = () => stream.nextUint32() / 2 ** 32;
    const points = Array.from({ length: 6 }, () => new Map([['a', rng() * 2 - 1], ['b', rng() * 2 - 1], ['c', rng() * 2 - 1]]));
    let equalPairs = 0;
    fc.assert(fc.property(e, e, (x, y) => {
      if (!same(x, y)) return;
      equalPairs++;
      for (const p of points) {
        const vx = evalExpr(x, (k) => p.get(k)), vy = evalExpr(y, (k) => p.get(k));
        expect(Math.abs(vx - vy)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(vx)));
      }
    }), { seed: 11, numRuns: 1500 });
    // also pairs built to be equal: x + y vs y + x, x*(y+1) vs x*y + x
    fc.assert(fc.property(e, e, (x, y) => {
      const cz = new Canonicalizer(new Budget());
      const kk = cz.key(add(x, y));
      if (kk !== null) expect(cz.key(add(y, x))).toBe(kk);
      const k1 = cz.key(mul(x, add(y, num(1)))), k2 = cz.key(add(mul(x, y), x));
      if (k1 !== null && k2 !== null) expect(k1).toBe(k2);
    }), { seed: 12, numRuns: 300 });
    expect(equalPairs).toBeGreaterThan(0);
  });
});

describe('two implementations of the chain rule agree', () => {
  it.each([
    [fixture('q4-conv.yaml'), 'E', 'K'],
    [fixture('s004-rnn2.yaml'), 'E2', 'U'],
    [fixture('mlp-tanh.yaml'), 'E', 'W1'],
    [shipped('seed000-q2-1-sigmoid-chain-explode.yaml'), 'o', 'w1'],
  ])('%s d%s/d%s: engine closed forms vs the numeric reverse pass', (file, of, wrt) => {
    const ctx = ctxFor(file, of, wrt);
    for (let i = 0; i < 5; i++) {
      const p = ctx.point(i)!;
      ctx.target.keys.forEach((k, j) => {
        const engine = ctx.truthAt(p, j), ours = ctx.adjointAt(p, ctx.target.of).get(k)!;
        expect(Math.abs(engine - ours)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(engine)));
      });
    }
  });
});
