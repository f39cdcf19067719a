/**
 * The Windows device around the Kerberos client: an Entra-joined or hybrid-joined workstation with its
 * GPOs, its logon session (active, locked, signed out), the LSA's cached logon verifier, and CloudAP with
 * the PRT (PROTOCOL-NOTES.md: "The Primary Refresh Token (PRT) and the cloud TGT", "Windows client
 * behaviour", "Cached logon").
 *
 * - logon: the on-prem AS exchange with the DC (real Kerberos, through the world) when a DC answers, else a
 *   cached logon checked against the DCC2 verifier of the last online logon, with no on-prem TGT; then
 *   CloudAP's PRT step (below) and the cloud TGT handed to Kerberos ("Kdc Called: TicketSuppliedAtLogon").
 * - CloudAP's PRT step, at logon and unlock only: it asks Entra (entra.ts) when there is no PRT, when
 *   `dsregcmd /RefreshPrt` asked for it, or when the PRT was last updated 4 hours ago or more; otherwise it
 *   keeps the PRT it has (Entra's "cached logon": no new cloud TGT). The first logon after a boot asks too
 *   (modelled: CloudAP starts with no logon session to reuse). Cloud TGTs are never renewed.
 * - Kerberos learns the cloud realm's top-level names and KDC proxy with the cloud TGT; realm choice then
 *   follows realm.ts. A network change drops the KDC proxy that came this way (modelled, the known issue
 *   `network-change-drops-proxy`), unless the GPO "Specify KDC proxy servers for Kerberos clients" sets it.
 *
 * The device's state is plain data in world.raw.actors["windows:HOST"], snapshotted with the world.
 */
import {
  listWindows,
  storeCredential,
  type CachedCredential,
  type ClientResult,
  type ClientSnapshot,
} from '../client';
import { runOperation, type World } from '../world';
import { formatName, formatPrincipal, parsePrincipal, tgsRealmOf } from '../asn1/principal';
import { formatDuration, isoSeconds } from '../asn1/time';
import { fromHex, toHex } from '../util/bytes';
import { checkDcc2, dcc2 } from './dcc2';
import { entraOf, PRT_REFRESH_INTERVAL, requestPrt } from './entra';
import { hostRealmTableFor } from './realm';

export type JoinType = 'entra' | 'hybrid';

export interface WindowsDeviceConfig {
  host: string;
  join: JoinType;
  /** The user who signs in here ("alice@CORP.CONTOSO.COM"). */
  user: string;
  /** GPO "Allow retrieving the cloud kerberos ticket during the logon". */
  cloudKerberosTicketRetrieval: boolean;
  /** GPO "Define host name-to-Kerberos realm mappings". */
  mapping?: Record<string, string>;
  /** GPO "Specify KDC proxy servers for Kerberos clients" names the cloud realm's proxy. */
  kdcProxyPolicy?: boolean;
}

export interface PrtState {
  id: string;
  updateTime: number;
  expiresAt: number;
}

export interface WindowsDevice {
  host: string;
  join: JoinType;
  user: string;
  policy: { cloudKerberosTicketRetrieval: boolean; kdcProxy: boolean };
  mapping: Record<string, string>;
  session: 'signed-out' | 'active' | 'locked';
  logonKind?: 'online' | 'cached';
  /** DCC2 of the last online logon, hex. */
  cachedVerifier?: string;
  /** A boot happened since CloudAP last spoke to Entra. */
  freshBoot: boolean;
  prt?: PrtState;
  /** `dsregcmd /RefreshPrt` was run: the next logon or unlock refreshes the PRT. */
  refreshPending: boolean;
  /** What the last PRT response brought for Kerberos (CloudAP keeps it in memory). */
  cloud?: { realm: string; topLevelNames: string[]; kdcProxy: string; tgt?: CachedCredential };
  /** Kerberos knows how to reach the cloud realm's KDC (its KDC proxy). */
  kdcProxyKnown: boolean;
}

/** What a Windows operation came to, as the console shows it. */
export interface WindowsOutcome {
  ok: boolean;
  output: string;
  windowsError?: number;
  errorCode?: number;
  realm?: string;
}

const key = (host: string) => `windows:${host}`;

export function windowsDevice(world: World, host: string): WindowsDevice | undefined {
  return world.raw.actors?.[key(host)] as WindowsDevice | undefined;
}

function device(world: World, host: string): WindowsDevice {
  const d = windowsDevice(world, host);
  if (!d) throw new Error(`${host} is not an Entra-joined or hybrid-joined Windows device`);
  return d;
}

