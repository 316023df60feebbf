/**
 * The page's side of the engine: one Worker at a time, requests answered in
 * order, each with a time cap. A request that runs past the cap ends the
 * worker (a stuck derivation cannot be interrupted any other way) and a
 * fresh one takes the next request. A request superseded before it started
 * (an author still typing) is dropped.
 */
import type { EngineReply, EngineRequest, EngineResult } from '../protocol.js';

/** The part of a Worker the client uses, so tests can stand in for one. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: { message?: string; preventDefault?: () => void }) => void) | null;
}

export type ClientResult = EngineResult | { readonly kind: 'superseded' } | { readonly kind: 'timeout'; readonly capMs: number };

interface Pending {
  readonly request: EngineRequest;
  readonly supersede: string | undefined;
  readonly resolve: (r: ClientResult) => void;
}

export interface Timers {
  set(f: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = { set: (f, ms) => setTimeout(f, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

export class EngineClient {
  private worker: WorkerLike | null = null;
  private readonly queue: Pending[] = [];
  private running: { id: number; pending: Pending; timer: unknown } | null = null;
  private nextId = 1;
  /** workers started so far (a test reads it to see a capped request replaced the worker) */
  started = 0;

  constructor(private readonly spawn: () => WorkerLike, readonly capMs: number, private readonly timers: Timers = realTimers) {}

  /**
   * Ask the engine. With `supersede`, a queued request with the same key that has not started
   * is answered `superseded` and replaced by this one.
   */
  request(request: EngineRequest, supersede?: string): Promise<ClientResult> {
    return new Promise((resolve) => {
      if (supersede !== undefined) {
        const i = this.queue.findIndex((p) => p.supersede === supersede);
        if (i >= 0) this.queue.splice(i, 1)[0]!.resolve({ kind: 'superseded' });
      }
      this.queue.push({ request, supersede, resolve });
      this.pump();
    });
  }

  /** Start the worker now (it compiles the engine), before the first request needs it. */
  warm(): void {
    this.ensureWorker();
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.spawn();
    this.started++;
    w.onmessage = (ev) => this.reply(ev.data as EngineReply);
    w.onerror = (ev) => {
      ev.preventDefault?.();
      this.finish({ kind: 'failed', message: `the engine stopped: ${ev.message ?? 'unknown error'}` }, true);
    };
    this.worker = w;
    return w;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const pending = this.queue.shift()!;
    const id = this.nextId++;
    const timer = this.timers.set(() => this.finish({ kind: 'timeout', capMs: this.capMs }, true), this.capMs);
    this.running = { id, pending, timer };
    this.ensureWorker().postMessage({ id, request: pending.request });
  }

  private reply(r: EngineReply): void {
    if (this.running && r.id === this.running.id) this.finish(r.result, false);
  }

  /** Answer the running request; `restart` ends the worker so the next request gets a fresh one. */
  private finish(result: ClientResult, restart: boolean): void {
    const run = this.running;
    if (!run) return;
    this.timers.clear(run.timer);
    this.running = null;
    if (restart && this.worker) {
      this.worker.onmessage = null;
      this.worker.onerror = null;
      this.worker.terminate();
      this.worker = null;
    }
    run.pending.resolve(result);
    this.pump();
  }
}
