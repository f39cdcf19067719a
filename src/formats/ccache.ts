/**
 * MIT credential caches, FILE type (MIT krb5 doc/formats/ccache_file_format.rst): what `kinit` writes
 * and `klist` reads.
 *
 *   file       ::= 0x05 version(0x03|0x04) [header (v4)] principal credential*
 *   header     ::= length(16) { tag(16) length(16) value }*        (tag 1: KDC time offset)
 *   principal  ::= nametype(32) count(32) realm(data32) component(data32)*
 *   credential ::= client server keyblock authtime starttime endtime renew_till (32 each)
 *                  is_skey(8) ticket_flags(32) addresses authdata ticket(data32) second_ticket(data32)
 *
 * Versions 3 and 4 are big-endian; version 3 repeats the keyblock's enctype. Configuration entries
 * (server `krb5_ccache_conf_data/<key>[/<principal>]@X-CACHECONF:`, value in the ticket field) are
 * stored as credentials but are not tickets: they are returned apart, in `config`.
 */
import { etypeName, type Key } from '../crypto';
import { fromUtf8, toHex, utf8 } from '../util/bytes';
import { ByteReader, ByteWriter, type Span } from './bytes-io';
import { FormatError } from './errors';
import { isoSeconds } from '../asn1/time';
import { formatPrincipal, type Principal } from '../asn1/principal';
import { flagsHex, ticketFlagNames } from './ticket-flags';

/** The realm and first component that mark a configuration entry (ccache_file_format.rst). */
export const CACHECONF_REALM = 'X-CACHECONF:';
export const CACHECONF_PREFIX = 'krb5_ccache_conf_data';

/** A version-4 header field. Tag 1 is the KDC time offset; unknown tags are kept as they were. */
export interface CcacheHeaderField {
  readonly tag: number;
  readonly value: Uint8Array;
}

/** Tag 1: add this to the client's clock to get the KDC's (seconds and microseconds). */
export interface KdcTimeOffset {
  readonly seconds: number;
  readonly microseconds: number;
}

export interface CcacheAddress {
  /** RFC 4120 §7.5.3: 2 IPv4, 24 IPv6, 20 NetBIOS, … */
  readonly addrType: number;
  readonly address: Uint8Array;
}

export interface CcacheAuthData {
  readonly adType: number;
  readonly data: Uint8Array;
}

export interface CcacheCredentialSpans {
  readonly record: Span;
  readonly client: Span;
  readonly server: Span;
  readonly key: Span;
  readonly times: Span;
  readonly isSkey: Span;
  readonly ticketFlags: Span;
  readonly addresses: Span;
  readonly authData: Span;
  readonly ticket: Span;
  readonly secondTicket: Span;
}

export interface CcacheCredential {
  readonly client: Principal;
  readonly server: Principal;
  /** The session key (keyblock). */
  readonly key: Key;
  /** Seconds since 1970, unsigned 32-bit on disk; 0 means "not set" (starttime, renew-till). */
  readonly authtime: number;
  readonly starttime: number;
  readonly endtime: number;
  readonly renewTill: number;
  /** True for a user-to-user ticket encrypted in a session key. */
  readonly isSkey: boolean;
  /** TicketFlags as a 32-bit number, bit 0 = 0x80000000 (RFC 4120 §5.3). */
  readonly ticketFlags: number;
  readonly addresses: readonly CcacheAddress[];
  readonly authData: readonly CcacheAuthData[];
  /** The Ticket, DER as the KDC sent it (not decoded here). */
  readonly ticket: Uint8Array;
  /** The second ticket of a user-to-user request, usually empty. */
  readonly secondTicket: Uint8Array;
  /** Index of this record among all records of the file (kept so that a rewrite keeps the order). */
  readonly position?: number;
  readonly spans?: CcacheCredentialSpans;
}

export interface CcacheConfigEntry {
  /** The configuration key: "fast_avail", "pa_type", "refresh_time", "start_realm", … */
  readonly key: string;
  /** The principal the setting concerns (third server component), or null. */
  readonly principal: string | null;
  readonly value: Uint8Array;
  /** The entry's client; MIT writes the cache's default principal (the default when absent). */
  readonly client?: Principal;
  /** The server principal's name type as stored (MIT writes 0, NT-UNKNOWN). */
  readonly serverNameType?: number;
  readonly position?: number;
  readonly spans?: CcacheCredentialSpans;
}

export interface Ccache {
  /** 4 (written by default) or 3. */
  readonly version: 3 | 4;
  /** The v4 header fields as stored; when writing, tag 1 is taken from `kdcOffset` if that is given. */
  readonly header?: readonly CcacheHeaderField[];
  readonly kdcOffset?: KdcTimeOffset;
  readonly defaultPrincipal: Principal;
  readonly credentials: readonly CcacheCredential[];
  readonly config: readonly CcacheConfigEntry[];
  readonly spans?: { readonly header?: Span; readonly defaultPrincipal: Span };
}

