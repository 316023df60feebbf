/**
 * Names the tool prints are names the checker reads (issue 16, item 3): every shipped problem's own
 * `closedForms` and `definitions` from `derive --json` (and `matrixForms`, once the tensor engine prints
 * them), pasted back as answers, are equivalent; every tensor, element, step and delta a solution sheet
 * typesets (the notation presets' own LaTeX) reads back as that node; the 2.7 matrix-form syntax the
 * tensor engine will print is read now; and an answer that is the asked derivative itself is refused.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnswer, readAnswer } from '../../src/check/check.js';
import { AnswerError } from '../../src/check/ast.js';
import { prepareCheck, type CheckContext } from '../../src/check/context.js';
import { Budget } from '../../src/check/limits.js';
import { entries } from '../../src/check/value.js';
import { deriveJson } from '../../src/derive/json.js';
import { solve } from '../../src/derive/solve.js';
import { toText } from '../../src/ops/print.js';
import { layoutOf } from '../../src/networks/rnn/layout.js';
import { RnnTex } from '../../src/networks/rnn/notation.js';
import { loadProblem } from '../../src/problem/read.js';
import type { ProblemSpec } from '../../src/problem/spec.js';
import { Namer } from '../../src/tex/names.js';
import { notationPreset } from '../../src/networks/registry.js';
import { ctxFor, ROOT, shipped } from './helpers.js';

type Nested = string | Nested[];
const files = readdirSync(join(ROOT, 'problems')).filter((f) => f.endsWith('.yaml')).sort();
/**
 * Problems that ask for gradients (the layer-shape exercises ask none). `check --upstream G` (issue 16,
 * item 6) is not built yet: layer-backward asks are left out.
 */
const checkable = (f: string) => loadProblem(f).ask.some((a) => a.kind === 'gradient' && !a.upstream);
const withGradients = files.filter((f) => checkable(shipped(f)));

