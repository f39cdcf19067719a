/**
 * Strict DER (X.690 §10), with every element's absolute byte position.
 *
 * Kerberos is DER (RFC 4120 §5.1: "DER ... MUST be used"), and a decoder that teaches has to say *where*
 * a message goes wrong. So decoding is one pass of our own, `_parse`, that checks the DER rules and the
 * resource bounds element by element, throws a DecodeError naming the first byte that breaks one, and
 * builds the `Tlv` tree the codecs read, with offsets relative to the outermost buffer. A general BER
 * parser (asn1js) would accept indefinite lengths, long-form lengths for small values, constructed
 * strings and trailing bytes, and would only parse again what this pass has already read; asn1js is
 * used to write DER (see `toDer`), not to read it.
 */
import * as asn1js from 'asn1js';
import { DecodeError } from './errors';

/** Bounds on untrusted input. A ticket with a large PAC is tens of kilobytes; KRB-CRED a few tickets. */
export interface DecodeLimits {
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** Deepest nesting of DER elements, counting through OCTET STRINGs that hold DER themselves. */
  maxDepth: number;
  /** Most DER elements in one input, counting those inside OCTET STRINGs that hold DER. */
  maxNodes: number;
}

export const DEFAULT_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 1 << 20,
  maxDepth: 48,
  maxNodes: 20_000,
});

export type TagClass = 'universal' | 'application' | 'context' | 'private';
const CLASSES: readonly TagClass[] = ['universal', 'application', 'context', 'private'];

/** One DER element: identifier, where it sits, and its contents (a view into the input). */
export interface Tlv {
  cls: TagClass;
  num: number;
  constructed: boolean;
  /** Absolute offset of the identifier octet. */
  offset: number;
  /** Identifier plus length octets. */
  headerLength: number;
  /** Content octets. */
  length: number;
  content: Uint8Array;
  children: Tlv[];
  /** Nesting depth, counted from the outermost input (through OCTET STRINGs that hold DER). */
  depth: number;
}

/** State shared by one decode call, across nested decodes of OCTET STRING contents. */
export interface DecodeContext {
  readonly root: Uint8Array;
  readonly limits: DecodeLimits;
  nodes: number;
  /** Which way a PA-FX-FAST travels: its request and reply forms share the tag [0] (RFC 6113 §5.4.2). */
  direction: 'request' | 'reply' | undefined;
  /**
   * Whether codecs build the field tree (`KrbNode`s) beside the value. Off for callers that want only
   * the value (`decodeValue`): the same checks run and the same errors are thrown, without the tree.
   */
  tree: boolean;
}

export function newContext(root: Uint8Array, limits: Partial<DecodeLimits> = {}): DecodeContext {
  const all = { ...DEFAULT_LIMITS, ...limits };
  if (root.length > all.maxBytes) {
    throw new DecodeError(0, `input is ${root.length} bytes; the limit is ${all.maxBytes}`);
  }
  return { root, limits: all, nodes: 0, direction: undefined, tree: true };
}

export function absOffset(ctx: DecodeContext, view: Uint8Array): number {
  return view.byteOffset - ctx.root.byteOffset;
}

const UNIVERSAL_NAMES: Record<number, string> = {
  1: 'BOOLEAN',
  2: 'INTEGER',
  3: 'BIT STRING',
  4: 'OCTET STRING',
  5: 'NULL',
  6: 'OBJECT IDENTIFIER',
  10: 'ENUMERATED',
  12: 'UTF8String',
  16: 'SEQUENCE',
  17: 'SET',
  19: 'PrintableString',
  22: 'IA5String',
  23: 'UTCTime',
  24: 'GeneralizedTime',
  27: 'GeneralString',
};

/** The names of the tag numbers every message uses, made once rather than for every element decoded. */
const CONTEXT_NAMES: readonly string[] = Array.from({ length: 32 }, (_, n) => `[${n}]`);
const APPLICATION_NAMES: readonly string[] = Array.from({ length: 32 }, (_, n) => `[APPLICATION ${n}]`);

