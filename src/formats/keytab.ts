/**
 * MIT keytab files (MIT krb5 doc/formats/keytab_file_format.rst): the long-term keys of principals,
 * as `ktutil`, `kadmin ktadd`, Windows `ktpass` and every Kerberos library write them.
 *
 *   file   ::= 0x05 version(0x01|0x02) { length(int32) (entry | hole) }*
 *   entry  ::= principal timestamp(32) kvno(8) enctype(16) keylength(16) key [kvno(32)]
 *   principal ::= count(16) realm(data16) component(data16)* nametype(32)
 *
 * Version 2 is big-endian; version 1 used the writer's native byte order, counted the realm among the
 * components and had no name type. A negative record length is a hole left by a deleted entry; a zero
 * length ends the file. A record may be longer than its entry (an entry written into a larger hole).
 */
import { describeEnctype, etypeName, type Key } from '../crypto';
import { fromUtf8, toHex, utf8 } from '../util/bytes';
import { ByteReader, ByteWriter, type Span } from './bytes-io';
import { FormatError } from './errors';
import { isoSeconds } from '../asn1/time';
import { formatPrincipal, type Principal } from '../asn1/principal';

/** How an entry was stored, kept so that a file read and written back is byte-for-byte the same. */
export interface KeytabEntryStorage {
  /** The 8-bit kvno field. */
  readonly kvno8: number;
  /** The trailing 32-bit kvno (MIT 1.14+), or null when the record has none. */
  readonly kvno32: number | null;
  /** Bytes left in the record after the entry (an entry written into a larger hole). */
  readonly padding: Uint8Array;
}

/** Where the parts of an entry are in the file, for the hex view. */
export interface KeytabEntrySpans {
  readonly record: Span;
  readonly principal: Span;
  readonly timestamp: Span;
  readonly kvno8: Span;
  readonly key: Span;
  readonly kvno32?: Span;
}

export interface KeytabEntry {
  readonly principal: Principal;
  /** When the key was written: seconds since 1970 (unsigned 32-bit on disk). */
  readonly timestamp: number;
  /** The key version number: the 32-bit trailer when present and non-zero, else the 8-bit field. */
  readonly kvno: number;
  readonly key: Key;
  /** How the entry was stored (set by the reader; optional when writing). */
  readonly stored?: KeytabEntryStorage;
  readonly spans?: KeytabEntrySpans;
}

export interface Keytab {
  /** 2 for 0x0502 (always written), 1 for the old native-byte-order 0x0501 (read only). */
  readonly version: 1 | 2;
  readonly entries: readonly KeytabEntry[];
  /** Deleted entries (negative record lengths) the reader skipped. */
  readonly holes?: readonly Span[];
}

const MAX_U16 = 0xffff;

/**
 * The most records (entries, and holes left by deleted ones) a keytab is read with. A service's keytab
 * has a handful, a whole realm's export a few thousand; each entry read costs about a KB, so a hostile
 * file stops here, not at gigabytes.
 */
export const MAX_KEYTAB_RECORDS = 65_536;

/** The kvno an entry's stored fields spell: MIT uses the 32-bit trailer only when it is non-zero. */
function storedKvno(s: KeytabEntryStorage): number {
  return s.kvno32 !== null && s.kvno32 !== 0 ? s.kvno32 : s.kvno8;
}

/**
 * Version 1 files carry no byte-order mark. Read the first record length both ways and take the order
 * in which it fits the file; little-endian (the x86 hosts that wrote such files) when both fit.
 */
function guessV1LittleEndian(bytes: Uint8Array): boolean {
  if (bytes.length < 6) return true;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fits = (le: boolean) => {
    const n = view.getInt32(2, le);
    return Math.abs(n) <= bytes.length - 6;
  };
  return fits(true) || !fits(false);
}

function readData16(r: ByteReader, what: string): string {
  const n = r.u16(`length of ${what}`);
  return fromUtf8(r.take(n, what));
}

