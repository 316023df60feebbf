/**
 * RNN configurations the seeds do not cover (sigmoid and relu hidden layers,
 * sigmoid outputs with binary cross-entropy, softmax with squared error,
 * stacked layers with every bias, a longer sequence), against
 * test/rnn/oracle.json, written by test/rnn/oracle.py: an independent mpmath
 * forward pass differentiated by complex steps, and numpy for the norms of
 * dh_T/dh_k. The network text is built from the oracle's own configuration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frobenius, spectralNorm } from '../../src/numeric/matrix.js';
import { ROOT, expectClose, solveText } from './helpers.js';

interface OracleCase {
  config: Record<string, unknown> & { name: string; recurrentBias: boolean };
  given: Record<string, unknown>;
  E: number;
  gradients: Record<string, unknown>;
  jacobianNorms: Array<Array<{ k: number; spectral: number; frobenius: number }>>;
}

const oracle = JSON.parse(readFileSync(join(ROOT, 'test', 'rnn', 'oracle.json'), 'utf8')) as {
  cases: OracleCase[];
  matrices: Array<{ m: number[][]; spectral: number; frobenius: number }>;
};
const cases = oracle.cases;

function problemText(c: OracleCase): string {
  const { name, target: _target, recurrentBias, ...network } = c.config;
  const params = Object.keys(c.gradients);
  return [
    `id: oracle-${name}`,
    `title: ${name}`,
    `network: ${JSON.stringify({ kind: 'rnn', ...network, ...(recurrentBias ? { recurrentBias: 'bh' } : {}) })}`,
    `given: ${JSON.stringify(c.given)}`,
    'ask:',
    '  - forward: [E]',
    `  - gradient: {of: E, wrt: [${params.join(', ')}]}`,
  ].join('\n');
}

describe('RNN kinds beyond the seeds, against an independent mpmath oracle', () => {
  for (const c of cases) {
    describe(c.config.name, () => {
      const { sol, json } = solveText(problemText(c));
      const j = json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      it('the loss', () => expectClose(j.values.E, c.E, 1e-12));
      it('every gradient, from the scalar graph and from the layer-level BPTT', () => {
        for (const [name, expected] of Object.entries(c.gradients)) {
          expectClose(j.gradients.E[name], expected, 1e-11);
          expectClose(j.bptt.E.gradients[name], expected, 1e-11);
        }
      });
      it('finite differences and the layer check agree', () => {
        expect(j.check.passed).toBe(true);
        expect(sol.report.layerCheck!.maxRelError).toBeLessThan(1e-12);
        expect(sol.report.layerCheck!.compared).toBeGreaterThan(Object.keys(c.gradients).length);
      });
      it('||dh_T/dh_k|| for every k, spectral and Frobenius, per recurrent layer', () => {
        const ours = j.hiddenJacobianNorms as Array<{ norm: string; values: Array<{ k: number; spectral: number; frobenius: number }> }>;
        expect(ours.length).toBe(c.jacobianNorms.length);
        ours.forEach((layer, i) => {
          expect(layer.norm).toBe('spectral');
          expect(layer.values.map((v) => v.k)).toEqual(c.jacobianNorms[i]!.map((v) => v.k));
          expectClose(layer.values.map((v) => [v.spectral, v.frobenius]), c.jacobianNorms[i]!.map((v) => [v.spectral, v.frobenius]), 1e-12);
        });
      });
    });
  }
});

describe('matrix norms', () => {
  it('spectral (Jacobi eigenvalues of A^T A) and Frobenius norms match numpy', () => {
    for (const { m, spectral, frobenius: fro } of oracle.matrices) {
      expectClose(spectralNorm(m), spectral, 1e-12);
      expectClose(frobenius(m), fro, 1e-12);
    }
  });
});