/**
 * The most records (credentials and configuration entries) a ccache is read with. A user's cache holds
 * tens; a long-running service's, thousands; each costs about a KB once read.
 */
export const MAX_CCACHE_RECORDS = 65_536;

function readPrincipal(r: ByteReader, what: string): Principal {
  const start = r.pos;
  const nameType = r.u32(`${what}: name type`);
  const count = r.u32(`${what}: component count`);
  // Each component needs at least a 4-byte length; refuse absurd counts before looping.
  if (count * 4 > r.remaining) {
    throw r.fail(`${what} claims ${count} name components, only ${r.remaining} bytes left`, start + 4);
  }
  const realm = fromUtf8(readData32(r, `${what}: realm`));
  const components: string[] = [];
  for (let i = 0; i < count; i++)
    components.push(fromUtf8(readData32(r, `${what}: name component ${i + 1}`)));
  return { realm, name: { nameType, nameString: components } };
}

function readData32(r: ByteReader, what: string): Uint8Array {
  const at = r.pos;
  const n = r.u32(`length of ${what}`);
  if (n > r.remaining) throw r.fail(`${what} claims ${n} bytes, only ${r.remaining} left`, at);
  return r.take(n, what);
}

function readCredential(r: ByteReader, version: 3 | 4, index: number, position: number): CcacheCredential {
  const where = `credential ${index}`;
  const start = r.pos;
  const mark = () => r.pos;
  const client = readPrincipal(r, `${where}: client`);
  const clientSpan = r.span(start);
  let s = mark();
  const server = readPrincipal(r, `${where}: server`);
  const serverSpan = r.span(s);
  s = mark();
  const etype = r.u16(`${where}: key enctype`);
  if (version === 3) r.u16(`${where}: repeated key enctype`); // version 3 stores the enctype twice
  const keyBytes = readData32(r, `${where}: key`);
  const keySpan = r.span(s);
  s = mark();
  const authtime = r.u32(`${where}: authtime`);
  const starttime = r.u32(`${where}: starttime`);
  const endtime = r.u32(`${where}: endtime`);
  const renewTill = r.u32(`${where}: renew-till`);
  const timesSpan = r.span(s);
  s = mark();
  const isSkey = r.u8(`${where}: is_skey`);
  const isSkeySpan = r.span(s);
  s = mark();
  const ticketFlags = r.u32(`${where}: ticket flags`);
  const flagsSpan = r.span(s);

  s = mark();
  const nAddr = r.u32(`${where}: address count`);
  if (nAddr * 6 > r.remaining)
    throw r.fail(`${where} claims ${nAddr} addresses, only ${r.remaining} bytes left`, s);
  const addresses: CcacheAddress[] = [];
  for (let i = 0; i < nAddr; i++) {
    const addrType = r.u16(`${where}: address ${i + 1} type`);
    addresses.push({ addrType, address: readData32(r, `${where}: address ${i + 1}`) });
  }
  const addrSpan = r.span(s);

  s = mark();
  const nAd = r.u32(`${where}: authdata count`);
  if (nAd * 6 > r.remaining)
    throw r.fail(`${where} claims ${nAd} authdata elements, only ${r.remaining} bytes left`, s);
  const authData: CcacheAuthData[] = [];
  for (let i = 0; i < nAd; i++) {
    const adType = r.u16(`${where}: authdata ${i + 1} type`);
    authData.push({ adType, data: readData32(r, `${where}: authdata ${i + 1}`) });
  }
  const adSpan = r.span(s);

  s = mark();
  const ticket = readData32(r, `${where}: ticket`);
  const ticketSpan = r.span(s);
  s = mark();
  const secondTicket = readData32(r, `${where}: second ticket`);
  const secondSpan = r.span(s);

  return {
    client,
    server,
    key: { etype, bytes: keyBytes },
    authtime,
    starttime,
    endtime,
    renewTill,
    isSkey: isSkey !== 0,
    ticketFlags,
    addresses,
    authData,
    ticket,
    secondTicket,
    position,
    spans: {
      record: r.span(start),
      client: clientSpan,
      server: serverSpan,
      key: keySpan,
      times: timesSpan,
      isSkey: isSkeySpan,
      ticketFlags: flagsSpan,
      addresses: addrSpan,
      authData: adSpan,
      ticket: ticketSpan,
      secondTicket: secondSpan,
    },
  };
}

/** Whether a server principal is a configuration entry's (`krb5_ccache_conf_data/…@X-CACHECONF:`). */
export function isConfigPrincipal(p: Principal): boolean {
  return (
    p.realm === CACHECONF_REALM &&
    p.name.nameString[0] === CACHECONF_PREFIX &&
    (p.name.nameString.length === 2 || p.name.nameString.length === 3)
  );
}

