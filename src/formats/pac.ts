/**
 * The Privilege Attribute Certificate (MS-PAC): what an Active Directory KDC puts in every ticket, in
 * AD-IF-RELEVANT / AD-WIN2K-PAC (128), to tell a Windows service who the user is and which groups
 * they are in — and the signatures that let the service and the KDC trust it.
 *
 *   PACTYPE ::= cBuffers(32) Version(32) PAC_INFO_BUFFER[cBuffers] buffers…      (MS-PAC §2.3)
 *   PAC_INFO_BUFFER ::= ulType(32) cbBufferSize(32) Offset(64)                   (MS-PAC §2.4)
 *
 * All integers little-endian; each buffer starts on an 8-byte boundary. Buffer types: 1 LOGON_INFO,
 * 6 server checksum, 7 KDC checksum, 10 CLIENT_INFO, 12 UPN_DNS_INFO, 13 client claims, 14 device
 * info, 15 device claims, 16 ticket checksum, 17 attributes, 18 requestor, 19 full checksum.
 */
import { checksum, checksumTypeForEnctype, findChecksumType, verifyChecksum, type Key } from '../crypto';
import { KrbPlayError, KrbPlayInputError } from '../util/errors';
import { ByteReader, ByteWriter } from './bytes-io';
import { FormatError } from './errors';
import { encodeBinarySid, fromUtf16le, readBinarySid, sidToString, toUtf16le } from './ndr';
import {
  decodeClaimsInfo,
  decodeDeviceInfo,
  decodeKerbValidationInfo,
  encodeClaimsInfo,
  encodeDeviceInfo,
  encodeKerbValidationInfo,
  logonInfoSids,
  type FileTime,
  type KerbValidationInfo,
  type LogonInfoSids,
  type PacClaimsInfo,
  type PacDeviceInfo,
} from './pac-ndr';

/** PAC buffer types (MS-PAC §2.4). */
export const PacBufferType = {
  LOGON_INFO: 1,
  CREDENTIALS_INFO: 2,
  SERVER_CHECKSUM: 6,
  PRIVSVR_CHECKSUM: 7,
  CLIENT_INFO: 10,
  DELEGATION_INFO: 11,
  UPN_DNS_INFO: 12,
  CLIENT_CLAIMS_INFO: 13,
  DEVICE_INFO: 14,
  DEVICE_CLAIMS_INFO: 15,
  TICKET_CHECKSUM: 16,
  ATTRIBUTES_INFO: 17,
  REQUESTOR: 18,
  FULL_CHECKSUM: 19,
} as const;

/** The name MS-PAC gives each buffer type, for the inspector. */
export const PAC_BUFFER_NAMES: Readonly<Record<number, string>> = {
  1: 'Logon information (KERB_VALIDATION_INFO)',
  2: 'Credentials (PAC_CREDENTIAL_INFO)',
  6: 'Server checksum',
  7: 'KDC (privilege server) checksum',
  10: 'Client name and ticket information (PAC_CLIENT_INFO)',
  11: 'Constrained delegation (S4U_DELEGATION_INFO)',
  12: 'UPN and DNS information (UPN_DNS_INFO)',
  13: 'Client claims (PAC_CLIENT_CLAIMS_INFO)',
  14: 'Device information (PAC_DEVICE_INFO)',
  15: 'Device claims (PAC_DEVICE_CLAIMS_INFO)',
  16: 'Ticket checksum',
  17: 'PAC attributes (PAC_ATTRIBUTES_INFO)',
  18: 'PAC requestor (PAC_REQUESTOR)',
  19: 'Full PAC checksum (extended KDC checksum)',
};

/** KERB_NON_KERB_CKSUM_SALT: the key usage of every PAC checksum (MS-PAC §2.8). */
export const PAC_CHECKSUM_KEY_USAGE = 17;

const SIGNATURE_TYPES = new Set<number>([6, 7, 16, 19]);

/** PAC_CLIENT_INFO (MS-PAC §2.7): the ticket's authtime and the client's name, without the realm. */
export interface PacClientInfo {
  /** The authtime of the ticket, as a FILETIME; a service checks it matches (MS-PAC §2.7). */
  readonly clientId: FileTime;
  readonly name: string;
}

