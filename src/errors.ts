/** A mistake in a user's input (problem file, answer string, command line). Never a bug of ours. */
export class ProblemError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly key?: string,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ProblemError';
  }

  /** One line: `file:line: key: message`, the parts that are known. */
  format(): string {
    const where = [this.file, this.line, this.column].filter((p) => p !== undefined).join(':');
    const key = this.key ? `${this.key}: ` : '';
    return `${where ? where + ': ' : ''}${key}${this.message}`;
  }
}

/** An input that would need more work than the documented budget allows. */
export class BudgetExceededError extends ProblemError {
  constructor(what: string, limit: number, flag: string, file?: string, line?: number, key?: string) {
    super(`BudgetExceeded: ${what} exceeds the limit of ${limit.toLocaleString('en-US')} nodes (raise it with ${flag} N)`, file, line, key);
    this.name = 'BudgetExceededError';
  }
}

/** Internal invariant: a failure here is a bug in gradsheet, not in the input. */
export function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`internal error: ${msg}`);
}

export function assertNever(x: never): never {
  throw new Error(`internal error: unexpected ${JSON.stringify(x)}`);
}
