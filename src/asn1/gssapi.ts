/**
 * The wrappings Kerberos travels in between applications: the GSS-API InitialContextToken (RFC 2743 §3.1)
 * with the krb5 mechanism's two-byte TOK_ID (RFC 4121 §4.1), and SPNEGO (RFC 4178 §4.2, with Microsoft's
 * NegTokenInit2 from MS-SPNG §2.2.1), as found in `Authorization: Negotiate …` headers and SMB sessions.
 *
 * The InitialContextToken is not one DER value: after [APPLICATION 0], the mechanism OID and then the
 * mechanism's own bytes follow (for krb5: TOK_ID, then a DER message). So its header is read by hand.
 */
import { concatBytes } from '../util/bytes';
import { KrbPlayInputError } from '../util/errors';
import {
  Enumerated,
  KerberosString,
  ObjectIdentifier,
  OctetString,
  RawBitString,
  choice,
  encodeWith,
  opt,
  req,
  seq,
  seqOf,
  toBytes,
} from './codec';
import type { Codec, DecodeOptions, KrbNode, RawDecoder } from './codec';
import { encodeHeader, newContext, parseDer, readHeader, tagName, toDer } from './der';
import type { DecodeContext, Tlv } from './der';
import { DecodeError } from './errors';
import { ApRepCodec, ApReqCodec } from './ap';
import type { ApRep, ApReq } from './ap';
import { KrbErrorCodec } from './krberror';
import type { KrbError } from './krberror';
import { IAKERB_OID, IAKERB_TOK_PROXY, decodeIakerbBodyAt } from './iakerb';
import type { IakerbToken } from './iakerb';

export const GSS_OID = {
  /** RFC 1964 / RFC 4121: Kerberos V5. */
  KRB5: '1.2.840.113554.1.2.2',
  /** The same mechanism under the OID early Windows sent by mistake; SPNEGO offers it first. */
  MS_KRB5: '1.2.840.48018.1.2.2',
  /** RFC 4178. */
  SPNEGO: '1.3.6.1.5.5.2',
  NTLMSSP: '1.3.6.1.4.1.311.2.2.10',
  NEGOEX: '1.3.6.1.4.1.311.2.2.30',
  /** draft-ietf-kitten-iakerb: krb5 with the KDC exchanges relayed by the acceptor. */
  IAKERB: IAKERB_OID,
} as const;

/** RFC 4121 §4.1: the two bytes before the Kerberos message in a krb5 context token. */
export const TOK_ID = { KRB_AP_REQ: 0x0100, KRB_AP_REP: 0x0200, KRB_ERROR: 0x0300 } as const;

/** IAKERB's AP-REQ, AP-REP and KRB-ERROR tokens are krb5's, under the IAKERB OID (MIT init_sec_context). */
const isKrb5 = (oid: string) => oid === GSS_OID.KRB5 || oid === GSS_OID.MS_KRB5 || oid === IAKERB_OID;

/** RFC 2743 §3.1. */
export interface GssInitialContextToken {
  thisMech: string;
  innerContextToken: Uint8Array;
}

/** A krb5 context-establishment token (RFC 4121 §4.1): TOK_ID and the DER Kerberos message. */
export interface Krb5GssToken {
  /** Defaults to the krb5 OID when encoding. */
  thisMech?: string;
  tokId: number;
  krbMessage: Uint8Array;
}

export type Krb5GssMessage =
  | { type: 'AP-REQ'; value: ApReq }
  | { type: 'AP-REP'; value: ApRep }
  | { type: 'KRB-ERROR'; value: KrbError };

const KRB5_INNER: Record<number, { type: Krb5GssMessage['type']; codec: Codec<unknown> }> = {
  [TOK_ID.KRB_AP_REQ]: { type: 'AP-REQ', codec: ApReqCodec as Codec<unknown> },
  [TOK_ID.KRB_AP_REP]: { type: 'AP-REP', codec: ApRepCodec as Codec<unknown> },
  [TOK_ID.KRB_ERROR]: { type: 'KRB-ERROR', codec: KrbErrorCodec as Codec<unknown> },
};

export function encodeGssToken(v: GssInitialContextToken): Uint8Array {
  if (!(v.innerContextToken instanceof Uint8Array))
    throw new KrbPlayInputError('innerContextToken must be bytes');
  const oid = toDer(ObjectIdentifier.encode(v.thisMech));
  const body = concatBytes(oid, v.innerContextToken);
  return concatBytes(encodeHeader(0x60, body.length), body);
}

export function encodeKrb5GssToken(v: Krb5GssToken): Uint8Array {
  if (!Number.isInteger(v.tokId) || v.tokId < 0 || v.tokId > 0xffff)
    throw new KrbPlayInputError(`TOK_ID must be two bytes, got ${v.tokId}`);
  return encodeGssToken({
    thisMech: v.thisMech ?? GSS_OID.KRB5,
    innerContextToken: concatBytes(new Uint8Array([v.tokId >> 8, v.tokId & 0xff]), v.krbMessage),
  });
}

// ---- SPNEGO --------------------------------------------------------------------------------------------

