/** Dispatch from a network spec to its builder. */
import { assertNever } from '../errors.js';
import type { BuildContext, BuiltNetwork } from './built.js';
import { buildChain } from './chain.js';
import { buildEquations } from './equations.js';
import { buildMlp } from './mlp.js';
import { buildRnn } from './rnn/build.js';
import { buildLayers } from './layers/build.js';
import type { NetworkSpec } from './spec.js';

export function buildNetwork(spec: NetworkSpec, ctx: BuildContext): BuiltNetwork {
  switch (spec.kind) {
    case 'equations': return buildEquations(spec, ctx);
    case 'chain': return buildChain(spec);
    case 'mlp': return buildMlp(spec);
    case 'rnn': return buildRnn(spec, ctx);
    case 'layers': return buildLayers(spec, ctx);
    default: return assertNever(spec);
  }
}
