/** A tiny, strict option parser: unknown flags are input errors, never ignored. */
import { ProblemError } from '../errors.js';
import { setNodeBudget } from '../expr/graph.js';
import { forceScalarLevel } from '../networks/core/scalar-level-limit.js';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** `spec` maps each allowed flag to whether it takes a value. */
export function parseArgs(args: readonly string[], spec: Readonly<Record<string, boolean>>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-' || !a.startsWith('-')) { positional.push(a); continue; }
    const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const key = name!.replace(/^--?/, '');
    if (!(key in spec)) throw new ProblemError(`unknown option '${name}' (see --help)`);
    if (spec[key]) {
      const v = inline ?? args[++i];
      if (v === undefined) throw new ProblemError(`option '${name}' needs a value`);
      flags.set(key, v);
    } else flags.set(key, true);
  }
  return { positional, flags };
}

export function flagString(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagInt(p: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = flagString(p, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new ProblemError(`--${name} takes a whole number from ${min} to ${max}, got '${v}'`);
  return Number(v);
}

/** Flags every command that builds a graph accepts. */
export const BUDGET_FLAGS = { 'max-nodes': true, 'scalar-check': false } as const;

/**
 * --max-nodes N raises (or lowers) the node budget of the scalar graph;
 * --scalar-check runs a tensor network's scalar level (per-entry closed forms
 * and checks) past its default limit of 20,000 nodes, up to that budget.
 */
export function applyBudgetFlags(p: ParsedArgs): void {
  const n = flagInt(p, 'max-nodes', 1, 50_000_000);
  if (n !== undefined) setNodeBudget(n);
  forceScalarLevel(p.flags.has('scalar-check'));
}

export { parseOutputFormats, type OutputFormats } from '../input/formats.js';
