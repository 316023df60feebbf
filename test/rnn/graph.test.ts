/** The unrolled scalar graph: names, shapes, order, parameters, the node budget, and no swell. */
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../src/errors.js';
import { solveText } from './helpers.js';

function problem(opts: { steps: number; hidden?: number; extra?: string; ask?: string; given?: string }): string {
  const H = opts.hidden ?? 2;
  return `id: graph
title: graph
network: {kind: rnn, steps: ${opts.steps}, sizes: {input: 2, hidden: ${H}, output: 2}, output: softmax, loss: cross-entropy${opts.extra ?? ''}}
given: {x: {fill: 0.5}, t: ${opts.given ?? `[${Array.from({ length: opts.steps }, () => '[1, 0]').join(', ')}]`}, h0: {fill: 0}, W1: {fill: 0.1}, H1: {fill: 0.2}, b1: {fill: 0.1}, W2: {fill: 0.3}, b2: {fill: 0}}
ask:
  - ${opts.ask ?? 'gradient: {of: E, wrt: [W1, H1, b1, W2, b2]}'}
`;
}

describe('the unrolled graph', () => {
  it('names every element as the contract does: time first, 1-based', () => {
    const { sol } = solveText(problem({ steps: 3 }));
    const g = sol.graph;
    expect(g.tensors.get('x')!.shape).toEqual([3, 2]);
    expect(g.tensors.get('z')!.shape).toEqual([3, 2]);
    expect(g.tensors.get('h')!.shape).toEqual([3, 2]);
    expect(g.tensors.get('u')!.shape).toEqual([3, 2]);
    expect(g.tensors.get('y')!.shape).toEqual([3, 2]);
    expect(g.tensors.get('e')!.shape).toEqual([3]);
    expect(g.tensors.get('E')!.shape).toEqual([]);
    expect(g.nodes.get('h[2,1]')!.index).toEqual([2, 1]);
    expect(g.nodes.get('h0[1]')!.role).toBe('input');
    expect(g.nodes.get('t[1,1]')!.role).toBe('target');
    expect(g.nodes.get('W1[1,2]')!.role).toBe('parameter');
  });

  it('defines the steps in time order (z_2 after h_1)', () => {
    const { sol } = solveText(problem({ steps: 2 }));
    const at = (k: string) => sol.graph.order.indexOf(k);
    expect(at('z[1,1]')).toBeLessThan(at('h[1,1]'));
    expect(at('h[1,2]')).toBeLessThan(at('z[2,1]'));
    expect(at('e[2]')).toBeLessThan(at('E'));
  });

  it('many-to-one: the output and the loss only at the last step', () => {
    const { sol } = solveText(problem({ steps: 3, extra: ', mode: many-to-one', given: '[0, 1]' }));
    expect(sol.graph.tensors.get('u')!.shape).toEqual([2]);
    expect(sol.graph.tensors.get('y')!.shape).toEqual([2]);
    expect(sol.graph.tensors.has('e')).toBe(false);
    expect(sol.graph.nodes.get('E')!.def).toBeDefined();
  });

  it('lists every weight and bias as a parameter, so update defaults to all of them', () => {
    const text = problem({ steps: 2, extra: ', stacked: 2, recurrentBias: c', ask: 'update: {rule: sgd, rate: 0.5}' })
      .replace('b2: {fill: 0}}', 'b2: {fill: 0}, c: {fill: 0.05}, W3: {fill: 0.1}, H3: {fill: 0.1}, b3: {fill: 0}, s0: {fill: 0}}');
    const { sol, json } = solveText(text);
    expect(sol.network.parameters).toEqual(['W1', 'H1', 'b1', 'c', 'W3', 'H3', 'b3', 'W2', 'b2']);
    expect(Object.keys(json.updates!)).toEqual(['W1', 'H1', 'b1', 'c', 'W3', 'H3', 'b3', 'W2', 'b2']);
    // each update is the parameter minus the rate times its gradient (from the layer-level BPTT)
    const bptt = (json as Record<string, any>).bptt.E.gradients; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect((json.updates!.H3 as number[][])[0]![1]).toBeCloseTo(0.1 - 0.5 * bptt.H3[0][1], 15);
    expect((json.updates!.c as number[])[1]).toBeCloseTo(0.05 - 0.5 * bptt.c[1], 15);
  });

  it('without biases there are none', () => {
    const text = problem({ steps: 2, extra: ', bias: false' }).replace(', b1: {fill: 0.1}', '').replace(', b2: {fill: 0}', '')
      .replace('wrt: [W1, H1, b1, W2, b2]', 'wrt: [W1, H1, W2]');
    const { sol } = solveText(text);
    expect(sol.network.parameters).toEqual(['W1', 'H1', 'W2']);
    expect(sol.graph.tensors.has('b1')).toBe(false);
  });

  it('a graph over the node budget is a BudgetExceeded error at network.steps', () => {
    let err: unknown;
    try {
      solveText(problem({ steps: 1000, hidden: 200, ask: 'forward: [E]' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((err as BudgetExceededError).key).toBe('network.steps');
    expect((err as BudgetExceededError).message).toContain('--max-nodes');
  });

  it('no swell: gradient nodes stay under 3x forward nodes, closed forms grow linearly with the steps', () => {
    const size = (T: number) => {
      const { sol, json } = solveText(problem({ steps: T, hidden: 3 }), 'swell.yaml');
      return { ratio: sol.sizes.gradient / sol.sizes.forward, chars: JSON.stringify(json.closedForms).length + JSON.stringify(json.definitions ?? {}).length };
    };
    const a = size(10), b = size(20), c = size(40);
    for (const s of [a, b, c]) expect(s.ratio).toBeLessThan(3);
    // doubling T at most doubles the printed closed forms (named deltas, no expansion)
    expect(b.chars / a.chars).toBeLessThan(2.1);
    expect(c.chars / b.chars).toBeLessThan(2.1);
  });
});
