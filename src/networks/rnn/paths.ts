/**
 * The unrolled path-sum view of a scalar RNN (every size 1, seed 004): a
 * shared weight reaches the loss along one path per step where it is used and
 * per route through later states, and the derivative is the sum over paths of
 * the products of the local derivatives along each path:
 *   dE3/dws = dE3/dy3 dy3/ds3 d+s3/dws + dE3/dy3 dy3/ds3 ds3/ds2 d+s2/dws + ...
 * where d+ s_k/dws = f'(z_k) s_{k-1} is the immediate partial (earlier states
 * held fixed). With two layers a route may climb to the second layer at any
 * step (seed 004 Q3's three terms).
 */
import { activationSlope, type RnnBackward, type RnnForward, type RnnValues } from './levels.js';
import type { RnnLayout } from './layout.js';
import type { RnnTex } from './notation.js';
import type { Role } from './spec.js';

export interface PathFactor { readonly latex: string; readonly value: number }
export interface PathTerm {
  /** state nodes from where the weight enters to where the loss reads them, e.g. ['s[1,1]', 's[2,1]'] */
  readonly route: readonly string[];
  /** factors from the loss down to the weight */
  readonly factors: readonly PathFactor[];
  readonly value: number;
}
export interface PathSum { readonly of: string; readonly wrt: string; readonly terms: readonly PathTerm[]; readonly total: number }

/** Beyond this many paths the view is left out (it grows like binomial(2T, T) with two layers). */
export const MAX_PATHS = 64;

const LAYER_OF: Partial<Record<Role, 1 | 2>> = { W1: 1, H1: 1, b1: 1, bh: 1, W3: 2, H3: 2, b3: 2 };

export const isScalarRnn = (layout: RnnLayout): boolean => Object.values(layout.spec.sizes).every((n) => n === 1);
export const hasPathView = (role: Role): boolean => LAYER_OF[role] !== undefined;

interface Node { readonly layer: 1 | 2; readonly step: number }

export function pathSum(layout: RnnLayout, tex: RnnTex, ofLatex: string, of: string, role: Role,
  p: RnnValues, f: RnnForward, b: RnnBackward): PathSum | null {
  const spec = layout.spec;
  const entryLayer = LAYER_OF[role];
  if (!entryLayer || !isScalarRnn(layout)) return null;
  const T = spec.steps, top: 1 | 2 = spec.stacked, exits = new Set(b.lossSteps);
  const state = (n: Node) => (n.layer === 1 ? 'h' : 's') as Role;
  const stateTex = (n: Node) => tex.element(state(n), [n.step, 1]);
  const stateVal = (layer: 1 | 2, k: number) => (k === 0 ? (layer === 1 ? p.h0[0]! : p.s0![0]!) : (layer === 1 ? f.h : f.s!)[k - 1]![0]!);
  const fprime = (n: Node) => {
    const z = (n.layer === 1 ? f.z : f.z2!)[n.step - 1]![0]!;
    return activationSlope(spec.hidden, z, stateVal(n.layer, n.step));
  };
  const moves = (n: Node): Node[] => [
    ...(n.layer === 1 && top === 2 ? [{ layer: 2 as const, step: n.step }] : []),
    ...(n.step < T ? [{ layer: n.layer, step: n.step + 1 }] : []),
  ];
  // Count first: the enumeration is skipped when it would be too long to read.
  const memo = new Map<string, number>();
  const count = (n: Node): number => {
    const id = `${n.layer},${n.step}`;
    let c = memo.get(id);
    if (c === undefined) {
      c = (n.layer === top && exits.has(n.step) ? 1 : 0) + moves(n).reduce((s, m) => s + count(m), 0);
      memo.set(id, c);
    }
    return c;
  };
  let total = 0;
  for (let k = 1; k <= T; k++) total += count({ layer: entryLayer, step: k });
  if (total > MAX_PATHS) return null;

  const wrtTex = tex.element(role, role.startsWith('b') ? [1] : [1, 1]);
  const out: PathTerm[] = [];
  const walk = (route: Node[]): void => {
    const n = route[route.length - 1]!;
    if (n.layer === top && exits.has(n.step)) out.push(term(route));
    for (const m of moves(n)) walk([...route, m]);
  };
  const term = (route: Node[]): PathTerm => {
    const exit = route[route.length - 1]!;
    const identityOut = spec.output === 'identity';
    const uTex = tex.element(identityOut ? 'y' : 'u', spec.mode === 'many-to-one' ? [1] : [exit.step, 1]);
    const factors: PathFactor[] = [
      { latex: frac(ofLatex, uTex), value: b.deltaOut[exit.step - 1]![0]! },
      { latex: frac(uTex, stateTex(exit)), value: p.W2[0]![0]! },
    ];
    for (let i = route.length - 1; i > 0; i--) {
      const to = route[i]!, from = route[i - 1]!;
      const w = to.layer === from.layer ? (to.layer === 1 ? p.H1 : p.H3!) : p.W3!;
      factors.push({ latex: frac(stateTex(to), stateTex(from)), value: w[0]![0]! * fprime(to) });
    }
    const entry = route[0]!;
    factors.push({ latex: frac(stateTex(entry), wrtTex, true), value: fprime(entry) * immediateInput(role, entry.step, p, stateVal) });
    const value = factors.reduce((s, x) => s * x.value, 1);
    const key = (n: Node) => `${spec.names[state(n)]}[${n.step},1]`;
    return { route: route.map(key), factors, value };
  };
  for (let k = T; k >= 1; k--) walk([{ layer: entryLayer, step: k }]);
  return { of, wrt: spec.names[role], terms: out, total: out.reduce((s, t) => s + t.value, 0) };
}

/** What the weight multiplies at step k: x_k for W1, h_{k-1} for H1, h_k for W3, s_{k-1} for H3, 1 for a bias. */
function immediateInput(role: Role, k: number, p: RnnValues, stateVal: (layer: 1 | 2, k: number) => number): number {
  switch (role) {
    case 'W1': return p.x[k - 1]![0]!;
    case 'H1': return stateVal(1, k - 1);
    case 'W3': return stateVal(1, k);
    case 'H3': return stateVal(2, k - 1);
    default: return 1;
  }
}

const frac = (a: string, b: string, immediate = false): string => `\\frac{\\partial${immediate ? '^{+}' : ''} ${a}}{\\partial ${b}}`;
