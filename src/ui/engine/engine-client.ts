/**
 * The page's side of the engine: starts the Worker and turns each request into a promise of its typed
 * answer. A worker that fails to start, throws, or goes quiet rejects every waiting request with a
 * sentence the page can show.
 *
 * A `load` that needs costly keys (over 2^18 PBKDF2 iterations) is not answered at once: the worker asks
 * first ('confirm'), and the client hands the question to the page's `derivations` handler (the dialog);
 * no handler means no. While the keys are derived, each 'progress' goes to the handler and keeps the
 * request alive: the timeout counts from the last sign of life, never while the user is deciding.
 */
import type {
  CaptureProgress,
  DerivationPlan,
  DerivationProgress,
  EngineControl,
  EngineRequest,
  EngineResponse,
  EngineResults,
} from './protocol';

type Kind = EngineRequest['kind'];
type Body<K extends Kind> = Omit<Extract<EngineRequest, { kind: K }>, 'id'>;

interface Waiting {
  kind: Kind;
  resolve(value: unknown): void;
  reject(reason: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** What the page does about costly keys: asks the user, shows the progress, and hears when it is over. */
export interface DerivationHandler {
  /** Whether to derive them; `id` is the load's, for cancel(id). */
  confirm(id: number, plan: DerivationPlan): Promise<boolean>;
  progress(id: number, progress: DerivationProgress): void;
  /** The load was answered (derived, declined, stopped, or failed). */
  finished(id: number): void;
}

/** Building the world derives keys (PBKDF2) and runs the whole story: allow it time on a slow machine. */
const ANSWER_TIMEOUT_MS = 60_000;

/** The engine's worker, started by main.ts before the page mounts, and whether it failed to load meanwhile. */
let early: { worker: Worker; failed?: string } | undefined;

const engineWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

/**
 * Starts the engine's worker at once, so that it loads its script while the page mounts (main.ts, for a
 * page that plays); the first EngineClient made without a worker of its own takes it. A failure to load
 * before then is kept and reported by that client; a worker that cannot be made at all is left to the
 * page's own start, which shows why instead of leaving the page blank.
 */
export function startEngineEarly(make: () => Worker = engineWorker): void {
  if (early) return;
  let worker: Worker;
  try {
    worker = make();
  } catch {
    // no worker here (an old browser, a policy): the page's own start tries again and says why
    return;
  }
  // for npm run bench -- ui, beside the worker's own marks
  performance.mark('engine:worker made');
  const slot: { worker: Worker; failed?: string } = { worker };
  slot.worker.onerror = (ev: ErrorEvent) => {
    ev.preventDefault();
    slot.failed = ev.message || 'it could not be loaded';
  };
  early = slot;
}

export class EngineClient {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #next = 1;
  #broken: string | undefined;
  /** Set by the page's dialog; without one, costly keys are declined. */
  derivations: DerivationHandler | undefined;
  /** How many keys the worker had made from passwords at its last answer (the first paint's is 0). */
  keysMade: number | undefined;
  /** Told how far a capture being opened has been read. */
  captureProgress: ((id: number, progress: CaptureProgress) => void) | undefined;

  constructor(worker?: Worker) {
    const started = worker ? undefined : early;
    if (started) early = undefined;
    this.#worker = worker ?? started?.worker ?? engineWorker();
    this.#worker.onmessage = (ev: MessageEvent<EngineResponse>) => this.#answer(ev.data);
    this.#worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.#fail(`the engine's worker stopped: ${ev.message || 'it could not be loaded'}`);
    };
    this.#worker.onmessageerror = () => this.#fail('the engine sent a message the page could not read');
    if (started?.failed) this.#fail(`the engine's worker stopped: ${started.failed}`);
  }

  ask<K extends Kind>(kind: K, body: Omit<Body<K>, 'kind'>): Promise<EngineResults[K]> {
    if (this.#broken) return Promise.reject(new Error(this.#broken));
    const id = this.#next++;
    return new Promise<EngineResults[K]>((resolve, reject) => {
      this.#waiting.set(id, { kind, resolve: resolve as (v: unknown) => void, reject, timer: undefined });
      this.#arm(id);
      this.#worker.postMessage({ ...body, kind, id } as EngineRequest);
      // (for npm run bench -- ui: when the page first asked the worker anything)
      if (id === 1) performance.mark(`page:first asked (${kind})`);
    });
  }

  /** Stops the costly keys of load `id` being derived, or capture `id` being read: it is answered as not opened. */
  cancel(id: number): void {
    if (this.#waiting.has(id)) this.#control({ kind: 'cancel', id });
  }

  /** Cancels every waiting request of one kind (the capture being read, whatever its id). */
  cancelKind(kind: Kind): void {
    for (const [id, w] of this.#waiting) if (w.kind === kind) this.cancel(id);
  }

  terminate(): void {
    this.#fail('the engine was stopped');
    this.#worker.terminate();
  }

  /** (Re)starts the request's timeout: from now, or off (undefined) while the user decides. */
  #arm(id: number, on = true): void {
    const w = this.#waiting.get(id);
    if (!w) return;
    clearTimeout(w.timer);
    w.timer = on
      ? setTimeout(() => {
          this.#waiting.delete(id);
          this.derivations?.finished(id);
          w.reject(new Error(`the engine did not answer "${w.kind}" within ${ANSWER_TIMEOUT_MS / 1000} s`));
        }, ANSWER_TIMEOUT_MS)
      : undefined;
  }

  #control(message: EngineControl): void {
    this.#worker.postMessage(message);
  }

  #answer(msg: EngineResponse): void {
    const w = this.#waiting.get(msg.id);
    if (!w) return;
    if ('kind' in msg) {
      if (msg.kind === 'confirm') {
        this.#arm(msg.id, false);
        const handler = this.derivations;
        const decided = handler ? handler.confirm(msg.id, msg.plan) : Promise.resolve(false);
        void decided
          .catch(() => false)
          .then((go) => {
            if (!this.#waiting.has(msg.id)) return;
            this.#arm(msg.id);
            this.#control({ kind: 'derive', id: msg.id, go });
          });
      } else if (msg.kind === 'capture-progress') {
        this.#arm(msg.id);
        this.captureProgress?.(msg.id, msg.progress);
      } else {
        this.#arm(msg.id);
        this.derivations?.progress(msg.id, msg.progress);
      }
      return;
    }
    this.#waiting.delete(msg.id);
    clearTimeout(w.timer);
    this.derivations?.finished(msg.id);
    if (msg.ok && msg.keysMade !== undefined) this.keysMade = msg.keysMade;
    if (msg.ok) w.resolve(msg.result);
    else w.reject(new Error(msg.error));
  }

  #fail(reason: string): void {
    this.#broken ??= reason;
    for (const [id, w] of this.#waiting) {
      clearTimeout(w.timer);
      w.reject(new Error(reason));
      this.#waiting.delete(id);
      this.derivations?.finished(id);
    }
  }
}
