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

export type Transport = 'udp' | 'tcp' | 'kkdcp' | 'smb';

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
  /** A token from an SMB2 SESSION_SETUP: the SMB2 message it came in. */
  smb2?: Smb2Seen;
  /** An NTLMSSP message (MS-NLMP §2.2.1), bare or inside SPNEGO: "NEGOTIATE", "CHALLENGE", "AUTHENTICATE". */
  ntlmssp?: string;
}

/** What a capture says of the SMB2 message a token came in (MS-SMB2 §2.2.1.2). */
export interface Smb2Seen {
  command: string;
  response?: boolean;
  /** The NT status of a response (MS-ERREF §2.3), 0 in a request. */
  status: number;
  /** "0x" and 16 hex digits, as tshark shows smb2.sesid. */
  sessionId: string;
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
  smb2?: { name: string; response?: boolean; status: number; sessionId: string };
}

/** MS-NLMP §2.2.1: "NTLMSSP\0", then MessageType (little-endian). */
const NTLMSSP_SIGNATURE = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];
const NTLMSSP_TYPES: Record<number, string> = { 1: 'NEGOTIATE', 2: 'CHALLENGE', 3: 'AUTHENTICATE' };

function ntlmsspOf(bytes: Uint8Array): string | undefined {
  if (bytes.length < 12 || NTLMSSP_SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  const type = bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16) | (bytes[11]! << 24);
  return NTLMSSP_TYPES[type] ?? `message type ${type >>> 0}`;
}

/**
 * The NTLMSSP message a token is or carries: bare, or as the mechToken or responseToken of SPNEGO (where
 * the tree holds it as hex, src/asn1/gssapi.ts); undefined for any other token.
 */
export function ntlmsspMessage(bytes: Uint8Array, tree?: KrbNode): string | undefined {
  const bare = ntlmsspOf(bytes);
  if (bare || !tree) return bare;
  const stack = [tree];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if ((n.name === 'mechToken' || n.name === 'responseToken') && typeof n.value === 'string') {
      const inner = ntlmsspOf(hexHead(n.value));
      if (inner) return inner;
    }
    stack.push(...(n.children ?? []));
  }
  return undefined;
}

function hexHead(hex: string): Uint8Array {
  const out = new Uint8Array(Math.min(12, hex.length >> 1));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The fields of an SMB2 token kept in a decoded message (its bytes already are the message). */
function smb2Fields(item: CaptureItem): Pick<DecodedMessage, 'smb2' | 'ntlmssp'> {
  if (!item.smb2) return {};
  const { name, response, status, sessionId } = item.smb2;
  return { smb2: { command: name, ...(response !== undefined ? { response } : {}), status, sessionId } };
}

/**
 * Decodes a capture's messages in order with one keyring, learning keys as it goes. A message that does
 * not decode stays in the list as type "malformed", with its bytes as the tree and the reason in `error`.
 */
export function decodeCapture(items: readonly CaptureItem[], ring: KeyRing): DecodedMessage[] {
  return items.map((item) => {
    const smb2 = smb2Fields(item);
    try {
      const m = decodeMessage(item.bytes, ring, item);
      const ntlmssp = item.smb2 ? ntlmsspMessage(item.bytes, m.tree) : undefined;
      return { ...m, ...smb2, ...(ntlmssp ? { ntlmssp } : {}) };
    } catch (e) {
      if (!(e instanceof KrbPlayError)) throw e;
      const tree: KrbNode = { name: 'bytes', tag: 'OCTETS', offset: 0, length: item.bytes.length };
      // SMB2 may carry NTLMSSP without SPNEGO around it: no Kerberos, and nothing wrong either.
      const ntlmssp = item.smb2 ? ntlmsspOf(item.bytes) : undefined;
      if (ntlmssp) return { ...metaFields(item), type: 'NTLMSSP', tree, encParts: [], ...smb2, ntlmssp };
      return { ...metaFields(item), type: 'malformed', tree, encParts: [], error: e.message, ...smb2 };
    }
  });
}