/** "[4]", "[APPLICATION 10]", "SEQUENCE", as a learner reads them in RFC 4120's ASN.1. */
export function tagName(cls: TagClass, num: number): string {
  switch (cls) {
    case 'universal':
      return UNIVERSAL_NAMES[num] ?? `[UNIVERSAL ${num}]`;
    case 'application':
      return APPLICATION_NAMES[num] ?? `[APPLICATION ${num}]`;
    case 'context':
      return CONTEXT_NAMES[num] ?? `[${num}]`;
    case 'private':
      return `[PRIVATE ${num}]`;
  }
}

export function tlvTagName(t: Pick<Tlv, 'cls' | 'num'>): string {
  return tagName(t.cls, t.num);
}

/**
 * Universal types that occur in Kerberos, GSS-API and SPNEGO; any other is refused. Of these only
 * SEQUENCE and SET are constructed: DER writes every string primitive (X.690 §10.2).
 */
const KNOWN_UNIVERSAL: readonly boolean[] = (() => {
  const known: boolean[] = [];
  for (const n of [1, 2, 3, 4, 5, 6, 10, 12, 16, 17, 19, 22, 24, 26, 27]) known[n] = true;
  return known;
})();

/** Children of a primitive element: one shared, frozen empty list. */
const NO_CHILDREN: Tlv[] = Object.freeze([]) as unknown as Tlv[];

/** A parsed element; its content view is made only when a codec asks for it. */
class ParsedTlv implements Tlv {
  constructor(
    private readonly root: Uint8Array,
    readonly cls: TagClass,
    readonly num: number,
    readonly constructed: boolean,
    readonly offset: number,
    readonly headerLength: number,
    readonly length: number,
    readonly children: Tlv[],
    readonly depth: number,
  ) {}

  get content(): Uint8Array {
    const start = this.offset + this.headerLength;
    return this.root.subarray(start, start + this.length);
  }
}

/**
 * Reads the DER element that starts at `start` and ends at or before `end`, with everything inside it,
 * checking the DER rules and the resource bounds as it goes: the first byte that breaks one throws a
 * DecodeError naming it. Headers are checked before contents, and an element before what it holds.
 */
function _parse(ctx: DecodeContext, start: number, end: number, depth: number): Tlv {
  const buf = ctx.root;
  let p = start;
  if (p >= end) throw new DecodeError(p, 'expected a DER element, found the end of the data');
  const first = buf[p++]!;
  const cls = CLASSES[first >> 6]!;
  const constructed = (first & 0x20) !== 0;
  let num = first & 0x1f;
  if (num === 0x1f) {
    // X.690 §8.1.2.4: high tag numbers in base 128; DER forbids a leading 0x80 and this form below 31.
    num = 0;
    let count = 0;
    while (true) {
      if (p >= end) throw new DecodeError(p, 'the data ends inside a multi-byte tag');
      const b = buf[p++]!;
      if (count === 0 && b === 0x80)
        throw new DecodeError(p - 1, 'tag number has a needless leading 0x80 byte (not DER)');
      num = num * 128 + (b & 0x7f);
      if (++count > 3) throw new DecodeError(start, 'tag number too large');
      if ((b & 0x80) === 0) break;
    }
    if (num < 31) throw new DecodeError(start, `tag number ${num} written in the multi-byte form (not DER)`);
  }
  if (p >= end)
    throw new DecodeError(p, `the data ends after the tag ${tagName(cls, num)}, before its length`);
  const lenAt = p;
  const lb = buf[p++]!;
  let len: number;
  if (lb < 0x80) {
    len = lb;
  } else {
    len = _longLength(buf, lenAt, end, cls, num);
    p += lb & 0x7f;
  }
  const contentEnd = p + len;
  if (contentEnd > end) {
    throw new DecodeError(
      start,
      `${tagName(cls, num)} says its content is ${len} bytes, but only ${end - p} remain`,
    );
  }
  if (++ctx.nodes > ctx.limits.maxNodes) {
    throw new DecodeError(start, `more than ${ctx.limits.maxNodes} DER elements; refusing to go on`);
  }
  if (cls === 'universal') {
    if (num === 0) throw new DecodeError(start, 'end-of-contents marker (00 00) found: that is BER, not DER');
    if (KNOWN_UNIVERSAL[num] !== true) {
      throw new DecodeError(
        start,
        `${tagName(cls, num)} (universal tag ${num}) does not occur in Kerberos messages`,
      );
    }
    if (constructed && num !== 16 && num !== 17) {
      throw new DecodeError(
        start,
        `${tagName(cls, num)} uses the constructed form: BER allows it, DER does not`,
      );
    }
    if (!constructed && (num === 16 || num === 17))
      throw new DecodeError(start, `${tagName(cls, num)} must be constructed`);
    if (!constructed) _checkPrimitive(buf, start, num, p, len);
  }
  let children = NO_CHILDREN;
  if (constructed) {
    if (depth + 1 > ctx.limits.maxDepth) {
      throw new DecodeError(
        start,
        `DER elements nested more than ${ctx.limits.maxDepth} deep; refusing to go on`,
      );
    }
    children = [];
    let q = p;
    while (q < contentEnd) {
      const child = _parse(ctx, q, contentEnd, depth + 1);
      children.push(child);
      q = child.offset + child.headerLength + child.length;
    }
  }
  return new ParsedTlv(buf, cls, num, constructed, start, p - start, len, children, depth);
}