/** UPN_DNS_INFO flags (MS-PAC §2.10). */
export const UpnDnsFlags = {
  /** U: the account has no userPrincipalName; the UPN shown was made from the name and domain. */
  UPN_CONSTRUCTED: 0x1,
  /** S: the buffer is extended with the sAMAccountName and the user's SID. */
  EXTENDED: 0x2,
} as const;

export interface UpnDnsInfo {
  readonly upn: string;
  readonly dnsDomainName: string;
  readonly flags: number;
  /** With the S flag (MS-PAC §2.10.1): the account name and the SID. */
  readonly samName?: string;
  readonly sid?: string;
}

/** PAC_SIGNATURE_DATA (MS-PAC §2.8). */
export interface PacSignatureData {
  /** A checksum type: 16 hmac-sha1-96-aes256, 15 …-aes128, -138 hmac-md5, 19/20 the SHA-2 ones. */
  readonly signatureType: number;
  readonly signature: Uint8Array;
  /** Present when a read-only DC signed (KDC checksum only): the RODC's key version's high 16 bits. */
  readonly rodcIdentifier?: number;
  /** Bytes after the signature other than a 2-byte RODCIdentifier (kept, so re-encoding keeps them). */
  readonly trailing?: Uint8Array;
}

/** PAC_ATTRIBUTES_INFO (MS-PAC §2.14): PAC_WAS_REQUESTED 0x1, PAC_WAS_GIVEN_IMPLICITLY 0x2. */
export interface PacAttributesInfo {
  /** Number of meaningful bits in `flags`. */
  readonly flagsLength: number;
  readonly flags: readonly number[];
}

export const PacAttributeFlags = { PAC_WAS_REQUESTED: 0x1, PAC_WAS_GIVEN_IMPLICITLY: 0x2 } as const;

/** One buffer's content: what a caller builds a PAC from, and what decoding gives back. */
export type PacBufferContent =
  | {
      readonly kind: 'logonInfo';
      readonly type: 1;
      readonly logonInfo: KerbValidationInfo;
      readonly sids?: LogonInfoSids;
    }
  | { readonly kind: 'clientInfo'; readonly type: 10; readonly clientInfo: PacClientInfo }
  | { readonly kind: 'upnDnsInfo'; readonly type: 12; readonly upnDnsInfo: UpnDnsInfo }
  | { readonly kind: 'signature'; readonly type: 6 | 7 | 16 | 19; readonly signature: PacSignatureData }
  | { readonly kind: 'claims'; readonly type: 13 | 15; readonly claims: PacClaimsInfo }
  | { readonly kind: 'deviceInfo'; readonly type: 14; readonly deviceInfo: PacDeviceInfo }
  | { readonly kind: 'attributes'; readonly type: 17; readonly attributes: PacAttributesInfo }
  | { readonly kind: 'requestor'; readonly type: 18; readonly requestor: { readonly sid: string } }
  | { readonly kind: 'raw'; readonly type: number; readonly data: Uint8Array };

/** A decoded buffer: its content, where it lies in the PAC, and its bytes. */
export type PacBuffer = PacBufferContent & {
  /** Byte offset of the buffer in the PAC (PAC_INFO_BUFFER.Offset). */
  readonly offset: number;
  /** cbBufferSize. */
  readonly size: number;
  /** The buffer's bytes. */
  readonly bytes: Uint8Array;
  /** Byte offset of this buffer's PAC_INFO_BUFFER entry in the header. */
  readonly infoOffset: number;
  /** Lenient decoding only: why the content could not be decoded (it is then `raw`). */
  readonly error?: string;
};

export interface Pac {
  /** PACTYPE.Version, 0. */
  readonly version: number;
  readonly buffers: readonly PacBuffer[];
}

export interface DecodePacOptions {
  /** Keep a buffer whose content does not decode as `raw`, with `error`, instead of throwing. */
  readonly lenient?: boolean;
}

// ---- buffer contents ----

function decodeClientInfo(r: ByteReader): PacClientInfo {
  const clientId = r.u64('CLIENT_INFO ClientId');
  const n = r.u16('CLIENT_INFO NameLength');
  return { clientId, name: fromUtf16le(r.take(n, 'CLIENT_INFO Name')) };
}

