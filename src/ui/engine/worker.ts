/**
 * The engine's Worker: the whole Kerberos world (KDCs, client, file server, network, clock) runs here,
 * off the page's thread. It answers each request of the page (protocol.ts) once, with the same id.
 *
 * A `load` whose scenario makes keys with more than 2^18 PBKDF2 iterations (costly-keys.ts) first asks
 * the page ('confirm'), then derives them in slices, reporting progress and stopping when the page says
 * 'cancel'; declined or stopped, the load is answered as a problem with the field that asked for them.
 */
/// <reference lib="webworker" />
import { stringToKeyAsync, stringToKeyRuns, yieldToEventLoop } from '../../crypto';
import { deriveAhead, stillToMake, type KeyToMake } from './costly-keys';
import { makePasswordKeysAhead } from '../../scenarios';
import { Engine } from './engine';
import { CaptureRun } from './capture-run';
import { readCaptureFile } from './capture-read';
import { decodeKeytab } from '../../formats/keytab';
import { CaptureError } from '../../formats/pcap';
import { checkCaptureSizes, checkPasswords } from '../lib/capture-open';
import { webPbkdf2 } from './web-pbkdf2';
import { AheadOfNeed } from './ahead';
import type {
  CostlyKey,
  DerivationPlan,
  EngineControl,
  EngineRequest,
  EngineResponse,
  ScenarioSource,
} from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let engine: Engine | undefined;

/** A handle a test can read from inside the worker, to see that the trace is made here. */
interface EngineProbe {
  step: number;
  traceLength: number;
}

function reply(message: EngineResponse): void {
  scope.postMessage(message);
}

/**
 * Marks on the worker's own timeline for `npm run bench -- ui`, which reads them to split the page's
 * start ("engine:evaluated", "engine:load received", "engine:load answered"…): the first of each name
 * only, so that a long session adds none.
 */
const marked = new Set<string>();
function markOnce(name: string): void {
  if (marked.has(name)) return;
  marked.add(name);
  performance.mark(`engine:${name}`);
}

function engineNow(): Engine {
  engine ??= new Engine({ scope: scope.constructor.name, script: scope.location.href });
  return engine;
}

