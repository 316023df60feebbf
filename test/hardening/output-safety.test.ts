/**
 * Issue 8, item 4: output safety. An id cannot leave out/; every file of ours is written to a
 * temporary name and renamed; a build killed mid-run (SIGINT, SIGKILL) leaves every earlier
 * sheet byte-identical or replaced whole; two builds into one folder at once leave each file
 * equal to one of the two runs' versions.
 *
 * Set A is the shipped problems; set B is the same problems with another title, so every
 * sheet of B differs from A's and a half-written or mixed file cannot pass for either.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO } from '../helpers/oracles.js';
import { parseProblem } from '../../src/problem/load.js';
import { ProblemError } from '../../src/errors.js';

const BIN = join(REPO, 'bin', 'gradsheet.js');
const work = mkdtempSync(join(tmpdir(), 'gradsheet-outsafe-'));
const setA = join(REPO, 'problems');
const setB = join(work, 'problems-b');
const FORMATS = 'tex,html';
/** temporary names of writeAtomic and copyKatexAssets: never a final name */
const TMP = /\.tmp-\d+(-\d+)?$/;

type Tree = Map<string, Buffer>;
function snapshot(dir: string): Tree {
  const out: Tree = new Map();
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function buildSync(problems: string, out: string): void {
  const r = spawnSync(process.execPath, [BIN, 'build', problems, '--out', out, '--format', FORMATS], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

/** Start a build, send `signal` when `when` says so, and wait for the process to end. */
function buildAndKill(out: string, signal: NodeJS.Signals, when: 'first-output' | 'before-output'): Promise<{ code: number | null; signal: NodeJS.Signals | null; sawOutput: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'build', setB, '--out', out, '--format', FORMATS], { cwd: REPO });
    let sawOutput = false;
    child.stdout.on('data', () => {
      // the first "id: files -> dir" line: the build is writing its sheets right now
      if (!sawOutput && when === 'first-output') child.kill(signal);
      sawOutput = true;
    });
    // solving every problem takes a second or more on this machine; 300 ms is inside it
    if (when === 'before-output') setTimeout(() => child.kill(signal), 300);
    child.on('exit', (code, sig) => resolve({ code, signal: sig, sawOutput }));
  });
}

let A: Tree = new Map();
let B: Tree = new Map();

beforeAll(() => {
  mkdirSync(setB);
  for (const f of readdirSync(setA).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(join(setA, f), 'utf8');
    // another title: every sheet prints it (quoted titles get the mark inside their quotes)
    writeFileSync(join(setB, f), text.replace(/^title: (["']?)/m, 'title: $1B - '));
  }
  buildSync(setA, join(work, 'ref-a'));
  buildSync(setB, join(work, 'ref-b'));
  A = snapshot(join(work, 'ref-a'));
  B = snapshot(join(work, 'ref-b'));
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every final file is A's or B's version of itself, whole; temporary names aside; nothing of A lost. */
function expectWholeFiles(tree: Tree): { fromB: number; temps: number } {
  let fromB = 0, temps = 0;
  for (const [name, data] of tree) {
    if (TMP.test(name)) { temps++; continue; }
    const a = A.get(name), b = B.get(name);
    expect(a !== undefined || b !== undefined, `${name} is neither run's file`).toBe(true);
    const ok = (a !== undefined && data.equals(a)) || (b !== undefined && data.equals(b));
    expect(ok, `${name} is neither A's nor B's version (${data.length} bytes)`).toBe(true);
    if (b !== undefined && !(a !== undefined && data.equals(a))) fromB++;
  }
  for (const name of A.keys()) expect(tree.has(name), `${name} disappeared`).toBe(true);
  return { fromB, temps };
}

describe('output safety', () => {
  test('the two problem sets differ in every sheet (so the checks below can tell them apart)', () => {
    expect(A.size).toBeGreaterThan(50);
    expect([...A.keys()].sort()).toEqual([...B.keys()].sort());
    const sheets = [...A.keys()].filter((k) => /solution\.(tex|html)$/.test(k));
    for (const k of sheets) expect(A.get(k)!.equals(B.get(k)!), k).toBe(false);
  });

  test('an id cannot escape out/: ../x and absolute paths are refused', () => {
    for (const id of ['../x', '../../etc', '/tmp/x', 'a/b', '..', 'x\\y', 'A']) {
      const text = `id: ${JSON.stringify(id)}\ntitle: t\nnetwork: {kind: equations, equations: {o: "w*x"}}\ngiven: {w: 1, x: 1}\nask: [{forward: [o]}]\n`;
      expect(() => parseProblem(text, 'id.yaml'), id).toThrow(ProblemError);
      try { parseProblem(text, 'id.yaml'); } catch (e) { expect((e as ProblemError).key).toBe('id'); }
    }
  });

  test('no file is written in place: writeFileSync only in write.ts, pdf.ts (its private temp folder) and the variants stage', () => {
    const hits = spawnSync('grep', ['-rlE', 'writeFileSync|appendFileSync|createWriteStream|copyFileSync|cpSync', join(REPO, 'src')], { encoding: 'utf8' }).stdout
      .split('\n').filter(Boolean).map((p) => relative(REPO, p)).sort();
    // pdf.ts writes sheet.tex into mkdtemp and reads the PDF back; variants/output/write.ts writes a stage folder, then renames
    expect(hits).toEqual(['src/render/pdf.ts', 'src/render/write.ts', 'src/variants/output/write.ts']);
  });

  for (const [signal, when] of [['SIGKILL', 'before-output'], ['SIGINT', 'first-output'], ['SIGKILL', 'first-output']] as const) {
    test(`a build killed by ${signal} ${when === 'before-output' ? 'while solving' : 'while writing'} leaves the previous sheets whole`, async () => {
      const out = join(work, `kill-${signal}-${when}`);
      cpSync(join(work, 'ref-a'), out, { recursive: true });
      const r = await buildAndKill(out, signal, when);
      expect(r.signal ?? r.code, 'the build was killed, not finished').toBe(signal);
      const { fromB, temps } = expectWholeFiles(snapshot(out));
      const differing = [...A.keys()].filter((k) => !A.get(k)!.equals(B.get(k)!)).length;
      console.log(`kill ${signal} ${when}: ${fromB} of ${differing} files already B's, ${temps} temporary files left`);
      if (when === 'first-output') expect(fromB).toBeGreaterThan(0); // it was killed after it began writing
      if (when === 'before-output') {
        expect(r.sawOutput).toBe(false);
        expect(fromB).toBe(0); // everything is solved before anything is written
        expect(temps).toBe(0);
      }
    }, 60_000);
  }

  test('two builds into one folder at once: every file is one run\'s version, whole', async () => {
    const out = join(work, 'concurrent');
    const run = (problems: string): Promise<number | null> => new Promise((resolve) => {
      spawn(process.execPath, [BIN, 'build', problems, '--out', out, '--format', FORMATS], { cwd: REPO, stdio: 'ignore' }).on('exit', resolve);
    });
    const codes = await Promise.all([run(setA), run(setB)]);
    expect(codes).toEqual([0, 0]);
    const tree = snapshot(out);
    const { temps } = expectWholeFiles(tree);
    expect(temps).toBe(0); // both finished: no temporary file is left
    expect([...tree.keys()].sort()).toEqual([...A.keys()].sort());
  }, 120_000);
});
