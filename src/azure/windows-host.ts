/**
 * Windows on a host, whatever its join — Active Directory only, Entra, or hybrid: its state in the world
 * (`WindowsHostState`: the LSA's logon session and the password it holds, the cached logon verifier, the
 * GPOs, mapped drives, and CloudAP on an Entra or hybrid device), how Kerberos is set up from it, and how
 * a console line is written. The session (windows.ts), CloudAP (cloudap.ts) and the commands a person
 * types (console.ts) build on this.
 */
import type { CachedCredential, CredentialCache } from '../client';
import { parsePrincipal, tgsRealmOf } from '../asn1/principal';
import {
  WorldError,
  type CloudApState,
  type JoinType,
  type WindowsHostState,
  type WindowsRelease,
  type World,
} from '../world';
import { entraOf } from './entra';
import { hostRealmTableFor } from './realm';

export interface WindowsHostConfig {
  host: string;
  join: JoinType;
  /** The user who signs in here ("alice@CORP.CONTOSO.COM"). */
  user: string;
  /** The user's password, which the LSA holds once the user has typed it. */
  password: string;
  /** GPO "Allow retrieving the cloud kerberos ticket during the logon" (Entra and hybrid devices). */
  cloudKerberosTicketRetrieval?: boolean;
  /** GPO "Define host name-to-Kerberos realm mappings". */
  mapping?: Record<string, string>;
  /** GPO "Specify KDC proxy servers for Kerberos clients" names the cloud realm's proxy. */
  kdcProxyPolicy?: boolean;
  /** A host without Entra: the cloud realm's top-level names set by policy (KerbTopLevelNames). */
  topLevelNames?: { realm: string; topLevelNames: string[] };
  /** The Windows release (absent: a current Windows 11). */
  os?: WindowsRelease;
}

/** What a Windows command came to, as the console shows it. */
export interface WindowsOutcome {
  ok: boolean;
  output: string;
  windowsError?: number;
  errorCode?: number;
  /** The realm of the ticket the command got (its server's realm). */
  realm?: string;
  fromCache?: boolean;
}

const joinedToEntra = (join: JoinType) => join === 'entra' || join === 'hybrid';

/** Puts Windows on a host that already has a Kerberos client. An Entra or hybrid device gets CloudAP. */
export function addWindowsHost(world: World, config: WindowsHostConfig): WindowsHostState {
  const kdcProxy = config.kdcProxyPolicy ?? false;
  const d: WindowsHostState = {
    join: config.join,
    user: config.user,
    password: config.password,
    session: 'signed-out',
    policy: {
      hostRealm: { ...(config.mapping ?? {}) },
      cloudKerberosTicketRetrieval: config.cloudKerberosTicketRetrieval ?? false,
      kdcProxy,
      ...(config.topLevelNames ? { topLevelNames: structuredClone(config.topLevelNames) } : {}),
    },
    drives: {},
    ...(config.os ? { os: config.os } : {}),
    ...(joinedToEntra(config.join)
      ? { cloudAp: { freshBoot: true, refreshPending: false, kdcProxyKnown: kdcProxy } }
      : {}),
  };
  world.setWindowsHost(config.host, d);
  applyKerberosConfig(world, config.host);
  return d;
}

/** Windows on a host. */
export function windowsHost(world: World, host: string): WindowsHostState {
  const d = world.windowsHost(host);
  if (!d)
    throw new WorldError(
      `${host} does not run Windows: only a Windows client host has a logon session, a console and mapped drives`,
    );
  return d;
}

/** Windows on a host, when it is an Entra-joined or hybrid-joined device. */
export function windowsDevice(world: World, host: string): WindowsHostState | undefined {
  const d = world.windowsHost(host);
  return d?.cloudAp ? d : undefined;
}

export type WindowsDevice = WindowsHostState & { cloudAp: CloudApState };

/** Windows on an Entra-joined or hybrid-joined device, with its CloudAP. */
export function device(world: World, host: string): WindowsDevice {
  const d = world.windowsHost(host);
  if (!d?.cloudAp)
    throw new WorldError(
      `${host} is not an Entra-joined or hybrid-joined Windows device: only such a device has CloudAP and a Primary Refresh Token`,
    );
  return d as WindowsDevice;
}

/**
 * The LSA's LUID before the first user's: 0x3e7 is SYSTEM's, 0x3e4 and 0x3e5 the network and local
 * services', and interactive sessions get larger ones as the machine runs (modelled: one counter for
 * the world, so every run of a scenario gives the same ids).
 */
const LOGON_LUID_BASE = 0x2d4c0;

/** A sign-in starts a new logon session: its own LogonId, as klist shows it ("Current LogonId is 0:0x2d4c1"). */
export function startLogonSession(world: World, d: WindowsHostState): void {
  d.logonId = `0:0x${(LOGON_LUID_BASE + world.nextLogonSession()).toString(16)}`;
}

export const homeRealm = (d: WindowsHostState) => parsePrincipal(d.user).realm;
export const accountName = (d: WindowsHostState) => parsePrincipal(d.user).name.nameString[0]!;

/**
 * Kerberos as Windows sets it up on this host: the client's host-to-realm table from the GPO mapping and
 * the cloud realm's top-level names (with the cloud TGT on a device, by policy elsewhere), and — on a
 * device — the host's own KDC locator, where the cloud realm is found only through a KDC proxy Kerberos
 * knows of (from the cloud TGT or the GPO; a network change makes it forget the first).
 */
export function applyKerberosConfig(world: World, host: string): void {
  const d = windowsHost(world, host);
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

/** Kerberos knows the cloud realm's KDC proxy, or forgets it: the host's locator follows. */
export function setKdcProxyKnown(world: World, host: string, known: boolean): void {
  device(world, host).cloudAp.kdcProxyKnown = known;
  applyKerberosConfig(world, host);
}

/** A console line (an action in the trace), with the Windows error it showed, if any. */
export function say(world: World, host: string, type: string, text: string, windowsError?: number): void {
  const e = world.action(host, type, text);
  if (windowsError !== undefined) world.annotate(e.seq, { windowsError });
}

/** A command's outcome, with its "failed" line when it failed (its other lines are written already). */
export function reported(world: World, host: string, what: string, r: WindowsOutcome): WindowsOutcome {
  if (!r.ok) say(world, host, `${what} failed`, r.output, r.windowsError);
  return r;
}

/** A TGT of `realm` for `realm` (a home TGT, or the cloud TGT) still valid at `now`. */
export function validTgtFor(
  cache: CredentialCache,
  realm: string,
  now: number,
): CachedCredential | undefined {
  return cache.credentials.find(
    (c) => tgsRealmOf(c.server.name) === realm && c.server.realm === realm && c.endtime > now,
  );
}

/** A new logon session (or a restart): the ticket cache starts empty. */
export function emptyTicketCache(world: World, host: string): void {
  const cache = world.client(host).cache;
  cache.credentials = [];
  delete cache.defaultPrincipal;
}
