/**
 * The page's side of the engine: starts the Worker and turns each request into a promise of its typed
 * answer. A worker that fails to start, throws, or goes quiet rejects every waiting request with a
 * sentence the page can show.
 */
import type { EngineRequest, EngineResponse, EngineResults } from './protocol';

type Kind = EngineRequest['kind'];
type Body<K extends Kind> = Omit<Extract<EngineRequest, { kind: K }>, 'id'>;

interface Waiting {
  resolve(value: unknown): void;
  reject(reason: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Building the world derives keys (PBKDF2) and runs the whole story: allow it time on a slow machine. */
const ANSWER_TIMEOUT_MS = 60_000;

export class EngineClient {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #next = 1;
  #broken: string | undefined;

  constructor(worker?: Worker) {
    this.#worker = worker ?? new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.#worker.onmessage = (ev: MessageEvent<EngineResponse>) => this.#answer(ev.data);
    this.#worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.#fail(`the engine's worker stopped: ${ev.message || 'it could not be loaded'}`);
    };
    this.#worker.onmessageerror = () => this.#fail('the engine sent a message the page could not read');
  }

  ask<K extends Kind>(kind: K, body: Omit<Body<K>, 'kind'>): Promise<EngineResults[K]> {
    if (this.#broken) return Promise.reject(new Error(this.#broken));
    const id = this.#next++;
    return new Promise<EngineResults[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`the engine did not answer "${kind}" within ${ANSWER_TIMEOUT_MS / 1000} s`));
      }, ANSWER_TIMEOUT_MS);
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.#worker.postMessage({ ...body, kind, id } as EngineRequest);
    });
  }

  terminate(): void {
    this.#fail('the engine was stopped');
    this.#worker.terminate();
  }

  #answer(msg: EngineResponse): void {
    const w = this.#waiting.get(msg.id);
    if (!w) return;
    this.#waiting.delete(msg.id);
    clearTimeout(w.timer);
    if (msg.ok) w.resolve(msg.result);
    else w.reject(new Error(msg.error));
  }

  #fail(reason: string): void {
    this.#broken ??= reason;
    for (const [id, w] of this.#waiting) {
      clearTimeout(w.timer);
      w.reject(new Error(reason));
      this.#waiting.delete(id);
    }
  }
}