/** Matrix forms through a convolution's or a pooling's backward op (the layers kind's kernel and input gradients). */
const CONV_FORMS = /\b(conv[12]d(_kernel_grad|_input_grad)?|maxpool(_route)?|avgpool(_spread)?)\(/;

/** `[[a, b], [c, d]]`: a closed-form tensor as a plain-text matrix answer. */
const asList = (x: Nested): string => (typeof x === 'string' ? `(${x})` : `[${x.map(asList).join(', ')}]`);
const rank = (x: Nested): number => (typeof x === 'string' ? 0 : 1 + rank(x[0]!));

/** Every shipped problem that asks for gradients (the 2.7 tensor and time problems among them). */
const allWithGradients = withGradients.map((f) => shipped(f));

describe('derive --json, pasted back', () => {
  it('covers every shipped problem that asks for gradients (the tensor problems print matrixForms)', () => {
    expect(withGradients.length).toBeGreaterThanOrEqual(27);
  });

  it.each(allWithGradients.map((f) => [f.replace(ROOT + '/', ''), f]))('%s: closedForms, definitions and matrixForms are equivalent', (_name, file) => {
    const problem = loadProblem(file);
    const j = deriveJson(solve(problem)) as unknown as {
      closedForms?: Record<string, Record<string, Nested>>;
      definitions?: Record<string, string>;
      matrixForms?: Record<string, Record<string, string>>;
    };
    const failures: string[] = [];
    const expectEquivalent = (of: string, wrt: string, answer: string) => {
      try {
        const r = checkAnswer(prepareCheck(problem, of, wrt), answer);
        if (!r.equivalent) failures.push(`${of}/${wrt} = ${answer}: ${r.diagnosis} ${r.detail}`);
      } catch (e) {
        failures.push(`${of}/${wrt} = ${answer}: ${(e as Error).message}`);
      }
    };
    const definitions = Object.entries(j.definitions ?? {});
    // the definitions as an answer's own (delta_h[t] := Wh^T @ delta_z[t+1], delta_h[T] := ...): they then stand for the engine's adjoints
    const defined = definitions.map(([name, form]) => `${name} := ${form}`).join('\n');
    let n = 0;
    for (const [of, byWrt] of Object.entries(j.closedForms ?? {})) {
      for (const [wrt, forms] of Object.entries(byWrt)) {
        n++;
        // a matrix answer, unless its entries are too long together for one answer (then entry by entry, as kernels with more axes)
        if (rank(forms) <= 2 && asList(forms).length <= 5000) { expectEquivalent(of, wrt, typeof forms === 'string' ? forms : asList(forms)); continue; }
        const flat = (x: Nested, at: number[]): void => {
          if (typeof x === 'string') expectEquivalent(of, `${wrt}[${at.join(',')}]`, x);
          else x.forEach((y, i) => flat(y, [...at, i + 1]));
        };
        flat(forms, []);
      }
      // each definition against the adjoint it defines; a recurrence (delta_h[t]) at every step no other key covers
      const steps = prepareCheck(problem, of, Object.keys(byWrt)[0]!).resolver.time.steps ?? 0;
      for (const [name, form] of definitions) {
        const m = /^delta_(.+?)(?:\[(t)\])?$/.exec(name)!;
        if (!m[2]) { n++; expectEquivalent(of, m[1]!, form); continue; }
        for (let k = 1; k <= steps; k++) {
          if (definitions.some(([other]) => other === `delta_${m[1]}[${k}]` || (k === steps && other === `delta_${m[1]}[T]`))) continue;
          n++;
          // every definition (the recurrence refers to the others), then the step it defines
          expectEquivalent(of, `${m[1]}[${k}]`, `${defined}\ndelta_${m[1]}[${k}]`);
        }
      }
      for (const [wrt, form] of Object.entries(j.matrixForms?.[of] ?? {})) {
        // the checker reads no convolution or pooling yet (its values are matrices): those matrix forms are left
        // out; the same gradients' closed forms, entry by entry, are read above
        if (CONV_FORMS.test(form)) continue;
        n++;
        expectEquivalent(of, wrt, defined ? `${defined}\n${form}` : form);
      }
    }
    expect(n).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});

describe('what the sheets typeset reads back', () => {
  const read = (ctx: CheckContext, latex: string): string[] => entries(readAnswer(ctx, latex, true, new Budget())).map(toText);
  const asText = (k: string) => (k.startsWith('bar:') ? `delta_${k.slice(4)}` : k);

  it.each(withGradients)('%s: tensors, elements, steps and deltas in the problem\'s notation', (file) => {
    const problem: ProblemSpec = loadProblem(shipped(file));
    const g = problem.ask.find((a) => a.kind === 'gradient');
    if (!g || g.kind !== 'gradient') throw new Error('no gradient asked');
    const ctx = prepareCheck(problem, g.of, g.wrt[0]!);
    const namer = new Namer(ctx.graph, problem.symbols, notationPreset(problem.notation));
    const printed = new Map<string, string[]>();
    const expectRead = (latex: string, keys: readonly string[]) => {
      const prev = printed.get(latex);
      // two tensors a sheet prints alike (a preset's E for the loss and for its steps) are no reading to test
      if (prev && prev.join() !== keys.join()) return;
      printed.set(latex, [...keys]);
      expect(read(ctx, latex), latex).toEqual(keys.map(asText));
    };
    const tensors = [...ctx.graph.tensors.values()];
    // a preset may print two tensors alike (seed-000's E for the loss and for its steps): no reading to test
    const plain = (latex: string) => latex.replace(/[{}]/g, '');
    const alike = new Map<string, number>();
    for (const t of tensors) alike.set(plain(namer.tensor(t.name)), (alike.get(plain(namer.tensor(t.name))) ?? 0) + 1);
    for (const t of tensors) {
      if (t.shape.length <= 2 && alike.get(plain(namer.tensor(t.name))) === 1) expectRead(namer.tensor(t.name), t.keys);
      if (t.keys.length > 1) for (const k of t.keys.slice(0, 40)) expectRead(namer.key(k), [k]);
    }
    const layout = layoutOf(ctx.graph);
    if (!layout) return;
    const tex = new RnnTex(layout, problem.notation, { ...layout.symbols, ...problem.symbols });
    const { spec } = layout;
    const rows = (name: string, s: number) => { const t = ctx.graph.tensors.get(name)!; return t.keys.slice((s - 1) * t.shape[1]!, s * t.shape[1]!); };
    for (const role of ['x', 'z', 'h', 'z2', 's', 'u', 'y', 't'] as const) {
      if (!spec.roles.includes(role) || ctx.graph.tensors.get(spec.names[role])!.shape.length !== 2) continue;
      for (let s = 1; s <= spec.steps; s++) expectRead(tex.atStep(role, s), rows(spec.names[role], s));
    }
    for (const of of ['z', 'z2', 'u'] as const) {
      if (!spec.roles.includes(of) || ctx.graph.tensors.get(spec.names[of])!.shape.length !== 2) continue;
      for (let s = 1; s <= spec.steps; s++) expectRead(tex.delta(of, s), rows(spec.names[of], s).map((k) => `bar:${k}`));
    }
  });
});

describe('the 2.7 matrix-form syntax (what the tensor engine will print in matrixForms)', () => {
  const elman = shipped('seed003-elman-rnn.yaml');
  const xor = shipped('seed000-q1-xor-corrected.yaml');
  it.each([
    [elman, 'E', 'W_h', 'sum_t(delta_z[t] @ h[t-1]^T)'],
    [elman, 'E', 'W_x', 'sum_t(delta_z[t] @ x[t]^T)'],
    [elman, 'E', 'W_y', 'sum_t(delta_y[t] @ h[t]^T)'],
    [elman, 'E', 'b_x', 'sum_t(delta_z[t])'],
    [elman, 'E', 'z[3]', '(W_y^T @ (p[T] - l[T])) * (1 - h[T]^2)'],
    [elman, 'E', 'z[2]', '(W_h^T @ delta_z[3] + W_y^T @ (p[2] - l[2])) * (1 - h[2]^2)'],
    [xor, 'z2', 'W2', 'delta_z2 @ h^T'],
    [xor, 'z2', 'W1', '((W2^T @ delta_z2) * step(z1)) @ x^T'],
    [xor, 'z2', 'b1', 'd := W2^T @ delta_z2; d * step(z1)'],
  ])('%s d%s/d%s = %s', (file, of, wrt, answer) => {
    const r = checkAnswer(ctxFor(file, of, wrt), answer);
    expect(r.equivalent, `${r.diagnosis}: ${r.detail}`).toBe(true);
  });
});

describe('the asked derivative itself is refused (exit 2), other derivatives are not', () => {
  const ws = () => ctxFor(shipped('seed004-bptt-scalar.yaml'), 'E3', 'w_s');
  const circular = (ctx: CheckContext, text: string, latex: boolean): string => {
    try { checkAnswer(ctx, text, { latex }); } catch (e) { if (e instanceof AnswerError && e.kind === 'circular') return e.message; throw e; }
    throw new Error(`${text} was not refused`);
  };
  it.each([
    ['\\frac{\\partial E_3}{\\partial w_s}', true],
    ['dE3/dw_s', false],
    ['2 \\cdot \\frac{\\partial E3}{\\partial w_s} - \\frac{\\partial E3}{\\partial w_s}', true],
    ['delta_w_s', false],
  ])('%s', (text, latex) => {
    expect(circular(ws(), text, latex)).toContain('the derivative it is asked for');
  });
  it('accepts another derivative of the problem (dE/db_x for dE/db_h)', () => {
    expect(checkAnswer(ctxFor(shipped('seed003-elman-rnn.yaml'), 'E', 'b_h'), '\\frac{\\partial E}{\\partial b_x}', { latex: true }).equivalent).toBe(true);
  });
});

describe('2.7 tensor problems: time and target kinds from the tensor graph', () => {
  const rnn = () => ctxFor(shipped('time-rnn-many-to-one.yaml'), 'E', 'Wh');
  const mlp = () => ctxFor(shipped('tensor-mlp-softmax.yaml'), 'E', 'b2');
  it('\\delta_t is the adjoint of the pre-activation z_t; h_t for h_{t-1} is a time shift', () => {
    expect(checkAnswer(rnn(), '\\sum_{t=1}^{4} \\boldsymbol{\\delta}_t \\mathbf{h}_{t-1}^\\top', { latex: true }).equivalent).toBe(true);
    expect(checkAnswer(rnn(), '\\sum_t \\delta_t h_t^\\top', { latex: true }).diagnosis).toBe('time-shift');
  });
  it('a one-hot target varies over one-hot rows: p - t is right, p - [0, 1, 0] is the label written as its value', () => {
    expect(checkAnswer(mlp(), 'p - t').equivalent).toBe(true);
    const r = checkAnswer(mlp(), 'p - [0, 1, 0]');
    expect(r.equivalent).toBe(false);
    expect(r.detail).toContain('the label t');
  });
});