function readEntry(
  r: ByteReader,
  version: 1 | 2,
  index: number,
  recordStart: number,
  recordEnd: number,
): KeytabEntry {
  const where = `entry ${index}`;
  const principalStart = r.pos;
  let count = r.u16(`${where}: component count`);
  if (version === 1) {
    // Version 1 counts the realm among the components (MIT kt_file.c).
    if (count === 0)
      throw r.fail(`${where}: version-1 component count 0 leaves no room for the realm`, principalStart);
    count -= 1;
  }
  // Each component needs at least its 2-byte length: refuse absurd counts before looping.
  if (count * 2 > r.remaining) {
    throw r.fail(`${where} claims ${count} name components, only ${r.remaining} bytes left`, principalStart);
  }
  const realm = readData16(r, `${where}: realm`);
  const components: string[] = [];
  for (let i = 0; i < count; i++) components.push(readData16(r, `${where}: name component ${i + 1}`));
  const nameType = version === 1 ? 0 : r.u32(`${where}: name type`);
  const principalSpan = r.span(principalStart);

  const tsStart = r.pos;
  const timestamp = r.u32(`${where}: timestamp`);
  const kvnoStart = r.pos;
  const kvno8 = r.u8(`${where}: kvno`);
  const keyStart = r.pos;
  const etype = r.u16(`${where}: enctype`);
  const keyLength = r.u16(`${where}: key length`);
  const keyBytes = r.take(keyLength, `${where}: key`);
  const keySpan = r.span(keyStart);

  // MIT 1.14+: a 32-bit kvno follows when at least 4 bytes of the record remain (keytab_file_format.rst).
  let kvno32: number | null = null;
  let kvno32Span: Span | undefined;
  if (recordEnd - r.pos >= 4) {
    const at = r.pos;
    kvno32 = r.u32(`${where}: 32-bit kvno`);
    kvno32Span = r.span(at);
  }
  const padding = r.take(recordEnd - r.pos, `${where}: record padding`);
  const stored: KeytabEntryStorage = { kvno8, kvno32, padding };
  return {
    principal: { realm, name: { nameType, nameString: components } },
    timestamp,
    kvno: storedKvno(stored),
    key: { etype, bytes: keyBytes },
    stored,
    spans: {
      record: { offset: r.base + recordStart, length: recordEnd - recordStart },
      principal: principalSpan,
      timestamp: { offset: r.base + tsStart, length: 4 },
      kvno8: { offset: r.base + kvnoStart, length: 1 },
      key: keySpan,
      ...(kvno32Span ? { kvno32: kvno32Span } : {}),
    },
  };
}

/** Reads a keytab file. Throws FormatError (naming the entry and the byte) on anything malformed. */
export function decodeKeytab(bytes: Uint8Array): Keytab {
  const r = new ByteReader('keytab', bytes, false);
  const magic = r.u8('file format byte');
  if (magic !== 5)
    throw r.fail(`not a keytab: the first byte is 0x${magic.toString(16).padStart(2, '0')}, not 0x05`, 0);
  const v = r.u8('version byte');
  if (v !== 1 && v !== 2)
    throw r.fail(
      `unsupported keytab version 0x05${v.toString(16).padStart(2, '0')} (0x0501 and 0x0502 are known)`,
      1,
    );
  const version = v;
  if (version === 1) r.littleEndian = guessV1LittleEndian(bytes);

  const entries: KeytabEntry[] = [];
  const holes: Span[] = [];
  let index = 0;
  while (r.remaining > 0) {
    const lengthAt = r.pos;
    // A file may end without a terminating zero, or with fewer than 4 stray bytes (MIT stops there too).
    if (r.remaining < 4) break;
    const length = r.i32(`record length`);
    if (length === 0) break; // keytab_file_format.rst: "A length of 0 indicates the end of the file."
    if (index + holes.length >= MAX_KEYTAB_RECORDS) {
      throw new FormatError(
        'keytab',
        `the record at byte ${lengthAt} is one too many: a keytab is read with at most ${MAX_KEYTAB_RECORDS} records (entries and holes)`,
        lengthAt,
      );
    }
    const size = Math.abs(length);
    if (size > r.remaining) {
      const what = length < 0 ? `hole` : `entry ${index + 1}`;
      throw new FormatError(
        'keytab',
        `${what} at byte ${lengthAt} claims ${size} bytes, only ${r.remaining} left`,
        lengthAt,
      );
    }
    if (length < 0) {
      holes.push({ offset: r.base + r.pos, length: size });
      r.skip(size, 'hole');
      continue;
    }
    index++;
    const start = r.pos;
    const end = start + size;
    // Read the entry inside its own record, so that a lying inner length cannot run into the next one.
    const inner = new ByteReader('keytab', bytes.subarray(0, end), r.littleEndian);
    inner.pos = start;
    entries.push(readEntry(inner, version, index, start, end));
    r.pos = end;
  }
  return { version, entries, ...(holes.length > 0 ? { holes } : {}) };
}

