/**
 * The engine's Worker: the whole Kerberos world (KDCs, client, file server, network, clock) runs here,
 * off the page's thread. It answers each request of the page (protocol.ts) once, with the same id.
 */
/// <reference lib="webworker" />
import { Engine } from './engine';
import type { EngineRequest, EngineResponse } from './protocol';

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

scope.onmessage = (ev: MessageEvent<EngineRequest>) => {
  const req = ev.data;
  try {
    engine ??= new Engine({ scope: scope.constructor.name, script: scope.location.href });
    const result = engine.handle(req);
    (scope as unknown as { kerberosEngine: EngineProbe }).kerberosEngine = {
      step: engine.step,
      traceLength: engine.world.trace.length,
    };
    reply({ id: req.id, ok: true, result });
  } catch (e) {
    reply({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
