/**
 * The one list of network kinds. A kind is a folder networks/<kind>/ with a
 * kind.ts (its spec parser, builder and hooks); adding one is that folder and
 * one line here. Nothing else in src/ names a kind.
 */
import type { Graph } from '../expr/graph.js';
import type { Field } from '../input/field.js';
import type { NotationPreset } from '../tex/names.js';
import type { BuildContext, BuiltNetwork } from './core/built.js';
import type { Kind, KindTime, StepName } from './core/kind.js';
import { chainKind } from './chain/kind.js';
import { equationsKind } from './equations/kind.js';
import { layersKind } from './layers/kind.js';
import { lstmKind } from './lstm/kind.js';
import { mlpKind } from './mlp/kind.js';
import { rnnKind } from './rnn/kind.js';

const KINDS = {
  equations: equationsKind,
  chain: chainKind,
  mlp: mlpKind,
  rnn: rnnKind,
  layers: layersKind,
  lstm: lstmKind,
} as const;

/** The `network` section of a problem: one spec type per registered kind. */
export type NetworkSpec = ReturnType<(typeof KINDS)[keyof typeof KINDS]['parse']>;

const LIST: ReadonlyArray<Kind<NetworkSpec>> = Object.values(KINDS) as unknown as ReadonlyArray<Kind<NetworkSpec>>;

/** The kind of a parsed spec (every spec was parsed by its kind, so the lookup cannot miss). */
export function kindOf(spec: NetworkSpec): Kind<NetworkSpec> {
  return KINDS[spec.kind] as unknown as Kind<NetworkSpec>;
}

export const kindNames = (): string[] => Object.keys(KINDS);

export function parseNetwork(f: Field): NetworkSpec {
  const name = f.required('kind').str();
  // own keys only: 'toString' is not a kind
  if (!Object.hasOwn(KINDS, name)) return f.get('kind').fail(`unknown network kind '${name}' (expected one of ${kindNames().join(', ')})`);
  return (KINDS as Record<string, Kind<NetworkSpec>>)[name]!.parse(f);
}

export function buildNetwork(spec: NetworkSpec, ctx: BuildContext): BuiltNetwork {
  return kindOf(spec).build(spec, ctx);
}

/** A kind's typesetting preset by its name under `notation`. */
export function notationPreset(name: string | undefined): NotationPreset | undefined {
  if (!name) return undefined;
  for (const k of LIST) if (k.notations && Object.hasOwn(k.notations, name)) return k.notations[name];
  return undefined;
}

export const knownNotations = (): string[] => LIST.flatMap((k) => Object.keys(k.notations ?? {}));

/** The time layout of a graph, from the kind that built it (null: not a recurrent kind's graph). */
export function kindTime(graph: Graph): KindTime | null {
  for (const k of LIST) {
    const t = k.time?.(graph);
    if (t) return t;
  }
  return null;
}

/** The per-step names a kind's sheet prints for a graph it built (h_2, delta_t). */
export function kindStepNames(graph: Graph, symbols: Readonly<Record<string, string>>, notation: string | undefined): StepName[] {
  return LIST.flatMap((k) => k.stepNames?.(graph, symbols, notation) ?? []);
}