function checkU16(n: number, what: string): void {
  if (n > MAX_U16)
    throw new FormatError('keytab', `${what} is ${n} bytes; a keytab stores at most ${MAX_U16}`);
}

/**
 * Writes a keytab in format 0x0502, the one MIT `klist -k` and `ktutil` read: every entry with the
 * 8-bit kvno and the 32-bit kvno trailer (as MIT 1.14+ writes), unless the entry's `stored` form (from
 * the reader) says otherwise and still spells the same kvno. Holes are not written.
 */
export function encodeKeytab(keytab: Pick<Keytab, 'entries'>): Uint8Array {
  const w = new ByteWriter(false);
  w.u8(5).u8(2);
  keytab.entries.forEach((e, i) => {
    const where = `entry ${i + 1}`;
    const body = new ByteWriter(false);
    const realm = utf8(e.principal.realm);
    const components = e.principal.name.nameString;
    checkU16(components.length, `${where}: the component count`);
    body.u16(components.length);
    checkU16(realm.length, `${where}: the realm`);
    body.u16(realm.length).bytes(realm);
    for (const c of components) {
      const b = utf8(c);
      checkU16(b.length, `${where}: a name component`);
      body.u16(b.length).bytes(b);
    }
    body.u32(e.principal.name.nameType).u32(e.timestamp);
    const stored = e.stored !== undefined && storedKvno(e.stored) === e.kvno ? e.stored : undefined;
    body.u8(stored ? stored.kvno8 : e.kvno & 0xff);
    checkU16(e.key.bytes.length, `${where}: the key`);
    body.u16(e.key.etype).u16(e.key.bytes.length).bytes(e.key.bytes);
    if (stored) {
      if (stored.kvno32 !== null) body.u32(stored.kvno32);
      body.bytes(stored.padding);
    } else {
      body.u32(e.kvno);
    }
    const rec = body.finish();
    w.i32(rec.length).bytes(rec);
  });
  return w.finish();
}

/** `krbplay keytab list --json` (CLI.md): one object per entry. */
export interface KeytabListJson {
  entries: {
    principal: string;
    kvno: number;
    etype: number;
    etypeName: string;
    key: string;
    timestamp: string;
  }[];
}

export function keytabToListJson(kt: Keytab): KeytabListJson {
  return {
    entries: kt.entries.map((e) => ({
      principal: formatPrincipal(e.principal),
      kvno: e.kvno,
      etype: e.key.etype,
      etypeName: etypeName(e.key.etype),
      key: toHex(e.key.bytes),
      timestamp: isoSeconds(e.timestamp * 1000),
    })),
  };
}

/** One line per entry, as `klist -k -t -e` prints it (kvno, time, principal, enctype). */
export function describeKeytabEntry(e: KeytabEntry): string {
  return `kvno ${e.kvno} ${isoSeconds(e.timestamp * 1000)} ${formatPrincipal(e.principal)} (${describeEnctype(e.key.etype)})`;
}
