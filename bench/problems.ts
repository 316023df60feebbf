/**
 * The benchmark problems, generated in memory: the sigmoid chain, the scalar
 * tanh RNN and the 2x2-kernel convolution, each as a `kind: equations`
 * problem for gradsheet and as the same equations for the peers (plain
 * identifiers, sigmoid written out as 1/(1 + exp(-u)) because mathjs cannot
 * differentiate a custom function). Every problem also carries a reference
 * value of each asked derivative from forward-mode dual numbers written here
 * (bench/reference.ts), independent of gradsheet and of every peer, so a
 * disagreement can say who is wrong.
 */
import { chainReference, convReference, rnnReference } from './reference.js';

export type Family = 'chain' | 'rnn' | 'conv';

/** What a peer worker receives: ordered equations over plain identifiers, float values, what to differentiate. */
export interface PeerJob {
  readonly equations: ReadonlyArray<readonly [string, string]>;
  readonly values: Readonly<Record<string, number>>;
  readonly of: string;
  readonly wrt: readonly string[];
}

export interface BenchProblem {
  readonly family: Family;
  readonly size: number;
  readonly label: string;
  /** gradsheet problem text (YAML, kind: equations) */
  readonly yaml: string;
  readonly of: string;
  /** gradsheet keys of the asked leaves, in the order of `peer.wrt` */
  readonly wrt: readonly string[];
  readonly peer: PeerJob;
  /** d of / d wrt[i] from dual numbers */
  readonly reference: readonly number[];
}

/** A rational given value as gradsheet reads it ("-19/10") and as a float for the peers. */
interface Value { readonly text: string; readonly num: number }
const frac = (n: number, d: number): Value => ({ text: `"${n}/${d}"`, num: n / d });

const sigmoidPeer = (u: string): string => `1/(1 + exp(-(${u})))`;

function yamlOf(id: string, title: string, equations: ReadonlyArray<readonly [string, string]>, given: ReadonlyArray<readonly [string, string]>, of: string, wrt: readonly string[]): string {
  return [
    `id: ${id}`,
    `title: ${title}`,
    'network:',
    '  kind: equations',
    '  equations:',
    ...equations.map(([n, f]) => `    ${n}: ${f}`),
    'given:',
    ...given.map(([n, v]) => `  ${n}: ${v}`),
    'ask:',
    `  - gradient: {of: ${of}, wrt: [${wrt.join(', ')}]}`,
    '',
  ].join('\n');
}

/**
 * h1 = sigmoid(w1 x + b1), h_i = sigmoid(w_i h_{i-1} + b_i), o = w_{d+1} h_d + b_{d+1}; do/db1.
 * Parameters as in test/helpers/chain.ts: w_i = (38 + i mod 5)/10, b_i = (-(190 + 5 (i mod 5)) + 5 ((i mod 3) - 1))/100,
 * x = 1/2, so every h_i stays near 1/2 and do/db1 neither vanishes nor explodes.
 */
export function chainProblem(depth: number): BenchProblem {
  const w = (i: number) => frac(38 + (i % 5), 10);
  const b = (i: number) => frac(-(190 + 5 * (i % 5)) + 5 * ((i % 3) - 1), 100);
  const ours: Array<[string, string]> = [], peers: Array<[string, string]> = [];
  for (let i = 1; i <= depth; i++) {
    const u = `w${i}*${i === 1 ? 'x' : `h${i - 1}`} + b${i}`;
    ours.push([`h${i}`, `sigmoid(${u})`]);
    peers.push([`h${i}`, sigmoidPeer(u)]);
  }
  const out: [string, string] = ['o', `w${depth + 1}*h${depth} + b${depth + 1}`];
  ours.push(out); peers.push(out);
  const given: Array<[string, Value]> = [['x', frac(1, 2)]];
  for (let i = 1; i <= depth + 1; i++) given.push([`w${i}`, w(i)], [`b${i}`, b(i)]);
  return {
    family: 'chain', size: depth, label: `depth ${depth}`,
    yaml: yamlOf(`bench-chain-${depth}`, `Sigmoid chain of depth ${depth}`, ours, given.map(([n, v]) => [n, v.text]), 'o', ['b1']),
    of: 'o', wrt: ['b1'],
    peer: { equations: peers, values: Object.fromEntries(given.map(([n, v]) => [n, v.num])), of: 'o', wrt: ['b1'] },
    reference: [chainReference(given.map(([, v]) => v.num), depth)],
  };
}

/** RNN inputs and targets, deterministic and in [-1, 1]: x_t = ((7t mod 11) - 5)/5, d_t = ((3t mod 7) - 3)/4. */
export const rnnInput = (t: number): Value => frac((7 * t) % 11 - 5, 5);
export const rnnTarget = (t: number): Value => frac((3 * t) % 7 - 3, 4);
/** Weights: w = 1/2 (recurrent), u = 4/5 (input), v = 6/5 (output), s0 = 1/10: tanh stays away from saturation. */
export const RNN_WEIGHTS = { w: frac(1, 2), u: frac(4, 5), v: frac(6, 5), s0: frac(1, 10) } as const;

/**
 * s_t = tanh(w s_{t-1} + u x_t), y_t = v s_t, E = sum_t (y_t - d_t)^2 / 2; dE/dw (and, for the
 * whole-pipeline figure, dE/du and dE/dv with `wrt`).
 */