/** A long-form length (X.690 §8.1.3.5), which DER allows only when minimal and for 128 bytes or more. */
function _longLength(buf: Uint8Array, lenAt: number, end: number, cls: TagClass, num: number): number {
  const lb = buf[lenAt]!;
  if (lb === 0x80) {
    throw new DecodeError(
      lenAt,
      `${tagName(cls, num)} has an indefinite length (0x80): BER allows it, DER does not`,
    );
  }
  const n = lb & 0x7f;
  const name = tagName(cls, num);
  if (n > 4)
    throw new DecodeError(lenAt, `${name} has a ${n}-byte length field; no Kerberos message is that large`);
  let p = lenAt + 1;
  if (p + n > end) throw new DecodeError(lenAt, `the data ends inside the length of ${name}`);
  if (buf[p] === 0)
    throw new DecodeError(lenAt, `${name} has a non-minimal length: a leading 0x00 length byte (not DER)`);
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  if (len < 0x80) {
    throw new DecodeError(
      lenAt,
      `${name} has a non-minimal length: ${len} written in the long form (DER uses one byte below 128)`,
    );
  }
  return len;
}

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/** DER rules for the contents of the primitive universal types (X.690 §10, §11); contents at [p, p+len). */
function _checkPrimitive(c: Uint8Array, at: number, num: number, p: number, len: number): void {
  switch (num) {
    case 1:
      // X.690 §11.1: DER writes TRUE as 0xFF.
      if (len !== 1 || (c[p] !== 0 && c[p] !== 0xff))
        throw new DecodeError(at, 'BOOLEAN must be one byte, 00 or ff, in DER');
      break;
    case 2:
    case 10:
      if (len === 0) throw new DecodeError(at, `${tagName('universal', num)} has no content bytes`);
      if (len > 1 && ((c[p] === 0 && c[p + 1]! < 0x80) || (c[p] === 0xff && c[p + 1]! >= 0x80))) {
        throw new DecodeError(
          at,
          `${tagName('universal', num)} has a needless leading ${c[p] === 0 ? '00' : 'ff'} byte (not DER)`,
        );
      }
      break;
    case 3:
      // X.690 §11.2: the unused bits of the last byte are zero, and there are none in an empty string.
      if (len === 0)
        throw new DecodeError(at, 'BIT STRING has no content bytes (not even the unused-bits count)');
      if (c[p]! > 7 || (len === 1 && c[p] !== 0))
        throw new DecodeError(at, `BIT STRING says ${c[p]} unused bits`);
      if (len > 1 && (c[p + len - 1]! & ((1 << c[p]!) - 1)) !== 0)
        throw new DecodeError(at, 'BIT STRING has unused bits that are not zero (not DER)');
      break;
    case 5:
      if (len !== 0) throw new DecodeError(at, 'NULL must have no content');
      break;
    case 6:
      if (len === 0 || c[p + len - 1]! >= 0x80)
        throw new DecodeError(at, 'OBJECT IDENTIFIER is empty or cut off');
      for (let i = 0; i < len; i++) {
        if (c[p + i] === 0x80 && (i === 0 || c[p + i - 1]! < 0x80))
          throw new DecodeError(at + i, 'OBJECT IDENTIFIER has a needless 0x80 byte (not DER)');
      }
      break;
    case 24: {
      // RFC 4120 §5.2.3: KerberosTime is GeneralizedTime with no fraction, always UTC.
      let ok = len === 15 && c[p + 14] === 0x5a;
      for (let i = 0; ok && i < 14; i++) ok = isDigit(c[p + i]!);
      if (!ok) {
        let text = '';
        for (let i = 0; i < len && i < 32; i++) text += String.fromCharCode(c[p + i]!);
        throw new DecodeError(
          at,
          `KerberosTime must be written YYYYMMDDHHMMSSZ (RFC 4120 §5.2.3), found ${JSON.stringify(text)}`,
        );
      }
      break;
    }
  }
}

