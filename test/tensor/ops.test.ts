/**
 * Every tensor op's block, one row each: its value against its own scalar
 * expansion (the second level), and its vector-Jacobian product against
 * central differences of <G, op(x + s v)> along random directions. Adding an
 * op to the registry adds a row here (the first test fails until it does).
 */
import { describe, expect, it } from 'vitest';
import { evalExpr } from '../../src/numeric/evaluate.js';
import { tref, type Shape, type TApply, type TExpr } from '../../src/expr/tensor.js';
import { tensor, type Tensor } from '../../src/expr/tensor-value.js';
import { evalT } from '../../src/numeric/tensor-eval.js';
import * as T from '../../src/ops/tensor-build.js';
import { TOPS } from '../../src/ops/tensor-ops.js';
import { convExpr, poolExpr } from '../../src/ops/tensor-conv.js';
import { num, ref } from '../../src/expr/expr.js';
import type { ScalarArg } from '../../src/ops/tensor-op-types.js';

interface Row {
  /** argument shapes */
  readonly args: readonly Shape[];
  readonly build: (xs: readonly TExpr[]) => TExpr;
  /** inputs away from kinks and singularities */
  readonly positive?: boolean;
}

const fn = (name: Parameters<typeof T.fn>[0], positive = false): Row => ({ args: [[2, 3]], build: ([a]) => T.fn(name, a!), positive });

const ROWS: Record<string, Row> = {
  add: { args: [[2, 3], [3]], build: ([a, b]) => T.add(a!, b!) },
  neg: { args: [[3]], build: ([a]) => T.neg(a!) },
  mul: { args: [[2, 3], [2, 3]], build: ([a, b]) => T.mul(a!, b!) },
  div: { args: [[2, 3], [3]], build: ([a, b]) => T.div(a!, b!), positive: true },
  // a power with a variable exponent, so both of its partials run
  pow: { args: [[2, 3], []], build: ([a, n]) => T.pow(a!, n!), positive: true },
  matmul: { args: [[2, 3], [3, 4]], build: ([a, b]) => T.matmul(a!, b!) },
  transpose: { args: [[2, 3]], build: ([a]) => T.transpose(a!) },
  sum: { args: [[2, 3]], build: ([a]) => T.sum(a!, [1]) },
  mean: { args: [[2, 3]], build: ([a]) => T.mean(a!, [2]) },
  max: { args: [[2, 3]], build: ([a]) => T.max(a!, [2]) },
  min: { args: [[2, 3]], build: ([a]) => T.make('min', [a!], { axes: [2] }) },
  argmaxMask: { args: [[2, 3]], build: ([a]) => T.mul(a!, T.argmaxMask(a!, [2])) },
  bcast: { args: [[2]], build: ([a]) => T.bcast(a!, [2, 3], [2]) },
  reshape: { args: [[2, 3]], build: ([a]) => T.reshape(a!, [3, 2]) },
  flatten: { args: [[2, 3]], build: ([a]) => T.flatten(a!) },
  zeros: { args: [[3]], build: ([a]) => T.add(a!, T.make('zeros', [], { shape: [3] })) },
  softmax: { args: [[2, 3]], build: ([a]) => T.softmax(a!, 2) },
  logsumexp: { args: [[3]], build: ([a]) => T.logsumexp(a!) },
  dot: { args: [[3], [3]], build: ([a, b]) => T.dot(a!, b!) },
  outer: { args: [[2], [3]], build: ([a, b]) => T.outer(a!, b!) },
  diag: { args: [[3]], build: ([a]) => T.diag(a!) },
  norm: { args: [[3]], build: ([a]) => T.norm(a!) },
  concat: { args: [[2], [3]], build: ([a, b]) => T.concat(a!, b!) },
  select: { args: [[3, 4]], build: ([a]) => T.select(a!, [{ kind: 'range', from: 2, to: 3 }, { kind: 'index', i: 2 }]) },
  place: { args: [[2]], build: ([a]) => T.place(a!, [4], [{ kind: 'range', from: 2, to: 3 }]) },
  conv: { args: [[5, 4, 2], [2, 3, 2, 2]], build: ([x, k]) => convExpr(x!, k!, 2, [2, 1], [1, 0], [0, 1]) },
  maxpool: { args: [[4, 4, 2]], build: ([x]) => poolExpr('maxpool', x!, [2, 2], [2, 2], [0, 0], [0, 0]) },
  avgpool: { args: [[5, 4]], build: ([x]) => poolExpr('avgpool', x!, [3, 2], [2, 2], [1, 0], [1, 0]) },
  flip: { args: [[2, 3]], build: ([a]) => T.make('flip', [a!]) },
  pad: { args: [[2, 3]], build: ([a]) => T.make('pad', [a!], { by: [1, 2] }) },
  dilate: { args: [[2, 3]], build: ([a]) => T.make('dilate', [a!], { by: [2, 2] }) },
  undilate: { args: [[3, 5]], build: ([a]) => T.make('undilate', [a!], { by: [2, 2], shape: [2, 3] }) },
  sigmoid: fn('sigmoid'), tanh: fn('tanh'), relu: fn('relu'), step: fn('step'), exp: fn('exp'),
  log: fn('log', true), sqrt: fn('sqrt', true), abs: fn('abs'), softplus: fn('softplus'),
};

