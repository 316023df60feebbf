/** Comparing a computed value with the value a source printed (contract 1, `published`). */

/** Does `computed` round to `published` at the published value's own digits (at most the problem's precision)? */
export function agreesAtPrecision(computed: number, published: number, precision: number): boolean {
  if (published === 0) return Math.abs(computed) < 0.5 * 10 ** -precision;
  const digits = Math.min(precision, significantDigits(published));
  return Number(computed.toPrecision(digits)) === Number(published.toPrecision(digits));
}

function significantDigits(x: number): number {
  const m = /^-?(?:0\.0*)?(\d+?)0*(?:e.*)?$/.exec(Math.abs(x).toExponential().replace(/e.*/, '').replace('.', ''));
  return Math.max(1, m ? m[1]!.length : 17);
}

