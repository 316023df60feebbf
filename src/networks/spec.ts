/** The `network` section: one spec type per kind, and its validation. */
import type { Field } from '../input/field.js';
import { parseEquationsSpec, type EquationsSpec } from './equations.js';
import { parseChainSpec, type ChainSpec } from './chain.js';
import { parseMlpSpec, type MlpSpec } from './mlp.js';
import { parseRnnSpec, type RnnSpec } from './rnn/spec.js';
import { parseLayersSpec, type LayersSpec } from './layers/build.js';

export type NetworkSpec = EquationsSpec | ChainSpec | MlpSpec | RnnSpec | LayersSpec;

const PARSERS: Record<NetworkSpec['kind'], (f: Field) => NetworkSpec> = {
  equations: parseEquationsSpec,
  chain: parseChainSpec,
  mlp: parseMlpSpec,
  rnn: parseRnnSpec,
  layers: parseLayersSpec,
};

export function parseNetwork(f: Field): NetworkSpec {
  const kind = f.required('kind').str();
  const parse = PARSERS[kind as NetworkSpec['kind']];
  if (!parse) f.get('kind').fail(`unknown network kind '${kind}' (expected one of ${Object.keys(PARSERS).join(', ')})`);
  return parse(f);
}
