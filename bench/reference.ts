/**
 * Reference derivatives for the benchmark from forward-mode dual numbers: each
 * network is written out here as a plain forward pass over values carrying one
 * tangent, so d(out)/d(leaf) is exact up to float rounding. Nothing here uses
 * gradsheet or a peer; it is the arbiter when they disagree.
 */

/** a + b eps, eps^2 = 0 */
class Dual {
  constructor(readonly v: number, readonly d: number = 0) {}
  add(o: Dual): Dual { return new Dual(this.v + o.v, this.d + o.d); }
  sub(o: Dual): Dual { return new Dual(this.v - o.v, this.d - o.d); }
  mul(o: Dual): Dual { return new Dual(this.v * o.v, this.d * o.v + this.v * o.d); }
  scale(c: number): Dual { return new Dual(this.v * c, this.d * c); }
  // d tanh u = (1 - tanh^2 u) du
  tanh(): Dual { const t = Math.tanh(this.v); return new Dual(t, (1 - t * t) * this.d); }
  // d sigma(u) = sigma(u) (1 - sigma(u)) du, sigma written out as 1/(1 + e^-u)
  sigmoid(): Dual { const s = 1 / (1 + Math.exp(-this.v)); return new Dual(s, s * (1 - s) * this.d); }
}

const c = (v: number) => new Dual(v);

/** do/db1 of the chain; `given` is [x, w1, b1, w2, b2, ...] in that order (as bench/problems.ts lists it). */
export function chainReference(given: readonly number[], depth: number): number {
  const [x, ...wb] = given;
  let h = c(x!);
  for (let i = 1; i <= depth; i++) {
    const w = c(wb[2 * (i - 1)]!), b = new Dual(wb[2 * (i - 1) + 1]!, i === 1 ? 1 : 0);
    h = w.mul(h).add(b).sigmoid();
  }
  return c(wb[2 * depth]!).mul(h).add(c(wb[2 * depth + 1]!)).d;
}

/** dE/dp of the scalar tanh RNN, p one of w, u, v. */
export function rnnReference(k: { w: number; u: number; v: number; s0: number }, xs: readonly number[], ds: readonly number[], p: 'w' | 'u' | 'v'): number {
  const w = new Dual(k.w, p === 'w' ? 1 : 0), u = new Dual(k.u, p === 'u' ? 1 : 0), v = new Dual(k.v, p === 'v' ? 1 : 0);
  let s = c(k.s0), E = c(0);
  xs.forEach((x, t) => {
    s = w.mul(s).add(u.mul(c(x))).tanh();
    const e = v.mul(s).sub(c(ds[t]!));
    E = E.add(e.mul(e).scale(0.5));
  });
  return E.d;
}

/** dE/dK[a,b] for a, b in row-major order, of the valid 2x2 convolution network. */
export function convReference(X: number[][], K: number[][], W: number[][], z: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
    const k = K.map((row, r) => row.map((v, cc) => new Dual(v, r === a && cc === b ? 1 : 0)));
    let sum = c(0);
    for (let i = 0; i < W.length; i++) for (let j = 0; j < W.length; j++) {
      let y = c(0);
      for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) y = y.add(k[p]![q]!.mul(c(X[i + p]![j + q]!)));
      sum = sum.add(c(W[i]![j]!).mul(y));
    }
    const e = c(z).sub(sum.sigmoid());
    out.push(e.mul(e).scale(0.5).d);
  }
  return out;
}
