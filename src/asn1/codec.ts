/**
 * Schemas as data: each ASN.1 type of RFC 4120 §5 (and its extensions) is a `Codec` that both decodes a
 * `Tlv` into a typed value plus a `KrbNode` (the inspector's tree) and encodes the value back to DER.
 * One description serves both directions, so what we read and what we write cannot drift apart.
 *
 * RFC 4120 §5 is written with EXPLICIT TAGS: a field `[4] KDC-REQ-BODY` is a context element [4] holding
 * one complete KDC-REQ-BODY. In the tree the two are folded into one node named after the field,
 * tagged "[4]", covering the bytes from the [4] identifier to the end of its content.
 */
import * as asn1js from 'asn1js';
import { toHex } from '../util/bytes';
import { KrbPlayInputError } from '../util/errors';
import { parseDer, tagName, tlvTagName, toDer, newContext } from './der';
import type { DecodeContext, DecodeLimits, TagClass, Tlv } from './der';
import { DecodeError } from './errors';
import { isoSeconds } from './time';

/** One field of a decoded message, as `krbplay decode --json` prints it (CLI.md, NODE). */
export interface KrbNode {
  /** The RFC field name ("req-body", "padata[0]") or, at the top, the type ("AS-REQ"). */
  name: string;
  /** "[4]", "[APPLICATION 10]", "SEQUENCE", "INTEGER", … */
  tag: string;
  /** Absolute offset of the first byte (the identifier), from the start of the outermost input. */
  offset: number;
  /** Bytes from the identifier to the end of the content. */
  length: number;
  /** Leaves: numbers, strings, booleans; bytes as lowercase hex; times as ISO-8601 UTC. */
  value?: string | number | boolean;
  children?: KrbNode[];
}

export interface Decoded<T> {
  value: T;
  node: KrbNode;
}

export interface Codec<T> {
  /** The ASN.1 type name a learner finds in the RFC ("KDC-REQ-BODY", "PrincipalName", "Int32"). */
  readonly typeName: string;
  /** The outer tag(s) this codec accepts; the first is the one it writes. */
  readonly cls: TagClass;
  readonly nums: readonly number[];
  decode(t: Tlv, ctx: DecodeContext, name: string): Decoded<T>;
  /** The value as asn1js elements; callers encode them and never change them (they may be shared). */
  encode(v: T): asn1js.BaseBlock;
  /**
   * A text that identifies the value's encoding exactly, for the small values messages repeat (numbers,
   * names, realms, times, flags); undefined for any other value, and for anything `encode` would refuse.
   */
  key?(v: unknown): string | undefined;
  /**
   * For a primitive type: the content octets `encode` would give asn1js for the value (its identifier
   * is the codec's own, `nums[0]`), so an EXPLICIT field of it can be spliced from a remembered header
   * (LeafHeaders); undefined for anything `encode` would refuse or write otherwise.
   */
  content?(v: unknown): Uint8Array | undefined;
}

// ---- helpers ----------------------------------------------------------------------------------------

export function nodeOf(t: Tlv, name: string, tag: string = tlvTagName(t)): KrbNode {
  return { name, tag, offset: t.offset, length: t.headerLength + t.length };
}

/**
 * The node every codec gives back when the context builds no tree (`decodeValue`): one shared, frozen
 * placeholder, so value-only decoding allocates nothing for the tree.
 */
const NO_NODE: KrbNode = Object.freeze({ name: '', tag: '', offset: 0, length: 0 });

/** A leaf node holding `value`, or the placeholder when no tree is wanted. */
function leaf(t: Tlv, ctx: DecodeContext, name: string, value: string | number | boolean): KrbNode {
  if (!ctx.tree) return NO_NODE;
  return { name, tag: tlvTagName(t), offset: t.offset, length: t.headerLength + t.length, value };
}

function describe(cls: TagClass, num: number, typeName: string): string {
  const tag = tagName(cls, num);
  return tag === typeName ? tag : `${tag} ${typeName}`;
}

/** Checks the identifier of `t` against a codec: "expected [APPLICATION 1] Ticket, found [APPLICATION 3]". */
export function expectTag(
  t: Tlv,
  codec: Pick<Codec<unknown>, 'cls' | 'nums' | 'typeName'>,
  constructed: boolean,
): void {
  if (t.cls === codec.cls && codec.nums.includes(t.num) && t.constructed === constructed) return;
  const want = describe(codec.cls, codec.nums[0]!, codec.typeName);
  const found = tlvTagName(t);
  const form =
    t.cls === codec.cls && codec.nums.includes(t.num)
      ? ` in the ${t.constructed ? 'constructed' : 'primitive'} form`
      : '';
  throw new DecodeError(t.offset, `expected ${want}, found ${found}${form}`);
}

function universal(num: number, content: Uint8Array): asn1js.BaseBlock {
  return new asn1js.Primitive({ idBlock: { tagClass: 1, tagNumber: num }, valueHex: content });
}

export function explicit(num: number, inner: asn1js.BaseBlock, tagClass = 3): asn1js.BaseBlock {
  return new asn1js.Constructed({ idBlock: { tagClass, tagNumber: num }, value: [inner] });
}

