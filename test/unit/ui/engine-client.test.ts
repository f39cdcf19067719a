// The page's side of the Worker: answers matched to their requests by id, errors turned into sentences,
// and a worker that breaks or goes quiet never leaves the page waiting for ever.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { EngineClient, startEngineEarly } from '../../../src/ui/engine/engine-client';
import type {
  DerivationPlan,
  DerivationProgress,
  EngineControl,
  EngineRequest,
  EngineResponse,
} from '../../../src/ui/engine/protocol';

/** A stand-in for a Worker: records what the page posts; the test answers. */
class FakeWorker {
  posted: (EngineRequest | EngineControl)[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent<EngineResponse>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(m: EngineRequest | EngineControl) {
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

const PLAN: DerivationPlan = {
  keys: [
    {
      principal: 'alice@CORP.CONTOSO.COM',
      field: 'kdc.realms[0].principals[0].iterations',
      etype: 'aes256-cts-hmac-sha1-96 (18)',
      iterations: 300000,
      who: 'the KDC of CORP.CONTOSO.COM',
    },
  ],
  estimateMs: 4000,
};
const progress = (fraction: number): DerivationProgress => ({
  key: 0,
  keys: 1,
  current: PLAN.keys[0]!,
  fraction,
  elapsedMs: 1000,
});
const LOADED = { ok: false as const, problem: { field: 'f', reason: 'r' } };

describe('EngineClient: a load that needs costly keys', () => {
  test('without a handler the page says no: nothing costly starts unasked', async () => {
    const { worker, engine } = client();
    const load = engine.ask('load', { source: { kind: 'json', text: '{}' } });
    worker.answer({ id: 1, kind: 'confirm', plan: PLAN });
    await vi.waitFor(() => expect(worker.posted.at(-1)).toEqual({ kind: 'derive', id: 1, go: false }));
    worker.answer({ id: 1, ok: true, result: LOADED });
    await expect(load).resolves.toEqual(LOADED);
  });

  test('the handler is asked, its answer goes to the worker; progress reaches it; finished at the answer', async () => {
    const { worker, engine } = client();
    const events: string[] = [];
    engine.derivations = {
      confirm: async (id, plan) => {
        events.push(`confirm ${id} ${plan.keys[0]!.iterations}`);
        return true;
      },
      progress: (id, p) => events.push(`progress ${id} ${p.fraction}`),
      finished: (id) => events.push(`finished ${id}`),
    };
    const load = engine.ask('load', { source: { kind: 'json', text: '{}' } });
    worker.answer({ id: 1, kind: 'confirm', plan: PLAN });
    await vi.waitFor(() => expect(worker.posted.at(-1)).toEqual({ kind: 'derive', id: 1, go: true }));
    worker.answer({ id: 1, kind: 'progress', progress: progress(0.5) });
    engine.cancel(1);
    expect(worker.posted.at(-1)).toEqual({ kind: 'cancel', id: 1 });
    worker.answer({ id: 1, ok: true, result: LOADED });
    await expect(load).resolves.toEqual(LOADED);
    expect(events).toEqual(['confirm 1 300000', 'progress 1 0.5', 'finished 1']);
    engine.cancel(1); // answered: nothing more to stop
    expect(worker.posted.filter((m) => m.kind === 'cancel')).toHaveLength(1);
  });

  test('no timeout while the user decides; afterwards it counts from the last progress', async () => {
    vi.useFakeTimers();
    const { worker, engine } = client();
    let answer!: (go: boolean) => void;
    engine.derivations = {
      confirm: () => new Promise<boolean>((resolve) => (answer = resolve)),
      progress: () => {},
      finished: () => {},
    };
    const load = engine.ask('load', { source: { kind: 'json', text: '{}' } });
    let settled = false;
    void load.then(
      () => (settled = true),
      () => (settled = true),
    );
    worker.answer({ id: 1, kind: 'confirm', plan: PLAN });
    await vi.advanceTimersByTimeAsync(10 * 60_000); // ten minutes to think
    expect(settled).toBe(false);
    answer(true);
    await vi.advanceTimersByTimeAsync(50_000);
    worker.answer({ id: 1, kind: 'progress', progress: progress(0.1) });
    await vi.advanceTimersByTimeAsync(50_000);
    worker.answer({ id: 1, kind: 'progress', progress: progress(0.2) });
    await vi.advanceTimersByTimeAsync(50_000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(10_001);
    await expect(load).rejects.toThrow(/did not answer "load" within 60 s/);
  });
});

describe('the worker started before the page mounts', () => {
  test('the first client takes it, a second starts its own; a load failure meanwhile is reported', async () => {
    const made: FakeWorker[] = [];
    const make = () => {
      const w = new FakeWorker();
      made.push(w);
      return w as unknown as Worker;
    };
    // a worker that cannot be made: nothing thrown before the page mounts, and the next start still works
    expect(() =>
      startEngineEarly(() => {
        throw new Error('Worker is not defined');
      }),
    ).not.toThrow();
    startEngineEarly(make);
    startEngineEarly(make); // once only
    expect(made).toHaveLength(1);
    const first = new EngineClient();
    const asked = first.ask('catalogue', {});
    expect(made[0]!.posted.map((m) => m.kind)).toEqual(['catalogue']);
    made[0]!.answer({ id: (made[0]!.posted[0] as EngineRequest).id, ok: true, result: [] } as EngineResponse);
    await expect(asked).resolves.toEqual([]);
    first.terminate();

    startEngineEarly(make);
    made[1]!.onerror?.({ message: 'SyntaxError in worker.js', preventDefault() {} } as ErrorEvent);
    const second = new EngineClient();
    await expect(second.ask('catalogue', {})).rejects.toThrow(
      "the engine's worker stopped: SyntaxError in worker.js",
    );
    second.terminate();
  });
});