function encodeClientInfo(ci: PacClientInfo): Uint8Array {
  const name = toUtf16le(ci.name);
  if (name.length > 0xffff)
    throw new FormatError('pac', `CLIENT_INFO name of ${ci.name.length} characters is too long`);
  return new ByteWriter(true).u64(ci.clientId).u16(name.length).bytes(name).finish();
}

function decodeUpnDnsInfo(r: ByteReader): UpnDnsInfo {
  const upnLength = r.u16('UPN_DNS_INFO UpnLength');
  const upnOffset = r.u16('UPN_DNS_INFO UpnOffset');
  const dnsLength = r.u16('UPN_DNS_INFO DnsDomainNameLength');
  const dnsOffset = r.u16('UPN_DNS_INFO DnsDomainNameOffset');
  const flags = r.u32('UPN_DNS_INFO Flags');
  // Offsets count from the start of this buffer (MS-PAC §2.10).
  const field = (offset: number, length: number, what: string): Uint8Array => {
    if (offset + length > r.bytes.length) {
      throw r.fail(
        `UPN_DNS_INFO ${what} at offset ${offset} with ${length} bytes runs past the buffer's ${r.bytes.length}`,
        0,
      );
    }
    return r.bytes.slice(offset, offset + length);
  };
  const upn = fromUtf16le(field(upnOffset, upnLength, 'Upn'));
  const dnsDomainName = fromUtf16le(field(dnsOffset, dnsLength, 'DnsDomainName'));
  if ((flags & UpnDnsFlags.EXTENDED) === 0) return { upn, dnsDomainName, flags };
  const samLength = r.u16('UPN_DNS_INFO SamNameLength');
  const samOffset = r.u16('UPN_DNS_INFO SamNameOffset');
  const sidLength = r.u16('UPN_DNS_INFO SidLength');
  const sidOffset = r.u16('UPN_DNS_INFO SidOffset');
  const samName = fromUtf16le(field(samOffset, samLength, 'SamName'));
  const sidBytes = field(sidOffset, sidLength, 'Sid');
  const sr = new ByteReader(r.format, sidBytes, true, r.base + sidOffset);
  const sid = sidToString(readBinarySid(sr, 'UPN_DNS_INFO Sid'));
  return { upn, dnsDomainName, flags, samName, sid };
}

function encodeUpnDnsInfo(u: UpnDnsInfo): Uint8Array {
  const extended = (u.flags & UpnDnsFlags.EXTENDED) !== 0 || u.samName !== undefined || u.sid !== undefined;
  const flags = extended ? u.flags | UpnDnsFlags.EXTENDED : u.flags;
  const parts = [toUtf16le(u.upn), toUtf16le(u.dnsDomainName)];
  if (extended) parts.push(toUtf16le(u.samName ?? ''), u.sid ? encodeBinarySid(u.sid) : new Uint8Array(0));
  // Windows starts each string on an 8-byte boundary after the fixed header, and pads the end to 8.
  let at = extended ? 24 : 16;
  const places = parts.map((p) => {
    const offset = p.length === 0 ? 0 : at;
    if (p.length > 0) at = (at + p.length + 7) & ~7;
    if (p.length > 0xffff || offset > 0xffff)
      throw new FormatError('pac', 'UPN_DNS_INFO is too large for its 16-bit offsets');
    return offset;
  });
  const w = new ByteWriter(true);
  w.u16(parts[0]!.length).u16(places[0]!).u16(parts[1]!.length).u16(places[1]!).u32(flags);
  if (extended) w.u16(parts[2]!.length).u16(places[2]!).u16(parts[3]!.length).u16(places[3]!);
  parts.forEach((p, i) => {
    if (p.length === 0) return;
    w.zeros(places[i]! - w.length).bytes(p);
  });
  w.align(8);
  return w.finish();
}