function toConfigEntry(c: CcacheCredential, defaultPrincipal: Principal): CcacheConfigEntry {
  const sameClient =
    c.client.name.nameType === defaultPrincipal.name.nameType &&
    formatPrincipal(c.client) === formatPrincipal(defaultPrincipal);
  return {
    key: c.server.name.nameString[1]!,
    principal: c.server.name.nameString[2] ?? null,
    value: c.ticket,
    ...(sameClient ? {} : { client: c.client }),
    ...(c.server.name.nameType !== 0 ? { serverNameType: c.server.name.nameType } : {}),
    ...(c.position !== undefined ? { position: c.position } : {}),
    ...(c.spans ? { spans: c.spans } : {}),
  };
}

/** Reads a FILE ccache (versions 3 and 4). Throws FormatError naming the credential and the byte. */
export function decodeCcache(bytes: Uint8Array): Ccache {
  const r = new ByteReader('ccache', bytes, false);
  const magic = r.u8('file format byte');
  if (magic !== 5)
    throw r.fail(
      `not a credential cache: the first byte is 0x${magic.toString(16).padStart(2, '0')}, not 0x05`,
      0,
    );
  const v = r.u8('version byte');
  if (v === 1 || v === 2) {
    throw r.fail(
      `ccache version 0x050${v} uses the writer's native byte order and is not supported (3 and 4 are)`,
      1,
    );
  }
  if (v !== 3 && v !== 4) throw r.fail(`unknown ccache version 0x05${v.toString(16).padStart(2, '0')}`, 1);
  const version = v;

  let header: CcacheHeaderField[] | undefined;
  let kdcOffset: KdcTimeOffset | undefined;
  let headerSpan: Span | undefined;
  if (version === 4) {
    const hStart = r.pos;
    const hLen = r.u16('header length');
    if (hLen > r.remaining) throw r.fail(`header claims ${hLen} bytes, only ${r.remaining} left`, hStart);
    const end = r.pos + hLen;
    header = [];
    while (r.pos < end) {
      const fStart = r.pos;
      if (end - r.pos < 4)
        throw r.fail(`header field needs 4 bytes of tag and length, only ${end - r.pos} left in the header`);
      const tag = r.u16('header field tag');
      const len = r.u16('header field length');
      if (len > end - r.pos) {
        throw r.fail(
          `header field (tag ${tag}) claims ${len} bytes, only ${end - r.pos} left in the header`,
          fStart,
        );
      }
      const value = r.take(len, `header field ${tag}`);
      header.push({ tag, value });
      // Tag 1 (ccache_file_format.rst): the KDC's clock minus ours, seconds then microseconds.
      if (tag === 1 && len === 8) {
        const dv = new DataView(value.buffer, value.byteOffset, 8);
        kdcOffset = { seconds: dv.getInt32(0, false), microseconds: dv.getInt32(4, false) };
      }
    }
    headerSpan = r.span(hStart);
  }

  const pStart = r.pos;
  const defaultPrincipal = readPrincipal(r, 'default principal');
  const principalSpan = r.span(pStart);

  const credentials: CcacheCredential[] = [];
  const config: CcacheConfigEntry[] = [];
  let position = 0;
  // No count and no end marker: credentials run to the end of the file (ccache_file_format.rst).
  while (r.remaining > 0) {
    if (position >= MAX_CCACHE_RECORDS) {
      throw new FormatError(
        'ccache',
        `credential ${position + 1} at byte ${r.pos} is one too many: a ccache is read with at most ${MAX_CCACHE_RECORDS} credentials`,
        r.pos,
      );
    }
    const c = readCredential(r, version, position + 1, position);
    if (isConfigPrincipal(c.server)) config.push(toConfigEntry(c, defaultPrincipal));
    else credentials.push(c);
    position++;
  }
  return {
    version,
    ...(header ? { header } : {}),
    ...(kdcOffset ? { kdcOffset } : {}),
    defaultPrincipal,
    credentials,
    config,
    spans: { ...(headerSpan ? { header: headerSpan } : {}), defaultPrincipal: principalSpan },
  };
}

function writeData32(w: ByteWriter, b: Uint8Array): void {
  w.u32(b.length).bytes(b);
}

function writePrincipal(w: ByteWriter, p: Principal): void {
  w.u32(p.name.nameType).u32(p.name.nameString.length);
  writeData32(w, utf8(p.realm));
  for (const c of p.name.nameString) writeData32(w, utf8(c));
}

