/** numeric/matrix.ts spectralNorm against an independent computation (NumPy, np.linalg.norm(A, 2)) on seeded matrices up to 65 x 65. */
import { test, expect } from 'vitest';
import { spectralNorm } from '../../src/numeric/matrix.js';
import { spawnSync } from 'node:child_process';
test('the spectral norm (Householder tridiagonal + Sturm bisection) equals NumPy\'s SVD-based norm to 1e-13, degenerate and repeated singular values included', () => {
  let s = 7;
  const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32 * 2 - 1; };
  const mats = [1, 2, 3, 5, 17, 64, 65].map((n) => Array.from({ length: n }, () => Array.from({ length: n }, rnd)));
  mats.push([[0, 0], [0, 0]], [[1, 0], [0, 1]], [[3, 0], [0, 3]], [[1e-8, 0], [0, 2e-8]]);
  const want = JSON.parse(spawnSync('python3', ['-c', 'import json,sys,numpy as np; print(json.dumps([float(np.linalg.norm(np.array(m), 2)) for m in json.load(sys.stdin)]))'], { input: JSON.stringify(mats), encoding: 'utf8' }).stdout);
  mats.forEach((m, i) => { const got = spectralNorm(m); expect(Math.abs(got - want[i])).toBeLessThanOrEqual(1e-13 * Math.max(want[i], 1e-300)); });
});
