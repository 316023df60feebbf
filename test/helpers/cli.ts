/** Running the command line as a user does: `node bin/gradsheet.js ...` in a child process. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './oracles.js';

export interface CliResult { readonly status: number | null; readonly stdout: string; readonly stderr: string }

const BIN = join(REPO, 'bin', 'gradsheet.js');

export function runCli(args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runCliAsync(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Many CLI runs, `parallel` at a time (the test machine has 2 cores shared with others). */
export async function runCliMany(runs: ReadonlyArray<readonly string[]>, parallel = 2): Promise<CliResult[]> {
  const out: CliResult[] = new Array(runs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < runs.length) {
      const i = next++;
      out[i] = await runCliAsync(runs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, runs.length) }, worker));
  return out;
}
