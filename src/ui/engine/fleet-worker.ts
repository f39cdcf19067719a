/**
 * The fleet's Worker: plays a fleet preset (src/fleet) a slice of users at a time — at most about 20 ms of
 * work, then a turn of the event loop, so a 'cancel' is read between slices — and reports progress after
 * each slice. Also makes one user's scenario file, for the playground to open at a failure.
 */
/// <reference lib="webworker" />
import { findFleetPreset, FleetRunner, fleetBase, userScenarioFile, type FleetFailure } from '../../fleet';
import { parseDuration } from '../../asn1/time';
import { FLEET_VIEW_FAILURES, type FleetRequest, type FleetResponse } from './fleet-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FleetResponse) => scope.postMessage(m);
const cancelled = new Set<number>();
const SLICE_MS = 20;

function preset(id: string) {
  const f = findFleetPreset(id);
  if (!f) throw new Error(`no fleet preset '${id}'`);
  return f;
}

function run(req: Extract<FleetRequest, { kind: 'run' }>): void {
  const fleet = preset(req.preset);
  const runner = new FleetRunner(fleet, { clients: req.clients, days: req.days });
  const slice = () => {
    if (cancelled.delete(req.id)) return finish();
    const started = performance.now();
    let more = true;
    while (more && performance.now() - started < SLICE_MS) more = runner.next(10);
    post({ kind: 'progress', id: req.id, done: runner.done, total: runner.clients });
    if (more) setTimeout(slice, 0);
    else finish();
  };
  const finish = () => {
    const r = runner.report();
    post({
      kind: 'done',
      id: req.id,
      view: {
        fleet: r.fleet,
        title: fleet.title,
        clients: r.clients,
        days: r.days,
        start: r.start,
        complete: r.complete,
        hours: r.hours,
        failures: r.failures.slice(0, FLEET_VIEW_FAILURES),
        totalFailures: r.totalFailures,
      },
    });
  };
  slice();
}

/** The step (1-based: the player's step once that action is played) during which the failure happened. */
function stepOf(timeline: readonly Record<string, unknown>[], start: number, f: FleetFailure): number {
  let t = start;
  for (const [k, a] of timeline.entries()) {
    if (a.do === 'advance') {
      const end = t + parseDuration(a.by as string)!;
      if (f.what === 'reconnect' && f.t > t && f.t <= end) return k + 1;
      t = end;
    } else if (f.what === 'net use' && a.do === 'net-use' && t === f.t) return k + 1;
  }
  return timeline.length;
}

function user(req: Extract<FleetRequest, { kind: 'user' }>): void {
  const fleet = preset(req.preset);
  const base = fleetBase(fleet);
  const file = userScenarioFile(fleet, base, req.failure.index, req.days);
  const step = stepOf(file.timeline as Record<string, unknown>[], base.start, req.failure);
  post({ kind: 'user', id: req.id, text: JSON.stringify(file, null, 2), step });
}

scope.onmessage = (e: MessageEvent<FleetRequest>) => {
  const req = e.data;
  try {
    if (req.kind === 'cancel') cancelled.add(req.id);
    else if (req.kind === 'run') run(req);
    else user(req);
  } catch (err) {
    post({ kind: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) });
  }
};
