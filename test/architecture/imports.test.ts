/**
 * The import direction of ../shared/DESIGN.md, enforced (issue 15): the
 * folders of src/ form no cycle (type-only imports included), and a module
 * imports only from its own layer or the layers before it. Imports are read
 * with the TypeScript compiler's own scanner (ts.preProcessFile), so `import
 * type`, `export ... from` and `import('...')` all count.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LAYERS, folderOf, layerOf } from './layers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : f.endsWith('.ts') ? [p] : [];
  });
}

interface Edge { readonly from: string; readonly to: string; readonly file: string; readonly target: string }

/** Every relative import between two folders of src/, with the file that makes it. */
function folderEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of tsFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), ref.fileName).replace(/\.js$/, '.ts');
      const from = folderOf(relative(SRC, file).split(sep).join('/'));
      const to = folderOf(relative(SRC, target).split(sep).join('/'));
      if (from !== to) edges.push({ from, to, file: relative(ROOT, file), target: relative(ROOT, target) });
    }
  }
  return edges;
}

/** Strongly connected components of more than one folder (Tarjan). */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) (next.get(e.from) ?? next.set(e.from, new Set()).get(e.from)!).add(e.to);
  const index = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [], out: string[][] = [];
  let i = 0;
  const visit = (v: string): void => {
    index.set(v, i); low.set(v, i); i++; stack.push(v); on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort()) if (!index.has(v)) visit(v);
  return out;
}

describe('the import direction of DESIGN.md', () => {
  const edges = folderEdges();

  it('reads the imports of every file of src/', () => {
    expect(edges.length).toBeGreaterThan(100);
  });

  it('no cycle between folders of src/, type-only imports included', () => {
    const found = cycles(edges).map((c) => `${c.join(' <-> ')}: ${edges.filter((e) => c.includes(e.from) && c.includes(e.to)).map((e) => `${e.file} -> ${e.target}`).join('; ')}`);
    expect(found).toEqual([]);
  });

  it('every folder of src/ has its layer', () => {
    const unknown = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter((f) => layerOf(f) < 0);
    expect(unknown, `add them to test/architecture/layers.ts and DESIGN's list: ${unknown.join(', ')}`).toEqual([]);
  });

  it('a module imports only from its own layer or the layers before it', () => {
    const against = edges.filter((e) => layerOf(e.to) > layerOf(e.from)).map((e) => `${e.file} (${LAYERS[layerOf(e.from)]}) imports ${e.target} (${LAYERS[layerOf(e.to)]})`);
    expect(against).toEqual([]);
  });
});
