/**
 * Vanishing and exploding gradients: the Jacobian of the last hidden state
 * with respect to an earlier one, dh_T/dh_k = prod_{j=k+1..T} diag(f'(z_j)) H,
 * and its norms for every k (seeds 000 Q2 and 002 discuss the same effect on
 * a chain). The spectral norm ||.||_2 is the largest factor by which the
 * Jacobian can stretch a gradient; the Frobenius norm is given beside it.
 */
import { actDerivative, type RnnForward, type RnnValues } from './bptt.js';
import { diagMul, frobenius, identity, matMul, spectralNorm, type Mat } from '../../numeric/matrix.js';
import type { RnnSpec } from './spec.js';

export interface JacobianNorm { readonly k: number; readonly spectral: number; readonly frobenius: number }
export interface HiddenJacobianNorms {
  /** the state tensor (h, or the second layer's s) */
  readonly state: string;
  readonly role: 'h' | 's';
  readonly norm: 'spectral';
  /** rows k = 0..T: ||d state_T / d state_k|| (k = T is the identity) */
  readonly values: readonly JacobianNorm[];
}

/** Norms for one recurrent layer with recurrent weights H, pre-activations z and states a (rows = steps). */
function layerNorms(spec: RnnSpec, H: Mat, z: Mat, a: Mat, role: 'h' | 's'): HiddenJacobianNorms {
  const T = spec.steps;
  const values: JacobianNorm[] = [];
  let J = identity(H.length); // dh_T/dh_T
  values.push({ k: T, spectral: 1, frobenius: frobenius(J) });
  for (let k = T - 1; k >= 0; k--) {
    // dh_T/dh_k = dh_T/dh_{k+1} · diag(f'(z_{k+1})) H
    const d = z[k]!.map((zi, i) => actDerivative(spec.hidden, zi, a[k]![i]!));
    J = matMul(J, diagMul(d, H));
    values.push({ k, spectral: spectralNorm(J), frobenius: frobenius(J) });
  }
  return { state: spec.names[role], role, norm: 'spectral', values: values.reverse() };
}

export function hiddenJacobianNorms(spec: RnnSpec, p: RnnValues, f: RnnForward): HiddenJacobianNorms[] {
  const out = [layerNorms(spec, p.H1, f.z, f.h, 'h')];
  if (spec.stacked === 2) out.push(layerNorms(spec, p.H3!, f.z2!, f.s!, 's'));
  return out;
}
