/**
 * Strict DER (X.690 §10) over asn1js, with every element's absolute byte position.
 *
 * asn1js parses BER: it accepts indefinite lengths, long-form lengths for small values, constructed
 * strings and trailing bytes. Kerberos is DER (RFC 4120 §5.1: "DER ... MUST be used"), and a decoder
 * that teaches has to say *where* a message goes wrong. So every range is first walked by `_scan`, a
 * header-only pass that checks the DER rules and the resource bounds and throws a DecodeError naming
 * the byte; only then does asn1js build the element tree, which `_convert` turns into `Tlv`s carrying
 * offsets relative to the outermost buffer.
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
}

export function newContext(root: Uint8Array, limits: Partial<DecodeLimits> = {}): DecodeContext {
  const all = { ...DEFAULT_LIMITS, ...limits };
  if (root.length > all.maxBytes) {
    throw new DecodeError(0, `input is ${root.length} bytes; the limit is ${all.maxBytes}`);
  }
  return { root, limits: all, nodes: 0, direction: undefined };
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

/** "[4]", "[APPLICATION 10]", "SEQUENCE", as a learner reads them in RFC 4120's ASN.1. */
export function tagName(cls: TagClass, num: number): string {
  switch (cls) {
    case 'universal':
      return UNIVERSAL_NAMES[num] ?? `[UNIVERSAL ${num}]`;
    case 'application':
      return `[APPLICATION ${num}]`;
    case 'context':
      return `[${num}]`;
    case 'private':
      return `[PRIVATE ${num}]`;
  }
}

export function tlvTagName(t: Pick<Tlv, 'cls' | 'num'>): string {
  return tagName(t.cls, t.num);
}

/**
 * Universal types that occur in Kerberos, GSS-API and SPNEGO; asn1js never sees the others. Of these only
 * SEQUENCE and SET are constructed: DER writes every string primitive (X.690 §10.2).
 */
const KNOWN_UNIVERSAL = new Set([1, 2, 3, 4, 5, 6, 10, 12, 16, 17, 19, 22, 24, 26, 27]);

/**
 * Walks the headers of the DER elements in [start, end) and returns the end of the first one.
 * Throws a DecodeError at the first byte that breaks DER or a bound.
 */