/** MS-SPNG §2.2.1: hints a server may put in its unsolicited NegTokenInit2. */
export interface NegHints {
  hintName?: string;
  hintAddress?: Uint8Array;
}

/** RFC 4178 §4.2.1 NegTokenInit, or MS-SPNG NegTokenInit2 when negHints is present. */
export interface NegTokenInit {
  mechTypes: string[];
  /** ContextFlags BIT STRING content, unused-bits byte first. */
  reqFlags?: Uint8Array;
  mechToken?: Uint8Array;
  negHints?: NegHints;
  mechListMIC?: Uint8Array;
}

/** RFC 4178 §4.2.2. negState: 0 accept-completed, 1 accept-incomplete, 2 reject, 3 request-mic. */
export interface NegTokenResp {
  negState?: number;
  supportedMech?: string;
  responseToken?: Uint8Array;
  mechListMIC?: Uint8Array;
}

export type NegotiationToken = { negTokenInit: NegTokenInit } | { negTokenResp: NegTokenResp };

/** A mechToken or responseToken is shown as a krb5 GSS token when it is one; other mechanisms stay bytes. */
const embedGss = (): RawDecoder => gssTokenNode;

const NegHintsCodec = seq<NegHints>('NegHints', [
  opt(0, 'hintName', KerberosString),
  opt(1, 'hintAddress', OctetString),
]);

const NegTokenInitRfc = seq<NegTokenInit>('NegTokenInit', [
  req(0, 'mechTypes', seqOf(ObjectIdentifier, 'MechTypeList')),
  opt(1, 'reqFlags', RawBitString),
  opt(2, 'mechToken', OctetString, embedGss),
  opt(3, 'mechListMIC', OctetString),
]);

const NegTokenInit2 = seq<NegTokenInit>('NegTokenInit2', [
  req(0, 'mechTypes', seqOf(ObjectIdentifier, 'MechTypeList')),
  opt(1, 'reqFlags', RawBitString),
  opt(2, 'mechToken', OctetString, embedGss),
  opt(3, 'negHints', NegHintsCodec),
  opt(4, 'mechListMIC', OctetString),
]);

/** RFC 4178 and MS-SPNG disagree on [3]; its content tells them apart (OCTET STRING vs SEQUENCE). */
const NegTokenInitCodec: Codec<NegTokenInit> = {
  ...NegTokenInitRfc,
  decode(t, ctx, name) {
    const three = t.children.find((c) => c.cls === 'context' && c.num === 3);
    const isInit2 = three?.children[0]?.cls === 'universal' && three.children[0].num === 16;
    return (
      isInit2 || t.children.some((c) => c.cls === 'context' && c.num === 4) ? NegTokenInit2 : NegTokenInitRfc
    ).decode(t, ctx, name);
  },
  encode(v) {
    return (v.negHints ? NegTokenInit2 : NegTokenInitRfc).encode(v);
  },
  // Two layouts under one codec: no key, so its encodings are never remembered under one.
  key: () => undefined,
};

const NegTokenRespCodec = seq<NegTokenResp>('NegTokenResp', [
  opt(0, 'negState', Enumerated),
  opt(1, 'supportedMech', ObjectIdentifier),
  opt(2, 'responseToken', OctetString, embedGss),
  opt(3, 'mechListMIC', OctetString),
]);

export const NegotiationTokenCodec = choice<NegotiationToken>('NegotiationToken', [
  req(0, 'negTokenInit', NegTokenInitCodec),
  req(1, 'negTokenResp', NegTokenRespCodec),
]);

/**
 * An initial SPNEGO token (NegTokenInit) is wrapped in the GSS-API framing with the SPNEGO OID
 * (RFC 4178 §4.2); later tokens (NegTokenResp) travel bare.
 */
export function encodeSpnego(v: NegotiationToken): Uint8Array {
  const body = encodeWith(NegotiationTokenCodec, v);
  return 'negTokenInit' in v ? encodeGssToken({ thisMech: GSS_OID.SPNEGO, innerContextToken: body }) : body;
}

// ---- decoding ------------------------------------------------------------------------------------------

export interface GssDecoded {
  node: KrbNode;
  thisMech: string;
  innerContextToken: Uint8Array;
  krb5?: { tokId: number; krbMessage: Uint8Array; message: Krb5GssMessage };
  spnego?: NegotiationToken;
  /** An IAKERB_PROXY token: the header and the relayed KDC message. */
  iakerb?: IakerbToken;
}