/** Puts a Windows device (Entra or hybrid join) on a host that already has a Kerberos client. */
export function addWindowsDevice(world: World, config: WindowsDeviceConfig): WindowsDevice {
  const d: WindowsDevice = {
    host: config.host,
    join: config.join,
    user: config.user,
    policy: {
      cloudKerberosTicketRetrieval: config.cloudKerberosTicketRetrieval,
      kdcProxy: config.kdcProxyPolicy ?? false,
    },
    mapping: { ...(config.mapping ?? {}) },
    session: 'signed-out',
    freshBoot: true,
    refreshPending: false,
    kdcProxyKnown: config.kdcProxyPolicy ?? false,
  };
  world.raw.actors = { ...(world.raw.actors ?? {}), [key(config.host)]: d };
  applyKerberosConfig(world, d);
  return d;
}

function snap(world: World, host: string): ClientSnapshot {
  return world.raw.clients[host] as ClientSnapshot;
}

const homeRealm = (d: WindowsDevice) => parsePrincipal(d.user).realm;
const accountName = (d: WindowsDevice) => parsePrincipal(d.user).name.nameString[0]!;

/** The Kerberos client's host-to-realm table from the GPO mapping and what came with the cloud TGT. */
export function applyKerberosConfig(world: World, d: WindowsDevice): void {
  const cfg = snap(world, d.host).config;
  const cloud =
    d.cloud && d.policy.cloudKerberosTicketRetrieval
      ? { realm: d.cloud.realm, topLevelNames: d.cloud.topLevelNames }
      : undefined;
  const table = hostRealmTableFor(d.mapping, cloud);
  if (table) cfg.hostRealm = table;
  else delete cfg.hostRealm;
}

/** Sets the explicit GPO host-to-realm mapping. */
export function setMapping(world: World, host: string, mapping: Record<string, string>): void {
  const d = device(world, host);
  d.mapping = { ...mapping };
  applyKerberosConfig(world, d);
}

function say(world: World, host: string, type: string, text: string): void {
  world.action(host, type, text);
}

const hostNowOf = (world: World, host: string) => world.hostNow(host);

function validTgtFor(
  cache: ClientSnapshot['cache'],
  realm: string,
  now: number,
): CachedCredential | undefined {
  return cache.credentials.find(
    (c) => tgsRealmOf(c.server.name) === realm && c.server.realm === realm && c.endtime > now,
  );
}

/**
 * Runs `fn` with the world's KDC locator as this device's Kerberos sees it: without the cloud realm's
 * KDC proxy when the device does not know it (no cloud TGT yet, or a network change dropped it).
 */
export function withDeviceLocator<T>(world: World, host: string, fn: () => T): T {
  const d = windowsDevice(world, host);
  const entra = entraOf(world);
  if (!d || !entra || d.kdcProxyKnown) return fn();
  const loc = world.raw.locator[entra.realm];
  if (!loc) return fn();
  delete world.raw.locator[entra.realm];
  try {
    return fn();
  } finally {
    world.raw.locator[entra.realm] = loc;
  }
}

// ---- CloudAP ---------------------------------------------------------------------------------------------

/** Why CloudAP asks Entra now, or undefined when it keeps the PRT it has (the 4-hour rule). */
export function prtRefreshReason(d: WindowsDevice, now: number): string | undefined {
  if (!d.prt) return 'no PRT yet';
  if (now >= d.prt.expiresAt) return 'the PRT has expired';
  if (d.refreshPending) return 'dsregcmd /RefreshPrt asked for it';
  if (d.freshBoot) return 'the first sign-in since the device started';
  if (now - d.prt.updateTime >= PRT_REFRESH_INTERVAL)
    return `the PRT was last updated ${formatDuration(now - d.prt.updateTime)} ago, at least 4h`;
  return undefined;
}

