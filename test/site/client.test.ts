// The page's engine client: requests answered in order, a request past the time cap ends its Worker
// (a fresh one takes the next request), a crashed Worker is replaced, superseded requests are dropped.
import { describe, expect, it } from 'vitest';
import { EngineClient, type Timers, type WorkerLike } from '../../src/site/browser/client.js';
import type { EngineEnvelope, EngineRequest } from '../../src/site/protocol.js';

/** A stand-in Worker: answers each message by `answer` (or never, for null), on demand. */
class FakeWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  terminated = false;
  readonly inbox: EngineEnvelope[] = [];
  postMessage(m: unknown): void { this.inbox.push(m as EngineEnvelope); }
  terminate(): void { this.terminated = true; }
  answer(i = 0): void {
    const m = this.inbox[i]!;
    this.onmessage?.({ data: { id: m.id, result: { kind: 'prepared' } } });
  }
}

/** Timers driven by the test: `fire()` runs every pending timer as if its time had come. */
class ManualTimers implements Timers {
  private next = 1;
  readonly pending = new Map<number, { f: () => void; ms: number }>();
  set(f: () => void, ms: number): unknown { const h = this.next++; this.pending.set(h, { f, ms }); return h; }
  clear(h: unknown): void { this.pending.delete(h as number); }
  fire(): void { for (const [h, t] of [...this.pending]) { this.pending.delete(h); t.f(); } }
}

const prepare: EngineRequest = { kind: 'prepare', problem: { file: 'p.yaml', text: '' }, of: 'o', wrt: 'w' };

function setup() {
  const workers: FakeWorker[] = [];
  const timers = new ManualTimers();
  const client = new EngineClient(() => { const w = new FakeWorker(); workers.push(w); return w; }, 10_000, timers);
  return { workers, timers, client };
}

describe('EngineClient', () => {
  it('answers requests one at a time, in order, from one worker', async () => {
    const { workers, client } = setup();
    const a = client.request(prepare), b = client.request(prepare);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.inbox).toHaveLength(1); // b waits until a is answered
    workers[0]!.answer(0);
    await expect(a).resolves.toEqual({ kind: 'prepared' });
    expect(workers[0]!.inbox).toHaveLength(2);
    workers[0]!.answer(1);
    await expect(b).resolves.toEqual({ kind: 'prepared' });
  });

  it('ends a worker that runs past the time cap and starts a fresh one for the next request', async () => {
    const { workers, timers, client } = setup();
    const stuck = client.request(prepare);
    const next = client.request(prepare);
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([10_000]);
    timers.fire();
    await expect(stuck).resolves.toEqual({ kind: 'timeout', capMs: 10_000 });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(client.started).toBe(2);
    workers[1]!.answer(0);
    await expect(next).resolves.toEqual({ kind: 'prepared' });
    // a late answer from the ended worker changes nothing
    workers[0]!.answer(0);
    expect(timers.pending.size).toBe(0);
  });

  it('replaces a worker that fails, answering its request with the error', async () => {
    const { workers, client } = setup();
    const r = client.request(prepare);
    workers[0]!.onerror?.({ message: 'out of memory' });
    await expect(r).resolves.toEqual({ kind: 'failed', message: 'the engine stopped: out of memory' });
    expect(workers[0]!.terminated).toBe(true);
    void client.request(prepare);
    expect(workers).toHaveLength(2);
  });

  it('drops a queued request superseded by a newer one with the same key', async () => {
    const { workers, client } = setup();
    const first = client.request(prepare, 'sheet');
    const second = client.request(prepare, 'sheet');
    const third = client.request(prepare, 'sheet');
    await expect(second).resolves.toEqual({ kind: 'superseded' });
    workers[0]!.answer(0);
    await expect(first).resolves.toEqual({ kind: 'prepared' });
    workers[0]!.answer(1);
    await expect(third).resolves.toEqual({ kind: 'prepared' });
  });
});