/**
 * DER that asn1js wrote earlier, handed back to it as one element of a constructed value's contents:
 * asn1js asks each child of a constructed value for its bytes (`toBER(sizeOnly, writer)`), and this
 * child answers with the bytes asn1js itself produced, unchanged (they are never written to: asn1js
 * copies out of what it is given). Nothing here makes an identifier or a length.
 */
class SplicedDer {
  /** What asn1js reads of any child before encoding: never the indefinite form (X.690 §10.1). */
  readonly lenBlock = { isIndefiniteForm: false };
  readonly error = '';
  constructor(readonly der: ArrayBuffer) {}

  toBER(sizeOnly?: boolean, writer?: { write(buf: ArrayBuffer): void }): ArrayBuffer {
    const out = sizeOnly ? new ArrayBuffer(this.der.byteLength) : this.der;
    if (!writer) return out;
    writer.write(out);
    return new ArrayBuffer(0);
  }
}

const spliced = (der: ArrayBuffer) => new SplicedDer(der) as unknown as asn1js.BaseBlock;

/** A piece of DER: bytes asn1js wrote, or a constructed value made of pieces. */
type Piece = Uint8Array | Pieces;

/**
 * A constructed value (a SEQUENCE, an [n] or [APPLICATION n] wrapper) kept as pieces: the identifier and
 * length octets asn1js wrote for its tag and length (Headers), then its contents as the pieces of its
 * fields. Nothing is copied until the whole message is asked for its bytes, and then every byte is
 * copied once, where asn1js would copy the contents again at each enclosing level (a ticket's ciphertext
 * eight times in a TGS-REP). It answers asn1js as any child does (`toBER`), so it may sit inside an
 * element asn1js builds.
 */
class Pieces {
  readonly lenBlock = { isIndefiniteForm: false };
  readonly error = '';
  /** Bytes from the identifier to the end of the contents. */
  readonly length: number;
  constructor(
    readonly header: Uint8Array,
    readonly contents: readonly Piece[],
    contentLength: number,
  ) {
    this.length = header.length + contentLength;
  }

  /** Copies the value's bytes into `out` from `at`; returns where they end. */
  writeTo(out: Uint8Array, at: number): number {
    out.set(this.header, at);
    let end = at + this.header.length;
    for (const p of this.contents) {
      if (p instanceof Pieces) end = p.writeTo(out, end);
      else {
        out.set(p, end);
        end += p.length;
      }
    }
    return end;
  }

  toBER(sizeOnly?: boolean, writer?: { write(buf: ArrayBuffer): void }): ArrayBuffer {
    let out = new ArrayBuffer(this.length);
    if (!sizeOnly) this.writeTo(new Uint8Array(out), 0);
    if (!writer) return out;
    writer.write(out);
    out = new ArrayBuffer(0);
    return out;
  }
}

/** What a codec's `encode` gave, as a piece: a Pieces as it is, anything else encoded by asn1js. */
function pieceOf(block: asn1js.BaseBlock): Piece {
  return block instanceof Pieces ? block : toDer(block);
}

const pieceLength = (p: Piece) => p.length;

/**
 * The identifier and length octets asn1js writes for a constructed value of a tag class, number and
 * contents length, remembered: they depend on nothing else. Bounded: a full table starts over.
 */
const Headers = {
  MAX: 4096,
  /** Keyed by class, number and length as one number (2^42 at most: exact as a double). */
  headers: new Map<number, Uint8Array>(),

  of(tagClass: number, num: number, length: number): Uint8Array {
    const remembered = num < 0x10000 && length < 0x1000000;
    const id = (tagClass * 0x10000 + num) * 0x1000000 + length;
    let header = remembered ? this.headers.get(id) : undefined;
    if (header === undefined) {
      const block = new asn1js.Constructed({
        idBlock: { tagClass, tagNumber: num },
        value: [spliced(new ArrayBuffer(length))],
      });
      const der = toDer(block);
      header = der.slice(0, der.length - length);
      if (remembered) {
        if (this.headers.size >= this.MAX) this.headers.clear();
        this.headers.set(id, header);
      }
    }
    return header;
  },
};

/** `contents` behind the identifier and length octets asn1js writes for them, as one constructed value. */
function constructed(tagClass: number, num: number, contents: readonly Piece[]): Pieces {
  let n = 0;
  for (const p of contents) n += pieceLength(p);
  return new Pieces(Headers.of(tagClass, num, n), contents, n);
}

/** A Pieces where asn1js elements are expected: it answers `toBER` as they do. */
const asBlock = (p: Pieces) => p as unknown as asn1js.BaseBlock;

/** `[num] inner` (EXPLICIT), context class unless told, as pieces. */
function wrap(num: number, inner: asn1js.BaseBlock, tagClass = 3): Pieces {
  return constructed(tagClass, num, [pieceOf(inner)]);
}

/**
 * Remembered encodings of the small fields every message repeats: pvno, msg-type, the realm, the
 * principal names, enctypes, flags, times. Each field is written by asn1js once, as `[tag] inner`, and
 * kept as those bytes. A run of such fields side by side in a SEQUENCE (pvno, msg-type, crealm, cname of a
 * KDC-REP; crealm to renew-till of an EncTicketPart) is kept too, as the fields' bytes one after the other,
 * so later messages take the whole run as one piece instead of building and encoding each field again.
 * Bounded: a full table starts over.
 */
