/**
 * The one reader of tolerances: a problem's `variants: {tolerance}`, an
 * exam's `tolerance` (exam and item level) and `check --tolerance`.
 *
 *   tolerance: {relative: 1e-3}   # |got - expected| <= r |expected|, 0 < r < 1
 *   tolerance: {absolute: 0.01}   # |got - expected| <= a, a > 0
 *   tolerance: 1e-3               # a bare number is relative
 *
 * A relative tolerance of 1 or more accepts every answer of the right sign
 * (5 would be 500%), so it is refused as the mistake it is; so is a tolerance
 * that is zero, negative or not a finite number.
 */
import { ProblemError } from '../errors.js';
import type { Field } from './field.js';

export type Tolerance = { readonly kind: 'relative' | 'absolute'; readonly value: number };

/** `{relative: r}`, `{absolute: a}` or a bare number (relative); errors name the file, line and key. */
export function parseTolerance(f: Field): Tolerance {
  if (!f.isMap()) return checked({ kind: 'relative', value: f.number() }, f);
  f.only(['relative', 'absolute']);
  const keys = f.keys();
  if (keys.length !== 1) f.fail('a tolerance is {relative: r} or {absolute: a}');
  const kind = keys[0] as 'relative' | 'absolute';
  return checked({ kind, value: f.get(kind).number() }, f.get(kind));
}

/** `--tolerance T` (check): a relative tolerance, written as a plain number. */
export function parseToleranceOption(v: string, flag = '--tolerance'): number {
  const t = Number(v);
  if (!/^[0-9.eE+-]+$/.test(v) || !isRelative(t)) throw new ProblemError(`${flag} takes a relative tolerance, a number between 0 and 1 (exclusive), got '${v}'`);
  return t;
}

function checked(t: Tolerance, f: Field): Tolerance {
  if (!(Number.isFinite(t.value) && t.value > 0)) f.fail(`a tolerance must be positive, got ${t.value}`);
  if (t.kind === 'relative' && !isRelative(t.value)) f.fail(`a relative tolerance must be below 1 (it is a fraction: 1e-3 is 0.1%), got ${t.value}`);
  return t;
}

const isRelative = (r: number): boolean => Number.isFinite(r) && r > 0 && r < 1;
