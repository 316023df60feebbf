/**
 * Independent expected values for the tests: the SymPy answers of the seed
 * exercises (the seed 000 entries of /work/shared/seed-answers.json, copied
 * unchanged into test/oracles/seed-answers.json so a clean clone's CI has
 * them; test/oracles/oracles.test.ts checks the copy against the shared file when it is
 * there) and our own oracle (test/oracles/expected.json, written by
 * test/oracles/own_problems.py). Nothing here runs gradsheet code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SeedAnswer {
  readonly id: string;
  readonly answer_labels?: readonly string[];
  readonly answer_numeric: unknown;
  readonly answer_exact_at_point?: string | readonly string[];
  readonly intermediates?: Readonly<Record<string, number>>;
  readonly symbol_values?: Readonly<Record<string, string>>;
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly seed_correct?: boolean | string;
}

/** The shared oracle, where this checkout sits beside it (absent on a clean clone). */
export const SHARED_SEED_ANSWERS = process.env.GRADSHEET_SEED_ANSWERS ?? join(REPO, '..', 'shared', 'seed-answers.json');
/** The full shared file, vendored unchanged (test/oracles/oracles.test.ts compares it byte for byte where the shared file is present). */
export const VENDORED_SEED_ANSWERS = join(REPO, 'test', 'oracles', 'seed-answers.json');

export function readSeedAnswers(file: string): SeedAnswer[] {
  return JSON.parse(readFileSync(file, 'utf8')) as SeedAnswer[];
}

export const hasSharedSeedAnswers = (): boolean => existsSync(SHARED_SEED_ANSWERS);

let seedCache: Map<string, SeedAnswer> | null = null;

export function seedAnswer(id: string): SeedAnswer {
  seedCache ??= new Map(readSeedAnswers(VENDORED_SEED_ANSWERS).map((a) => [a.id, a]));
  const a = seedCache.get(id);
  if (!a) throw new Error(`no seed answer '${id}'`);
  return a;
}

/** label -> number for an answer with `answer_labels` such as "do/dw1". */
export function seedLabelled(id: string): Map<string, number> {
  const a = seedAnswer(id);
  const values = a.answer_numeric as number[];
  return new Map(a.answer_labels!.map((l, i) => [l, values[i]!]));
}

type Nested = number | Nested[];
export interface OwnExpected {
  readonly values: Readonly<Record<string, Nested>>;
  readonly exact?: Readonly<Record<string, string | null>>;
  readonly gradients: Readonly<Record<string, Readonly<Record<string, Nested>>>>;
  readonly gradientsExact?: Readonly<Record<string, Readonly<Record<string, string | null>>>>;
  readonly updates?: Readonly<Record<string, number>>;
  readonly table?: readonly number[];
  readonly x?: readonly number[];
}

let ownCache: Record<string, unknown> | null = null;

function own(): Record<string, unknown> {
  ownCache ??= JSON.parse(readFileSync(join(REPO, 'test', 'oracles', 'expected.json'), 'utf8')) as Record<string, unknown>;
  return ownCache;
}

export function ownExpected(id: string): OwnExpected | undefined {
  return own()[id] as OwnExpected | undefined;
}

export interface ChainOracle { readonly depth: number; readonly o: number; readonly do_db1: number; readonly h50: number }

export const chainOracle = (): ChainOracle => own()['chain-50'] as ChainOracle;
