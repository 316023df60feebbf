// `gradsheet site` on bad input: exit 2 with file:line: key, and nothing written (every file is read,
// validated and solved before the site is bundled or any file is written).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { REPO } from '../helpers/oracles.js';

const dir = mkdtempSync(join(tmpdir(), 'gradsheet-site-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => { stderr += s; return true; }) as typeof process.stderr.write;
  try {
    return { status: await main(args), stderr };
  } finally {
    process.stderr.write = write;
  }
}

describe('gradsheet site on bad input', () => {
  const good = readFileSync(join(REPO, 'problems', 'own-logistic-neuron.yaml'), 'utf8');

  it('stops at a bad problem file with its line and key, before writing anything', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, good.replace(/^ {2}w1: 0\.3$/m, '  w1: abc'));
    const out = join(dir, 'site-bad');
    const r = await run(['site', join(REPO, 'problems', 'own-relu-regression.yaml'), bad, '--out', out]);
    const line = good.split('\n').indexOf('  w1: 0.3') + 1;
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^gradsheet: .*bad\\.yaml:${line}: given\\.w1: `));
    expect(existsSync(out)).toBe(false);
  });

  it('refuses two files with one id, and a missing file', async () => {
    const twin = join(dir, 'twin.yaml');
    writeFileSync(twin, good);
    const out = join(dir, 'site-twin');
    const r = await run(['site', join(REPO, 'problems', 'own-logistic-neuron.yaml'), twin, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("id 'own-logistic-neuron' is also used by");
    expect((await run(['site', join(dir, 'missing.yaml'), '--out', out])).status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
