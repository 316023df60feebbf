/** The machine and the versions a benchmark ran with. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Machine {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly python: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly load: readonly number[];
  /** the checkout measured: HEAD and whether the working tree had uncommitted changes */
  readonly commit: string;
}

const pkgVersion = (name: string): string => {
  try {
    return (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
};

export function machine(): Machine {
  const info = (() => { try { return readFileSync('/proc/cpuinfo', 'utf8'); } catch { return ''; } })();
  const model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let python = 'missing', sympy = 'missing';
  try {
    [python, sympy] = execFileSync('python3', ['-c', 'import sys, sympy; print(sys.version.split()[0], sympy.__version__)'], { encoding: 'utf8' }).trim().split(' ') as [string, string];
  } catch { /* reported as missing */ }
  return {
    date: new Date().toISOString(), cpu: model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30 * 10) / 10,
    node: process.version, python, versions: { sympy, mathjs: pkgVersion('mathjs'), nerdamer: pkgVersion('nerdamer'), typescript: pkgVersion('typescript'), tsx: pkgVersion('tsx') },
    load: loadavg().map((x) => Math.round(x * 100) / 100),
    commit: commit(),
  };
}

function commit(): string {
  try {
    const opts = { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' } as const;
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}