function decodeSignature(r: ByteReader, what: string): PacSignatureData {
  const signatureType = r.i32(`${what} SignatureType`);
  // The signature's length follows from its type; anything after it is the RODCIdentifier (MS-PAC §2.8).
  const len = findChecksumType(signatureType)?.length ?? r.remaining;
  const signature = r.take(Math.min(len, r.remaining), `${what} Signature`);
  if (signature.length < len)
    throw r.fail(`${what}: a ${len}-byte signature was expected, only ${signature.length} there`);
  const rest = r.take(r.remaining, `${what} trailer`);
  if (rest.length === 2) return { signatureType, signature, rodcIdentifier: rest[0]! | (rest[1]! << 8) };
  return rest.length === 0 ? { signatureType, signature } : { signatureType, signature, trailing: rest };
}

function encodeSignature(s: PacSignatureData): Uint8Array {
  const w = new ByteWriter(true).i32(s.signatureType).bytes(s.signature);
  if (s.rodcIdentifier !== undefined) w.u16(s.rodcIdentifier);
  if (s.trailing) w.bytes(s.trailing);
  return w.finish();
}

function decodeAttributes(r: ByteReader): PacAttributesInfo {
  const flagsLength = r.u32('PAC_ATTRIBUTES_INFO FlagsLength');
  const words = Math.ceil(flagsLength / 32);
  if (words * 4 > r.remaining)
    throw r.fail(`PAC_ATTRIBUTES_INFO claims ${flagsLength} flag bits, only ${r.remaining} bytes left`);
  const flags: number[] = [];
  for (let i = 0; i < words; i++) flags.push(r.u32('PAC_ATTRIBUTES_INFO Flags'));
  return { flagsLength, flags };
}

function encodeAttributes(a: PacAttributesInfo): Uint8Array {
  const w = new ByteWriter(true).u32(a.flagsLength);
  for (const f of a.flags) w.u32(f);
  return w.finish();
}

/** The bytes of one buffer's content (signature buffers as given, zeros included). */
export function encodePacBufferContent(b: PacBufferContent): Uint8Array {
  switch (b.kind) {
    case 'logonInfo':
      return encodeKerbValidationInfo(b.logonInfo);
    case 'clientInfo':
      return encodeClientInfo(b.clientInfo);
    case 'upnDnsInfo':
      return encodeUpnDnsInfo(b.upnDnsInfo);
    case 'signature':
      return encodeSignature(b.signature);
    case 'claims':
      return encodeClaimsInfo(b.claims);
    case 'deviceInfo':
      return encodeDeviceInfo(b.deviceInfo);
    case 'attributes':
      return encodeAttributes(b.attributes);
    case 'requestor':
      return encodeBinarySid(b.requestor.sid);
    case 'raw':
      return b.data;
  }
}

function decodeContent(type: number, bytes: Uint8Array, base: number): PacBufferContent {
  const r = new ByteReader('pac', bytes, true, base);
  switch (type) {
    case 1: {
      const logonInfo = decodeKerbValidationInfo(bytes, base);
      return { kind: 'logonInfo', type: 1, logonInfo, sids: logonInfoSids(logonInfo) };
    }
    case 10:
      return { kind: 'clientInfo', type: 10, clientInfo: decodeClientInfo(r) };
    case 12:
      return { kind: 'upnDnsInfo', type: 12, upnDnsInfo: decodeUpnDnsInfo(r) };
    case 6:
    case 7:
    case 16:
    case 19:
      return { kind: 'signature', type, signature: decodeSignature(r, PAC_BUFFER_NAMES[type]!) };
    case 13:
    case 15:
      // An empty claims buffer is legal and carries nothing to decode.
      if (bytes.length === 0) return { kind: 'raw', type, data: bytes };
      return { kind: 'claims', type, claims: decodeClaimsInfo(bytes, base) };
    case 14:
      return { kind: 'deviceInfo', type: 14, deviceInfo: decodeDeviceInfo(bytes, base) };
    case 17:
      return { kind: 'attributes', type: 17, attributes: decodeAttributes(r) };
    case 18:
      return {
        kind: 'requestor',
        type: 18,
        requestor: { sid: sidToString(readBinarySid(r, 'PAC_REQUESTOR Sid')) },
      };
    default:
      return { kind: 'raw', type, data: bytes };
  }
}

// ---- PACTYPE ----

interface InfoBuffer {
  type: number;
  size: number;
  offset: number;
  infoOffset: number;
}