function writeCredential(w: ByteWriter, c: CcacheCredential, version: 3 | 4): void {
  writePrincipal(w, c.client);
  writePrincipal(w, c.server);
  w.u16(c.key.etype);
  if (version === 3) w.u16(c.key.etype);
  writeData32(w, c.key.bytes);
  w.u32(c.authtime).u32(c.starttime).u32(c.endtime).u32(c.renewTill);
  w.u8(c.isSkey ? 1 : 0).u32(c.ticketFlags);
  w.u32(c.addresses.length);
  for (const a of c.addresses) {
    w.u16(a.addrType);
    writeData32(w, a.address);
  }
  w.u32(c.authData.length);
  for (const a of c.authData) {
    w.u16(a.adType);
    writeData32(w, a.data);
  }
  writeData32(w, c.ticket);
  writeData32(w, c.secondTicket);
}

/** The credential record a configuration entry is stored as: every field zero but the names and value. */
export function configEntryAsCredential(e: CcacheConfigEntry, defaultPrincipal: Principal): CcacheCredential {
  return {
    client: e.client ?? defaultPrincipal,
    server: {
      realm: CACHECONF_REALM,
      name: {
        nameType: e.serverNameType ?? 0,
        nameString: e.principal === null ? [CACHECONF_PREFIX, e.key] : [CACHECONF_PREFIX, e.key, e.principal],
      },
    },
    key: { etype: 0, bytes: new Uint8Array(0) },
    authtime: 0,
    starttime: 0,
    endtime: 0,
    renewTill: 0,
    isSkey: false,
    ticketFlags: 0,
    addresses: [],
    authData: [],
    ticket: e.value,
    secondTicket: new Uint8Array(0),
  };
}

/**
 * Writes a FILE ccache, version 4 unless the cache says 3. Credentials and configuration entries are
 * written in the order of their `position` (as read); those without one follow, credentials first.
 */
export function encodeCcache(cc: Omit<Ccache, 'version' | 'spans'> & { version?: 3 | 4 }): Uint8Array {
  const version = cc.version ?? 4;
  const w = new ByteWriter(false);
  w.u8(5).u8(version);
  if (version === 4) {
    let fields: CcacheHeaderField[] = [...(cc.header ?? [])];
    if (cc.kdcOffset) {
      const value = new ByteWriter(false).i32(cc.kdcOffset.seconds).i32(cc.kdcOffset.microseconds).finish();
      const i = fields.findIndex((f) => f.tag === 1);
      if (i >= 0) fields[i] = { tag: 1, value };
      else fields = [{ tag: 1, value }, ...fields];
    }
    const h = new ByteWriter(false);
    for (const f of fields) h.u16(f.tag).u16(f.value.length).bytes(f.value);
    const hb = h.finish();
    if (hb.length > 0xffff)
      throw new FormatError('ccache', `header of ${hb.length} bytes does not fit its 16-bit length`);
    w.u16(hb.length).bytes(hb);
  }
  writePrincipal(w, cc.defaultPrincipal);

  const records: { position: number; order: number; cred: CcacheCredential }[] = [];
  let order = 0;
  for (const c of cc.credentials) records.push({ position: c.position ?? Infinity, order: order++, cred: c });
  for (const e of cc.config) {
    records.push({
      position: e.position ?? Infinity,
      order: order++,
      cred: configEntryAsCredential(e, cc.defaultPrincipal),
    });
  }
  records.sort((a, b) => a.position - b.position || a.order - b.order);
  for (const rec of records) writeCredential(w, rec.cred, version);
  return w.finish();
}

/** `krbplay ccache list --json` (CLI.md). */
export interface CcacheListJson {
  defaultPrincipal: string;
  credentials: {
    client: string;
    server: string;
    etype: number;
    etypeName: string;
    flags: string[];
    flagsHex: string;
    authtime: string;
    starttime: string;
    endtime: string;
    renewTill: string | null;
  }[];
  config: { key: string; principal: string | null; value: string }[];
}

/**
 * The CLI's listing. As MIT klist does, a starttime of 0 shows as the authtime; a renew-till of 0 is
 * null. Configuration values are bytes, so they are lowercase hex like every other byte string.
 */
export function ccacheToListJson(cc: Ccache): CcacheListJson {
  return {
    defaultPrincipal: formatPrincipal(cc.defaultPrincipal),
    credentials: cc.credentials.map((c) => ({
      client: formatPrincipal(c.client),
      server: formatPrincipal(c.server),
      etype: c.key.etype,
      etypeName: etypeName(c.key.etype),
      flags: ticketFlagNames(c.ticketFlags),
      flagsHex: flagsHex(c.ticketFlags),
      authtime: isoSeconds(c.authtime * 1000),
      starttime: isoSeconds((c.starttime !== 0 ? c.starttime : c.authtime) * 1000),
      endtime: isoSeconds(c.endtime * 1000),
      renewTill: c.renewTill !== 0 ? isoSeconds(c.renewTill * 1000) : null,
    })),
    config: cc.config.map((e) => ({ key: e.key, principal: e.principal, value: toHex(e.value) })),
  };
}