/** Reads an InitialContextToken at [start, end) of the context's root, with its tree. */
export function decodeGssAt(ctx: DecodeContext, start: number, end: number, depth = 0): GssDecoded {
  const h = readHeader(ctx, start, end);
  if (!(h.cls === 'application' && h.num === 0 && h.constructed)) {
    throw new DecodeError(
      start,
      `expected [APPLICATION 0] GSS-API InitialContextToken, found ${tagName(h.cls, h.num)}`,
    );
  }
  const tokenEnd = start + h.headerLength + h.length;
  if (tokenEnd !== end)
    throw new DecodeError(tokenEnd, `${end - tokenEnd} trailing byte(s) after the end of the GSS-API token`);
  const oidStart = start + h.headerLength;
  const oh = readHeader(ctx, oidStart, end);
  const oidEnd = oidStart + oh.headerLength + oh.length;
  const oidTlv = parseDer(ctx, oidStart, oidEnd, 'thisMech', depth + 1);
  const mech = ObjectIdentifier.decode(oidTlv, ctx, 'thisMech');
  const node: KrbNode = {
    name: 'InitialContextToken',
    tag: '[APPLICATION 0]',
    offset: start,
    length: end - start,
    children: [mech.node],
  };
  const result: GssDecoded = { node, thisMech: mech.value, innerContextToken: ctx.root.slice(oidEnd, end) };

  if (isKrb5(mech.value)) {
    if (end - oidEnd < 2)
      throw new DecodeError(oidEnd, 'krb5 GSS-API token ends before its two-byte TOK_ID (RFC 4121 §4.1)');
    const tokId = (ctx.root[oidEnd]! << 8) | ctx.root[oidEnd + 1]!;
    node.children!.push({
      name: 'tok-id',
      tag: 'TOK_ID',
      offset: oidEnd,
      length: 2,
      value: tokId.toString(16).padStart(4, '0'),
    });
    if (mech.value === IAKERB_OID && tokId === IAKERB_TOK_PROXY) {
      const body = decodeIakerbBodyAt(ctx, oidEnd + 2, end, depth, true);
      node.children!.push(...body.nodes);
      result.iakerb = body.value;
      return result;
    }
    const inner = KRB5_INNER[tokId];
    if (!inner) {
      throw new DecodeError(
        oidEnd,
        `krb5 GSS-API TOK_ID ${tokId.toString(16).padStart(4, '0')} is not a context token (0100 AP-REQ, 0200 AP-REP, 0300 KRB-ERROR${mech.value === IAKERB_OID ? ', 0501 IAKERB_PROXY' : ''})`,
      );
    }
    const t = parseDer(ctx, oidEnd + 2, end, inner.type, depth + 1);
    const d = inner.codec.decode(t, ctx, inner.type);
    node.children!.push(d.node);
    result.krb5 = {
      tokId,
      krbMessage: ctx.root.slice(oidEnd + 2, end),
      message: { type: inner.type, value: d.value } as Krb5GssMessage,
    };
  } else if (mech.value === GSS_OID.SPNEGO) {
    const t = parseDer(ctx, oidEnd, end, 'NegotiationToken', depth + 1);
    const d = NegotiationTokenCodec.decode(t, ctx, 'NegotiationToken');
    node.children!.push(d.node);
    result.spnego = d.value;
  } else if (end > oidEnd) {
    node.children!.push({
      name: 'innerContextToken',
      tag: 'ANY',
      offset: oidEnd,
      length: end - oidEnd,
      value: hexOf(ctx.root.subarray(oidEnd, end)),
    });
  }
  return result;
}

function hexOf(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function gssTokenNode(ctx: DecodeContext, start: number, end: number, depth: number): KrbNode {
  return decodeGssAt(ctx, start, end, depth).node;
}

/** A bare SPNEGO token: [0] NegTokenInit or [1] NegTokenResp (RFC 4178 §4.2). */
export function decodeNegotiationTokenAt(
  ctx: DecodeContext,
  start: number,
  end: number,
  depth = 0,
): { node: KrbNode; value: NegotiationToken } {
  const t: Tlv = parseDer(ctx, start, end, 'NegotiationToken', depth);
  return NegotiationTokenCodec.decode(t, ctx, 'NegotiationToken');
}

export function decodeGssToken(bytes: Uint8Array, o: DecodeOptions = {}): GssInitialContextToken {
  const d = decodeGssAt(newContext(toBytes(bytes), o.limits), 0, bytes.length);
  return { thisMech: d.thisMech, innerContextToken: d.innerContextToken };
}

export function decodeKrb5GssToken(
  bytes: Uint8Array,
  o: DecodeOptions = {},
): Krb5GssToken & { message: Krb5GssMessage } {
  const d = decodeGssAt(newContext(toBytes(bytes), o.limits), 0, bytes.length);
  if (!d.krb5) throw new DecodeError(2, `expected the krb5 mechanism (${GSS_OID.KRB5}), found ${d.thisMech}`);
  return { thisMech: d.thisMech, ...d.krb5 };
}

/** Reads a SPNEGO token, framed (initial) or bare (later tokens). */
export function decodeSpnego(bytes: Uint8Array, o: DecodeOptions = {}): NegotiationToken {
  const ctx = newContext(toBytes(bytes), o.limits);
  if (bytes[0] === 0x60) {
    const d = decodeGssAt(ctx, 0, bytes.length);
    if (!d.spnego)
      throw new DecodeError(2, `expected the SPNEGO mechanism (${GSS_OID.SPNEGO}), found ${d.thisMech}`);
    return d.spnego;
  }
  return decodeNegotiationTokenAt(ctx, 0, bytes.length).value;
}
