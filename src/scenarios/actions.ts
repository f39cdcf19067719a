/**
 * What each timeline action does to the world, the way a person at a Windows console (or an admin at a
 * DC) would see it: `logon`, `net use \\host\share`, `klist get SPN`, `klist purge`, clock and network
 * changes, password changes and key rotations, GPO host-to-realm mappings, Test-NetConnection.
 *
 * Kerberos itself runs in the world (src/world flows, the real client, KDCs and services). What is not
 * Kerberos is modelled here, plainly, and labelled modelled in the trace: the SMB steps around the
 * AP-REQ (no SMB bytes are made) and the NTLM fallback Windows tries when Kerberos gives no ticket
 * (ntlm.ts).
 */
import * as windows from '../azure';
import { KdcError } from '../client';
import { errorCodes } from '../asn1/registry';
import { formatPrincipal, parsePrincipal, sameName } from '../protocol/principal';
import { formatDuration, isoSeconds } from '../protocol/time';
import {
  clientOf,
  keysFromPassword,
  runOperation,
  type KdcAdmin,
  type TraceNote,
  type World,
} from '../world';
import { hostRealmTable, offsetMs } from './build';
import { ScenarioError, type Scenario, type ScenarioAction } from './schema';

/** Windows errors the scenarios show (net helpmsg N). */
export const WINDOWS_ERRORS: Record<number, string> = {
  5: 'Access is denied.',
  53: 'The network path was not found.',
  67: 'The network name cannot be found.',
  1311: 'There are currently no logon servers available to service the logon request.',
  1327: 'Account restrictions are preventing this user from signing in.',
  1326: 'The user name or password is incorrect.',
  1398: 'There is a time and/or date difference between the client and server.',
};

export const systemError = (n: number) => `System error ${n} has occurred. ${WINDOWS_ERRORS[n] ?? ''}`.trim();

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

/** What the scenario layer adds to a trace event: the Windows error a step showed, and "modelled". */
export type EventNote = TraceNote;

export interface RunContext {
  world: World;
  scenario: Scenario;
  /** The password each client host signs in with (a password change updates it). */
  passwords: Map<string, string>;
  /** Hosts where a user is signed in: Windows' LSA gets a new TGT by itself when it needs one. */
  signedIn: Set<string>;
  /** The explicit GPO mapping of each client host. */
  mappings: Map<string, Record<string, string> | undefined>;
  /** Mapped drives: host → drive → UNC. */
  drives: Map<string, Map<string, string>>;
}

/** Records a console line (an action event) with its Windows error, when it has one. */
function say(ctx: RunContext, host: string, type: string, text: string, windowsError?: number): void {
  const e = ctx.world.action(host, type, text);
  if (windowsError !== undefined) ctx.world.annotate(e.seq, { windowsError });
}

type Outcome = Omit<ActionRecord, 'index' | 'id' | 'do' | 'host' | 't' | 'fromSeq' | 'toSeq'>;

