/**
 * The corner of NDR (C706 ch. 14, as profiled by MS-RPCE §2.2.6 "type serialization version 1") that
 * the PAC needs: little-endian scalars aligned to their size, unique pointers as 32-bit referent ids
 * whose referents follow the structure that holds them, conformant (and varying) arrays with their
 * counts in front, and the SID (MS-DTYP §2.4.2) both as an NDR conformant structure and in its
 * packed binary form.
 */
import { utf16le } from '../util/bytes';
import { KrbPlayInputError } from '../util/errors';
import { ByteReader, ByteWriter } from './bytes-io';
import { FormatError } from './errors';

const utf16Decoder = new TextDecoder('utf-16le', { fatal: false });

/** UTF-16LE bytes to a string (odd trailing byte ignored, invalid surrogates replaced). */
export function fromUtf16le(bytes: Uint8Array): string {
  return utf16Decoder.decode(bytes.length % 2 === 0 ? bytes : bytes.subarray(0, bytes.length - 1));
}

/** A string to UTF-16LE, one code unit at a time (surrogate pairs pass through as they are). */
export const toUtf16le = utf16le;

// ---- SIDs (MS-DTYP §2.4.2) ----

/** A SID as its parts: revision, 48-bit identifier authority, sub-authorities (RIDs last). */
export interface SidParts {
  readonly revision: number;
  readonly authority: number;
  readonly subAuthorities: readonly number[];
}

/**
 * "S-1-5-21-…" (MS-DTYP §2.4.2.1): the authority in decimal below 2^32, else as 0x-prefixed hex.
 */
export function sidToString(sid: SidParts): string {
  const auth =
    sid.authority < 2 ** 32
      ? String(sid.authority)
      : '0x' + sid.authority.toString(16).toUpperCase().padStart(12, '0');
  return ['S', String(sid.revision), auth, ...sid.subAuthorities.map(String)].join('-');
}

/** Parses "S-1-5-21-…" (decimal or 0x-hex authority). Throws KrbPlayInputError on anything else. */
export function parseSid(text: string): SidParts {
  const m = /^S-(\d{1,3})-(0x[0-9a-fA-F]{1,12}|\d{1,15})((?:-\d{1,10})*)$/i.exec(text.trim());
  const bad = () => new KrbPlayInputError(`not a SID: "${text}" (expected S-1-5-21-…)`);
  if (!m) throw bad();
  const revision = Number(m[1]);
  const authority = m[2]!.toLowerCase().startsWith('0x') ? parseInt(m[2]!.slice(2), 16) : Number(m[2]);
  const subAuthorities = m[3] ? m[3].slice(1).split('-').map(Number) : [];
  if (
    revision > 255 ||
    authority >= 2 ** 48 ||
    subAuthorities.length > 15 ||
    subAuthorities.some((s) => s > 0xffffffff)
  ) {
    throw bad();
  }
  return { revision, authority, subAuthorities };
}

/** The RID appended to a domain SID: "S-1-5-21-x-y-z" + 1104 → "S-1-5-21-x-y-z-1104". */
export function sidWithRid(domainSid: string, rid: number): string {
  return `${domainSid}-${rid >>> 0}`;
}

function readSidBody(r: ByteReader, count: number, what: string): SidParts {
  const revision = r.u8(`${what}: revision`);
  const n = r.u8(`${what}: sub-authority count`);
  if (n !== count)
    throw r.fail(`${what} says ${n} sub-authorities where its array holds ${count}`, r.pos - 1);
  let authority = 0;
  for (let i = 0; i < 6; i++) authority = authority * 256 + r.u8(`${what}: identifier authority`); // big-endian (MS-DTYP §2.4.1.1)
  if (n * 4 > r.remaining)
    throw r.fail(`${what} claims ${n} sub-authorities, only ${r.remaining} bytes left`);
  const subAuthorities: number[] = [];
  for (let i = 0; i < n; i++) subAuthorities.push(r.u32(`${what}: sub-authority`)); // little-endian
  return { revision, authority, subAuthorities };
}

function writeSidBody(w: ByteWriter, sid: SidParts): void {
  w.u8(sid.revision).u8(sid.subAuthorities.length);
  let a = sid.authority;
  const auth = new Uint8Array(6);
  for (let i = 5; i >= 0; i--) {
    auth[i] = a % 256;
    a = Math.floor(a / 256);
  }
  w.bytes(auth);
  for (const s of sid.subAuthorities) w.u32(s);
}

/** A SID in its packed binary form (MS-DTYP §2.4.2.2), as UPN_DNS_INFO and PAC_REQUESTOR hold it. */
export function readBinarySid(r: ByteReader, what: string): SidParts {
  r.need(2, what);
  const n = r.bytes[r.pos + 1]!;
  return readSidBody(r, n, what);
}

export function encodeBinarySid(sid: string | SidParts): Uint8Array {
  const parts = typeof sid === 'string' ? parseSid(sid) : sid;
  const w = new ByteWriter(true);
  writeSidBody(w, parts);
  return w.finish();
}

// ---- NDR stream reading ----

/** Reads an NDR stream (little-endian; alignment counted from the start of the buffer). */
export class NdrReader extends ByteReader {
  constructor(bytes: Uint8Array, base: number, format = 'pac') {
    super(format, bytes, true, base);
  }

  /** A unique pointer: its referent id, 0 for null (C706 §14.3.10). */
  pointer(what: string): number {
    this.align(4, what);
    return this.u32(`${what} pointer`);
  }

