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
 * The device's state is plain data in its host's state (`WindowsHostState`), snapshotted with the world.
 */
import {
  listWindows,
  storeCredential,
  type CachedCredential,
  type ClientResult,
  type CredentialCache,
} from '../client';
import { runOperation, type CloudApState, type JoinType, type WindowsHostState, type World } from '../world';
import { formatName, formatPrincipal, parsePrincipal, tgsRealmOf } from '../protocol/principal';
import { formatDuration, isoSeconds } from '../protocol/time';
import { fromHex, toHex } from '../util/bytes';
import { checkDcc2, dcc2 } from './dcc2';
import { entraOf, PRT_REFRESH_INTERVAL, requestPrt } from './entra';
import { hostRealmTableFor } from './realm';

export interface WindowsDeviceConfig {
  host: string;
  join: JoinType;
  /** The user who signs in here ("alice@CORP.CONTOSO.COM"). */
  user: string;
  /** The user's password, which the LSA keeps once the user has typed it. */
  password: string;
  /** GPO "Allow retrieving the cloud kerberos ticket during the logon". */
  cloudKerberosTicketRetrieval: boolean;
  /** GPO "Define host name-to-Kerberos realm mappings". */
  mapping?: Record<string, string>;
  /** GPO "Specify KDC proxy servers for Kerberos clients" names the cloud realm's proxy. */
  kdcProxyPolicy?: boolean;
}

/** What a Windows operation came to, as the console shows it. */
export interface WindowsOutcome {
  ok: boolean;
  output: string;
  windowsError?: number;
  errorCode?: number;
  realm?: string;
}

/** Windows on a host, when it is an Entra-joined or hybrid-joined device. */
export function windowsDevice(world: World, host: string): WindowsHostState | undefined {
  const w = world.windowsHost(host);
  return w?.cloudAp ? w : undefined;
}

/** Windows on an Entra-joined or hybrid-joined device, with its CloudAP. */
function device(world: World, host: string): WindowsHostState & { cloudAp: CloudApState } {
  const d = world.windowsHost(host);
  if (!d?.cloudAp) throw new Error(`${host} is not an Entra-joined or hybrid-joined Windows device`);
  return d as WindowsHostState & { cloudAp: CloudApState };
}

/** Puts a Windows device (Entra or hybrid join) on a host that already has a Kerberos client. */
export function addWindowsDevice(world: World, config: WindowsDeviceConfig): WindowsHostState {
  const d: WindowsHostState = {
    join: config.join,
    user: config.user,
    password: config.password,
    session: 'signed-out',
    policy: {
      hostRealm: { ...(config.mapping ?? {}) },
      cloudKerberosTicketRetrieval: config.cloudKerberosTicketRetrieval,
      kdcProxy: config.kdcProxyPolicy ?? false,
    },
    drives: {},
    cloudAp: {
      freshBoot: true,
      refreshPending: false,
      kdcProxyKnown: config.kdcProxyPolicy ?? false,
    },
  };
  world.setWindowsHost(config.host, d);
  applyKerberosConfig(world, config.host);
  return d;
}

const homeRealm = (d: WindowsHostState) => parsePrincipal(d.user).realm;
const accountName = (d: WindowsHostState) => parsePrincipal(d.user).name.nameString[0]!;

/**
 * Kerberos as Windows sets it up on this host: the client's host-to-realm table from the GPO mapping and
 * what came with the cloud TGT (or the top-level names policy sets), and the host's own KDC locator,
 * where the cloud realm is found only through a KDC proxy Kerberos knows of (from the cloud TGT or the
 * GPO; a network change makes it forget the first).
 */
export function applyKerberosConfig(world: World, host: string): void {
  const d = world.windowsHost(host);
  if (!d) return;
  const cfg = world.client(host).config;
  const ca = d.cloudAp;
  const cloud = ca
    ? ca.cloud && d.policy.cloudKerberosTicketRetrieval
      ? { realm: ca.cloud.realm, topLevelNames: ca.cloud.topLevelNames }
      : undefined
    : d.policy.topLevelNames;
  const table = hostRealmTableFor(d.policy.hostRealm, cloud);
  if (table) cfg.hostRealm = table;
  else delete cfg.hostRealm;
  const entra = entraOf(world);
  if (ca && entra) world.setHostLocator(host, entra.realm, ca.kdcProxyKnown ? undefined : null);
}