/** Runs one action; returns what it came to. Errors in the scenario's own data throw ScenarioError. */
export function runAction(ctx: RunContext, action: ScenarioAction, index: number): Outcome {
  const w = ctx.world;
  const field = (name: string) => `timeline[${index}].${name}`;
  switch (action.do) {
    case 'logon':
      if (windows.windowsDevice(w, action.host)) return windowsLogon(ctx, action.host, action.password);
      return logon(ctx, action.host, action.password);
    case 'net-use':
      return netUse(ctx, action.host, action.unc, action.drive, field('unc'));
    case 'klist-get':
      return klistGet(ctx, action.host, action.spn);
    case 'klist-purge': {
      const cache = w.client(action.host).cache;
      const n = cache.credentials.length;
      cache.credentials = [];
      say(ctx, action.host, 'klist purge', `Deleting all tickets: ${n} ticket(s) purged. Ticket(s) purged!`);
      return { ok: true, output: 'Ticket(s) purged!' };
    }
    case 'advance': {
      // the runner advances (it knows --until); nothing else to do here
      return { ok: true, output: `advanced ${action.by}` };
    }
    case 'set-skew': {
      const ms = offsetMs(action.offset);
      w.setClockOffset(action.host, ms);
      return {
        ok: true,
        output: `${action.host}'s clock is ${ms >= 0 ? '+' : '-'}${formatDuration(Math.abs(ms))}`,
      };
    }
    case 'block-port':
    case 'unblock-port':
      w.blockPort(action.host, action.port, action.do === 'block-port');
      return { ok: true, output: `port ${action.port} ${action.do === 'block-port' ? 'blocked' : 'open'}` };
    case 'link-down':
    case 'link-up':
      w.setLink(action.a, action.b, { up: action.do === 'link-up' });
      return {
        ok: true,
        output: `link ${action.a} ↔ ${action.b} ${action.do === 'link-up' ? 'up' : 'down'}`,
      };
    case 'host-down':
    case 'host-up':
      w.setHostUp(action.host, action.do === 'host-up');
      return { ok: true, output: `${action.host} ${action.do === 'host-up' ? 'up' : 'down'}` };
    case 'change-password':
      return changePassword(ctx, action.principal, action.password, action.etypes, field('principal'));
    case 'rotate-key':
      return rotateKey(ctx, action, field('principal'));
    case 'sync-key':
      return syncKey(ctx, action.principal, action.from, action.to, field('principal'));
    case 'set-host-realm': {
      const config = w.client(action.host).config;
      const client = ctx.scenario.clients.find((c) => c.host === action.host)!;
      ctx.mappings.set(action.host, { ...action.mapping });
      if (windows.windowsDevice(w, action.host)) windows.setMapping(w, action.host, action.mapping);
      else {
        const table = hostRealmTable(client, action.mapping);
        if (table) config.hostRealm = table;
        else delete config.hostRealm;
      }
      const text = Object.entries(action.mapping)
        .map(([k, v]) => `${v} => ${k}`)
        .join('; ');
      say(ctx, action.host, 'gpupdate', `GPO "Define host name-to-Kerberos realm mappings": ${text}`);
      return { ok: true, output: 'Computer Policy update has completed successfully.' };
    }
    case 'test-netconnection':
      return testNetConnection(ctx, action.host, action.target, action.port);
    case 'lock':
      return windowsResult(ctx, action.host, 'lock', windows.lock(w, action.host));
    case 'unlock': {
      const pw = action.password ?? ctx.passwords.get(action.host)!;
      return windowsResult(ctx, action.host, 'unlock', windows.unlock(w, action.host, pw));
    }
    case 'reboot':
      ctx.signedIn.delete(action.host);
      return windowsResult(ctx, action.host, 'reboot', windows.reboot(w, action.host));
    case 'dsregcmd-refresh-prt':
      return windowsResult(ctx, action.host, 'dsregcmd /RefreshPrt', windows.refreshPrt(w, action.host));
    case 'dsregcmd-status': {
      const output = windows.ssoStateLine(w, action.host);
      say(ctx, action.host, 'dsregcmd /status', `SSO State: ${output}`);
      return { ok: true, output };
    }
    case 'set-policy':
      return windowsResult(
        ctx,
        action.host,
        'gpupdate',
        windows.setPolicy(w, action.host, action.policy, action.enabled),
      );
    case 'network-change':
      return windowsResult(ctx, action.host, 'network-change', windows.networkChange(w, action.host));
    case 'klist':
      return klistList(ctx, action.host);
  }
}

/** A Windows operation's outcome as an action record (its own trace lines are already written). */
function windowsResult(ctx: RunContext, host: string, what: string, r: windows.WindowsOutcome): Outcome {
  if (!r.ok) say(ctx, host, `${what} failed`, r.output, r.windowsError);
  return {
    ok: r.ok,
    output: r.output,
    ...(r.windowsError !== undefined ? { windowsError: r.windowsError } : {}),
    ...(r.errorCode !== undefined ? { errorCode: r.errorCode } : {}),
    ...(r.realm !== undefined ? { realm: r.realm } : {}),
  };
}

/** `klist`: the logon session's tickets as Windows lists them, in one line per ticket for the console. */
function klistList(ctx: RunContext, host: string): Outcome {
  const now = ctx.world.hostNow(host);
  const tickets = ctx.world
    .client(host)
    .cache.credentials.map(
      (c) =>
        `${formatPrincipal(c.server)} (Kdc Called: ${c.kdcCalled}${c.endtime <= now ? ', expired' : ''})`,
    );
  const output = `Cached Tickets: (${tickets.length})${tickets.length ? `: ${tickets.join(', ')}` : ''}`;
  say(ctx, host, 'klist', output);
  return { ok: true, output };
}

/** Logon on an Entra-joined or hybrid-joined device (src/azure: on-prem or cached, then CloudAP). */
function windowsLogon(ctx: RunContext, host: string, password?: string): Outcome {
  const client = clientOf(ctx.world, host);
  const pw = password ?? ctx.passwords.get(host)!;
  say(ctx, host, 'logon', `${formatPrincipal(client.principal)} signs in on ${host}`);
  const r = windows.logon(ctx.world, host, pw);
  if (r.ok) {
    ctx.signedIn.add(host);
    if (password !== undefined) ctx.passwords.set(host, password);
  }
  return windowsResult(ctx, host, 'logon', r);
}

// ---- sign-in -------------------------------------------------------------------------------------------

const LOGON_WINDOWS_ERROR: Record<number, number> = { 6: 1326, 24: 1326, 37: 1398 };

