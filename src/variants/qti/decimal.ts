/**
 * Exact decimal arithmetic on the shortest round-trip form of doubles, for
 * answer bounds: the Canvas importer reads a margin as
 * BigDecimal(upper) - BigDecimal(answer), so `upper` is written as the exact
 * decimal sum of the answer and the margin, never a rounded double.
 */
import { assert } from '../../errors.js';

/** m * 10^e */
interface Dec { readonly m: bigint; readonly e: number }

function parse(x: number): Dec {
  assert(Number.isFinite(x), `decimal of ${x}`);
  const [mant, exp] = String(x).split('e') as [string, string | undefined];
  const [int, frac = ''] = mant.split('.') as [string, string | undefined];
  return { m: BigInt(int + frac), e: Number(exp ?? 0) - frac.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

function format(d: Dec): string {
  if (d.m === 0n) return '0';
  const neg = d.m < 0n;
  let digits = (neg ? -d.m : d.m).toString();
  let e = d.e;
  // drop trailing zeros of the fraction
  while (e < 0 && digits.length > 1 && digits.endsWith('0')) { digits = digits.slice(0, -1); e++; }
  let s: string;
  if (e >= 0) s = digits + '0'.repeat(e);
  else {
    const point = digits.length + e;
    s = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return (neg && /[1-9]/.test(s) ? '-' : '') + s;
}

/** A double in plain decimal notation (no exponent), exactly the digits of its shortest form: Number(plain(x)) === x. */
export const plain = (x: number): string => format(parse(x));

/** The exact decimal a + b, in plain notation. */
export function sum(a: number, b: number): string {
  const [x, y, e] = align(parse(a), parse(b));
  return format({ m: x + y, e });
}

/** The exact decimal a - b, in plain notation. */
export const difference = (a: number, b: number): string => sum(a, -b);
