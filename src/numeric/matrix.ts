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

/** A B */
export function matMul(a: Mat, b: Mat): Mat {
  const n = b[0]?.length ?? 0;
  return a.map((row) => {
    const out = zerosVec(n);
    row.forEach((aik, k) => b[k]!.forEach((bkj, j) => { out[j]! += aik * bkj; }));
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
  const m = matMul(transpose(a), a);
  const n = m.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p]![q]! * m[p]![q]!;
    if (off <= 1e-30 * (frobenius(m) ** 2 || 1)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (apq === 0) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) { // rotate columns p, q
          const mkp = m[k]![p]!, mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) { // rotate rows p, q
          const mpk = m[p]![k]!, mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
      }
    }
  }
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, m[i]![i]!);
  return Math.sqrt(max);
}