function logon(ctx: RunContext, host: string, password?: string): Outcome {
  const w = ctx.world;
  const client = clientOf(w, host);
  const pw = password ?? ctx.passwords.get(host)!;
  say(ctx, host, 'logon', `${formatPrincipal(client.principal)} signs in on ${host}`);
  const r = runOperation(w, host, { kind: 'sign-in', password: pw });
  if (r.ok) {
    ctx.signedIn.add(host);
    if (password !== undefined) ctx.passwords.set(host, password);
    return { ok: true, output: 'signed in', realm: r.credential.server.realm };
  }
  const code = r.error.code;
  const winErr =
    code !== undefined ? LOGON_WINDOWS_ERROR[code] : r.error.kind === 'transport' ? 1311 : undefined;
  const clocks =
    r.error instanceof KdcError && code === 37
      ? `; the KDC's clock read ${isoSeconds(r.error.kdcTime)}, ${host}'s read ${isoSeconds(w.hostNow(host))}`
      : '';
  // the flows' result line above has the client's whole explanation; the console says it shortly
  const why = code !== undefined ? errorCodes.describe(code) : r.error.message;
  const text = `${winErr !== undefined ? `${WINDOWS_ERRORS[winErr]} (${why})` : `the sign-in failed: ${why}`}${clocks}`;
  say(ctx, host, 'logon failed', text, winErr);
  return {
    ok: false,
    ...(code !== undefined ? { errorCode: code } : {}),
    ...(winErr !== undefined ? { windowsError: winErr } : {}),
    output: text,
  };
}

/**
 * Windows' LSA holds the signed-in user's credentials: when a ticket is wanted and the TGT is gone
 * (purged, expired), it signs in again by itself before asking for the ticket.
 */
function ensureTgt(ctx: RunContext, host: string): void {
  if (!ctx.signedIn.has(host)) return;
  if (windows.windowsDevice(ctx.world, host)) {
    windows.ensureOnPremTgt(ctx.world, host, ctx.passwords.get(host)!);
    return;
  }
  const client = clientOf(ctx.world, host);
  const home = client.principal.realm;
  const now = ctx.world.hostNow(host) + client.clockOffset;
  const tgt = client.cache.credentials.find(
    (c) =>
      c.server.realm === home && c.server.name.nameString.join('/') === `krbtgt/${home}` && c.endtime > now,
  );
  if (tgt) return;
  say(
    ctx,
    host,
    'lsa',
    `${host}: no valid TGT in the logon session: the LSA signs in again with the user's credentials`,
  );
  runOperation(ctx.world, host, { kind: 'sign-in', password: ctx.passwords.get(host)! });
}

// ---- net use -----------------------------------------------------------------------------------------

function netUse(
  ctx: RunContext,
  host: string,
  unc: string,
  drive: string | undefined,
  field: string,
): Outcome {
  const w = ctx.world;
  const [server, share] = unc.slice(2).split('\\') as [string, string];
  say(ctx, host, 'net use', `net use ${drive ? `${drive} ` : ''}${unc}`);
  const fail = (windowsError: number, extra: Partial<Outcome> = {}): Outcome => {
    const output = systemError(windowsError);
    say(ctx, host, 'result', output, windowsError);
    return { ok: false, windowsError, output, ...extra };
  };
  const svc = windows.findSmbServer(w, server);
  if (!svc) {
    // not a ScenarioError: a mistyped server name is something a learner may want to play
    say(ctx, host, 'dns', `${server} does not resolve: no host in this world has that name (${field})`);
    return fail(53);
  }
  if (!windows.smbNegotiate(w, host, svc, server)) return fail(53);
  ensureTgt(ctx, host);
  const session = windows.smbSessionSetup(w, host, svc, server);
  if (!session.ok)
    return fail(
      session.windowsError,
      session.errorCode !== undefined ? { errorCode: session.errorCode } : {},
    );
  if (!windows.smbTreeConnect(w, host, svc, server, share)) return fail(67);
  if (drive) {
    const map = ctx.drives.get(host) ?? new Map<string, string>();
    map.set(drive.toUpperCase(), unc);
    ctx.drives.set(host, map);
  }
  const output = `${drive ? `Drive ${drive.toUpperCase()} is now connected to ${unc}. ` : ''}The command completed successfully.`;
  say(ctx, host, 'result', output);
  const access = session.access;
  const cred = access.ok ? access.ticket?.ok && access.ticket : undefined;
  return {
    ok: true,
    output,
    ...(cred ? { realm: cred.credential.server.realm, fromCache: cred.fromCache } : {}),
  };
}

// ---- klist get ------------------------------------------------------------------------------------------