/**
 * The most buffers a PAC may describe: MIT krb5 refuses more (krb5_pac_parse, MAX_BUFFERS); a real PAC has
 * about ten. With the layout checks below it bounds the work a PAC can cause to its own size.
 */
export const MAX_PAC_BUFFERS = 4096;

/** Every PAC buffer starts on an 8-byte boundary (MS-PAC §2.3). */
const PAC_ALIGNMENT = 8;

function describeInfo(i: InfoBuffer, n: number): string {
  return `buffer ${n} (${PAC_BUFFER_NAMES[i.type] ?? `type ${i.type}`})`;
}

/**
 * Reads PACTYPE and its PAC_INFO_BUFFERs (MS-PAC §2.3, §2.4) and checks the layout before anything
 * reads a buffer: a bounded count, each buffer 8-byte aligned, after the header and inside the PAC, and
 * no two buffers sharing a byte (MS-PAC §2.3 places them serially), so that all the buffers together
 * hold at most the PAC's bytes after its header. Without the last rule a 100 KB PAC could describe the
 * same bytes a thousand times over, and every reader of it (decodePac, verifyPac, signPac: the
 * decoder, the inspector and the KDC) would do a thousand times the work.
 */
function readPacHeader(bytes: Uint8Array): { version: number; infos: InfoBuffer[] } {
  const r = new ByteReader('pac', bytes, true);
  const count = r.u32('cBuffers');
  const version = r.u32('Version');
  if (count > MAX_PAC_BUFFERS) {
    throw new FormatError(
      'pac',
      `PACTYPE claims ${count} buffers; a PAC holds at most ${MAX_PAC_BUFFERS} (a real one about ten)`,
      0,
    );
  }
  if (count * 16 > r.remaining)
    throw r.fail(`PACTYPE claims ${count} buffers, only room for ${Math.floor(r.remaining / 16)}`, 0);
  const headerEnd = 8 + count * 16;
  const infos: InfoBuffer[] = [];
  for (let i = 0; i < count; i++) {
    const infoOffset = r.pos;
    const type = r.u32(`buffer ${i + 1} ulType`);
    const size = r.u32(`buffer ${i + 1} cbBufferSize`);
    const offset64 = r.u64(`buffer ${i + 1} Offset`);
    if (offset64 + BigInt(size) > BigInt(bytes.length) || offset64 < BigInt(headerEnd)) {
      throw new FormatError(
        'pac',
        `buffer ${i + 1} (type ${type}) described at byte ${infoOffset} claims ${size} bytes at offset ${offset64}, ` +
          `outside the PAC's ${bytes.length} bytes after its ${headerEnd}-byte header`,
        infoOffset,
      );
    }
    const info = { type, size, offset: Number(offset64), infoOffset };
    if (info.offset % PAC_ALIGNMENT !== 0) {
      throw new FormatError(
        'pac',
        `${describeInfo(info, i + 1)} described at byte ${infoOffset} starts at offset ${info.offset}, ` +
          `not on an 8-byte boundary (MS-PAC §2.3)`,
        infoOffset,
      );
    }
    infos.push(info);
  }
  // No two buffers overlap: sorted by offset, each non-empty buffer ends before the next one starts.
  const order = infos
    .map((info, i) => ({ info, n: i + 1 }))
    .filter((x) => x.info.size > 0)
    .sort((a, b) => a.info.offset - b.info.offset);
  for (let k = 0; k < order.length; k++) {
    const { info, n } = order[k]!;
    const prev = order[k - 1];
    if (prev && prev.info.offset + prev.info.size > info.offset) {
      const [first, second] = prev.n < n ? [prev, order[k]!] : [order[k]!, prev];
      throw new FormatError(
        'pac',
        `${describeInfo(first.info, first.n)} and ${describeInfo(second.info, second.n)} overlap: ` +
          `bytes ${first.info.offset}–${first.info.offset + first.info.size - 1} and ` +
          `${second.info.offset}–${second.info.offset + second.info.size - 1} (MS-PAC §2.3 lays the buffers out one after another)`,
        second.info.infoOffset,
      );
    }
  }
  return { version, infos };
}

