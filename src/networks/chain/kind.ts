/** `kind: chain` (contract 2.2): o = f(w_n f(... f(w_1 x + b_1) ...) + b_n), one unit per layer. */
import { defineKind } from '../core/kind.js';
import { buildChain, parseChainSpec, type ChainSpec } from './chain.js';
import { magnitudePlot } from './figures.js';

export const chainKind = defineKind<ChainSpec>({
  name: 'chain',
  scalarSheet: true,
  parse: parseChainSpec,
  build: buildChain,
  gradientFigures: (spec, sol) => {
    const plot = magnitudePlot(spec, sol);
    return plot ? [plot] : [];
  },
});
