/**
 * The credential cache: the tickets a client holds, each with its session key, times and flags — what
 * MIT keeps in a ccache file and Windows in the LSA's ticket cache. Plain data (no classes, no closures),
 * so the world snapshots it with structuredClone and stepping back restores it exactly.
 *
 * Two listings, as the two worlds print them: MIT `klist -e -f` and Windows `klist`; and an export to an
 * MIT ccache file (src/formats) that MIT's own `klist -c` reads.
 */
import { flagsToHex, flagsToNames, ticketFlags, ticketFlagsToKlistString } from '../asn1/registry';
import { findEnctype } from '../crypto';
import { encodeCcache, type CcacheCredential } from '../formats';
import { formatName, formatPrincipal, sameName, tgsRealmOf, type Principal } from '../asn1/principal';
import { escapeControls as t } from '../util/printable';
import { CredentialError } from './errors';

/** A key as plain data (the crypto layer's Key, without readonly, so a snapshot can hold it). */
export interface KeyData {
  etype: number;
  bytes: Uint8Array;
}

/** One ticket with what the client learned about it from the encrypted part of the reply. */
export interface CachedCredential {
  client: Principal;
  server: Principal;
  /** The session key shared with `server` (EncKDCRepPart.key). */
  sessionKey: KeyData;
  /** Times in ms since the epoch; starttime is the authtime when the reply had none. */
  authtime: number;
  starttime: number;
  endtime: number;
  renewTill?: number;
  /** The flags of EncKDCRepPart (what klist shows), bit 0 = 0x80000000. */
  flags: number;
  /** The Ticket, DER, exactly as the KDC sent it. The client cannot open it. */
  ticket: Uint8Array;
  /** The ticket's enc-part enctype and kvno (readable without the server's key). */
  ticketEtype: number;
  ticketKvno?: number;
  /** Which KDC issued it (a host name from the world, else the realm): Windows klist's "Kdc Called". */
  kdcCalled: string;
}

export interface CredentialCache {
  /** The user the cache belongs to (set by the first sign-in). */
  defaultPrincipal?: Principal;
  credentials: CachedCredential[];
  /** KDC time minus this host's time, ms, when kdc_timesync learned it (MIT ccache header tag 1). */
  kdcOffset?: number;
}

export function newCredentialCache(): CredentialCache {
  return { credentials: [] };
}

const samePrincipal = (a: Principal, b: Principal, caseInsensitive = false) =>
  (caseInsensitive ? a.realm.toUpperCase() === b.realm.toUpperCase() : a.realm === b.realm) &&
  sameName(a.name, b.name, caseInsensitive);

/** Adds a credential, replacing the one for the same client and server (a renewal, a fresh ticket). */
export function storeCredential(cache: CredentialCache, cred: CachedCredential): void {
  const i = cache.credentials.findIndex(
    (c) => samePrincipal(c.client, cred.client) && samePrincipal(c.server, cred.server),
  );
  if (i >= 0) cache.credentials[i] = cred;
  else cache.credentials.push(cred);
}

/** Valid at `now`: started (within nothing: the client's own clock decides) and not yet ended. */
export function isExpired(cred: CachedCredential, now: number): boolean {
  return now >= cred.endtime;
}

/**
 * The credential for a server. Names compare case-insensitively (a canonicalized reply may spell the host
 * differently); without a realm, any realm matches (a referral decides the realm only at the end).
 */
export function findCredential(
  cache: CredentialCache,
  server: { name: Principal['name']; realm?: string },
  opts: { now?: number; client?: Principal } = {},
): CachedCredential | undefined {
  return cache.credentials.find(
    (c) =>
      sameName(c.server.name, server.name, true) &&
      (server.realm === undefined || c.server.realm.toUpperCase() === server.realm.toUpperCase()) &&
      (opts.client === undefined || samePrincipal(c.client, opts.client)) &&
      (opts.now === undefined || !isExpired(c, opts.now)),
  );
}

/** krbtgt/forRealm@issuer (any issuer when not given): a TGT for the KDC of `forRealm`. */
export function findTgt(
  cache: CredentialCache,
  forRealm: string,
  opts: { issuer?: string; now?: number } = {},
): CachedCredential | undefined {
  return cache.credentials.find(
    (c) =>
      tgsRealmOf(c.server.name) === forRealm &&
      (opts.issuer === undefined || c.server.realm === opts.issuer) &&
      (cache.defaultPrincipal === undefined || samePrincipal(c.client, cache.defaultPrincipal)) &&
      (opts.now === undefined || !isExpired(c, opts.now)),
  );
}

