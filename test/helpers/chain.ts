/**
 * The deep sigmoid chain used by test/swell.test.ts and bench/chain.ts, with the
 * same parameters as the oracle (test/oracles/own_problems.py, chain_params):
 * w_i = (38 + i mod 5) / 10, b_i = (-(190 + 5 (i mod 5)) + 5 ((i mod 3) - 1)) / 100, x = 1/2.
 * Weights near 4 and biases near -w/2 keep every h_i near 1/2, so do/db1 neither
 * vanishes nor explodes at depth 50 (it is about 0.96).
 */
const wNum = (i: number) => 40 + (i % 5) - 2;
const bNum = (i: number) => -(190 + 5 * (i % 5)) + 5 * ((i % 3) - 1);

export interface ChainParams { readonly x: number; readonly w: readonly number[]; readonly b: readonly number[] }

/** float values, 1-based arrays (index 0 unused) */
export function chainParams(depth: number): ChainParams {
  const w = [NaN], b = [NaN];
  for (let i = 1; i <= depth + 1; i++) { w.push(wNum(i) / 10); b.push(bNum(i) / 100); }
  return { x: 0.5, w, b };
}

/** A problem file (as text) for the chain, asking the gradient of o with respect to `wrt`. */
export function chainYaml(depth: number, wrt: readonly string[]): string {
  const given = ['  x: "1/2"'];
  for (let i = 1; i <= depth + 1; i++) given.push(`  w${i}: "${wNum(i)}/10"`, `  b${i}: "${bNum(i)}/100"`);
  return [
    `id: sigmoid-chain-${depth}`,
    `title: Sigmoid chain of depth ${depth}`,
    `network: {kind: chain, depth: ${depth}, activation: sigmoid, output: linear}`,
    'given:',
    ...given,
    'ask:',
    `  - gradient: {of: o, wrt: [${wrt.join(', ')}]}`,
    '',
  ].join('\n');
}
