/** Exact rationals over bigint, always normalized (den > 0, gcd 1). */
export class Rational {
  private constructor(readonly num: bigint, readonly den: bigint) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  static of(num: bigint, den: bigint = 1n): Rational {
    if (den === 0n) throw new RangeError('division by zero');
    if (den < 0n) { num = -num; den = -den; }
    const g = gcd(num < 0n ? -num : num, den);
    return new Rational(num / g, den / g);
  }

  static int(n: number): Rational {
    return Rational.of(BigInt(n));
  }

  /** Parse a decimal or fraction string exactly: "0.1" -> 1/10, "-3/4", "1e-5". Null if not a number. */
  static parse(text: string): Rational | null {
    const s = text.trim();
    const frac = /^([+-]?\d+)\s*\/\s*([+-]?\d+)$/.exec(s);
    if (frac) {
      const den = BigInt(frac[2]!);
      return den === 0n ? null : Rational.of(BigInt(frac[1]!), den);
    }
    const dec = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!dec || (dec[2] === '' && (dec[3] ?? '') === '')) return null;
    const sign = dec[1] === '-' ? -1n : 1n;
    const intPart = dec[2] || '0';
    const fracPart = dec[3] ?? '';
    const exp = Number(dec[4] ?? '0');
    if (!Number.isFinite(exp) || Math.abs(exp) > 400) return null;
    let num = BigInt(intPart + fracPart) * sign;
    let den = 10n ** BigInt(fracPart.length);
    if (exp > 0) num *= 10n ** BigInt(exp);
    else if (exp < 0) den *= 10n ** BigInt(-exp);
    return Rational.of(num, den);
  }

  /** The exact value of a finite double's shortest decimal representation (0.1 -> 1/10). */
  static fromNumber(x: number): Rational {
    if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
    return Rational.parse(String(x))!;
  }

  add(o: Rational): Rational { return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den); }
  sub(o: Rational): Rational { return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den); }
  mul(o: Rational): Rational { return Rational.of(this.num * o.num, this.den * o.den); }
  div(o: Rational): Rational { return Rational.of(this.num * o.den, this.den * o.num); }
  neg(): Rational { return new Rational(-this.num, this.den); }
  isZero(): boolean { return this.num === 0n; }
  isOne(): boolean { return this.num === 1n && this.den === 1n; }
  isInteger(): boolean { return this.den === 1n; }
  sign(): number { return this.num === 0n ? 0 : this.num > 0n ? 1 : -1; }
  cmp(o: Rational): number { return this.sub(o).sign(); }
  eq(o: Rational): boolean { return this.num === o.num && this.den === o.den; }

  /** Integer power; |e| is kept small by callers (bounded exponent). */
  pow(e: number): Rational {
    if (!Number.isInteger(e)) throw new RangeError('non-integer exponent');
    if (e < 0) return Rational.ONE.div(this.pow(-e));
    return Rational.of(this.num ** BigInt(e), this.den ** BigInt(e));
  }

  toNumber(): number {
    // Divide with enough precision for doubles even when num and den are huge.
    const n = Number(this.num), d = Number(this.den);
    if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
    const shift = BigInt(Math.max(0, this.den.toString().length - 300));
    return Number(this.num / 10n ** shift) / Number(this.den / 10n ** shift);
  }

  /** "3/4", "-2", plain text. */
  toString(): string { return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`; }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