function answer(req: EngineRequest): void {
  try {
    const e = engineNow();
    const result = e.handle(req);
    // (read once a scenario is open: reading it before would build the first scenario's world)
    if (e.playing) {
      (scope as unknown as { kerberosEngine: EngineProbe }).kerberosEngine = {
        step: e.step,
        traceLength: e.world.trace.length,
      };
    }
    reply({ id: req.id, ok: true, result, keysMade: stringToKeyRuns() });
    markOnce(`${req.kind} answered`);
  } catch (e) {
    reply({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}

/** A load waiting for the user's word, or deriving: what the page's control messages act on. */
interface Preparation {
  decide(go: boolean): void;
  stop(why: string): void;
}
const preparing = new Map<number, Preparation>();

class Stopped extends Error {}

/** How often, at most, the page hears of the progress (and the worker reads its messages: a cancel). */
const PROGRESS_EVERY_MS = 100;

/**
 * Milliseconds per iteration of each enctype's string-to-key, measured on a short run (a few ms each;
 * aes256-sha1 makes two PBKDF2 blocks, so its iteration costs two rounds, and the measure shows it).
 */
async function measureRates(keys: readonly KeyToMake[]): Promise<Map<number, number>> {
  const rates = new Map<number, number>();
  const ROUNDS = 4096;
  for (const etype of new Set(keys.map((k) => k.etypeNumber))) {
    const started = performance.now();
    await stringToKeyAsync(etype, 'rate', 'rate', { iterations: ROUNDS }, () => Promise.resolve());
    rates.set(etype, Math.max(performance.now() - started, 0.1) / ROUNDS);
  }
  return rates;
}

const publicKey = ({ principal, field, etype, iterations, who }: KeyToMake): CostlyKey => ({
  principal,
  field,
  etype,
  iterations,
  who,
});

async function load(req: Extract<EngineRequest, { kind: 'load' }>): Promise<void> {
  // a newer load replaces one still waiting or deriving
  for (const p of preparing.values()) p.stop('another scenario was opened');
  let keys: KeyToMake[];
  try {
    keys = stillToMake(engineNow().costlyKeys(req.source));
  } catch (e) {
    reply({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  if (keys.length > 0) {
    const refused = await deriveWithConsent(req.id, keys);
    if (refused) {
      reply({ id: req.id, ok: true, result: { ok: false, problem: refused } });
      return;
    }
  }
  answer(req);
  makeKeysAhead(req.source);
}

/**
 * After the answer, not before it (the page shows the world at once, and no key is needed before the
 * first step), and once the page has drawn its first screen ('drawn'): the scenario's other password keys,
 * made with the browser's native PBKDF2, several at once (web-pbkdf2.ts). A step that needs one before it
 * is made makes it itself (the KDC's keys are made when first used, protocol/long-term-key.ts), only slower.
 */
const ahead = new AheadOfNeed();
function makeKeysAhead(source: ScenarioSource): void {
  if (!webPbkdf2) return;
  const pbkdf2 = webPbkdf2;
  ahead.later(() => {
    markOnce('keys ahead');
    void makePasswordKeysAhead(engineNow().passwordKeys(source), pbkdf2).catch(() => undefined);
  });
}

/** Asks the page, then derives; undefined when every key is made, else the problem to answer with. */
async function deriveWithConsent(
  id: number,
  keys: KeyToMake[],
): Promise<{ field: string; reason: string } | undefined> {
  let decide!: (go: boolean) => void;
  let stopped: string | undefined;
  const decided = new Promise<boolean>((resolve) => (decide = resolve));
  preparing.set(id, {
    decide: (go) => decide(go),
    stop: (why) => {
      stopped = why;
      decide(false);
    },
  });
  const first = keys[0]!;
  const what = `${first.iterations} PBKDF2 iterations for ${first.principal}`;
  try {
    const rates = await measureRates(keys);
    const cost = keys.map((k) => k.iterations * rates.get(k.etypeNumber)!);
    const total = cost.reduce((a, b) => a + b, 0);
    const plan: DerivationPlan = { keys: keys.map(publicKey), estimateMs: Math.round(total) };
    reply({ id, kind: 'confirm', plan });
    if (!(await decided)) {
      return {
        field: first.field,
        reason: stopped
          ? `${what}: not derived (${stopped})`
          : `${what}: not derived, as you chose; the scenario was not opened (lower the count to open it at once: real KDCs use 4096 with AES-SHA1, 32768 with AES-SHA2)`,
      };
    }
    const started = performance.now();
    let lastYield = started;
    let before = 0;
    let current = -1;
    await deriveAhead(keys, async ({ key, done, total: rounds }) => {
      if (key !== current) {
        before = cost.slice(0, key).reduce((a, b) => a + b, 0);
        current = key;
      }
      const now = performance.now();
      if (now - lastYield < PROGRESS_EVERY_MS && done > 0) return;
      // a timer turn, so that a 'cancel' from the page is read between slices
      await yieldToEventLoop(0, 0);
      lastYield = performance.now();
      if (stopped) throw new Stopped(stopped);
      reply({
        id,
        kind: 'progress',
        progress: {
          key,
          keys: keys.length,
          current: publicKey(keys[key]!),
          fraction: Math.min(1, (before + cost[key]! * (done / rounds)) / total),
          elapsedMs: Math.round(now - started),
        },
      });
    });
    return undefined;
  } catch (e) {
    if (e instanceof Stopped) return { field: first.field, reason: `${what}: not derived (${e.message})` };
    throw e;
  } finally {
    preparing.delete(id);
  }
}

/**
 * Opens a customer's capture: sizes and passwords checked, the file read a piece at a time (progress a
 * few times a second, a 'cancel' read between pieces), then shown as the engine's read-only run.
 */
/** Messages a capture's run decodes between two reports. */
const DECODE_SLICE = 50;

async function openCaptureRun(req: Extract<EngineRequest, { kind: 'capture' }>): Promise<void> {
  let stopped: string | undefined;
  preparing.set(req.id, { decide: () => undefined, stop: (why) => (stopped = why) });
  try {
    checkCaptureSizes(req.file.size, req.keytab?.length);
    const passwords = checkPasswords(req.passwords);
    const keytab = req.keytab ? decodeKeytab(req.keytab).entries : [];
    let lastReport = 0;
    const read = await readCaptureFile(req.file, {
      stopped: () => stopped,
      progress: async (progress) => {
        const now = performance.now();
        if (now - lastReport < PROGRESS_EVERY_MS) return;
        lastReport = now;
        reply({ id: req.id, kind: 'capture-progress', progress });
        // a timer turn, so that a 'cancel' from the page is read between pieces
        await yieldToEventLoop(0, 0);
      },
    });
    const run = new CaptureRun(req.name, read.messages, { keytab, passwords }, read.total);
    // decoded a few at a time, so the page hears how far it has come and a 'cancel' is read between
    while (!run.decodeNext(DECODE_SLICE)) {
      if (stopped) throw new CaptureError(`the capture was not opened: ${stopped}`);
      const decoded = { done: run.decodedCount, of: run.size };
      reply({
        id: req.id,
        kind: 'capture-progress',
        progress: { read: req.file.size, total: req.file.size, messages: read.total, decoded },
      });
      await yieldToEventLoop(0, 0);
    }
    reply({ id: req.id, ok: true, result: engineNow().showCapture(run) });
  } catch (e) {
    reply({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  } finally {
    preparing.delete(req.id);
  }
}

scope.onmessage = (ev: MessageEvent<EngineRequest | EngineControl>) => {
  const msg = ev.data;
  markOnce(`${msg.kind} received`);
  if (msg.kind === 'capture') {
    void openCaptureRun(msg);
  } else if (msg.kind === 'derive') {
    preparing.get(msg.id)?.decide(msg.go);
  } else if (msg.kind === 'cancel') {
    preparing.get(msg.id)?.stop('stopped before the end');
  } else if (msg.kind === 'load-run') {
    answer(msg);
    makeKeysAhead(msg.source);
  } else if (msg.kind === 'drawn') {
    answer(msg);
    ahead.open();
  } else if (msg.kind === 'load') {
    void load(msg).catch((e: unknown) =>
      reply({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  } else {
    answer(msg);
  }
};
markOnce('evaluated');
