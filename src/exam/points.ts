/** Points as instructors write them: whole numbers as they are, others to two decimals (25/3 -> 8.33). */
import type { Rational } from '../expr/rational.js';

export function formatPoints(r: Rational): string {
  if (r.isInteger()) return r.toString();
  const s = r.toNumber().toFixed(2);
  return s.replace(/0+$/, '').replace(/\.$/, '');
}