// ---- listings ----------------------------------------------------------------------------------------

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * MIT klist's times (UTC: the playground's hosts keep UTC). klist picks the first strftime format whose
 * text fits 19 characters: in the C locale "%x %X", "03/02/26 08:00:00"; in en_US (a desktop's locale)
 * "%x %X" is too long ("03/02/2026 08:00:00 AM") and "%x %T" gives "03/02/2026 08:00:00".
 */
function mitTime(ms: number, dates: MitDates = 'C'): string {
  const d = new Date(ms);
  const year = dates === 'C' ? pad2(d.getUTCFullYear() % 100) : String(d.getUTCFullYear());
  return (
    `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${year} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}

/** Windows klist: "3/2/2026 8:00:00 (local)" (month/day without padding, 24-hour clock). */
function windowsTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ` +
    `${d.getUTCHours()}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} (local)`
  );
}

const mitEtypeName = (etype: number) =>
  etype === 23 ? 'arcfour-hmac' : (findEnctype(etype)?.name ?? `etype ${etype}`);

/** How Windows klist spells enctypes ("KerbTicket Encryption Type"). */
const WINDOWS_ETYPE: Record<number, string> = {
  17: 'AES-128-CTS-HMAC-SHA1-96',
  18: 'AES-256-CTS-HMAC-SHA1-96',
  23: 'RSADSI RC4-HMAC(NT)',
  24: 'RSADSI RC4-HMAC(NT)-EXP',
};
const windowsEtypeName = (etype: number) =>
  WINDOWS_ETYPE[etype] ?? findEnctype(etype)?.name.toUpperCase() ?? `Unknown (${etype})`;

export interface ListOptions {
  /** The listing's clock: entries that ended before it are marked expired. */
  now: number;
  /** MIT: the cache name line ("FILE:/tmp/krb5cc_1000"). */
  cacheName?: string;
  /** Windows: the logon session ("0:0x3e7"). */
  logonId?: string;
  /** MIT: show each ticket's flags, as `klist -f` (default true). */
  flags?: boolean;
  /** MIT: show the session key's and the ticket's enctypes, as `klist -e` (default true). */
  etypes?: boolean;
  /** MIT: the locale klist runs in, which sets how dates are written (default "C"). */
  dates?: MitDates;
  /** MIT: mark tickets ended at `now` with "(expired)", which MIT does not print (default true). */
  markExpired?: boolean;
}

/** The locales whose dates MIT klist is known to write: C (a server, a test) and en_US (a desktop). */
export type MitDates = 'C' | 'en_US';

/**
 * MIT `klist`, by default with `-e -f` in the C locale. MIT prints expired tickets like any other; unless
 * told not to (`markExpired: false`), the playground adds "(expired)" after the server name so a learner
 * sees it at the listing's time. The detail line under a ticket is MIT's: "for client", "renew until",
 * "Flags" and "Etype" joined by commas, broken after three fields' worth.
 */
export function listMit(cache: CredentialCache, opts: ListOptions): string {
  const lines = [`Ticket cache: ${opts.cacheName ?? 'MEMORY:playground'}`];
  if (!cache.defaultPrincipal) {
    return `klist: No credentials cache found (ticket cache ${opts.cacheName ?? 'MEMORY:playground'})\n`;
  }
  const time = (ms: number) => mitTime(ms, opts.dates);
  const gap = ' '.repeat(time(0).length + 2);
  // Names are escaped (t): a newline or an ESC sequence in one shows as \n or \u001b instead of acting.
  const me = t(formatPrincipal(cache.defaultPrincipal));
  lines.push(`Default principal: ${me}`, '');
  lines.push(`${'Valid starting'.padEnd(gap.length)}${'Expires'.padEnd(gap.length)}Service principal`);
  for (const c of cache.credentials) {
    const expired = opts.markExpired !== false && isExpired(c, opts.now) ? '  (expired)' : '';
    lines.push(`${time(c.starttime)}  ${time(c.endtime)}  ${t(formatPrincipal(c.server))}${expired}`);
    lines.push(...mitDetail(c, me, time, opts));
  }
  return lines.join('\n') + '\n';
}

/** The lines MIT klist prints under a ticket (none when it has nothing to say). */
function mitDetail(c: CachedCredential, me: string, time: (ms: number) => string, opts: ListOptions) {
  const lines: string[] = [];
  let line: string[] = [];
  let fields = 0;
  const add = (text: string, weight: number) => {
    line.push(text);
    fields += weight;
  };
  const client = t(formatPrincipal(c.client));
  if (client !== me) add(`for client ${client}`, 1);
  if (c.renewTill) add(`renew until ${time(c.renewTill)}`, 2);
  const flags = opts.flags !== false ? ticketFlagsToKlistString(c.flags) : '';
  if (flags) add(`Flags: ${flags}`, 1);
  if (fields > 2) {
    lines.push(`\t${line.join(', ')}`);
    line = [];
    fields = 0;
  }
  if (opts.etypes !== false)
    add(`Etype (skey, tkt): ${mitEtypeName(c.sessionKey.etype)}, ${mitEtypeName(c.ticketEtype)} `, 1);
  if (fields > 0) lines.push(`\t${line.join(', ')}`);
  return lines;
}

/** Windows `klist`: numbered entries, "name @ REALM", flags in hex and in words. */
export function listWindows(cache: CredentialCache, opts: ListOptions): string {
  // Names are escaped (t): a newline or an ESC sequence in one shows as \n or \u001b instead of acting.
  const spaced = (p: Principal) => t(`${formatName(p.name)} @ ${p.realm}`);
  const lines = ['', `Current LogonId is ${opts.logonId ?? '0:0x3e7'}`, ''];
  lines.push(`Cached Tickets: (${cache.credentials.length})`);
  cache.credentials.forEach((c, i) => {
    const primary =
      cache.defaultPrincipal !== undefined &&
      tgsRealmOf(c.server.name) === cache.defaultPrincipal.realm &&
      c.server.realm === cache.defaultPrincipal.realm;
    const names = flagsToNames(c.flags, ticketFlags, { spelling: 'windows' }).join(' ');
    lines.push(
      '',
      `#${i}>\tClient: ${spaced(c.client)}`,
      `\tServer: ${spaced(c.server)}`,
      `\tKerbTicket Encryption Type: ${windowsEtypeName(c.ticketEtype)}`,
      `\tTicket Flags 0x${flagsToHex(c.flags).replace(/^0+(?=.)/, '')} -> ${names}`,
      `\tStart Time: ${windowsTime(c.starttime)}`,
      `\tEnd Time:   ${windowsTime(c.endtime)}${isExpired(c, opts.now) ? ' (expired)' : ''}`,
      `\tRenew Time: ${c.renewTill !== undefined ? windowsTime(c.renewTill) : '0'}`,
      `\tSession Key Type: ${windowsEtypeName(c.sessionKey.etype)}`,
      `\tCache Flags: ${primary ? '0x1 -> PRIMARY' : '0'}`,
      `\tKdc Called: ${t(c.kdcCalled)}`,
    );
  });
  return lines.join('\n') + '\n';
}

/**
 * Windows `klist tgt`: the logon session's TGT field by field, as the LSA shows it (the ticket is DER the
 * client cannot open, so its size stands for it).
 */
export function showWindowsTgt(c: CachedCredential, opts: ListOptions): string[] {
  const names = flagsToNames(c.flags, ticketFlags, { spelling: 'windows' }).join(' ');
  const service = t(c.server.name.nameString[0] ?? '');
  return [
    `Current LogonId is ${opts.logonId ?? '0:0x3e7'}`,
    'Cached TGT:',
    `ServiceName        : ${service}`,
    `TargetName (SPN)   : ${service}`,
    `ClientName         : ${t(formatName(c.client.name))}`,
    `DomainName         : ${t(c.server.realm)}`,
    `TargetDomainName   : ${t(tgsRealmOf(c.server.name) ?? c.server.realm)}`,
    `AltTargetDomainName: ${t(c.client.realm)}`,
    `Ticket Flags       : 0x${flagsToHex(c.flags).replace(/^0+(?=.)/, '')} -> ${names}`,
    `Session Key        : KeyType 0x${c.sessionKey.etype.toString(16)} - ${windowsEtypeName(c.sessionKey.etype)}`,
    `                   : KeyLength ${c.sessionKey.bytes.length}`,
    `StartTime          : ${windowsTime(c.starttime)}`,
    `EndTime            : ${windowsTime(c.endtime)}${isExpired(c, opts.now) ? ' (expired)' : ''}`,
    `RenewUntil         : ${c.renewTill !== undefined ? windowsTime(c.renewTill) : '0'}`,
    `TimeSkew           :  + 0:00 minute(s)`,
    `EncodedTicket      : (size: ${c.ticket.length})`,
  ];
}

// ---- export --------------------------------------------------------------------------------------------

/** A copy of a principal for a ccache record, which keeps its own arrays. */
export const filePrincipal = (p: Principal): Principal => ({
  realm: p.realm,
  name: { nameType: p.name.nameType, nameString: [...p.name.nameString] },
});
const seconds = (ms: number) => Math.floor(ms / 1000);

/** One cached credential as an MIT ccache record (times in whole seconds, no addresses or authdata). */
export function ccacheCredentialOf(c: CachedCredential): CcacheCredential {
  return {
    client: filePrincipal(c.client),
    server: filePrincipal(c.server),
    key: { etype: c.sessionKey.etype, bytes: c.sessionKey.bytes },
    authtime: seconds(c.authtime),
    starttime: seconds(c.starttime),
    endtime: seconds(c.endtime),
    renewTill: c.renewTill !== undefined ? seconds(c.renewTill) : 0,
    isSkey: false,
    ticketFlags: c.flags >>> 0,
    addresses: [],
    authData: [],
    ticket: c.ticket,
    secondTicket: new Uint8Array(0),
  };
}

/** An MIT ccache file (version 4) with every credential, as `kinit` would have written it. */
export function exportMitCcache(cache: CredentialCache): Uint8Array {
  if (!cache.defaultPrincipal) {
    throw new CredentialError('no-credential', 'the cache is empty: sign in first, then export it');
  }
  const credentials = cache.credentials.map(ccacheCredentialOf);
  const offset = cache.kdcOffset;
  return encodeCcache({
    defaultPrincipal: filePrincipal(cache.defaultPrincipal),
    credentials,
    config: [],
    ...(offset !== undefined
      ? {
          kdcOffset: {
            seconds: Math.floor(offset / 1000),
            microseconds: Math.round((offset - Math.floor(offset / 1000) * 1000) * 1000),
          },
        }
      : {}),
  });
}
