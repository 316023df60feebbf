/**
 * The page's side of the site's one script (see bundle.ts). The script first
 * defines `gradsheetEngine`, the engine's whole source as a string, then runs
 * this: it starts a Worker from that string through a Blob URL (Chromium
 * refuses module scripts and worker files under file://, and a Blob needs no
 * request) and wires the page's controls. The page itself compiles only this
 * small part; the engine is compiled once, in the Worker.
 */
import { DATA_ID, ENGINE_SOURCE, type PageData } from '../page-data.js';
import { EngineClient, type WorkerLike } from './client.js';
import { startPlayground } from './playground.js';
import { startProblemPage } from './problem-page.js';

export function startPage(): void {
  if (typeof document === 'undefined') return; // loaded outside a page (the tests read the engine's source)
  performance.mark('gradsheet:script');
  // The script runs from the head: start the engine now, and the page's controls once they are parsed.
  const block = document.getElementById(DATA_ID);
  if (!block?.textContent) return; // the index page has no engine
  const data = JSON.parse(block.textContent) as PageData;
  const client = new EngineClient(spawnWorker, data.capMs);
  client.warm();
  if (data.page === 'problem') {
    const d = data.derivatives[0];
    if (d?.wrt[0]) void client.request({ kind: 'prepare', problem: data.problem, of: d.of, wrt: d.wrt[0] }, 'prepare');
  }
  const run = () => {
    switch (data.page) {
      case 'problem':
        startProblemPage(client, data.problem, data.derivatives, data.solutionHtml);
        return;
      case 'playground':
        startPlayground(client, data.problems);
        return;
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
}

/** A Worker running the engine's source through a Blob URL. */
function spawnWorker(): WorkerLike {
  const source = (globalThis as unknown as Record<string, unknown>)[ENGINE_SOURCE];
  if (typeof source !== 'string') throw new Error(`internal error: ${ENGINE_SOURCE} is not defined`);
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: 'gradsheet-engine' });
  // the worker has read its script once it answers; the URL is not needed after the start
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return worker as unknown as WorkerLike;
}
