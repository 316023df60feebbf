/**
 * The names a problem's solution sheet prints, read back (issue 16: what the
 * sheet shows can be pasted as an answer). Every tensor, element, step and
 * delta is typeset by the sheet's own namer (the problem's `symbols` and
 * notation preset: `{\mathbf{x}}^{[1]}_{(2)}`, `w_{x,12}`, `\hat{o}_2`,
 * `\boldsymbol{\delta}^{[2]}_{(t)}`), parsed with the answer grammar and
 * keyed by its exact spelling. Built on first use: most answers never need it.
 */
import type { Graph } from '../expr/graph.js';
import { Namer } from '../tex/names.js';
import { kindStepNames, notationPreset } from '../networks/registry.js';
import type { NameAst } from './ast.js';
import { Budget } from './limits.js';
import { spellingKey, type NameResolver, type Reading, type Spelled } from './names.js';
import { parseName } from './parser.js';

/** Graphs with more nodes than this get no sheet names for their elements (whole tensors and steps still). */
const MAX_ELEMENTS = 5_000;


export class SheetNames {
  private table: Map<string, Reading | null> | null = null;

  constructor(
    private readonly graph: Graph,
    private readonly resolver: NameResolver,
    private readonly symbols: Readonly<Record<string, string>>,
    private readonly notation: string | undefined,
  ) {}

  /** The sheet's reading of a spelled name: as printed, else with the brackets around indices left out (\delta^{[1]}_t for \delta^{[1]}_{(t)}). */
  lookup(s: Spelled): Reading | undefined {
    if (s.index) return undefined;
    const table = this.map();
    return table.get(spellingKey(s)) ?? table.get(looseKey(s)) ?? undefined;
  }

  private map(): Map<string, Reading | null> {
    if (this.table) return this.table;
    const table = new Map<string, Reading | null>();
    const budget = new Budget();
    const put = (latex: string, r: Reading | undefined): void => {
      if (!r) return;
      const name = parseName(latex, { latex: true, budget });
      if (!name) return;
      const spelled = plainSpelling(name);
      for (const key of [spellingKey(spelled), looseKey(spelled)]) {
        const prev = table.get(key);
        // one spelling printed for two different things is no reading at all
        if (prev === undefined) table.set(key, r);
        else if (prev !== null && prev.keys.join(';') !== r.keys.join(';')) table.set(key, null);
      }
    };
    const namer = new Namer(this.graph, this.symbols, notationPreset(this.notation));
    for (const t of this.graph.tensors.values()) put(namer.tensor(t.name), this.resolver.whole(t));
    if (this.graph.order.length <= MAX_ELEMENTS) {
      for (const k of this.graph.order) {
        const n = this.graph.nodes.get(k)!;
        if (n.index.length) put(namer.key(k), { kind: 'value', keys: [k], shape: [], label: k });
      }
    }
    // a kind's per-step names (h_2, \delta^{[2]}), each read at its step (the last only, for a many-to-one output)
    const { time } = this.resolver;
    const at = (name: string, step: number): Reading | undefined => this.resolver.readings(name, [step]).find((r) => r.kind === 'value');
    for (const s of kindStepNames(this.graph, this.symbols, this.notation)) {
      const r = time.lastOnly.has(s.tensor) ? (s.step === time.steps ? this.resolver.readings(s.tensor)[0] : undefined) : at(s.tensor, s.step);
      put(s.tex, s.adjoint ? (r ? this.resolver.adjoints([r])[0] : undefined) : r);
    }
    this.table = table;
    return table;
  }
}

/** The spelling with every item's brackets left out, prefixed so it never equals an exact key. */
function looseKey(s: Spelled): string {
  const bare = (items: readonly { text: string; wrap: string }[]) => items.map((i) => ({ text: i.text, wrap: '' as const }));
  return `~${spellingKey({ ...s, sup: s.sup ? bare(s.sup) : undefined, subs: s.subs.map(bare) })}`;
}

/** The spelling of a parsed sheet name, which has no bound indices: items as written. */
export function plainSpelling(a: NameAst): Spelled {
  const item = (it: NameAst['subs'][number][number]) => {
    const x = it.ast;
    if (x.t === 'name') return { text: spellingKey(plainSpelling(x)), wrap: it.wrap };
    if (x.t === 'num') return { text: x.value.toString(), wrap: it.wrap };
    return { text: it.wrap ? it.text.slice(1, -1) : it.text, wrap: it.wrap };
  };
  return {
    base: a.base,
    ...(a.accent ? { accent: a.accent } : {}),
    ...(a.sup ? { sup: a.sup.map(item) } : {}),
    subs: a.subs.map((g) => g.map(item)),
  };
}