class FieldCache {
  private static readonly MAX = 512;
  private readonly fields = new Map<string, Uint8Array>();
  private readonly runs = new Map<string, Uint8Array>();

  /** The bytes of `[tag] inner` for a field whose value has the key `key`. */
  field(tag: number, key: string, make: () => asn1js.BaseBlock): Uint8Array {
    const id = `${tag};${key}`;
    let der = this.fields.get(id);
    if (der === undefined) {
      der = toDer(explicit(tag, make())).slice();
      if (this.fields.size >= FieldCache.MAX) this.fields.clear();
      this.fields.set(id, der);
    }
    return der;
  }

  /** The bytes of a run of fields, from its joined key, made from the fields' bytes on a miss. */
  run(key: string, make: () => Uint8Array[]): Uint8Array {
    let der = this.runs.get(key);
    if (der === undefined) {
      const parts = make();
      der = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        der.set(p, at);
        at += p.length;
      }
      if (this.runs.size >= FieldCache.MAX) this.runs.clear();
      this.runs.set(key, der);
    }
    return der;
  }
}

/**
 * The identifier and length octets asn1js writes for `[tag] { primitive of `length` octets }`, remembered
 * by (tag, identifier, length): they depend on nothing else. A field whose value differs in every message
 * (a nonce, a session key, a ciphertext) is then spliced as those octets and its content, where asn1js
 * would build and encode two elements for it and copy the content again at each level. Bounded: a full
 * table starts over.
 */
const LeafHeaders = {
  MAX: 1024,
  headers: new Map<string, Uint8Array>(),

  /** `[tag] content` as two pieces, or undefined when `codec` gives no content for the value. */
  splice(tag: number, codec: Codec<unknown>, v: unknown): [Uint8Array, Uint8Array] | undefined {
    const content = codec.content?.(v);
    if (content === undefined) return undefined;
    const univ = codec.nums[0]!;
    const id = `${tag};${univ};${content.length}`;
    let header = this.headers.get(id);
    if (header === undefined) {
      const der = toDer(explicit(tag, universal(univ, new Uint8Array(content.length))));
      header = der.slice(0, der.length - content.length);
      if (this.headers.size >= this.MAX) this.headers.clear();
      this.headers.set(id, header);
    }
    return [header, content];
  },
};

/**
 * The same codec, never remembered by field: for values that differ in every message (a nonce), where a
 * remembered encoding would only be made, stored and never asked for again.
 */
export function uncached<T>(codec: Codec<T>): Codec<T> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { key, ...rest } = codec;
  return rest;
}

/** A list of keys as one key, each with its length in front, so no two lists give the same text. */
function joinKeys(keys: readonly (string | undefined)[]): string {
  let out = '';
  for (const k of keys) out += k === undefined ? '-;' : `${k.length}:${k};`;
  return out;
}