/** Sets the explicit GPO host-to-realm mapping. */
export function setMapping(world: World, host: string, mapping: Record<string, string>): void {
  const d = device(world, host);
  d.policy.hostRealm = { ...mapping };
  applyKerberosConfig(world, host);
}

function say(world: World, host: string, type: string, text: string): void {
  world.action(host, type, text);
}

function validTgtFor(cache: CredentialCache, realm: string, now: number): CachedCredential | undefined {
  return cache.credentials.find(
    (c) => tgsRealmOf(c.server.name) === realm && c.server.realm === realm && c.endtime > now,
  );
}

// ---- CloudAP ---------------------------------------------------------------------------------------------

/** Why CloudAP asks Entra now, or undefined when it keeps the PRT it has (the 4-hour rule). */
export function prtRefreshReason(ca: CloudApState, now: number): string | undefined {
  if (!ca.prt) return 'no PRT yet';
  if (now >= ca.prt.expiresAt) return 'the PRT has expired';
  if (ca.refreshPending) return 'dsregcmd /RefreshPrt asked for it';
  if (ca.freshBoot) return 'the first sign-in since the device started';
  if (now - ca.prt.updateTime >= PRT_REFRESH_INTERVAL)
    return `the PRT was last updated ${formatDuration(now - ca.prt.updateTime)} ago, at least 4h`;
  return undefined;
}

/** Kerberos knows the cloud realm's KDC proxy, or forgets it: the host's locator follows. */
function setKdcProxyKnown(world: World, host: string, known: boolean): void {
  device(world, host).cloudAp.kdcProxyKnown = known;
  applyKerberosConfig(world, host);
}

/** CloudAP at a sign-in (logon or unlock): refresh the PRT when allowed, then hand Kerberos the cloud TGT. */
function cloudApSignIn(world: World, host: string, when: 'logon' | 'unlock'): string {
  const d = device(world, host);
  const ca = d.cloudAp;
  const now = world.hostNow(host);
  const why = prtRefreshReason(ca, now);
  let text: string;
  if (why) {
    const r = requestPrt(world, host, {
      user: d.user,
      wantTgt: d.policy.cloudKerberosTicketRetrieval,
      reason: `${when}: ${why}`,
    });
    const had = ca.prt !== undefined;
    if (r.ok) {
      ca.prt = { id: r.prt.id, updateTime: r.prt.issuedAt, expiresAt: r.prt.expiresAt };
      ca.refreshPending = false;
      ca.freshBoot = false;
      const entra = entraOf(world)!;
      if (r.cloudTgt)
        ca.cloud = {
          realm: entra.realm,
          topLevelNames: r.topLevelNames,
          kdcProxy: r.kdcProxy,
          tgt: r.cloudTgt,
        };
      else delete ca.cloud;
      text = `CloudAP: PRT ${had ? 'updated' : 'issued'} (${why})${r.cloudTgt ? ' with a cloud TGT' : d.policy.cloudKerberosTicketRetrieval ? `, no cloud TGT: ${r.noTgt ?? '?'}` : ', no cloud TGT: the GPO "Allow retrieving the cloud kerberos ticket during the logon" is off'}`;
    } else {
      text = `CloudAP: Entra cannot be reached (${r.why}): ${ca.prt ? `it keeps the PRT updated at ${isoSeconds(ca.prt.updateTime)}` : 'no PRT'}`;
    }
  } else {
    text = `CloudAP: the PRT was updated at ${isoSeconds(ca.prt!.updateTime)}, ${formatDuration(now - ca.prt!.updateTime)} ago (less than 4h): no request to Entra, no new cloud TGT`;
  }
  say(world, host, 'cloudap', text);
  handCloudTgtToKerberos(world, host);
  return text;
}

/** The cloud TGT CloudAP holds goes into the logon session's ticket cache (TicketSuppliedAtLogon). */
function handCloudTgtToKerberos(world: World, host: string): void {
  const d = device(world, host);
  const cloud = d.cloudAp.cloud;
  const tgt = cloud?.tgt;
  if (!cloud || !tgt || !d.policy.cloudKerberosTicketRetrieval || tgt.endtime <= world.hostNow(host)) {
    applyKerberosConfig(world, host);
    return;
  }
  const cache = world.client(host).cache;
  const held = cache.credentials.find(
    (c) => formatPrincipal(c.server) === formatPrincipal(tgt.server) && c.authtime === tgt.authtime,
  );
  cache.defaultPrincipal ??= parsePrincipal(d.user);
  if (!held) {
    storeCredential(cache, structuredClone(tgt));
    say(
      world,
      host,
      'kerberos',
      `Kerberos receives the cloud TGT ${formatName(tgt.server.name)} @ ${tgt.server.realm} (valid until ${isoSeconds(tgt.endtime)}, Kdc Called: TicketSuppliedAtLogon), KerbTopLevelNames ${cloud.topLevelNames.join(',')} and the KDC proxy ${cloud.kdcProxy}`,
    );
  }
  setKdcProxyKnown(world, host, true);
}