export function rnnProblem(steps: number, wrt: readonly ('w' | 'u' | 'v')[] = ['w']): BenchProblem {
  const eqs: Array<[string, string]> = [];
  for (let t = 1; t <= steps; t++) {
    eqs.push([`s${t}`, `tanh(w*s${t - 1} + u*x${t})`]);
    eqs.push([`y${t}`, `v*s${t}`]);
  }
  eqs.push(['E', `(${Array.from({ length: steps }, (_, i) => `(y${i + 1} - d${i + 1})^2`).join(' + ')})/2`]);
  const given: Array<[string, Value]> = [['w', RNN_WEIGHTS.w], ['u', RNN_WEIGHTS.u], ['v', RNN_WEIGHTS.v], ['s0', RNN_WEIGHTS.s0]];
  for (let t = 1; t <= steps; t++) given.push([`x${t}`, rnnInput(t)], [`d${t}`, rnnTarget(t)]);
  const xs = Array.from({ length: steps }, (_, i) => rnnInput(i + 1).num);
  const ds = Array.from({ length: steps }, (_, i) => rnnTarget(i + 1).num);
  const weights = { w: RNN_WEIGHTS.w.num, u: RNN_WEIGHTS.u.num, v: RNN_WEIGHTS.v.num, s0: RNN_WEIGHTS.s0.num };
  return {
    family: 'rnn', size: steps, label: `T = ${steps}`,
    yaml: yamlOf(`bench-rnn-${steps}`, `Scalar tanh RNN over ${steps} steps`, eqs, given.map(([n, v]) => [n, v.text]), 'E', wrt),
    of: 'E', wrt,
    peer: { equations: eqs, values: Object.fromEntries(given.map(([n, v]) => [n, v.num])), of: 'E', wrt },
    reference: wrt.map((p) => rnnReference(weights, xs, ds, p)),
  };
}

/** Conv values, deterministic with one decimal in [-1, 1): ((7r + 3c + salt) mod 20 - 10)/10; W is scaled by 1/(n-1)^2. */
const gridValue = (r: number, c: number, salt: number, den = 10): Value => frac(((7 * r + 3 * c + salt) % 20) - 10, den);

/**
 * y_ij = sum_ab K_ab X_(i+a-1)(j+b-1) for a 2x2 kernel on an n x n input, o = sigmoid(sum_ij W_ij y_ij),
 * E = (z - o)^2/2; dE/dK (four entries). Peer names: Kr1c2, Xr3c4, Wr1c1 (nerdamer reads k_1_2 as a subscript).
 */
export function convProblem(n: number): BenchProblem {
  const m = n - 1; // output size of a valid 2x2 convolution
  const ours: Array<[string, string]> = [], peers: Array<[string, string]> = [];
  const peerName = (t: string, r: number, c: number) => `${t}r${r}c${c}`;
  const sumTerms: string[] = [], peerSum: string[] = [];
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= m; j++) {
      const terms: string[] = [], pTerms: string[] = [];
      for (let a = 1; a <= 2; a++) for (let b = 1; b <= 2; b++) {
        terms.push(`K[${a},${b}]*X[${i + a - 1},${j + b - 1}]`);
        pTerms.push(`${peerName('K', a, b)}*${peerName('X', i + a - 1, j + b - 1)}`);
      }
      ours.push([`yr${i}c${j}`, terms.join(' + ')]);
      peers.push([`yr${i}c${j}`, pTerms.join(' + ')]);
      sumTerms.push(`W[${i},${j}]*yr${i}c${j}`);
      peerSum.push(`${peerName('W', i, j)}*yr${i}c${j}`);
    }
  }
  ours.push(['o', `sigmoid(${sumTerms.join(' + ')})`], ['E', '(z - o)^2/2']);
  peers.push(['o', sigmoidPeer(peerSum.join(' + '))], ['E', '(z - o)^2/2']);
  const X = grid(n, n, (r, c) => gridValue(r, c, 1));
  const K = grid(2, 2, (r, c) => gridValue(r, c, 5));
  const W = grid(m, m, (r, c) => gridValue(r, c, 2, 10 * m)); // small weights keep the sigmoid unsaturated
  const z = frac(1, 1);
  const matrix = (g: Value[][]) => `[${g.map((row) => `[${row.map((v) => v.text).join(', ')}]`).join(', ')}]`;
  const values: Record<string, number> = { z: z.num };
  for (const [t, g] of [['X', X], ['K', K], ['W', W]] as const) g.forEach((row, r) => row.forEach((v, c) => { values[peerName(t, r + 1, c + 1)] = v.num; }));
  const wrt = ['K[1,1]', 'K[1,2]', 'K[2,1]', 'K[2,2]'];
  return {
    family: 'conv', size: n, label: `${n}x${n}`,
    yaml: yamlOf(`bench-conv-${n}`, `2x2 convolution on a ${n}x${n} input`, ours, [['X', matrix(X)], ['K', matrix(K)], ['W', matrix(W)], ['z', z.text]], 'E', ['K']),
    of: 'E', wrt,
    peer: { equations: peers, values, of: 'E', wrt: ['Kr1c1', 'Kr1c2', 'Kr2c1', 'Kr2c2'] },
    reference: convReference(X.map((r) => r.map((v) => v.num)), K.map((r) => r.map((v) => v.num)), W.map((r) => r.map((v) => v.num)), z.num),
  };
}

function grid(h: number, w: number, at: (r: number, c: number) => Value): Value[][] {
  return Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => at(r + 1, c + 1)));
}

export const CHAIN_DEPTHS = [3, 5, 10, 20, 50];
/** T = 7 is where the issue measured mathjs derivative with simplify (41 s): the 100x target. */
export const RNN_STEPS = [2, 5, 7, 10, 20, 50];
export const CONV_SIZES = [3, 8, 16];

export function allProblems(): BenchProblem[] {
  return [...CHAIN_DEPTHS.map((d) => chainProblem(d)), ...RNN_STEPS.map((t) => rnnProblem(t)), ...CONV_SIZES.map((n) => convProblem(n))];
}