/** CloudAP at a sign-in (logon or unlock): refresh the PRT when allowed, then hand Kerberos the cloud TGT. */
function cloudApSignIn(world: World, d: WindowsDevice, when: 'logon' | 'unlock'): string {
  const now = hostNowOf(world, d.host);
  const why = prtRefreshReason(d, now);
  let text: string;
  if (why) {
    const r = requestPrt(world, d.host, {
      user: d.user,
      wantTgt: d.policy.cloudKerberosTicketRetrieval,
      reason: `${when}: ${why}`,
    });
    const had = d.prt !== undefined;
    if (r.ok) {
      d.prt = { id: r.prt.id, updateTime: r.prt.issuedAt, expiresAt: r.prt.expiresAt };
      d.refreshPending = false;
      d.freshBoot = false;
      const entra = entraOf(world)!;
      d.cloud = r.cloudTgt
        ? { realm: entra.realm, topLevelNames: r.topLevelNames, kdcProxy: r.kdcProxy, tgt: r.cloudTgt }
        : undefined;
      text = `CloudAP: PRT ${had ? 'updated' : 'issued'} (${why})${r.cloudTgt ? ' with a cloud TGT' : d.policy.cloudKerberosTicketRetrieval ? `, no cloud TGT: ${r.noTgt ?? '?'}` : ', no cloud TGT: the GPO "Allow retrieving the cloud kerberos ticket during the logon" is off'}`;
    } else {
      text = `CloudAP: Entra cannot be reached (${r.why}): ${d.prt ? `it keeps the PRT updated at ${isoSeconds(d.prt.updateTime)}` : 'no PRT'}`;
    }
  } else {
    text = `CloudAP: the PRT was updated at ${isoSeconds(d.prt!.updateTime)}, ${formatDuration(now - d.prt!.updateTime)} ago (less than 4h): no request to Entra, no new cloud TGT`;
  }
  say(world, d.host, 'cloudap', text);
  handCloudTgtToKerberos(world, d);
  return text;
}

/** The cloud TGT CloudAP holds goes into the logon session's ticket cache (TicketSuppliedAtLogon). */
function handCloudTgtToKerberos(world: World, d: WindowsDevice): void {
  const tgt = d.cloud?.tgt;
  const now = hostNowOf(world, d.host);
  if (!d.policy.cloudKerberosTicketRetrieval || !tgt || tgt.endtime <= now) {
    applyKerberosConfig(world, d);
    return;
  }
  const s = snap(world, d.host);
  const held = s.cache.credentials.find(
    (c) => formatPrincipal(c.server) === formatPrincipal(tgt.server) && c.authtime === tgt.authtime,
  );
  s.cache.defaultPrincipal ??= parsePrincipal(d.user);
  if (!held) {
    storeCredential(s.cache, structuredClone(tgt));
    say(
      world,
      d.host,
      'kerberos',
      `Kerberos receives the cloud TGT ${formatName(tgt.server.name)} @ ${tgt.server.realm} (valid until ${isoSeconds(tgt.endtime)}, Kdc Called: TicketSuppliedAtLogon), KerbTopLevelNames ${d.cloud!.topLevelNames.join(',')} and the KDC proxy ${d.cloud!.kdcProxy}`,
    );
  }
  d.kdcProxyKnown = true;
  applyKerberosConfig(world, d);
}

// ---- the session -------------------------------------------------------------------------------------------

const LOGON_ERRORS: Record<number, number> = { 6: 1326, 24: 1326, 37: 1398 };

/** Interactive logon: on-prem first (or cached), then CloudAP. */
export function logon(world: World, host: string, password: string): WindowsOutcome {
  const d = device(world, host);
  const s = snap(world, host);
  // a new logon session: its ticket cache starts empty
  s.cache.credentials = [];
  delete s.cache.defaultPrincipal;
  d.kdcProxyKnown = d.policy.kdcProxy;
  const r: ClientResult = runOperation(world, host, { kind: 'sign-in', password });
  let output: string;
  if (r.ok) {
    d.logonKind = 'online';
    d.cachedVerifier = toHex(dcc2(accountName(d), password));
    output = `signed in at the DC (on-prem TGT ${formatPrincipal(r.credential.server)})`;
    say(world, host, 'lsa', `${host}: the LSA keeps a cached logon verifier (DCC2) for ${accountName(d)}`);
  } else if (r.error.kind === 'transport') {
    if (!d.cachedVerifier || !checkDcc2(accountName(d), password, fromHex(d.cachedVerifier))) {
      const text = d.cachedVerifier
        ? 'no DC answered, and the password does not match the cached logon verifier'
        : 'no DC answered, and this user has never signed in here online (no cached logon)';
      say(world, host, 'logon failed', text);
      return {
        ok: false,
        windowsError: d.cachedVerifier ? 1326 : 1311,
        output: d.cachedVerifier
          ? 'The user name or password is incorrect.'
          : 'There are currently no logon servers available to service the logon request.',
      };
    }
    d.logonKind = 'cached';
    s.cache.defaultPrincipal = parsePrincipal(d.user);
    output = 'signed in using cached account information (no DC reachable: no on-prem TGT)';
    say(
      world,
      host,
      'lsa',
      `${host}: no DC answered; the password matches the cached logon verifier (DCC2): signed in with cached credentials, without an on-prem TGT`,
    );
  } else {
    const code = r.error.code;
    const winErr = code !== undefined ? (LOGON_ERRORS[code] ?? 1326) : 1326;
    say(world, host, 'logon failed', `the sign-in failed: ${r.error.message}`);
    return {
      ok: false,
      windowsError: winErr,
      ...(code !== undefined ? { errorCode: code } : {}),
      output: r.error.message,
    };
  }
  d.session = 'active';
  const cloud = cloudApSignIn(world, d, 'logon');
  return { ok: true, output: `${output}; ${cloud}`, realm: homeRealm(d) };
}