/** Decodes a PAC (the contents of the AD-WIN2K-PAC authorization data element). */
export function decodePac(bytes: Uint8Array, options: DecodePacOptions = {}): Pac {
  const { version, infos } = readPacHeader(bytes);
  const buffers = infos.map((info): PacBuffer => {
    const data = bytes.slice(info.offset, info.offset + info.size);
    const place = { offset: info.offset, size: info.size, bytes: data, infoOffset: info.infoOffset };
    try {
      return { ...decodeContent(info.type, data, info.offset), ...place };
    } catch (e) {
      if (!options.lenient || !(e instanceof KrbPlayError)) throw e;
      return { kind: 'raw', type: info.type, data, ...place, error: e.message };
    }
  });
  return { version, buffers };
}

/** A single buffer's content from its bytes (for a lone KERB_VALIDATION_INFO, say). */
export function decodePacBuffer(type: number, bytes: Uint8Array, base = 0): PacBufferContent {
  return decodeContent(type, bytes, base);
}

/**
 * Lays out a PAC from buffer contents, in the order given: header, then each buffer on an 8-byte
 * boundary, zero-padded (MS-PAC §2.3). Signature buffers are written as given; use `buildPac` or
 * `signPac` to fill them in.
 */
export function encodePac(pac: {
  readonly version?: number;
  readonly buffers: readonly PacBufferContent[];
}): Uint8Array {
  const contents = pac.buffers.map(encodePacBufferContent);
  const w = new ByteWriter(
    true,
    contents.reduce((n, c) => n + ((c.length + 7) & ~7), 8 + 16 * contents.length),
  );
  w.u32(contents.length).u32(pac.version ?? 0);
  let at = 8 + 16 * contents.length;
  pac.buffers.forEach((b, i) => {
    w.u32(b.type).u32(contents[i]!.length).u64(BigInt(at));
    at = (at + contents[i]!.length + 7) & ~7;
  });
  for (const c of contents) w.bytes(c).align(8);
  return w.finish();
}

// ---- signatures (MS-PAC §2.8) ----

/** The keys a KDC signs a PAC with. For a TGT the server key is the krbtgt key too. */
export interface PacSigningKeys {
  /** The long-term key of the service the ticket is for: makes the server checksum (type 6). */
  readonly serverKey: Key;
  /** The krbtgt key: makes the KDC checksum (7), and the ticket (16) and full (19) checksums. */
  readonly kdcKey: Key;
  /**
   * The DER EncTicketPart with the PAC's contents replaced by one zero byte (MS-PAC §2.8.2, as MIT
   * re-encodes it). When given, the ticket checksum (16) is computed over it.
   */
  readonly ticket?: Uint8Array;
  /**
   * Add the full PAC checksum (19, MS-PAC's extended KDC signature, §2.8.3), as current DCs do for
   * service tickets.
   */
  readonly fullChecksum?: boolean;
}

function checksumLength(cksumtype: number): number {
  const info = findChecksumType(cksumtype);
  if (!info) throw new KrbPlayInputError(`checksum type ${cksumtype} is unknown`);
  return info.length;
}

/** The signature field of a PAC_SIGNATURE_DATA at `b`: after the 4-byte type, as long as the type says. */
function signatureField(bytes: Uint8Array, b: InfoBuffer): { start: number; end: number } {
  const room = Math.max(0, b.size - 4);
  const type = b.size >= 4 ? new DataView(bytes.buffer, bytes.byteOffset + b.offset, 4).getInt32(0, true) : 0;
  const len = Math.min(findChecksumType(type)?.length ?? room, room);
  return { start: b.offset + 4, end: b.offset + 4 + len };
}

/**
 * Zeroes one signature in a copy of the PAC. MS-PAC §2.8.1 zeroes the Signature fields only, so an
 * RODCIdentifier after the KDC signature stays as it is. (MIT zeroes the whole rest of the buffer,
 * which is the same thing whenever there is no RODCIdentifier, as in every PAC MIT itself makes.)
 */
function zeroSignature(bytes: Uint8Array, type: number): Uint8Array {
  const b = readPacHeader(bytes).infos.find((i) => i.type === type);
  if (b) {
    const f = signatureField(bytes, b);
    bytes.fill(0, f.start, f.end);
  }
  return bytes;
}

