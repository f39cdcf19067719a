/**
 * From bytes to the MESSAGE of docs/cli.md: recognise (any framing, a Ticket, an EncTicketPart, a PAC),
 * decode with the tree, open what the keyring allows. A capture is a sequence of such messages sharing
 * one keyring, so that a key learnt in frame 19 opens a part in frame 21.
 */
import { decodeKerberos, DecodeError, type KrbNode } from '../../asn1';
import { errorCodes } from '../../asn1/registry';
import { KrbPlayError } from '../../util/errors';
import type { KeyRing } from './keyring';
import { openMessage, type EncPart } from './open';
import { pacNode } from './pac-tree';

export type Transport = 'udp' | 'tcp' | 'kkdcp';

/** Where a message was seen: a capture's frame, or frame 1 of a single input. */
export interface MessageMeta {
  frame?: number;
  time?: Date;
  src?: string;
  dst?: string;
  transport?: Transport | null;
}

/** One decoded message (docs/cli.md, MESSAGE). */
export interface DecodedMessage {
  frame: number;
  time?: string;
  src?: string;
  dst?: string;
  transport: Transport | null;
  /** "AS-REQ", "TGS-REP", "KRB-ERROR", "Ticket", "EncTicketPart", "PAC", "SPNEGO", … or "malformed". */
  type: string;
  errorCode?: number;
  errorName?: string;
  tree: KrbNode;
  encParts: EncPart[];
  /** Only in a capture, for a message that does not decode: the one-line reason ("byte 12: …"). */
  error?: string;
}

function isoTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, (_, ms: string) => (ms === '000' ? 'Z' : `.${ms}Z`));
}

function metaFields(meta: MessageMeta): Pick<DecodedMessage, 'frame' | 'time' | 'src' | 'dst' | 'transport'> {
  return {
    frame: meta.frame ?? 1,
    ...(meta.time ? { time: isoTime(meta.time) } : {}),
    ...(meta.src ? { src: meta.src } : {}),
    ...(meta.dst ? { dst: meta.dst } : {}),
    transport: meta.transport ?? null,
  };
}

/**
 * A PAC begins with cBuffers and Version (MS-PAC §2.3), little-endian: a few buffers, version 0, and a
 * header that fits. No DER element starts that way once decodeKerberos has said no.
 */
function looksLikePac(bytes: Uint8Array): boolean {
  if (bytes.length < 24) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(0, true);
  return count >= 1 && count <= 64 && v.getUint32(4, true) === 0 && 8 + 16 * count <= bytes.length;
}

/**
 * Decodes one input and opens its encrypted parts. Throws DecodeError (the DER layer's "byte N: …") when
 * the bytes are not a Kerberos message, token, ticket, encrypted-part plaintext or PAC, and the PAC
 * reader's FormatError when they start as a PAC but are not a well-formed one.
 */
export function decodeMessage(bytes: Uint8Array, ring: KeyRing, meta: MessageMeta = {}): DecodedMessage {
  const where = metaFields(meta);
  let decoded;
  try {
    decoded = decodeKerberos(bytes);
  } catch (e) {
    // Bytes with a PAC's header are a PAC: when its layout is wrong, say that rather than the DER error.
    if (e instanceof DecodeError && looksLikePac(bytes))
      return { ...where, type: 'PAC', tree: pacNode(bytes, 0), encParts: [] };
    throw e;
  }
  const encParts = openMessage(decoded, ring, { frame: where.frame });
  return {
    ...where,
    type: decoded.type,
    ...(decoded.type === 'KRB-ERROR'
      ? { errorCode: decoded.value.errorCode, errorName: errorCodes.nameOf(decoded.value.errorCode) }
      : {}),
    tree: decoded.tree,
    encParts,
  };
}

/** A message as a capture holds it (src/formats/pcap's CapturedMessage has this shape). */
export interface CaptureItem {
  frame: number;
  time: Date;
  src: string;
  dst: string;
  transport: Transport;
  bytes: Uint8Array;
}

/**
 * Decodes a capture's messages in order with one keyring, learning keys as it goes. A message that does
 * not decode stays in the list as type "malformed", with its bytes as the tree and the reason in `error`.
 */
export function decodeCapture(items: readonly CaptureItem[], ring: KeyRing): DecodedMessage[] {
  return items.map((item) => {
    try {
      return decodeMessage(item.bytes, ring, item);
    } catch (e) {
      if (!(e instanceof KrbPlayError)) throw e;
      return {
        ...metaFields(item),
        type: 'malformed',
        tree: { name: 'bytes', tag: 'OCTETS', offset: 0, length: item.bytes.length },
        encParts: [],
        error: e.message,
      };
    }
  });
}
