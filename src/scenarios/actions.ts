/**
 * What each timeline action does to the world: a command at a Windows host's prompt (`logon`,
 * `net use \\host\share`, `klist get SPN`, `klist purge`, lock, dsregcmd… — src/azure's Windows host
 * runs them), a change to the world (clock, network, hosts), or an administrator's change at a KDC
 * (password changes, key rotations and copies, through the world's KdcAdmin).
 */
import * as windows from '../azure';
import { parsePrincipal, sameName } from '../asn1/principal';
import { formatDuration } from '../asn1/time';
import { keysFromPassword, type KdcAdmin, type TraceNote, type World } from '../world';
import { offsetMs } from './build';
import { ScenarioError, type ScenarioAction } from './schema';

/** Windows errors the scenarios show (net helpmsg N). */
export const WINDOWS_ERRORS = windows.WINDOWS_ERRORS;

/** What an action came to. */
export interface ActionRecord {
  index: number;
  id?: string;
  do: ScenarioAction['do'];
  host?: string;
  /** When it started, virtual ms. */
  t: number;
  /** The trace events it produced: seq from..to (to < from when none). */
  fromSeq: number;
  toSeq: number;
  ok: boolean;
  errorCode?: number;
  windowsError?: number;
  /** What the console printed, one line. */
  output: string;
  fromCache?: boolean;
  /** The realm of the ticket obtained (its server's realm). */
  realm?: string;
}

/** What the layers above the world note about a trace event: the Windows error a step showed. */
export type EventNote = TraceNote;

type Outcome = Omit<ActionRecord, 'index' | 'id' | 'do' | 'host' | 't' | 'fromSeq' | 'toSeq'>;

/** A console line at a host (a KDC's administrator, here). */
function say(world: World, host: string, type: string, text: string): void {
  world.action(host, type, text);
}

/** Runs one action; returns what it came to. Errors in the scenario's own data throw ScenarioError. */
export function runAction(world: World, action: ScenarioAction, index: number): Outcome {
  const field = (name: string) => `timeline[${index}].${name}`;
  switch (action.do) {
    case 'logon':
      return windows.logon(world, action.host, action.password);
    case 'net-use':
      return windows.netUse(world, action.host, action.unc, action.drive, field('unc'));
    case 'klist-get':
      return windows.klistGet(world, action.host, action.spn);
    case 'klist-purge':
      return windows.klistPurge(world, action.host);
    case 'klist':
      return windows.klistLine(world, action.host);
    case 'test-netconnection':
      return windows.testNetConnection(world, action.host, action.target, action.port);
    case 'set-host-realm':
      return windows.applyHostRealmGpo(world, action.host, action.mapping);
    case 'lock':
      return windows.lock(world, action.host);
    case 'unlock':
      return windows.unlock(world, action.host, action.password);
    case 'reboot':
      return windows.reboot(world, action.host);
    case 'dsregcmd-refresh-prt':
      return windows.refreshPrt(world, action.host);
    case 'dsregcmd-status':
      return windows.dsregcmdStatusLine(world, action.host);
    case 'set-policy':
      return windows.setPolicy(world, action.host, action.policy, action.enabled);
    case 'network-change':
      return windows.networkChange(world, action.host);
    case 'change-password':
      return changePassword(world, action.principal, action.password, action.etypes, field('principal'));
    case 'rotate-key':
      return rotateKey(world, action, field('principal'));
    case 'sync-key':
      return syncKey(world, action.principal, action.from, action.to, field('principal'));
    default:
      return changeTheWorld(world, action);
  }
}

type WorldChange = Extract<
  ScenarioAction,
  {
    do:
      | 'advance'
      | 'set-skew'
      | 'block-port'
      | 'unblock-port'
      | 'link-down'
      | 'link-up'
      | 'host-down'
      | 'host-up';
  }
>;