/**
 * Fills in the signature buffers of an encoded PAC, in MIT's and Windows' order (MS-PAC §2.8):
 * the ticket checksum (if buffer 16 is there), then the full checksum (19, over the PAC with 6, 7 and 19
 * zeroed), then the server checksum (over the PAC with 6 and 7 zeroed), then the KDC checksum over the
 * server signature. Each buffer must already be the right size for its key's checksum type.
 */
export function signPac(pacBytes: Uint8Array, keys: PacSigningKeys): Uint8Array {
  const out = pacBytes.slice();
  const { infos } = readPacHeader(out);
  const find = (type: number) => infos.find((i) => i.type === type);
  const serverType = checksumTypeForEnctype(keys.serverKey.etype);
  const kdcType = checksumTypeForEnctype(keys.kdcKey.etype);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);

  const prepare = (type: number, cksumtype: number): InfoBuffer => {
    const b = find(type);
    if (!b)
      throw new KrbPlayInputError(`the PAC has no ${PAC_BUFFER_NAMES[type]} buffer (type ${type}) to sign`);
    const need = 4 + checksumLength(cksumtype);
    if (b.size < need) {
      throw new KrbPlayInputError(
        `the ${PAC_BUFFER_NAMES[type]} buffer holds ${b.size} bytes; checksum type ${cksumtype} needs ${need}`,
      );
    }
    // Zero the signature field only: a trailing RODCIdentifier is part of what is signed.
    view.setInt32(b.offset, cksumtype, true);
    out.fill(0, b.offset + 4, b.offset + need);
    return b;
  };
  const put = (b: InfoBuffer, sig: Uint8Array) => out.set(sig, b.offset + 4);

  const server = prepare(PacBufferType.SERVER_CHECKSUM, serverType);
  const kdc = prepare(PacBufferType.PRIVSVR_CHECKSUM, kdcType);
  const ticketBuf = find(PacBufferType.TICKET_CHECKSUM);
  const fullBuf = find(PacBufferType.FULL_CHECKSUM);
  if (ticketBuf) {
    if (!keys.ticket)
      throw new KrbPlayInputError(
        'the PAC has a ticket checksum buffer (16) but no ticket bytes were given to sign',
      );
    put(
      prepare(PacBufferType.TICKET_CHECKSUM, kdcType),
      checksum(kdcType, keys.kdcKey, PAC_CHECKSUM_KEY_USAGE, keys.ticket),
    );
  }
  if (fullBuf) {
    const b = prepare(PacBufferType.FULL_CHECKSUM, kdcType);
    put(b, checksum(kdcType, keys.kdcKey, PAC_CHECKSUM_KEY_USAGE, out));
  }
  put(server, checksum(serverType, keys.serverKey, PAC_CHECKSUM_KEY_USAGE, out));
  const sf = signatureField(out, server);
  const serverSig = out.slice(sf.start, sf.end);
  put(kdc, checksum(kdcType, keys.kdcKey, PAC_CHECKSUM_KEY_USAGE, serverSig));
  return out;
}

/**
 * Builds and signs a PAC from its content buffers (LOGON_INFO, CLIENT_INFO, UPN_DNS_INFO, …): appends
 * the server and KDC signature buffers, the ticket checksum when `keys.ticket` is given and the full
 * checksum when `keys.fullChecksum` is set, then signs. Signature buffers among `buffers` are dropped.
 */
export function buildPac(
  buffers: readonly PacBufferContent[],
  keys: PacSigningKeys,
  version = 0,
): Uint8Array {
  const content = buffers.filter((b) => !SIGNATURE_TYPES.has(b.type));
  const zeroSig = (type: 6 | 7 | 16 | 19, key: Key): PacBufferContent => {
    const cksumtype = checksumTypeForEnctype(key.etype);
    return {
      kind: 'signature',
      type,
      signature: { signatureType: cksumtype, signature: new Uint8Array(checksumLength(cksumtype)) },
    };
  };
  const sigs = [zeroSig(6, keys.serverKey), zeroSig(7, keys.kdcKey)];
  if (keys.ticket) sigs.push(zeroSig(16, keys.kdcKey));
  if (keys.fullChecksum) sigs.push(zeroSig(19, keys.kdcKey));
  return signPac(encodePac({ version, buffers: [...content, ...sigs] }), keys);
}

