/**
 * A kind lives in one folder (issue 15): no file of src/ outside
 * networks/<kind>/ and networks/registry.ts names a kind as a string literal
 * or imports from its folder. A YAML key that happens to share a kind's name
 * (`field.get('equations')`, the key of 2.7) is a key, not the kind.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { kindNames } from '../../src/networks/registry.js';

const SRC = resolve(import.meta.dirname, '../../src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : f.endsWith('.ts') ? [p] : [];
  });
}

describe('every kind is one folder and one registry line', () => {
  const kinds = kindNames();
  const outside = tsFiles(SRC).map((f) => relative(SRC, f).split('\\').join('/')).filter((f) => !kinds.some((k) => f.startsWith(`networks/${k}/`)) && f !== 'networks/registry.ts');

  it('the registry lists the kinds of the contract', () => {
    expect(kinds).toEqual(expect.arrayContaining(['equations', 'chain', 'mlp', 'rnn', 'layers']));
  });

  it('no kind name as a string literal outside its folder', () => {
    const found: string[] = [];
    for (const file of outside) {
      const source = ts.createSourceFile(file, readFileSync(join(SRC, file), 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && kinds.includes(node.text)) {
          const call = node.parent;
          const isKey = ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && ['get', 'required'].includes(call.expression.name.text);
          if (!isKey && !ts.isImportDeclaration(call)) found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: '${node.text}'`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });

  it('no import from a kind folder outside it and the registry', () => {
    const found: string[] = [];
    for (const file of outside) {
      for (const ref of ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true).importedFiles) {
        const target = relative(SRC, resolve(join(SRC, file, '..'), ref.fileName)).split('\\').join('/');
        if (kinds.some((k) => target.startsWith(`networks/${k}/`))) found.push(`${file} imports ${target}`);
      }
    }
    expect(found).toEqual([]);
  });
});