export function lock(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  if (d.session !== 'active') return { ok: false, output: 'nobody is signed in to lock the session' };
  d.session = 'locked';
  say(world, host, 'lock', `${host}: the session is locked`);
  return { ok: true, output: 'locked' };
}

export function unlock(world: World, host: string, password: string): WindowsOutcome {
  const d = device(world, host);
  if (d.session !== 'locked') return { ok: false, output: 'the session is not locked' };
  if (d.cachedVerifier && !checkDcc2(accountName(d), password, fromHex(d.cachedVerifier))) {
    say(world, host, 'unlock failed', 'the password is incorrect');
    return { ok: false, windowsError: 1326, output: 'The user name or password is incorrect.' };
  }
  d.session = 'active';
  say(world, host, 'unlock', `${host}: the session is unlocked`);
  const before = d.prt?.updateTime;
  const cloud = cloudApSignIn(world, d, 'unlock');
  const refreshed = d.prt?.updateTime !== before;
  return { ok: true, output: `unlocked; ${refreshed ? 'PRT refreshed' : 'PRT not refreshed'}: ${cloud}` };
}

/** A restart: memory is gone (tickets, CloudAP's cloud TGT, a KDC proxy learned at logon); the PRT stays on disk. */
export function reboot(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  const s = snap(world, host);
  s.cache.credentials = [];
  delete s.cache.defaultPrincipal;
  d.session = 'signed-out';
  d.freshBoot = true;
  delete d.cloud;
  d.kdcProxyKnown = d.policy.kdcProxy;
  applyKerberosConfig(world, d);
  say(
    world,
    host,
    'reboot',
    `${host} restarts: the ticket cache and CloudAP's cloud TGT are gone; the PRT stays on disk`,
  );
  return { ok: true, output: 'restarted' };
}

export function refreshPrt(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  d.refreshPending = true;
  say(
    world,
    host,
    'dsregcmd /RefreshPrt',
    `${host}: dsregcmd /RefreshPrt: the next sign-in (lock and unlock, or logon) refreshes the PRT whatever its age (modelled)`,
  );
  return { ok: true, output: 'The PRT will be refreshed at the next sign-in (lock and unlock).' };
}

export type WindowsPolicy = 'cloud-kerberos-ticket-retrieval' | 'kdc-proxy-servers';

export function setPolicy(
  world: World,
  host: string,
  policy: WindowsPolicy,
  enabled: boolean,
): WindowsOutcome {
  const d = device(world, host);
  if (policy === 'cloud-kerberos-ticket-retrieval') d.policy.cloudKerberosTicketRetrieval = enabled;
  else {
    d.policy.kdcProxy = enabled;
    if (enabled) d.kdcProxyKnown = true;
  }
  applyKerberosConfig(world, d);
  const name =
    policy === 'cloud-kerberos-ticket-retrieval'
      ? 'Allow retrieving the cloud kerberos ticket during the logon'
      : `Specify KDC proxy servers for Kerberos clients (${entraOf(world)?.realm ?? '?'} → ${entraOf(world)?.kdcProxy ?? '?'})`;
  say(world, host, 'gpupdate', `GPO "${name}": ${enabled ? 'Enabled' : 'Disabled'}`);
  return { ok: true, output: 'Computer Policy update has completed successfully.' };
}

/** Switching networks (modelled): the KDC proxy learned with the cloud TGT is forgotten. */
export function networkChange(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  d.kdcProxyKnown = d.policy.kdcProxy;
  say(
    world,
    host,
    'network-change',
    d.policy.kdcProxy
      ? `${host} joins another network; the KDC proxy comes from the GPO, so Kerberos still knows it`
      : `${host} joins another network: Kerberos forgets the KDC proxy that came with the cloud TGT (modelled, a known issue) until the next sign-in that brings a cloud TGT, or the KDC proxy GPO`,
  );
  return { ok: true, output: 'network changed' };
}

