// The page's side of the Worker: answers matched to their requests by id, errors turned into sentences,
// and a worker that breaks or goes quiet never leaves the page waiting for ever.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { EngineClient } from '../../../src/ui/engine/engine-client';
import type { EngineRequest, EngineResponse } from '../../../src/ui/engine/protocol';

/** A stand-in for a Worker: records what the page posts; the test answers. */
class FakeWorker {
  posted: EngineRequest[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent<EngineResponse>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(m: EngineRequest) {
    this.posted.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  answer(m: EngineResponse) {
    this.onmessage?.({ data: m } as MessageEvent<EngineResponse>);
  }
  crash(message: string) {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

function client() {
  const worker = new FakeWorker();
  return { worker, engine: new EngineClient(worker as unknown as Worker) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('EngineClient', () => {
  test('each request gets its own id, and each answer goes to the request with that id', async () => {
    const { worker, engine } = client();
    const a = engine.ask('klist', { host: 'ws1', style: 'mit' });
    const b = engine.ask('goto', { step: 2 });
    expect(worker.posted).toEqual([
      { kind: 'klist', host: 'ws1', style: 'mit', id: 1 },
      { kind: 'goto', step: 2, id: 2 },
    ]);
    worker.answer({ id: 2, ok: false, error: 'there is no step 2' });
    worker.answer({ id: 1, ok: true, result: { host: 'ws1', style: 'mit', text: 'Ticket cache' } });
    await expect(a).resolves.toEqual({ host: 'ws1', style: 'mit', text: 'Ticket cache' });
    await expect(b).rejects.toThrow('there is no step 2');
    // an answer nobody waits for is ignored
    worker.answer({ id: 9, ok: true, result: { host: 'x', style: 'mit', text: '' } });
  });

  test('a worker that fails rejects what is waiting and every later request, with the reason', async () => {
    const { worker, engine } = client();
    const waiting = engine.ask('summary', {});
    worker.crash('SyntaxError in worker.js');
    await expect(waiting).rejects.toThrow(/the engine's worker stopped: SyntaxError in worker.js/);
    await expect(engine.ask('summary', {})).rejects.toThrow(/worker stopped/);
    expect(worker.posted).toHaveLength(1);
  });

  test('a worker that never answers: the request fails after the timeout', async () => {
    vi.useFakeTimers();
    const { engine } = client();
    const waiting = engine.ask('detail', { seq: 3 });
    vi.advanceTimersByTime(60_001);
    await expect(waiting).rejects.toThrow(/did not answer "detail" within 60 s/);
  });

  test('terminating stops the worker and rejects what is waiting', async () => {
    const { worker, engine } = client();
    const waiting = engine.ask('summary', {});
    engine.terminate();
    expect(worker.terminated).toBe(true);
    await expect(waiting).rejects.toThrow(/stopped/);
  });
});