function _scan(ctx: DecodeContext, start: number, end: number, depth: number): number {
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
  const name = tagName(cls, num);
  if (p >= end) throw new DecodeError(p, `the data ends after the tag ${name}, before its length`);
  const lenAt = p;
  const lb = buf[p++]!;
  let len: number;
  if (lb < 0x80) {
    len = lb;
  } else if (lb === 0x80) {
    throw new DecodeError(lenAt, `${name} has an indefinite length (0x80): BER allows it, DER does not`);
  } else {
    const n = lb & 0x7f;
    if (n > 4)
      throw new DecodeError(lenAt, `${name} has a ${n}-byte length field; no Kerberos message is that large`);
    if (p + n > end) throw new DecodeError(lenAt, `the data ends inside the length of ${name}`);
    if (buf[p] === 0)
      throw new DecodeError(lenAt, `${name} has a non-minimal length: a leading 0x00 length byte (not DER)`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
    if (len < 0x80) {
      throw new DecodeError(
        lenAt,
        `${name} has a non-minimal length: ${len} written in the long form (DER uses one byte below 128)`,
      );
    }
  }
  const contentEnd = p + len;
  if (contentEnd > end) {
    throw new DecodeError(start, `${name} says its content is ${len} bytes, but only ${end - p} remain`);
  }
  if (++ctx.nodes > ctx.limits.maxNodes) {
    throw new DecodeError(start, `more than ${ctx.limits.maxNodes} DER elements; refusing to go on`);
  }
  if (cls === 'universal') {
    if (num === 0) throw new DecodeError(start, 'end-of-contents marker (00 00) found: that is BER, not DER');
    if (!KNOWN_UNIVERSAL.has(num))
      throw new DecodeError(start, `${name} (universal tag ${num}) does not occur in Kerberos messages`);
    if (constructed && num !== 16 && num !== 17) {
      throw new DecodeError(start, `${name} uses the constructed form: BER allows it, DER does not`);
    }
    if (!constructed && (num === 16 || num === 17))
      throw new DecodeError(start, `${name} must be constructed`);
  }
  if (cls === 'universal' && !constructed) _checkPrimitive(ctx, start, num, p, len);
  if (constructed) {
    if (depth + 1 > ctx.limits.maxDepth) {
      throw new DecodeError(
        start,
        `DER elements nested more than ${ctx.limits.maxDepth} deep; refusing to go on`,
      );
    }
    let q = p;
    while (q < contentEnd) q = _scan(ctx, q, contentEnd, depth + 1);
  }
  return contentEnd;
}

const TIME_SHAPE = /^[0-9]{14}Z$/;

/** DER rules for the contents of the primitive universal types (X.690 §10, §11). */
function _checkPrimitive(ctx: DecodeContext, at: number, num: number, p: number, len: number): void {
  const c = ctx.root.subarray(p, p + len);
  const name = tagName('universal', num);
  switch (num) {
    case 1:
      // X.690 §11.1: DER writes TRUE as 0xFF.
      if (len !== 1 || (c[0] !== 0 && c[0] !== 0xff))
        throw new DecodeError(at, 'BOOLEAN must be one byte, 00 or ff, in DER');
      break;
    case 2:
    case 10:
      if (len === 0) throw new DecodeError(at, `${name} has no content bytes`);
      if (len > 1 && ((c[0] === 0 && c[1]! < 0x80) || (c[0] === 0xff && c[1]! >= 0x80))) {
        throw new DecodeError(
          at,
          `${name} has a needless leading ${c[0] === 0 ? '00' : 'ff'} byte (not DER)`,
        );
      }
      break;
    case 3:
      // X.690 §11.2: the unused bits of the last byte are zero, and there are none in an empty string.
      if (len === 0)
        throw new DecodeError(at, 'BIT STRING has no content bytes (not even the unused-bits count)');
      if (c[0]! > 7 || (len === 1 && c[0] !== 0))
        throw new DecodeError(at, `BIT STRING says ${c[0]} unused bits`);
      if (len > 1 && (c[len - 1]! & ((1 << c[0]!) - 1)) !== 0)
        throw new DecodeError(at, 'BIT STRING has unused bits that are not zero (not DER)');
      break;
    case 5:
      if (len !== 0) throw new DecodeError(at, 'NULL must have no content');
      break;
    case 6:
      if (len === 0 || c[len - 1]! >= 0x80)
        throw new DecodeError(at, 'OBJECT IDENTIFIER is empty or cut off');
      for (let i = 0; i < len; i++) {
        if (c[i] === 0x80 && (i === 0 || c[i - 1]! < 0x80))
          throw new DecodeError(at + i, 'OBJECT IDENTIFIER has a needless 0x80 byte (not DER)');
      }
      break;
    case 24: {
      // RFC 4120 §5.2.3: KerberosTime is GeneralizedTime with no fraction, always UTC.
      let text = '';
      for (let i = 0; i < len && i < 32; i++) text += String.fromCharCode(c[i]!);
      if (!TIME_SHAPE.test(text) || len !== 15) {
        throw new DecodeError(
          at,
          `KerberosTime must be written YYYYMMDDHHMMSSZ (RFC 4120 §5.2.3), found ${JSON.stringify(text)}`,
        );
      }
      break;
    }
  }
}

type Block = asn1js.BaseBlock<asn1js.ValueBlock>;

function _convert(ctx: DecodeContext, block: Block, depth: number): Tlv {
  const id = block.idBlock;
  const headerLength = id.blockLength + block.lenBlock.blockLength;
  const whole = block.valueBeforeDecodeView;
  const offset = absOffset(ctx, whole);
  const length = block.lenBlock.length;
  const content = ctx.root.subarray(offset + headerLength, offset + headerLength + length);
  const children: Tlv[] = [];
  if (id.isConstructed) {
    const value = (block.valueBlock as unknown as { value?: unknown }).value;
    if (!Array.isArray(value))
      throw new DecodeError(offset, `${tagName(CLASSES[id.tagClass - 1]!, id.tagNumber)}: not valid DER`);
    for (const child of value as Block[]) children.push(_convert(ctx, child, depth + 1));
  }
  return {
    cls: CLASSES[id.tagClass - 1]!,
    num: id.tagNumber,
    constructed: id.isConstructed,
    offset,
    headerLength,
    length,
    content,
    children,
    depth,
  };
}

/**
 * Parses exactly one DER element filling [start, end) of the context's root buffer.
 * `what` names the expected thing for the trailing-bytes message.
 */
export function parseDer(ctx: DecodeContext, start: number, end: number, what: string, depth = 0): Tlv {
  const nodesBefore = ctx.nodes;
  const elementEnd = _scan(ctx, start, end, depth);
  if (elementEnd !== end) {
    throw new DecodeError(elementEnd, `${end - elementEnd} trailing byte(s) after the end of ${what}`);
  }
  let result: asn1js.FromBerResult;
  try {
    result = asn1js.fromBER(ctx.root.subarray(start, end), {
      copyInput: false,
      parseEmbedded: false,
      maxDepth: ctx.limits.maxDepth + 1,
      maxNodes: ctx.nodes - nodesBefore + 16,
    });
  } catch (e) {
    throw new DecodeError(start, `not valid DER: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (result.offset === -1 || result.result.error) {
    throw new DecodeError(start, `not valid DER: ${result.result.error || 'unreadable'}`);
  }
  return _convert(ctx, result.result as Block, depth);
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
