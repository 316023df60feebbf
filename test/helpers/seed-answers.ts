// Every entry of the independent oracle (seed-answers.json), from the vendored full copy
// that test/oracles/oracles.test.ts keeps identical to ../shared/seed-answers.json.
import { VENDORED_SEED_ANSWERS, readSeedAnswers } from './oracles.js';

let cache: unknown[] | null = null;

export function seedAnswers<T = Record<string, unknown>>(): T[] {
  cache ??= readSeedAnswers(VENDORED_SEED_ANSWERS);
  return cache as T[];
}
