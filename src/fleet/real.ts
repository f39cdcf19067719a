/**
 * The real path: one user's scenario (`world.ts`) played in the real world, step by step — every message
 * encoded, encrypted and traced — and counted the way the fast model counts: each AS-REQ, TGS-REQ (over
 * MS-KKDCP or not) and PRT request by the hour it left, the valid tickets in the device's cache at each
 * hour's end, and each `net use` or drive reconnection that ended in a Windows error, with its cause read
 * from the device's state at that moment.
 */
import { tgsRealmOf } from '../asn1/principal';
import { buildWorld } from '../scenarios/build';
import { playAction } from '../scenarios/runner';
import type { Scenario } from '../scenarios/schema';
import type { TraceEvent, World } from '../world';
import { windowsDevice } from '../azure';
import { UserTally } from './counts';
import { causeOf } from './model';
import { HOUR, userName } from './plan';
import type { FleetBase } from './world';

/** The device's state the failure's cause is read from. */
function deviceNow(world: World, host: string, entraRealm: string) {
  const d = windowsDevice(world, host)!;
  const cloud = world
    .client(host)
    .cache.credentials.find((c) => c.server.realm === entraRealm && tgsRealmOf(c.server.name) === entraRealm);
  return {
    cloudPolicy: d.policy.cloudKerberosTicketRetrieval,
    cloudCached: cloud?.endtime,
    proxyKnown: d.cloudAp?.kdcProxyKnown ?? false,
  };
}

/** The server's KRB_AP_ERR_REPEAT just before a failure: the cause is the replay, not the device. */
const REPEAT = 34;

function countEvent(
  world: World,
  e: TraceEvent,
  tally: UserTally,
  index: number,
  host: string,
  realm: string,
) {
  if (e.kind === 'message') {
    if (e.type === 'AS-REQ') tally.count(e.t, 'as');
    else if (e.type === 'TGS-REQ') tally.count(e.t, 'tgs');
    else if (e.type === 'PRT-REQUEST') tally.count(e.t, 'prt');
    if (e.transport === 'kkdcp' && (e.type === 'AS-REQ' || e.type === 'TGS-REQ')) tally.count(e.t, 'kkdcp');
    return;
  }
  if (e.kind !== 'action' || (e.type !== 'result' && e.type !== 'smb')) return;
  if (world.noteOf(e.seq)?.windowsError === undefined) return;
  const replay = world.trace.some(
    (m) => m.seq < e.seq && m.t === e.t && m.errorCode === REPEAT && m.to === host,
  );
  tally.fail({
    index,
    user: userName(index),
    t: e.t,
    what: e.type === 'smb' ? 'reconnect' : 'net use',
    cause: replay ? 'replay' : causeOf(deviceNow(world, host, realm), e.t),
  });
}

/** One user's hours on the real path, and the world it played (its trace is the user's full trace). */
export function realUser(
  scenario: Scenario,
  base: FleetBase,
  index: number,
  hours: number,
): { tally: UserTally; world: World } {
  const world = buildWorld(scenario);
  const tally = new UserTally(base.start, hours);
  const realm = scenario.entra!.realm;
  let seen = world.trace.length;
  scenario.timeline.forEach((action, i) => {
    playAction(world, scenario, action, i);
    const trace = world.trace;
    for (; seen < trace.length; seen++) countEvent(world, trace[seen]!, tally, index, base.host, realm);
    if (action.do === 'advance' && (world.now - base.start) % HOUR === 0) {
      const hour = (world.now - base.start) / HOUR - 1;
      const now = world.now;
      tally.held(hour, world.client(base.host).cache.credentials.filter((c) => c.endtime > now).length);
    }
  });
  tally.close();
  return { tally, world };
}