/** The world's own controls: the clock, the network, the hosts. */
function changeTheWorld(world: World, action: WorldChange): Outcome {
  switch (action.do) {
    case 'advance':
      // the runner advances (it knows --until); nothing else to do here
      return { ok: true, output: `advanced ${action.by}` };
    case 'set-skew': {
      const ms = offsetMs(action.offset);
      world.setClockOffset(action.host, ms);
      return {
        ok: true,
        output: `${action.host}'s clock is ${ms >= 0 ? '+' : '-'}${formatDuration(Math.abs(ms))}`,
      };
    }
    case 'block-port':
    case 'unblock-port':
      world.blockPort(action.host, action.port, action.do === 'block-port');
      return { ok: true, output: `port ${action.port} ${action.do === 'block-port' ? 'blocked' : 'open'}` };
    case 'link-down':
    case 'link-up':
      world.setLink(action.a, action.b, { up: action.do === 'link-up' });
      return {
        ok: true,
        output: `link ${action.a} ↔ ${action.b} ${action.do === 'link-up' ? 'up' : 'down'}`,
      };
    case 'host-down':
    case 'host-up':
      world.setHostUp(action.host, action.do === 'host-up');
      return { ok: true, output: `${action.host} ${action.do === 'host-up' ? 'up' : 'down'}` };
  }
}

// ---- keys -------------------------------------------------------------------------------------------------

/** The KDC on `host`, which must hold `principal` (the scenario names both). */
function kdcHolding(world: World, host: string, principal: string, field: string): KdcAdmin {
  const kdc = world.kdcs.some((k) => k.host === host) ? world.kdc(host) : undefined;
  if (!kdc || kdc.entries(principal).length === 0)
    throw new ScenarioError(field, `the KDC on ${host} holds no ${principal}`);
  return kdc;
}

function changePassword(
  world: World,
  principal: string,
  password: string,
  etypes: number[] | undefined,
  field: string,
): Outcome {
  const p = parsePrincipal(principal);
  let kvno = 0;
  let changed = 0;
  for (const kdc of world.kdcsServing(p.realm)) {
    for (const entry of kdc.changePassword(principal, password, etypes)) {
      kvno = entry.kvno;
      changed++;
      say(
        world,
        kdc.host,
        'change-password',
        `the password of ${principal} is changed: new keys, kvno ${kvno} (enctypes ${entry.etypes.join(', ')})`,
      );
    }
  }
  if (changed === 0) throw new ScenarioError(field, `no KDC holds ${principal}`);
  // the user knows the new password; a server holding the principal gets a new keytab
  windows.passwordChanged(world, principal, password);
  for (const s of world.services) {
    if (s.state.realm === p.realm && sameName(s.state.name, p.name)) {
      world.setServiceKeys(s.id, keysFromPassword(principal, password, etypes ?? [18, 17], kvno));
    }
  }
  return { ok: true, output: `password changed (kvno ${kvno})` };
}

function rotateKey(world: World, a: Extract<ScenarioAction, { do: 'rotate-key' }>, field: string): Outcome {
  const kdc = kdcHolding(world, a.kdc, a.principal, field);
  const kvno = kdc.rotateKey(a.principal, a.password, {
    ...(a.kvno !== undefined ? { kvno: a.kvno } : {}),
    ...(a.keepOld !== undefined ? { keepOld: a.keepOld } : {}),
  })!;
  say(
    world,
    a.kdc,
    'rotate-key',
    `${a.kdc}: the key of ${a.principal} is now version ${kvno}${a.keepOld === false ? '' : ' (the old version is kept beside it)'}; no other KDC was told`,
  );
  return { ok: true, output: `kvno ${kvno}` };
}

function syncKey(world: World, principal: string, from: string, to: string, field: string): Outcome {
  const source = kdcHolding(world, from, principal, field).entries(principal)[0]!;
  kdcHolding(world, to, principal, field).setKeys(principal, source.keys);
  const versions = [...new Set(source.keys.map((k) => k.kvno))].join(', ');
  say(world, to, 'sync-key', `${principal}: ${to} now holds the same keys as ${from} (kvno ${versions})`);
  return { ok: true, output: `synchronised (kvno ${versions})` };
}
