/** A given value as the problem file writes it: an array, a fill or a seeded initializer (contract 3). */
import type { Rational } from '../expr/rational.js';
import type { Initializer } from './initializer.js';

export type GivenValue =
  | { kind: 'array'; shape: number[]; values: Rational[] }
  | { kind: 'fill'; value: Rational }
  | Initializer;