/**
 * The LSA asks for a new on-prem TGT when the logon session has none (purged, expired, a cached logon) and
 * a DC answers; the other tickets (the cloud TGT, service tickets) stay. With no DC in sight it says so and
 * does nothing (a cached logon stays without an on-prem TGT).
 */
export function ensureOnPremTgt(world: World, host: string, password: string): void {
  const d = device(world, host);
  if (d.session === 'signed-out') return;
  const s = snap(world, host);
  const home = homeRealm(d);
  const now = hostNowOf(world, host);
  if (validTgtFor(s.cache, home, now)) return;
  const dc = world.raw.locator[home]?.host;
  const blocked = dc ? world.unreachable(host, dc, 88) : { text: `no KDC is known for ${home}` };
  if (blocked) {
    say(
      world,
      host,
      'lsa',
      `${host}: no on-prem TGT and no DC in sight (${blocked.text}): the session goes on without one`,
    );
    return;
  }
  say(
    world,
    host,
    'lsa',
    `${host}: no valid on-prem TGT in the logon session: the LSA signs in at the DC again`,
  );
  const kept = s.cache.credentials.filter(
    (c) => !(tgsRealmOf(c.server.name) === home && c.server.realm === home),
  );
  const r = runOperation(world, host, { kind: 'sign-in', password });
  if (r.ok) {
    const after = snap(world, host);
    for (const c of kept) storeCredential(after.cache, c);
    if (d.logonKind === 'cached') d.logonKind = 'online';
    d.cachedVerifier = toHex(dcc2(accountName(d), password));
  }
}

// ---- what the console prints ---------------------------------------------------------------------------

const dsTime = (ms: number) => `${isoSeconds(ms).replace('T', ' ').replace('Z', '')}.000 UTC`;
const row = (name: string, value: string) => `${name.padStart(30)} : ${value}`.trimEnd();
const box = (title: string) => {
  const line = `+${'-'.repeat(70)}+`;
  return [line, `| ${title.padEnd(69)}|`, line, ''];
};

/** What `dsregcmd /status` prints (the Device State and SSO State sections). */
export function dsregcmdStatus(world: World, host: string): string {
  const d = device(world, host);
  const entra = entraOf(world);
  const s = snap(world, host);
  const now = hostNowOf(world, host);
  const home = homeRealm(d);
  const prtValid = d.prt !== undefined && now < d.prt.expiresAt;
  const cloudTgt = entra ? validTgtFor(s.cache, entra.realm, now) : undefined;
  const onPrem = validTgtFor(s.cache, home, now);
  const lines = [
    ...box('Device State'),
    row('AzureAdJoined', 'YES'),
    row('EnterpriseJoined', 'NO'),
    row('DomainJoined', d.join === 'hybrid' ? 'YES' : 'NO'),
    ...(d.join === 'hybrid' ? [row('DomainName', home.split('.')[0]!)] : []),
    row('Device Name', world.host(host).name),
    '',
    ...box('SSO State'),
    row('AzureAdPrt', prtValid ? 'YES' : 'NO'),
    ...(d.prt
      ? [
          row('AzureAdPrtUpdateTime', dsTime(d.prt.updateTime)),
          row('AzureAdPrtExpiryTime', dsTime(d.prt.expiresAt)),
          row('AzureAdPrtAuthority', entra ? `https://${world.host(entra.host).name}/${entra.tenantId}` : ''),
        ]
      : []),
    row('EnterprisePrt', 'NO'),
    row('EnterprisePrtAuthority', ''),
    row('OnPremTgt', onPrem ? 'YES' : 'NO'),
    row('CloudTgt', cloudTgt ? 'YES' : 'NO'),
    row(
      'KerbTopLevelNames',
      d.cloud && d.policy.cloudKerberosTicketRetrieval ? d.cloud.topLevelNames.join(',') : '',
    ),
  ];
  return lines.join('\n') + '\n';
}

/** The SSO State in one line, for a console summary and outcome checks. */
export function ssoStateLine(world: World, host: string): string {
  const text = dsregcmdStatus(world, host);
  const field = (name: string) => new RegExp(`^\\s*${name} : ?(.*)$`, 'm').exec(text)?.[1] ?? '';
  return ['AzureAdPrt', 'AzureAdPrtUpdateTime', 'OnPremTgt', 'CloudTgt', 'KerbTopLevelNames']
    .map((f) => `${f}: ${field(f) || '(none)'}`)
    .join('; ');
}

/** `klist` as Windows prints it, for this device's logon session. */
export function klist(world: World, host: string): string {
  return listWindows(snap(world, host).cache, { now: hostNowOf(world, host) });
}