/** What checking one signature found. */
export interface PacSignatureCheck {
  /** valid / invalid: checked; absent: no such buffer; no-key: not checked; error: could not check. */
  readonly status: 'valid' | 'invalid' | 'absent' | 'no-key' | 'error';
  readonly checksumType?: number;
  readonly reason?: string;
}

export interface PacVerification {
  readonly server: PacSignatureCheck;
  readonly kdc: PacSignatureCheck;
  readonly ticket: PacSignatureCheck;
  readonly full: PacSignatureCheck;
  /** True when nothing checked failed and at least one signature was checked. */
  readonly ok: boolean;
}

export interface PacVerifyKeys {
  /** The service's key (for a TGT, the krbtgt key). */
  readonly serverKey?: Key;
  /** The krbtgt key. */
  readonly kdcKey?: Key;
  /** The EncTicketPart re-encoded with the PAC replaced by one zero byte, for the ticket checksum. */
  readonly ticket?: Uint8Array;
}

/**
 * Verifies a PAC's signatures with the keys at hand (MS-PAC §2.8.1–§2.8.5, in MIT's way): the server
 * checksum over the PAC with the server and KDC signatures zeroed, the full checksum over the PAC with
 * those and itself zeroed, the KDC checksum over the server signature, the ticket checksum over the
 * given re-encoded ticket. Never throws for a bad signature: the result says which failed and why.
 */
export function verifyPac(pacBytes: Uint8Array, keys: PacVerifyKeys): PacVerification {
  const { infos } = readPacHeader(pacBytes);
  const find = (type: number) => infos.find((i) => i.type === type);
  const base = zeroSignature(zeroSignature(pacBytes.slice(), 6), 7);

  const check = (
    type: number,
    key: Key | undefined,
    data: (() => Uint8Array) | undefined,
    noData: { status: 'no-key' | 'error'; reason: string } = {
      status: 'no-key',
      reason: 'the re-encoded ticket was not given',
    },
  ): PacSignatureCheck => {
    const b = find(type);
    if (!b) return { status: 'absent' };
    let sig: PacSignatureData;
    try {
      sig = decodeSignature(
        new ByteReader('pac', pacBytes.slice(b.offset, b.offset + b.size), true, b.offset),
        PAC_BUFFER_NAMES[type]!,
      );
    } catch (e) {
      return { status: 'error', reason: e instanceof Error ? e.message : String(e) };
    }
    const checksumType = sig.signatureType;
    if (!key) return { status: 'no-key', checksumType };
    if (!data) return { ...noData, checksumType };
    try {
      const ok = verifyChecksum(checksumType, key, PAC_CHECKSUM_KEY_USAGE, data(), sig.signature);
      return ok
        ? { status: 'valid', checksumType }
        : {
            status: 'invalid',
            checksumType,
            reason: 'the checksum does not match: wrong key, or the PAC was changed',
          };
    } catch (e) {
      return { status: 'error', checksumType, reason: e instanceof Error ? e.message : String(e) };
    }
  };

  const serverBuf = find(6);
  const server = check(6, keys.serverKey, () => base);
  const serverSig = serverBuf ? signatureField(pacBytes, serverBuf) : undefined;
  const kdc = serverSig
    ? check(7, keys.kdcKey, () => pacBytes.slice(serverSig.start, serverSig.end))
    : check(7, keys.kdcKey, undefined, {
        status: 'error',
        reason: 'there is no server signature to check it over',
      });
  const full = check(19, keys.kdcKey, () => zeroSignature(base.slice(), 19));
  const ticket = check(16, keys.kdcKey, keys.ticket ? () => keys.ticket! : undefined);
  const all = [server, kdc, full, ticket];
  const ok =
    all.some((c) => c.status === 'valid') && !all.some((c) => c.status === 'invalid' || c.status === 'error');
  return { server, kdc, ticket, full, ok };
}

/** The buffer of a given type, if the PAC has one. */
export function findPacBuffer<K extends PacBufferContent['kind']>(
  pac: Pac,
  kind: K,
): (PacBuffer & { kind: K }) | undefined {
  return pac.buffers.find((b) => b.kind === kind) as (PacBuffer & { kind: K }) | undefined;
}
