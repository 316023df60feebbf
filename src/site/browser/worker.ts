/** The Worker's side: each message is one engine request, answered with its id. */
import { SiteEngine } from '../engine.js';
import type { EngineEnvelope, EngineReply } from '../protocol.js';
import type { SheetTemplates } from '../../render/sheets.js';

interface WorkerScope {
  onmessage: ((ev: { data: EngineEnvelope }) => void) | null;
  postMessage(message: EngineReply): void;
}

export function startWorker(scope: WorkerScope, templates: SheetTemplates): void {
  const engine = new SiteEngine(templates, () => performance.now());
  scope.onmessage = (ev) => {
    const { id, request } = ev.data;
    scope.postMessage({ id, result: engine.handle(request) });
  };
}