/**
 * Parses exactly one DER element filling [start, end) of the context's root buffer.
 * `what` names the expected thing for the trailing-bytes message.
 */
export function parseDer(ctx: DecodeContext, start: number, end: number, what: string, depth = 0): Tlv {
  const t = _parse(ctx, start, end, depth);
  const elementEnd = t.offset + t.headerLength + t.length;
  if (elementEnd !== end) {
    throw new DecodeError(elementEnd, `${end - elementEnd} trailing byte(s) after the end of ${what}`);
  }
  return t;
}

/** Reads one DER header without asn1js, for framings whose content is not DER (RFC 2743 §3.1). */
export function readHeader(
  ctx: DecodeContext,
  start: number,
  end: number,
): { cls: TagClass; num: number; constructed: boolean; headerLength: number; length: number } {
  const buf = ctx.root;
  if (start >= end) throw new DecodeError(start, 'expected a DER element, found the end of the data');
  const first = buf[start]!;
  if ((first & 0x1f) === 0x1f) throw new DecodeError(start, 'unexpected multi-byte tag');
  let p = start + 1;
  if (p >= end) throw new DecodeError(p, 'the data ends before the length');
  const lb = buf[p++]!;
  let len = lb;
  if (lb === 0x80) throw new DecodeError(start + 1, 'indefinite length (0x80): BER allows it, DER does not');
  if (lb > 0x80) {
    const n = lb & 0x7f;
    if (n > 4 || p + n > end) throw new DecodeError(start + 1, 'the length field is cut off or too large');
    if (buf[p] === 0)
      throw new DecodeError(start + 1, 'non-minimal length: a leading 0x00 length byte (not DER)');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
    if (len < 0x80) throw new DecodeError(start + 1, `non-minimal length: ${len} written in the long form`);
  }
  if (p + len > end)
    throw new DecodeError(start, `says its content is ${len} bytes, but only ${end - p} remain`);
  return {
    cls: CLASSES[first >> 6]!,
    num: first & 0x1f,
    constructed: (first & 0x20) !== 0,
    headerLength: p - start,
    length: len,
  };
}

// ---- encoding -------------------------------------------------------------------------------------

/** DER bytes of an asn1js element; asn1js writes definite, minimal lengths when nothing is indefinite. */
export function toDer(block: asn1js.BaseBlock): Uint8Array {
  const out = block.toBER(false);
  // An internal invariant, not a learner's mistake: every block handed here was built by our own schemas
  // from typed values, so asn1js failing to encode one is a bug in this code.
  if (block.error) throw new Error(`asn1js could not encode: ${block.error}`);
  return new Uint8Array(out);
}

/** A DER header (identifier and length) for a framing we assemble by hand (GSS-API, RFC 2743 §3.1). */
export function encodeHeader(identifier: number, length: number): Uint8Array {
  if (length < 0x80) return new Uint8Array([identifier, length]);
  const lenBytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) lenBytes.unshift(n & 0xff);
  return new Uint8Array([identifier, 0x80 | lenBytes.length, ...lenBytes]);
}