/** Ops a row exercises only through the op it is the adjoint of (they have no derivative of their own). */
const BACKWARD_ONLY = new Set(['convBackInput', 'convBackKernel', 'maxpoolBack', 'avgpoolBack', 'sumT', 'atStep']);

/** Deterministic values: entries spread over [-1.5, 1.5] (or [0.3, 2] where the op needs positive inputs), no ties. */
function values(shape: Shape, seed: number, positive: boolean): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) {
    const u = Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453;
    const f = u - Math.floor(u);
    t.data[i] = positive ? 0.3 + 1.7 * f : -1.5 + 3 * f;
  }
  return t;
}

describe('tensor op registry', () => {
  it('every op has a row here (or is the adjoint of one)', () => {
    const missing = Object.keys(TOPS).filter((op) => !ROWS[op] && !BACKWARD_ONLY.has(op));
    expect(missing).toEqual([]);
  });

  for (const [op, row] of Object.entries(ROWS)) {
    it(`${op}: value equals its scalar expansion, and its VJP equals central differences`, () => {
      const xs = row.args.map((s, i) => tref(`x${i}`, s));
      const e = row.build(xs);
      const env = new Map<string, Tensor>(row.args.map((s, i) => [`x${i}`, values(s, i + 1, row.positive ?? false)]));
      const envT = (r: { name: string }) => env.get(r.name)!;
      const out = evalT(e, envT, null);
      // the scalar expansion, evaluated at the same point
      const scalar = expandScalar(e, env);
      expect(scalar.length).toBe(out.data.length);
      scalar.forEach((v, i) => expect(Math.abs(v - out.data[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))));
      // <G, f(x)> along a direction v of every argument, against the pulled-back cotangent
      const G = values(e.shape, 7, false);
      env.set('G', G);
      const Gref = tref('G', e.shape);
      const cots = xs.map((x) => pulledBack(e, Gref, x));
      for (let k = 0; k < 2; k++) {
        const vs = row.args.map((s, i) => values(s, 11 + 3 * k + i, false));
        const phi = (s: number): number => {
          const moved = new Map(env);
          row.args.forEach((_, i) => { const a = env.get(`x${i}`)!; moved.set(`x${i}`, tensor(a.shape, a.data.map((x, j) => x + s * vs[i]!.data[j]!))); });
          const y = evalT(e, (r) => moved.get(r.name)!, null);
          return y.data.reduce((acc, v, j) => acc + G.data[j]! * v, 0);
        };
        const h = 1e-5;
        const fd = (phi(h) - phi(-h)) / (2 * h);
        const exact = cots.reduce((acc, c, i) => {
          const cv = evalT(c, envT, null);
          return acc + cv.data.reduce((a, v, j) => a + v * vs[i]!.data[j]!, 0);
        }, 0);
        expect(Math.abs(fd - exact)).toBeLessThan(1e-6 * Math.max(1, Math.abs(exact)));
      }
    });
  }
});

/** The cotangent of `x` when G is pulled back through `e` (every op's VJP, as the reverse pass applies them). */
function pulledBack(e: TExpr, G: TExpr, x: TExpr): TExpr {
  const contributions: TExpr[] = [];
  const visit = (n: TExpr, g: TExpr): void => {
    if (n === x) { contributions.push(g); return; }
    if (n.kind !== 'apply') return;
    n.args.forEach((a, i) => {
      const c = TOPS[n.op]!.vjp(n as TApply, n, g, i);
      visit(a, c.shape.join() === a.shape.join() ? c : T.reshape(c, a.shape));
    });
  };
  visit(e, G);
  return contributions.length ? T.add(...contributions) : T.zeros(x.shape);
}

/** The op's scalar expansion, evaluated: entries of the arguments are refs `x0[i]`. */
function expandScalar(e: TExpr, env: ReadonlyMap<string, Tensor>): number[] {
  const go = (n: TExpr): ScalarArg => {
    if (n.kind === 'num') return { shape: [] as Shape, entries: [num(n.value)], values: Float64Array.of(n.value.toNumber()) };
    if (n.kind === 'ref') {
      const v = env.get(n.name)!;
      return { shape: n.shape, entries: Array.from(v.data, (_, i) => ref(`${n.name}[${i}]`)), values: v.data };
    }
    const args = n.args.map(go);
    const spec = TOPS[n.op]!;
    const entries = spec.scalar(args, n.attrs, n.shape);
    const vals = spec.eval(args.map((a) => tensor(a.shape, a.values)), n.attrs, n.shape).data;
    return { shape: n.shape, entries, values: vals };
  };
  const r = go(e);
  return r.entries.map((x) => evalExpr(x, (k) => {
    const m = /^(.*)\[(\d+)\]$/.exec(k)!;
    return env.get(m[1]!)!.data[Number(m[2])]!;
  }));
}
