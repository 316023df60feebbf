/**
 * One worker run in a child process with a time limit. The limit counts from
 * the moment the worker says it starts the timed work (a READY line on
 * stderr), so module loading (tsx, mathjs, SymPy's import) is not charged to
 * the cell; a worker that never gets ready is killed after the limit too.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { READY, type Tool, type WorkerJob, type WorkerResult } from './peers/protocol.js';
const HERE = import.meta.dirname;

export type RunOutcome = WorkerResult | { readonly ok: false; readonly timeout: true; readonly error: string };

/** The command line of a tool's worker. */
function command(tool: Tool): [string, string[]] {
  switch (tool) {
    case 'gradsheet':
    case 'gradsheet+check': return [process.execPath, ['--import', 'tsx', join(HERE, 'peers', 'gradsheet-worker.ts')]];
    case 'mathjs':
    case 'mathjs+simplify': return [process.execPath, ['--import', 'tsx', join(HERE, 'peers', 'mathjs-worker.ts')]];
    case 'nerdamer': return [process.execPath, ['--import', 'tsx', join(HERE, 'peers', 'nerdamer-worker.ts')]];
    case 'sympy': return ['python3', [join(HERE, 'peers', 'sympy_worker.py')]];
  }
}

export function runInChild(job: WorkerJob, limitMs: number): Promise<RunOutcome> {
  const [cmd, args] = command(job.tool);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false;
    const kill = () => { timedOut = true; child.kill('SIGKILL'); };
    // Until READY: the same limit for loading, generous enough for tsx + mathjs on a loaded machine.
    let timer = setTimeout(kill, limitMs);
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => {
      const before = stderr.includes(READY);
      stderr += d.toString();
      if (!before && stderr.includes(READY)) { clearTimeout(timer); timer = setTimeout(kill, limitMs); }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ ok: false, timeout: true, error: `> ${Math.round(limitMs / 1000)} s` });
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as WorkerResult);
      } catch {
        const msg = stderr.replace(READY, '').trim().split('\n').filter(Boolean).pop() ?? `exit code ${code}`;
        resolve({ ok: false, error: msg.slice(0, 200) });
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}