/** A new logon session: its ticket cache starts empty. */
function emptyTicketCache(world: World, host: string): void {
  const cache = world.client(host).cache;
  cache.credentials = [];
  delete cache.defaultPrincipal;
}

// ---- the session -------------------------------------------------------------------------------------------

const LOGON_ERRORS: Record<number, number> = { 6: 1326, 24: 1326, 37: 1398 };

/** Interactive logon: on-prem first (or cached), then CloudAP. */
export function logon(world: World, host: string, password: string): WindowsOutcome {
  const d = device(world, host);
  emptyTicketCache(world, host);
  setKdcProxyKnown(world, host, d.policy.kdcProxy);
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
    world.client(host).cache.defaultPrincipal = parsePrincipal(d.user);
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
  const cloud = cloudApSignIn(world, host, 'logon');
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
  const before = d.cloudAp.prt?.updateTime;
  const cloud = cloudApSignIn(world, host, 'unlock');
  const refreshed = d.cloudAp.prt?.updateTime !== before;
  return { ok: true, output: `unlocked; ${refreshed ? 'PRT refreshed' : 'PRT not refreshed'}: ${cloud}` };
}

/** A restart: memory is gone (tickets, CloudAP's cloud TGT, a KDC proxy learned at logon); the PRT stays on disk. */
export function reboot(world: World, host: string): WindowsOutcome {
  const d = device(world, host);
  emptyTicketCache(world, host);
  d.session = 'signed-out';
  d.cloudAp.freshBoot = true;
  delete d.cloudAp.cloud;
  setKdcProxyKnown(world, host, d.policy.kdcProxy);
  say(
    world,
    host,
    'reboot',
    `${host} restarts: the ticket cache and CloudAP's cloud TGT are gone; the PRT stays on disk`,
  );
  return { ok: true, output: 'restarted' };
}

export function refreshPrt(world: World, host: string): WindowsOutcome {
  device(world, host).cloudAp.refreshPending = true;
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
    if (enabled) d.cloudAp.kdcProxyKnown = true;
  }
  applyKerberosConfig(world, host);
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
  setKdcProxyKnown(world, host, d.policy.kdcProxy);
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
  const home = homeRealm(d);
  if (validTgtFor(world.client(host).cache, home, world.hostNow(host))) return;
  const dc = world.locatorFor(host, home)?.host;
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
  const kept = world
    .client(host)
    .cache.credentials.filter((c) => !(tgsRealmOf(c.server.name) === home && c.server.realm === home));
  const r = runOperation(world, host, { kind: 'sign-in', password });
  if (r.ok) {
    const after = world.client(host).cache;
    for (const c of kept) storeCredential(after, c);
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
  const { prt, cloud } = d.cloudAp;
  const entra = entraOf(world);
  const cache = world.client(host).cache;
  const now = world.hostNow(host);
  const home = homeRealm(d);
  const prtValid = prt !== undefined && now < prt.expiresAt;
  const cloudTgt = entra ? validTgtFor(cache, entra.realm, now) : undefined;
  const onPrem = validTgtFor(cache, home, now);
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
    ...(prt
      ? [
          row('AzureAdPrtUpdateTime', dsTime(prt.updateTime)),
          row('AzureAdPrtExpiryTime', dsTime(prt.expiresAt)),
          row('AzureAdPrtAuthority', entra ? `https://${world.host(entra.host).name}/${entra.tenantId}` : ''),
        ]
      : []),
    row('EnterprisePrt', 'NO'),
    row('EnterprisePrtAuthority', ''),
    row('OnPremTgt', onPrem ? 'YES' : 'NO'),
    row('CloudTgt', cloudTgt ? 'YES' : 'NO'),
    row(
      'KerbTopLevelNames',
      cloud && d.policy.cloudKerberosTicketRetrieval ? cloud.topLevelNames.join(',') : '',
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
  return listWindows(world.client(host).cache, { now: world.hostNow(host) });
}
