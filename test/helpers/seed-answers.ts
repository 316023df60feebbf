// The independent oracle: /work/shared/seed-answers.json beside the checkout when present (CI),
// else the vendored copy test/oracles/seed-answers.json (a test checks the two are identical).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_SEED_ANSWERS = join(ROOT, '..', 'shared', 'seed-answers.json');
export const VENDORED_SEED_ANSWERS = join(ROOT, 'test', 'oracles', 'seed-answers.json');

let cache: unknown[] | null = null;

/** Every entry of seed-answers.json, parsed once. */
export function seedAnswers<T = Record<string, unknown>>(): T[] {
  cache ??= JSON.parse(readFileSync(existsSync(SHARED_SEED_ANSWERS) ? SHARED_SEED_ANSWERS : VENDORED_SEED_ANSWERS, 'utf8')) as unknown[];
  return cache as T[];
}