/** lowerCamelCase of an RFC field name: "req-body" → "reqBody", "s-address" → "sAddress". */
export function camel(rfcName: string): string {
  return rfcName.replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

function badValue(what: string, v: unknown): never {
  throw new KrbPlayInputError(
    `cannot encode ${what}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
  );
}

// ---- primitives ---------------------------------------------------------------------------------------

function _readInteger(t: Tlv): number {
  // Kerberos integers fit in 32 bits (RFC 4120 §5.2.4); 5 bytes covers UInt32 with its sign byte.
  if (t.length > 5)
    throw new DecodeError(
      t.offset,
      `INTEGER of ${t.length} bytes is too large for Kerberos (at most 32 bits)`,
    );
  const c = t.content;
  let n = c[0]! >= 0x80 ? -1 : 0;
  for (let i = 0; i < c.length; i++) n = n * 256 + c[i]!;
  return n;
}

function integerCodec(typeName: string, min: number, max: number, num = 2): Codec<number> {
  const self: Codec<number> = {
    typeName,
    cls: 'universal',
    nums: [num],
    decode(t, ctx, name) {
      expectTag(t, self, false);
      const v = _readInteger(t);
      if (v < min || v > max)
        throw new DecodeError(t.offset, `${name}: ${v} is outside the range of ${typeName} (${min}..${max})`);
      return { value: v, node: leaf(t, ctx, name, v) };
    },
    encode(v) {
      if (!Number.isInteger(v) || v < min || v > max) badValue(typeName, v);
      return num === 2 ? new asn1js.Integer({ value: v }) : new asn1js.Enumerated({ value: v });
    },
    key(v) {
      return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? String(v) : undefined;
    },
    content(v) {
      return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
        ? integerContent(v)
        : undefined;
    },
  };
  return self;
}

/**
 * The content octets of an INTEGER (X.690 §8.3): two's complement, big-endian, in the fewest octets, so
 * that the first nine bits are never all zeros or all ones. For the 32-bit values of Kerberos; the same
 * octets asn1js writes (test/unit/asn1/encode-cache.test.ts compares them over the whole range).
 */
export function integerContent(v: number): Uint8Array {
  // Five octets hold any value from -2^31 to 2^32 - 1 (a UInt32 with its top bit set needs a 00 in front).
  const full = [
    v < 0 ? 0xff : 0,
    Math.floor(v / 0x1000000) & 0xff,
    (v >>> 16) & 0xff,
    (v >>> 8) & 0xff,
    v & 0xff,
  ];
  let start = 0;
  while (start < 4 && (full[start] === 0 || full[start] === 0xff)) {
    const next = full[start + 1]!;
    if ((full[start] === 0 && next & 0x80) || (full[start] === 0xff && !(next & 0x80))) break;
    start++;
  }
  return new Uint8Array(full.slice(start));
}

/** RFC 4120 §5.2.4. */
export const Int32 = integerCodec('Int32', -0x80000000, 0x7fffffff);
export const UInt32 = integerCodec('UInt32', 0, 0xffffffff);
/**
 * nonce and seq-number are UInt32, but older MIT and Heimdal releases wrote them as signed 32-bit values.
 * Accept both readings and keep the sign as received, so re-encoding gives the same bytes.
 */
export const UInt32Lenient = integerCodec('UInt32', -0x80000000, 0xffffffff);
export const Microseconds = integerCodec('Microseconds', 0, 999999);
/** A plain INTEGER (MS-KKDCP dclocator-hint). */
export const Integer = integerCodec('INTEGER', -0x80000000, 0xffffffff);
export const Enumerated = integerCodec('ENUMERATED', 0, 0x7fffffff, 10);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * KerberosString ::= GeneralString (IA5String) (RFC 4120 §5.2.1). Windows writes UTF-8 in it (RFC 6806
 * §7 allows it), so we read UTF-8; bytes that are not UTF-8 are refused so a round trip is exact.
 */
function stringCodec(typeName: string, num = 27): Codec<string> {
  const self: Codec<string> = {
    typeName,
    cls: 'universal',
    nums: [num],
    decode(t, ctx, name) {
      expectTag(t, self, false);
      let v: string;
      try {
        v = strictUtf8.decode(t.content);
      } catch {
        throw new DecodeError(t.offset, `${name}: ${typeName} is not valid UTF-8`);
      }
      return { value: v, node: leaf(t, ctx, name, v) };
    },
    encode(v) {
      if (typeof v !== 'string') badValue(typeName, v);
      return universal(num, utf8Encoder.encode(v));
    },
    key(v) {
      return typeof v === 'string' ? v : undefined;
    },
  };
  return self;
}

export const KerberosString = stringCodec('KerberosString');
export const Realm = stringCodec('Realm');

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** RFC 4120 §5.2.3: KerberosTime ::= GeneralizedTime, "YYYYMMDDHHMMSSZ", UTC, no fractions. */
export function formatKerberosTime(d: Date): string {
  const y = d.getUTCFullYear();
  if (!(y >= 0 && y <= 9999) || Number.isNaN(d.getTime())) badValue('KerberosTime', d);
  return (
    pad(y, 4) +
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2) +
    pad(d.getUTCSeconds(), 2) +
    'Z'
  );
}

export const KerberosTime: Codec<Date> = {
  typeName: 'KerberosTime',
  cls: 'universal',
  nums: [24],
  decode(t, ctx, name) {
    expectTag(t, KerberosTime, false);
    let text = '';
    for (const b of t.content) text += String.fromCharCode(b);
    const f = (i: number, w: number) => Number(text.slice(i, i + w));
    const d = new Date(Date.UTC(f(0, 4), f(4, 2) - 1, f(6, 2), f(8, 2), f(10, 2), f(12, 2)));
    if (f(0, 4) < 100) d.setUTCFullYear(f(0, 4));
    // Date.UTC rolls "month 13" or "31 February" over; a real time reads back unchanged.
    if (Number.isNaN(d.getTime()) || formatKerberosTime(d) !== text) {
      throw new DecodeError(t.offset, `${name}: KerberosTime ${text} is not a real date and time`);
    }
    return { value: d, node: ctx.tree ? leaf(t, ctx, name, isoSeconds(d)) : NO_NODE };
  },
  encode(v) {
    if (!(v instanceof Date) || v.getUTCMilliseconds() !== 0) badValue('KerberosTime (whole seconds)', v);
    return universal(24, utf8Encoder.encode(formatKerberosTime(v)));
  },
  key(v) {
    if (!(v instanceof Date)) return undefined;
    const ms = v.getTime();
    // Whole seconds in years 0000-9999, as encode accepts; anything else is left to encode to refuse.
    return ms % 1000 === 0 && ms >= -62167219200000 && ms <= 253402300799000 ? String(ms) : undefined;
  },
};

/**
 * KerberosFlags ::= BIT STRING (SIZE (32..MAX)) (RFC 4120 §5.2.8). Every implementation sends exactly
 * 32 bits, and RFC 4120 asks for at least 32 even when DER would trim trailing zero bits. Bit 0 is the
 * most significant bit of the number here, as in the RFC's numbering (bit 1 = forwardable = 0x40000000).
 */
export const KerberosFlags: Codec<number> = {
  typeName: 'KerberosFlags',
  cls: 'universal',
  nums: [3],
  decode(t, ctx, name) {
    expectTag(t, KerberosFlags, false);
    const c = t.content;
    if (c.length !== 5 || c[0] !== 0) {
      throw new DecodeError(
        t.offset,
        `${name}: KerberosFlags must be 32 bits (5 bytes with the unused-bits byte 00), found ${c.length} bytes`,
      );
    }
    const v = ((c[1]! << 24) | (c[2]! << 16) | (c[3]! << 8) | c[4]!) >>> 0;
    return { value: v, node: ctx.tree ? leaf(t, ctx, name, toHex(c.subarray(1))) : NO_NODE };
  },
  encode(v) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) badValue('KerberosFlags', v);
    return new asn1js.BitString({
      valueHex: new Uint8Array([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]),
      unusedBits: 0,
    });
  },
  key(v) {
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? String(v) : undefined;
  },
};

/** True when RFC bit `bit` (0 = most significant) is set in a KerberosFlags value. */
export function hasFlag(flags: number, bit: number): boolean {
  return ((flags >>> (31 - bit)) & 1) === 1;
}

/** KerberosFlags with the given RFC bits set (bit 0 = most significant). */
export function flagsOf(...bits: number[]): number {
  let v = 0;
  for (const b of bits) {
    if (!Number.isInteger(b) || b < 0 || b > 31) badValue('flag bit', b);
    v |= 1 << (31 - b);
  }
  return v >>> 0;
}

/** The RFC bit numbers set in a KerberosFlags value, lowest first. */
export function flagBits(flags: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < 32; b++) if (hasFlag(flags, b)) out.push(b);
  return out;
}

/** A whole BIT STRING kept as its content bytes, unused-bits count first (SPNEGO ContextFlags). */
export const RawBitString: Codec<Uint8Array> = {
  typeName: 'BIT STRING',
  cls: 'universal',
  nums: [3],
  decode(t, ctx, name) {
    expectTag(t, RawBitString, false);
    const v = t.content.slice();
    return { value: v, node: ctx.tree ? leaf(t, ctx, name, toHex(v)) : NO_NODE };
  },
  encode(v) {
    if (!(v instanceof Uint8Array) || v.length === 0 || v[0]! > 7) badValue('BIT STRING', v);
    return universal(3, v);
  },
};

export const OctetString: Codec<Uint8Array> = {
  typeName: 'OCTET STRING',
  cls: 'universal',
  nums: [4],
  decode(t, ctx, name) {
    expectTag(t, OctetString, false);
    const v = t.content.slice();
    return { value: v, node: ctx.tree ? leaf(t, ctx, name, toHex(v)) : NO_NODE };
  },
  encode(v) {
    if (!(v instanceof Uint8Array)) badValue('OCTET STRING', v);
    return new asn1js.OctetString({ valueHex: v });
  },
  content(v) {
    return v instanceof Uint8Array ? v : undefined;
  },
  key(v) {
    // Short ones only (an empty transited list): keys of 16 bytes and more, and ciphertexts, differ every time.
    if (!(v instanceof Uint8Array) || v.length >= 16) return undefined;
    return String.fromCharCode(...v);
  },
};

export const Boolean: Codec<boolean> = {
  typeName: 'BOOLEAN',
  cls: 'universal',
  nums: [1],
  decode(t, ctx, name) {
    expectTag(t, Boolean, false);
    const v = t.content[0] === 0xff;
    return { value: v, node: leaf(t, ctx, name, v) };
  },
  encode(v) {
    if (typeof v !== 'boolean') badValue('BOOLEAN', v);
    return new asn1js.Boolean({ value: v });
  },
  key(v) {
    return typeof v === 'boolean' ? String(v) : undefined;
  },
};

/** OBJECT IDENTIFIER as dotted text ("1.2.840.113554.1.2.2"). */
export const ObjectIdentifier: Codec<string> = {
  typeName: 'OBJECT IDENTIFIER',
  cls: 'universal',
  nums: [6],
  decode(t, ctx, name) {
    expectTag(t, ObjectIdentifier, false);
    const v = oidToString(t.content, t.offset);
    return { value: v, node: leaf(t, ctx, name, v) };
  },
  encode(v) {
    if (typeof v !== 'string' || !/^[0-2]\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(v))
      badValue('OBJECT IDENTIFIER', v);
    return universal(6, oidToBytes(v));
  },
};

export function oidToString(c: Uint8Array, at = 0): string {
  const arcs: number[] = [];
  let n = 0;
  for (const b of c) {
    n = n * 128 + (b & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 256) throw new DecodeError(at, 'OBJECT IDENTIFIER arc too large');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(n < 40 ? 0 : n < 80 ? 1 : 2, n < 80 ? n % 40 : n - 80);
      else arcs.push(n);
      n = 0;
    }
  }
  return arcs.join('.');
}

export function oidToBytes(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const subs = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const s of subs) {
    const chunk = [s & 0x7f];
    for (let r = Math.floor(s / 128); r > 0; r = Math.floor(r / 128)) chunk.unshift((r & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return new Uint8Array(out);
}

// ---- constructed ----------------------------------------------------------------------------------------

/**
 * Picks the codecs that may read the DER inside an OCTET STRING field, from the fields already decoded
 * (padata-value by padata-type, ad-data by ad-type). Candidates are tried in order; if none fits, the
 * field stays an opaque leaf: the inspector shows what it can, and the typed value keeps the bytes.
 */
export type Embed = (
  siblings: Record<string, unknown>,
  ctx: DecodeContext,
) => readonly Codec<unknown>[] | RawDecoder | undefined;

/**
 * Reads content that is not one DER element (a GSS-API token, a TCP-framed message) from [start, end)
 * of the root buffer, and returns its tree. Throws DecodeError when it does not fit.
 */
export type RawDecoder = (ctx: DecodeContext, start: number, end: number, depth: number) => KrbNode;

export interface Field {
  name: string;
  prop: string;
  tag: number;
  codec: Codec<unknown>;
  optional: boolean;
  embed?: Embed;
}

export function req<T>(tag: number, name: string, codec: Codec<T>, embed?: Embed): Field {
  return { name, prop: camel(name), tag, codec: codec as Codec<unknown>, optional: false, embed };
}

export function opt<T>(tag: number, name: string, codec: Codec<T>, embed?: Embed): Field {
  return { name, prop: camel(name), tag, codec: codec as Codec<unknown>, optional: true, embed };
}

/**
 * Decodes DER held inside an OCTET STRING; offsets stay absolute because the content is a view into
 * the same root buffer. Returns undefined when no candidate fits.
 */
export function decodeEmbedded(
  t: Tlv,
  ctx: DecodeContext,
  candidates: readonly Codec<unknown>[] | RawDecoder,
): KrbNode | undefined {
  if (t.length === 0) return undefined;
  const start = t.offset + t.headerLength;
  if (typeof candidates === 'function') {
    const savedDirection = ctx.direction;
    try {
      return candidates(ctx, start, start + t.length, t.depth + 1);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return undefined;
    } finally {
      ctx.direction = savedDirection;
    }
  }
  for (const codec of candidates) {
    const savedDirection = ctx.direction;
    try {
      const inner = parseDer(ctx, start, start + t.length, codec.typeName, t.depth + 1);
      return codec.decode(inner, ctx, codec.typeName).node;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    } finally {
      ctx.direction = savedDirection;
    }
  }
  return undefined;
}

/** SEQUENCE { … } with EXPLICIT context tags, fields in order (RFC 4120 §5: "EXPLICIT TAGS"). */
export function seq<T>(typeName: string, fields: readonly Field[]): Codec<T> {
  const byTag = new Map(fields.map((f, i) => [f.tag, i]));
  const cache = new FieldCache();
  const self: Codec<T> = {
    typeName,
    cls: 'universal',
    nums: [16],
    decode(t, ctx, name) {
      expectTag(t, self, true);
      const tree = ctx.tree;
      const value: Record<string, unknown> = {};
      const children: KrbNode[] = [];
      let next = 0;
      for (const c of t.children) {
        const i = c.cls === 'context' ? byTag.get(c.num) : undefined;
        if (i === undefined) {
          throw new DecodeError(
            c.offset,
            `unexpected ${tlvTagName(c)} in ${typeName} (its fields are ${fields.map((f) => `${f.name} [${f.tag}]`).join(', ')})`,
          );
        }
        if (i < next)
          throw new DecodeError(
            c.offset,
            `field ${fields[i]!.name} [${c.num}] of ${typeName} is out of order or repeated`,
          );
        for (let j = next; j < i; j++) {
          if (!fields[j]!.optional)
            throw new DecodeError(
              c.offset,
              `${typeName} is missing its field ${fields[j]!.name} [${fields[j]!.tag}] before ${tlvTagName(c)}`,
            );
        }
        const f = fields[i]!;
        if (!c.constructed || c.children.length !== 1) {
          throw new DecodeError(
            c.offset,
            `${f.name} [${f.tag}] must hold exactly one ${f.codec.typeName} (EXPLICIT tag)`,
          );
        }
        const inner = c.children[0]!;
        const d = f.codec.decode(inner, ctx, f.name);
        value[f.prop] = d.value;
        next = i + 1;
        // The tree folds the [n] wrapper and what it holds into one node; what the DER inside an OCTET
        // STRING says is shown only there, so without a tree it is not read at all.
        if (!tree) continue;
        const node = nodeOf(c, f.name);
        if (d.node.value !== undefined) node.value = d.node.value;
        if (d.node.children !== undefined) node.children = d.node.children;
        if (f.embed) {
          const candidates = f.embed(value, ctx);
          const sub = candidates && decodeEmbedded(inner, ctx, candidates);
          if (sub) node.children = [sub];
        }
        children.push(node);
      }
      for (let j = next; j < fields.length; j++) {
        if (!fields[j]!.optional) {
          throw new DecodeError(
            t.offset,
            `${typeName} is missing its required field ${fields[j]!.name} [${fields[j]!.tag}]`,
          );
        }
      }
      if (!tree) return { value: value as T, node: NO_NODE };
      const node = nodeOf(t, name);
      node.children = children;
      return { value: value as T, node };
    },
    encode(v) {
      const rec = v as Record<string, unknown>;
      if (typeof rec !== 'object' || rec === null) badValue(typeName, v);
      const value: Piece[] = [];
      // The fields with a key since the last one without: they go in as one remembered piece.
      let run: number[] = [];
      let runKey = '';
      const endRun = () => {
        if (run.length === 0) return;
        const fieldsOfRun = run;
        value.push(
          cache.run(runKey, () =>
            fieldsOfRun.map((i) => {
              const f = fields[i]!;
              const fv = rec[f.prop];
              return cache.field(f.tag, f.codec.key!(fv)!, () => f.codec.encode(fv));
            }),
          ),
        );
        run = [];
        runKey = '';
      };
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const fv = rec[f.prop];
        if (fv === undefined) {
          if (!f.optional)
            throw new KrbPlayInputError(
              `cannot encode ${typeName}: its field ${f.prop} (${f.name}) is required`,
            );
          continue;
        }
        const key = f.codec.key?.(fv);
        if (key !== undefined) {
          run.push(i);
          runKey += `${f.tag}:${key.length}:${key};`;
          continue;
        }
        endRun();
        const leaf = LeafHeaders.splice(f.tag, f.codec, fv);
        if (leaf) value.push(leaf[0], leaf[1]);
        else value.push(wrap(f.tag, f.codec.encode(fv)));
      }
      endRun();
      return asBlock(constructed(1, 16, value));
    },
    key(v) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      const rec = v as Record<string, unknown>;
      const keys: (string | undefined)[] = [];
      for (const f of fields) {
        const fv = rec[f.prop];
        if (fv === undefined) {
          if (!f.optional) return undefined;
          keys.push(undefined);
          continue;
        }
        const k = f.codec.key?.(fv);
        if (k === undefined) return undefined;
        keys.push(k);
      }
      return joinKeys(keys);
    },
  };
  return self;
}

/** SEQUENCE OF item; items are named "field[0]", "field[1]", … as in CLI.md paths. */
export function seqOf<T>(item: Codec<T>, typeName = `SEQUENCE OF ${item.typeName}`): Codec<T[]> {
  const self: Codec<T[]> = {
    typeName,
    cls: 'universal',
    nums: [16],
    decode(t, ctx, name) {
      expectTag(t, self, true);
      const tree = ctx.tree;
      const kids = t.children;
      const value: T[] = [];
      const children: KrbNode[] = [];
      for (let i = 0; i < kids.length; i++) {
        const d = item.decode(kids[i]!, ctx, `${name}[${i}]`);
        value.push(d.value);
        if (tree) children.push(d.node);
      }
      if (!tree) return { value, node: NO_NODE };
      const node = nodeOf(t, name);
      node.children = children;
      return { value, node };
    },
    encode(v) {
      if (!Array.isArray(v)) badValue(typeName, v);
      return asBlock(
        constructed(
          1,
          16,
          v.map((x) => pieceOf(item.encode(x))),
        ),
      );
    },
    key(v) {
      if (!Array.isArray(v) || v.length > 16 || !item.key) return undefined;
      const keys: string[] = [];
      for (const x of v as unknown[]) {
        const k = item.key(x);
        if (k === undefined) return undefined;
        keys.push(k);
      }
      return joinKeys(keys);
    },
  };
  return self;
}

export interface AppOptions<T> {
  /** Other [APPLICATION n] numbers read as this type (MIT's EncASRepPart tagged 26: RFC 4120 §5.4.2). */
  alsoAccept?: readonly number[];
  /** Where to remember an accepted alternative tag, so re-encoding gives the same bytes. */
  tagProp?: string;
  /** Extra checks on the decoded value, with the node for offsets. */
  check?: (v: T, node: KrbNode) => void;
  /** PA-FX-FAST travels inside: which way this message goes. */
  direction?: 'request' | 'reply';
}

/** [APPLICATION n] wrapped around a SEQUENCE (RFC 4120 §5: every message and the encrypted parts). */
export function app<T>(num: number, typeName: string, inner: Codec<T>, opts: AppOptions<T> = {}): Codec<T> {
  const nums = [num, ...(opts.alsoAccept ?? [])];
  const self: Codec<T> = {
    typeName,
    cls: 'application',
    nums,
    decode(t, ctx, name) {
      expectTag(t, self, true);
      if (t.children.length !== 1)
        throw new DecodeError(t.offset, `${tlvTagName(t)} ${typeName} must hold exactly one SEQUENCE`);
      const readInner = (): Decoded<T> => {
        const saved = ctx.direction;
        if (opts.direction) ctx.direction = opts.direction;
        try {
          const d = inner.decode(t.children[0]!, ctx, name);
          if (t.num !== num && opts.tagProp) (d.value as Record<string, unknown>)[opts.tagProp] = t.num;
          return d;
        } finally {
          ctx.direction = saved;
        }
      };
      const d = readInner();
      if (!ctx.tree) {
        // The checks decide on the value; the tree only says where the offending field sits. So a
        // refusal is worded from a second reading with the tree: the same error as a tree-building decode.
        try {
          opts.check?.(d.value, NO_NODE);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
          ctx.tree = true;
          try {
            const full = readInner();
            opts.check?.(full.value, { ...nodeOf(t, name), children: full.node.children ?? [] });
          } finally {
            ctx.tree = false;
          }
          throw e;
        }
        return { value: d.value, node: NO_NODE };
      }
      const node = nodeOf(t, name);
      node.children = d.node.children ?? [];
      opts.check?.(d.value, node);
      return { value: d.value, node };
    },
    encode(v) {
      let tag = num;
      if (opts.tagProp) {
        const alt = (v as Record<string, unknown>)[opts.tagProp];
        if (alt !== undefined) {
          if (typeof alt !== 'number' || !nums.includes(alt)) badValue(`${typeName} application tag`, alt);
          tag = alt;
        }
      }
      const body = inner.encode(v);
      return asBlock(wrap(tag, body, 2));
    },
  };
  return self;
}

/** CHOICE of EXPLICIT context-tagged alternatives; the value names the alternative it holds. */
export function choice<T>(typeName: string, alternatives: readonly Field[]): Codec<T> {
  const self: Codec<T> = {
    typeName,
    cls: 'context',
    nums: alternatives.map((a) => a.tag),
    decode(t, ctx, name) {
      const alt = alternatives.find((a) => t.cls === 'context' && a.tag === t.num);
      if (!alt) {
        throw new DecodeError(
          t.offset,
          `expected ${typeName} (${alternatives.map((a) => `${a.name} [${a.tag}]`).join(' or ')}), found ${tlvTagName(t)}`,
        );
      }
      if (!t.constructed || t.children.length !== 1)
        throw new DecodeError(
          t.offset,
          `${alt.name} [${alt.tag}] must hold exactly one ${alt.codec.typeName}`,
        );
      const d = alt.codec.decode(t.children[0]!, ctx, alt.name);
      const value = { [alt.prop]: d.value } as T;
      if (!ctx.tree) return { value, node: NO_NODE };
      const node = nodeOf(t, name);
      node.children = [d.node];
      return { value, node };
    },
    encode(v) {
      const rec = v as Record<string, unknown>;
      const present = alternatives.filter((a) => rec?.[a.prop] !== undefined);
      if (present.length !== 1) badValue(`${typeName} (exactly one alternative)`, v);
      const a = present[0]!;
      return asBlock(wrap(a.tag, a.codec.encode(rec[a.prop])));
    },
  };
  return self;
}

/** The same codec under another type name (RFC aliases such as PA-ENC-TIMESTAMP ::= EncryptedData). */
export function alias<T>(typeName: string, codec: Codec<T>): Codec<T> {
  return { ...codec, typeName };
}

// ---- running a codec on bytes --------------------------------------------------------------------------

export interface DecodeOptions {
  limits?: Partial<DecodeLimits>;
}

export function toBytes(input: Uint8Array): Uint8Array {
  if (!(input instanceof Uint8Array)) throw new KrbPlayInputError('expected a Uint8Array');
  return input;
}

/** Decodes exactly one `codec` filling `bytes`, with its tree. */
export function decodeWith<T>(codec: Codec<T>, bytes: Uint8Array, options: DecodeOptions = {}): Decoded<T> {
  const ctx = newContext(toBytes(bytes), options.limits);
  const t = parseDer(ctx, 0, bytes.length, `${codec.typeName}`);
  return codec.decode(t, ctx, codec.typeName);
}

/**
 * Decodes exactly one `codec` filling `bytes`, without the tree: the same value, the same checks and
 * the same errors as `decodeWith`, for callers that use only the value (a KDC, a service, a client).
 */
export function decodeValue<T>(codec: Codec<T>, bytes: Uint8Array, options: DecodeOptions = {}): T {
  const ctx = newContext(toBytes(bytes), options.limits);
  ctx.tree = false;
  const t = parseDer(ctx, 0, bytes.length, `${codec.typeName}`);
  return codec.decode(t, ctx, codec.typeName).value;
}

export function encodeWith<T>(codec: Codec<T>, value: T): Uint8Array {
  return toDer(codec.encode(value));
}

/** Runs `codec` with the message direction set (FAST bodies, RFC 6113 §5.4.2-5.4.3). */
export function directed<T>(codec: Codec<T>, direction: 'request' | 'reply'): Codec<T> {
  return {
    ...codec,
    decode(t, ctx, name) {
      const saved = ctx.direction;
      ctx.direction = direction;
      try {
        return codec.decode(t, ctx, name);
      } finally {
        ctx.direction = saved;
      }
    },
  };
}

/** The checks every RFC 4120 message gets: pvno is 5 and msg-type agrees with the application tag. */
export function messageCheck(
  typeName: string,
  msgType: number,
): (v: { pvno: number; msgType: number }, node: KrbNode) => void {
  return (v, node) => {
    const at = (field: string) => node.children?.find((c) => c.name === field)?.offset ?? node.offset;
    if (v.pvno !== 5)
      throw new DecodeError(at('pvno'), `${typeName} has pvno ${v.pvno}; Kerberos 5 messages carry 5`);
    if (v.msgType !== msgType) {
      throw new DecodeError(
        at('msg-type'),
        `${typeName} ([APPLICATION ${msgType}]) has msg-type ${v.msgType}; it must be ${msgType}`,
      );
    }
  };
}

/**
 * The chain of nodes covering byte `offset`, outermost first: "the field of any byte" for the hex view.
 * Empty when the byte lies outside the tree.
 */
export function nodePathAt(tree: KrbNode, offset: number): KrbNode[] {
  const path: KrbNode[] = [];
  let n: KrbNode | undefined = tree;
  while (n && offset >= n.offset && offset < n.offset + n.length) {
    path.push(n);
    n = n.children?.find((c) => offset >= c.offset && offset < c.offset + c.length);
  }
  return path;
}
