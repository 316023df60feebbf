/**
 * Small dense matrix helpers (float64, row-major arrays): products, norms,
 * the spectral norm of a hidden-state Jacobian. Independent of the
 * expression engine.
 */
export type Vec = number[];
export type Mat = number[][];

export const zerosVec = (n: number): Vec => new Array<number>(n).fill(0);
export const zerosMat = (r: number, c: number): Mat => Array.from({ length: r }, () => zerosVec(c));
export const identity = (n: number): Mat => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

/** A v */
export const matVec = (a: Mat, v: Vec): Vec => a.map((row) => row.reduce((s, aij, j) => s + aij * v[j]!, 0));

/** A^T v */
export function matTVec(a: Mat, v: Vec): Vec {
  const out = zerosVec(a[0]?.length ?? 0);
  a.forEach((row, i) => row.forEach((aij, j) => { out[j]! += aij * v[i]!; }));
  return out;
}

/** A B (plain loops in i-k-j order: the norm table of a 64-unit RNN multiplies 200 of these per sheet) */
export function matMul(a: Mat, b: Mat): Mat {
  const n = b[0]?.length ?? 0;
  return a.map((row) => {
    const out = zerosVec(n);
    for (let k = 0; k < row.length; k++) {
      const aik = row[k]!;
      if (aik === 0) continue;
      const bk = b[k]!;
      for (let j = 0; j < n; j++) out[j] = out[j]! + aik * bk[j]!;
    }
    return out;
  });
}

export const transpose = (a: Mat): Mat => (a[0] ?? []).map((_, j) => a.map((row) => row[j]!));
export const addVec = (a: Vec, b: Vec): Vec => a.map((x, i) => x + b[i]!);
export const subVec = (a: Vec, b: Vec): Vec => a.map((x, i) => x - b[i]!);
export const hadamard = (a: Vec, b: Vec): Vec => a.map((x, i) => x * b[i]!);
export const scaleVec = (c: number, a: Vec): Vec => a.map((x) => c * x);
export const dotVec = (a: Vec, b: Vec): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
/** a b^T */
export const outer = (a: Vec, b: Vec): Mat => a.map((ai) => b.map((bj) => ai * bj));
/** diag(d) A: scales row i by d_i */
export const diagMul = (d: Vec, a: Mat): Mat => a.map((row, i) => row.map((x) => d[i]! * x));

export function addMatInPlace(acc: Mat, a: Mat): void {
  acc.forEach((row, i) => row.forEach((_, j) => { row[j]! += a[i]![j]!; }));
}
export function addVecInPlace(acc: Vec, a: Vec): void {
  acc.forEach((_, i) => { acc[i]! += a[i]!; });
}

export const frobenius = (a: Mat): number => Math.sqrt(a.reduce((s, row) => s + row.reduce((t, x) => t + x * x, 0), 0));

/**
 * Spectral norm ||A||_2 = sqrt(largest eigenvalue of A^T A), the eigenvalues
 * found by cyclic Jacobi rotations (exact for the small symmetric matrices
 * of a hidden layer; no power-iteration convergence worries).
 */
export function spectralNorm(a: Mat): number {
  return Math.sqrt(Math.max(0, largestEigenvalue(matMul(transpose(a), a))));
}

/**
 * The largest eigenvalue of a symmetric matrix: Householder reduction to a
 * tridiagonal matrix (Numerical Recipes' tred2, without eigenvectors: about
 * 4n^3/3 operations), then bisection on the Sturm sequence of that
 * tridiagonal matrix down to the last bit. Both steps are backward stable, so
 * the result is as accurate as a full Jacobi eigendecomposition (which this
 * replaces: it took 14 ms for a 64 x 64 matrix, 100 of them per RNN sheet).
 */
export function largestEigenvalue(m: Mat): number {
  const n = m.length;
  if (n === 0) return 0;
  const z = m.map((row) => Float64Array.from(row));
  const d = new Float64Array(n), e = new Float64Array(n);
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const zi = z[i]!;
    let h = 0, scale = 0;
    if (l > 0) {
      for (let k = 0; k < i; k++) scale += Math.abs(zi[k]!);
      if (scale === 0) e[i] = zi[l]!;
      else {
        for (let k = 0; k < i; k++) { zi[k]! /= scale; h += zi[k]! * zi[k]!; }
        let f = zi[l]!;
        let g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        zi[l] = f - g;
        f = 0;
        for (let j = 0; j < i; j++) {
          g = 0;
          for (let k = 0; k <= j; k++) g += z[j]![k]! * zi[k]!;
          for (let k = j + 1; k < i; k++) g += z[k]![j]! * zi[k]!;
          e[j] = g / h;
          f += e[j]! * zi[j]!;
        }
        const hh = f / (h + h);
        for (let j = 0; j < i; j++) {
          f = zi[j]!;
          g = e[j]! - hh * f;
          e[j] = g;
          const zj = z[j]!;
          for (let k = 0; k <= j; k++) zj[k] = zj[k]! - (f * e[k]! + g * zi[k]!);
        }
      }
    } else e[i] = zi[l]!;
    d[i] = h;
  }
  e[0] = 0;
  for (let i = 0; i < n; i++) d[i] = z[i]![i]!;
  // Gershgorin bounds, then bisection: below(x) counts the eigenvalues under x (Sturm sequence)
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = Math.abs(e[i]!) + (i + 1 < n ? Math.abs(e[i + 1]!) : 0);
    lo = Math.min(lo, d[i]! - r);
    hi = Math.max(hi, d[i]! + r);
  }
  const tiny = Number.MIN_VALUE * 1e20;
  const below = (x: number): number => {
    let count = 0, q = d[0]! - x;
    if (q < 0) count++;
    for (let i = 1; i < n; i++) {
      q = d[i]! - x - (e[i]! * e[i]!) / (q === 0 ? tiny : q);
      if (q < 0) count++;
    }
    return count;
  };
  for (let it = 0; it < 2200; it++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (below(mid) === n) hi = mid; else lo = mid;
  }
  return hi;
}
