/**
 * A view of one YAML node with its path and line, so that every validation
 * error names the file, the line and the key (`network.depth`).
 */
import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { ProblemError } from '../errors.js';
import { Rational } from '../expr/rational.js';

export class Field {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    readonly node: Node | null,
    readonly path: readonly (string | number)[],
    private readonly parentLine = 1,
  ) {}

  static root(file: string, doc: Document, lines: LineCounter): Field {
    return new Field(file, lines, (doc.contents as Node | null) ?? null, []);
  }

  get key(): string {
    return this.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  }

  /**
   * The line a message should point at: a mapping or list reached by its key is
   * reported at the key (`given:`), not at its first entry on the next line.
   */
  get line(): number {
    const r = this.node?.range;
    if (!r) return this.parentLine;
    if ((isMap(this.node) || isSeq(this.node)) && typeof this.path[this.path.length - 1] === 'string') return this.parentLine;
    return this.lines.linePos(r[0]).line;
  }

  fail(message: string): never {
    throw new ProblemError(message, this.file, this.line, this.key || undefined);
  }

  get exists(): boolean { return this.node !== null && !(isScalar(this.node) && this.node.value === null); }

  isMap(): boolean { return isMap(this.node); }
  isList(): boolean { return isSeq(this.node); }
  isScalar(): boolean { return isScalar(this.node); }

  /** Keys of a mapping, in file order. */
  keys(): string[] {
    if (!isMap(this.node)) this.fail('expected a mapping (key: value)');
    return this.node.items.map((it) => String(isScalar(it.key) ? it.key.value : it.key));
  }

  get(key: string): Field {
    if (!isMap(this.node)) this.fail('expected a mapping (key: value)');
    const pair = this.node.items.find((it) => isScalar(it.key) && String(it.key.value) === key);
    const keyLine = pair?.key && (pair.key as Node).range ? this.lines.linePos((pair.key as Node).range![0]).line : this.line;
    return new Field(this.file, this.lines, (pair?.value as Node | undefined) ?? null, [...this.path, key], keyLine);
  }

  required(key: string): Field {
    const f = this.get(key);
    if (!f.exists) this.fail(`missing required key '${key}'`);
    return f;
  }

  /** Reject keys that are not in the allowed list (typos must not pass silently). */
  only(allowed: readonly string[]): this {
    for (const k of this.keys()) {
      if (!allowed.includes(k)) this.get(k).fail(`unknown key '${k}' (expected one of: ${allowed.join(', ')})`);
    }
    return this;
  }

  items(): Field[] {
    if (!isSeq(this.node)) this.fail('expected a list');
    return this.node.items.map((n, i) => new Field(this.file, this.lines, n as Node, [...this.path, i], this.line));
  }

  scalarValue(): unknown {
    if (!isScalar(this.node)) this.fail('expected a single value');
    return this.node.value;
  }

  str(): string {
    const v = this.scalarValue();
    if (typeof v !== 'string') this.fail(`expected text, got ${JSON.stringify(v)}`);
    return this.printable(v);
  }

  /** Text ends up in TeX, HTML and terminals: a NUL or escape character there is never meant (issue 8). */
  private printable(v: string): string {
    // eslint-disable-next-line no-control-regex
    const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(v);
    if (bad) this.fail(`the text holds a control character (U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})`);
    return v;
  }

  /** Text, or a number written without quotes (formulas such as `o != 0` or `2`). */
  text(): string {
    const v = this.scalarValue();
    if (typeof v === 'string') return this.printable(v);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    return this.fail(`expected text, got ${JSON.stringify(v)}`);
  }

  bool(): boolean {
    const v = this.scalarValue();
    if (typeof v !== 'boolean') this.fail(`expected true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A finite number; numbers in quotes ("1/10") are accepted too. */
  rational(): Rational {
    const v = this.scalarValue();
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) this.fail(`expected a finite number, got ${v}`);
      return Rational.fromNumber(v);
    }
    if (typeof v === 'string') {
      const r = Rational.parse(v);
      if (r) return r;
    }
    return this.fail(`expected a number or a fraction such as "1/10", got ${JSON.stringify(v)}`);
  }

  number(): number { return this.rational().toNumber(); }

  int(min: number, max: number): number {
    const v = this.scalarValue();
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`expected a whole number, got ${JSON.stringify(v)}`);
    if (v < min || v > max) this.fail(`expected a whole number from ${min} to ${max}, got ${v}`);
    return v;
  }

  oneOf<T extends string>(choices: readonly T[]): T {
    const v = this.scalarValue();
    if (typeof v !== 'string' || !choices.includes(v as T)) {
      this.fail(`expected one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
    }
    return v as T;
  }

  /** An identifier `[A-Za-z][A-Za-z0-9_]*`. */
  name(): string {
    const v = this.str();
    if (!NAME_RE.test(v)) this.fail(`'${v}' is not a name (letters, digits and _, starting with a letter)`);
    return v;
  }

  /** One name or a list of names. */
  nameList(): string[] {
    return this.isList() ? this.items().map((f) => f.name()) : [this.name()];
  }
}

export const NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