function klistGet(ctx: RunContext, host: string, spnText: string): Outcome {
  // Windows compares realm names case-insensitively: krbtgt/kerberos.microsoftonline.com is the cloud realm's TGS
  const spn = /^krbtgt\//i.test(spnText) ? `krbtgt/${spnText.slice(7).toUpperCase()}` : spnText;
  say(ctx, host, 'klist get', `klist get ${spnText}`);
  ensureTgt(ctx, host);
  const r = runOperation(ctx.world, host, { kind: 'service-ticket', service: spn });
  if (r.ok) {
    const output = `A ticket to ${spnText} has been retrieved successfully.`;
    say(
      ctx,
      host,
      'result',
      `${output} (${formatPrincipal(r.credential.server)}${r.fromCache ? ', from the cache' : ''})`,
    );
    return { ok: true, output, realm: r.credential.server.realm, fromCache: r.fromCache };
  }
  const code = r.error.code;
  const output =
    code === 7
      ? 'Error calling API LsaCallAuthenticationPackage (GetTicket substatus): 0x80090303 (the specified target is unknown or unreachable)'
      : `Error calling API LsaCallAuthenticationPackage (GetTicket substatus): ${code !== undefined ? errorCodes.describe(code) : r.error.message}`;
  say(ctx, host, 'result', output);
  return { ok: false, output, ...(code !== undefined ? { errorCode: code } : {}) };
}

// ---- keys -------------------------------------------------------------------------------------------------

/** The KDC on `host`, which must hold `principal` (the scenario names both). */
function kdcHolding(ctx: RunContext, host: string, principal: string, field: string): KdcAdmin {
  const kdc = ctx.world.kdcs.some((k) => k.host === host) ? ctx.world.kdc(host) : undefined;
  if (!kdc || kdc.entries(principal).length === 0)
    throw new ScenarioError(field, `the KDC on ${host} holds no ${principal}`);
  return kdc;
}

function changePassword(
  ctx: RunContext,
  principal: string,
  password: string,
  etypes: number[] | undefined,
  field: string,
): Outcome {
  const p = parsePrincipal(principal);
  let kvno = 0;
  let changed = 0;
  for (const kdc of ctx.world.kdcsServing(p.realm)) {
    for (const entry of kdc.changePassword(principal, password, etypes)) {
      kvno = entry.kvno;
      changed++;
      say(
        ctx,
        kdc.host,
        'change-password',
        `the password of ${principal} is changed: new keys, kvno ${kvno} (enctypes ${entry.etypes.join(', ')})`,
      );
    }
  }
  if (changed === 0) throw new ScenarioError(field, `no KDC holds ${principal}`);
  // the user knows the new password; a server holding the principal gets a new keytab
  for (const c of ctx.scenario.clients) if (c.user === principal) ctx.passwords.set(c.host, password);
  for (const s of ctx.world.services) {
    if (s.state.realm === p.realm && sameName(s.state.name, p.name)) {
      ctx.world.setServiceKeys(s.id, keysFromPassword(principal, password, etypes ?? [18, 17], kvno));
    }
  }
  return { ok: true, output: `password changed (kvno ${kvno})` };
}

function rotateKey(
  ctx: RunContext,
  a: Extract<ScenarioAction, { do: 'rotate-key' }>,
  field: string,
): Outcome {
  const kdc = kdcHolding(ctx, a.kdc, a.principal, field);
  const kvno = kdc.rotateKey(a.principal, a.password, {
    ...(a.kvno !== undefined ? { kvno: a.kvno } : {}),
    ...(a.keepOld !== undefined ? { keepOld: a.keepOld } : {}),
  })!;
  say(
    ctx,
    a.kdc,
    'rotate-key',
    `${a.kdc}: the key of ${a.principal} is now version ${kvno}${a.keepOld === false ? '' : ' (the old version is kept beside it)'}; no other KDC was told`,
  );
  return { ok: true, output: `kvno ${kvno}` };
}

function syncKey(ctx: RunContext, principal: string, from: string, to: string, field: string): Outcome {
  const source = kdcHolding(ctx, from, principal, field).entries(principal)[0]!;
  kdcHolding(ctx, to, principal, field).setKeys(principal, source.keys);
  const versions = [...new Set(source.keys.map((k) => k.kvno))].join(', ');
  say(ctx, to, 'sync-key', `${principal}: ${to} now holds the same keys as ${from} (kvno ${versions})`);
  return { ok: true, output: `synchronised (kvno ${versions})` };
}

// ---- Test-NetConnection ---------------------------------------------------------------------------------

function testNetConnection(ctx: RunContext, host: string, target: string, port: number): Outcome {
  const w = ctx.world;
  const why = w.connect(host, target, port)?.text;
  const output = `ComputerName: ${w.host(target).name} RemotePort: ${port} TcpTestSucceeded: ${why ? 'False' : 'True'}`;
  say(ctx, host, 'Test-NetConnection', why ? `${output} (${why})` : output);
  return { ok: !why, output };
}
