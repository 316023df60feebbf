/**
 * `check --variant K --seed S`: variant k's given values, drawn by the variants module itself, so variant
 * k here is variant k of `gradsheet variants --seed S`. Loaded only when --variant is given.
 */
import { drawVariants } from '../variants/generate.js';
import { parseVariants } from '../variants/spec.js';
import type { VariantDraw } from './context.js';

export function variantDraw(seed: string, number: number): VariantDraw {
  return (problem, graph) => {
    const spec = parseVariants(problem, graph);
    const drawn = drawVariants(problem, graph, spec, seed, number, number)[0]!;
    return {
      given: drawn.overrides,
      variant: { number: drawn.number, seed: drawn.seedLabel, tolerance: spec.tolerance.kind === 'relative' ? spec.tolerance.value : null },
    };
  };
}