  /** The count in front of a conformant array, checked against what the bytes can hold. */
  conformance(what: string, elementSize: number, expected?: number): number {
    this.align(4, what);
    const at = this.pos;
    const n = this.u32(`${what} count`);
    if (expected !== undefined && n !== expected) {
      throw this.fail(`${what} holds ${n} elements where its count field says ${expected}`, at);
    }
    if (n * elementSize > this.remaining) {
      throw this.fail(`${what} claims ${n} elements, only ${this.remaining} bytes left`, at);
    }
    return n;
  }

  /**
   * The referent of an RPC_UNICODE_STRING's Buffer (MS-DTYP §2.3.10): a conformant varying array of
   * WCHAR — maximum count, offset, actual count, then the characters.
   */
  unicodeStringBody(what: string): string {
    this.align(4, what);
    const at = this.pos;
    const max = this.u32(`${what} maximum count`);
    const offset = this.u32(`${what} offset`);
    const actual = this.u32(`${what} actual count`);
    if (offset !== 0 || actual > max) {
      throw this.fail(
        `${what}: offset ${offset} and actual count ${actual} do not fit maximum count ${max}`,
        at,
      );
    }
    if (actual * 2 > this.remaining)
      throw this.fail(`${what} claims ${actual} characters, only ${this.remaining} bytes left`, at);
    return fromUtf16le(this.take(actual * 2, what));
  }

  /** An RPC_SID referent: a conformant structure, its sub-authority count first. */
  sid(what: string): SidParts {
    const n = this.conformance(what, 4);
    return readSidBody(this, n, what);
  }
}

/** The header of an RPC_UNICODE_STRING inside its structure: lengths in bytes and the pointer. */
export interface UnicodeStringHeader {
  readonly length: number;
  readonly maximumLength: number;
  readonly pointer: number;
}

export function readUnicodeStringHeader(r: NdrReader, what: string): UnicodeStringHeader {
  r.align(4, what);
  const length = r.u16(`${what} length`);
  const maximumLength = r.u16(`${what} maximum length`);
  const pointer = r.u32(`${what} pointer`);
  return { length, maximumLength, pointer };
}

/** Reads the string an RPC_UNICODE_STRING header points to ('' for a null pointer). */
export function readUnicodeStringReferent(r: NdrReader, h: UnicodeStringHeader, what: string): string {
  if (h.pointer === 0) return '';
  // The header's Length and the array's actual count normally agree (MS-DTYP §2.3.10); the array
  // is what the characters are read from, so a disagreement is shown as decoded rather than refused.
  return r.unicodeStringBody(what);
}

/**
 * MS-RPCE §2.2.6.1–2: the common type header (version 1, little-endian 0x10, length 8, filler
 * 0xcccccccc) and the private header (object buffer length, filler). Returns the reader positioned at
 * the top-level object, limited to the object buffer.
 */
export function readTypeSerializationHeaders(bytes: Uint8Array, base: number, what: string): NdrReader {
  const r = new NdrReader(bytes, base);
  const version = r.u8(`${what}: serialization version`);
  const endian = r.u8(`${what}: endianness`);
  const headerLength = r.u16(`${what}: common header length`);
  r.u32(`${what}: filler`);
  if (version !== 1) throw r.fail(`${what}: NDR type serialization version ${version}, expected 1`, 0);
  if (endian !== 0x10)
    throw r.fail(
      `${what}: endianness byte 0x${endian.toString(16)}; only little-endian (0x10) is supported`,
      1,
    );
  if (headerLength !== 8) throw r.fail(`${what}: common header length ${headerLength}, expected 8`, 2);
  const objectLength = r.u32(`${what}: object buffer length`);
  r.u32(`${what}: private header filler`);
  if (objectLength > r.remaining) {
    throw r.fail(`${what}: object buffer claims ${objectLength} bytes, only ${r.remaining} left`, 8);
  }
  const limited = new NdrReader(bytes.subarray(0, 16 + objectLength), base);
  limited.pos = 16;
  return limited;
}

// ---- NDR stream writing ----

/** Writes an NDR stream; referent ids count up from 0x00020000 in steps of 4, as Windows numbers them. */
export class NdrWriter extends ByteWriter {
  private nextReferent = 0x00020000;

  constructor() {
    super(true);
  }

  /** Writes a unique pointer: a fresh referent id when `present`, else 0. */
  pointer(present: boolean): this {
    this.align(4);
    if (!present) return this.u32(0);
    const id = this.nextReferent;
    this.nextReferent += 4;
    return this.u32(id);
  }

  unicodeStringHeader(s: string): this {
    const n = s.length * 2;
    if (n > 0xffff)
      throw new FormatError('pac', `a string of ${s.length} characters does not fit RPC_UNICODE_STRING`);
    this.align(4).u16(n).u16(n);
    // Windows sends a non-null pointer even for an empty string; the referent is then an empty array.
    return this.pointer(true);
  }

  unicodeStringBody(s: string): this {
    this.align(4).u32(s.length).u32(0).u32(s.length).bytes(toUtf16le(s));
    return this;
  }

  sid(sid: string | SidParts): this {
    const parts = typeof sid === 'string' ? parseSid(sid) : sid;
    this.align(4).u32(parts.subAuthorities.length);
    writeSidBody(this, parts);
    return this;
  }
}

/** Wraps an NDR body in the MS-RPCE §2.2.6 headers; the object buffer is padded to 8 bytes. */
export function withTypeSerializationHeaders(body: Uint8Array): Uint8Array {
  const padded = (body.length + 7) & ~7;
  const w = new ByteWriter(true);
  w.u8(1).u8(0x10).u16(8).u32(0xcccccccc);
  w.u32(padded).u32(0);
  w.bytes(body).zeros(padded - body.length);
  return w.finish();
}
