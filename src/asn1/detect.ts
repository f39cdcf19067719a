/**
 * `decodeKerberos`: given bytes a learner pasted or a capture held, find out what they are and decode
 * them, with the tree of every field. Recognised: any RFC 4120 message or encrypted-part plaintext by its
 * [APPLICATION n] tag, with or without the TCP record mark; a KDC-PROXY-MESSAGE (MS-KKDCP); a GSS-API
 * krb5 token; a SPNEGO token, framed or bare; an IAKERB token (draft-ietf-kitten-iakerb), framed or bare
 * (05 01: MIT before 1.22), whose relayed KDC message is decoded as the message.
 *
 * The first byte decides, so nothing is tried twice: 0x00 can only start a record mark (no DER element
 * has tag 0), 0x60 is the GSS-API framing ([APPLICATION 0]), other constructed [APPLICATION n] are
 * Kerberos, SEQUENCE is a KDC-PROXY-MESSAGE, [0] and [1] are bare SPNEGO.
 */
import { encodeWith, toBytes } from './codec';
import type { Codec, DecodeOptions, KrbNode } from './codec';
import { newContext, parseDer, tagName } from './der';
import type { DecodeContext } from './der';
import { DecodeError } from './errors';
import { readTcpLength } from './framing';
import { decodeGssAt, decodeNegotiationTokenAt, encodeGssToken, encodeSpnego } from './gssapi';
import type { GssInitialContextToken, NegotiationToken } from './gssapi';
import { KdcProxyMessageCodec, setKerbMessageDecoder } from './kkdcp';
import type { KdcProxyMessage } from './kkdcp';
import { ApRepCodec, ApReqCodec, AuthenticatorCodec, EncApRepPartCodec } from './ap';
import type { ApRep, ApReq, Authenticator, EncApRepPart } from './ap';
import { EncKrbCredPartCodec, EncKrbPrivPartCodec, KrbCredCodec, KrbPrivCodec, KrbSafeCodec } from './cred';
import type { EncKrbCredPart, EncKrbPrivPart, KrbCred, KrbPriv, KrbSafe } from './cred';
import {
  AsRepCodec,
  AsReqCodec,
  EncAsRepPartCodec,
  EncTgsRepPartCodec,
  TgsRepCodec,
  TgsReqCodec,
} from './kdc';
import type { EncKdcRepPart, KdcRep, KdcReq } from './kdc';
import { KrbErrorCodec } from './krberror';
import type { KrbError } from './krberror';
import { EncTicketPartCodec, TicketCodec } from './ticket';
import type { EncTicketPart, Ticket } from './ticket';
import { IAKERB_OID, decodeBareIakerbAt } from './iakerb';
import type { IakerbToken } from './iakerb';
import './padata';

export type KerberosPdu =
  | { type: 'AS-REQ'; value: KdcReq }
  | { type: 'TGS-REQ'; value: KdcReq }
  | { type: 'AS-REP'; value: KdcRep }
  | { type: 'TGS-REP'; value: KdcRep }
  | { type: 'AP-REQ'; value: ApReq }
  | { type: 'AP-REP'; value: ApRep }
  | { type: 'KRB-SAFE'; value: KrbSafe }
  | { type: 'KRB-PRIV'; value: KrbPriv }
  | { type: 'KRB-CRED'; value: KrbCred }
  | { type: 'KRB-ERROR'; value: KrbError }
  | { type: 'Ticket'; value: Ticket }
  | { type: 'Authenticator'; value: Authenticator }
  | { type: 'EncTicketPart'; value: EncTicketPart }
  | { type: 'EncASRepPart'; value: EncKdcRepPart }
  | { type: 'EncTGSRepPart'; value: EncKdcRepPart }
  | { type: 'EncAPRepPart'; value: EncApRepPart }
  | { type: 'EncKrbPrivPart'; value: EncKrbPrivPart }
  | { type: 'EncKrbCredPart'; value: EncKrbCredPart }
  /** A KDC-PROXY-MESSAGE whose kerb-message is not a Kerberos message we can read. */
  | { type: 'KDC-PROXY-MESSAGE'; value: KdcProxyMessage }
  /** A SPNEGO token carrying no krb5 token (a NegTokenResp with only negState, or NTLM inside). */
  | { type: 'SPNEGO'; value: NegotiationToken }
  /** A GSS-API token of another mechanism. */
  | { type: 'GSS-API'; value: GssInitialContextToken };

export type KerberosType = KerberosPdu['type'];

/** The wrappings found around the message, outermost first. */
export type Framing = 'tcp' | 'kkdcp' | 'spnego' | 'gssapi' | 'iakerb';

export type DecodedKerberos = KerberosPdu & {
  framing: Framing[];
  /** The whole input: framing nodes on the outside, the message inside. */
  tree: KrbNode;
  /** Set when the input came through a KDC proxy. */
  kdcProxy?: KdcProxyMessage;
  /** Set when the input was a SPNEGO token. */
  spnego?: NegotiationToken;
  /** Set when a krb5 GSS-API token carried the message (RFC 4121 §4.1). */
  gss?: { thisMech: string; tokId: number };
  /** Set when an IAKERB token carried the message: its header (target realm, cookie) and dialect. */
  iakerb?: IakerbToken;
};

/** An IAKERB token: the KDC message it relays (framing 'iakerb'), or the token alone when it relays none. */
function fromIakerb(
  ctx: DecodeContext,
  token: IakerbToken,
  tree: KrbNode,
  end: number,
  depth: number,
  framed: boolean,
): DecodedKerberos {
  const framing: Framing[] = framed ? ['gssapi', 'iakerb'] : ['iakerb'];
  if (token.message.length === 0) {
    const innerContextToken = ctx.root.slice(tree.offset, end);
    return {
      type: 'GSS-API',
      value: { thisMech: IAKERB_OID, innerContextToken },
      framing,
      tree,
      iakerb: token,
    };
  }
  const inner = decodeKerberosAt(ctx, end - token.message.length, end, depth + 1);
  return { ...inner, framing, tree, iakerb: token } as DecodedKerberos;
}

const BY_APPLICATION_TAG: Record<number, { type: KerberosType; codec: Codec<unknown> }> = {
  1: { type: 'Ticket', codec: TicketCodec as Codec<unknown> },
  2: { type: 'Authenticator', codec: AuthenticatorCodec as Codec<unknown> },
  3: { type: 'EncTicketPart', codec: EncTicketPartCodec as Codec<unknown> },
  10: { type: 'AS-REQ', codec: AsReqCodec as Codec<unknown> },
  11: { type: 'AS-REP', codec: AsRepCodec as Codec<unknown> },
  12: { type: 'TGS-REQ', codec: TgsReqCodec as Codec<unknown> },
  13: { type: 'TGS-REP', codec: TgsRepCodec as Codec<unknown> },
  14: { type: 'AP-REQ', codec: ApReqCodec as Codec<unknown> },
  15: { type: 'AP-REP', codec: ApRepCodec as Codec<unknown> },
  20: { type: 'KRB-SAFE', codec: KrbSafeCodec as Codec<unknown> },
  21: { type: 'KRB-PRIV', codec: KrbPrivCodec as Codec<unknown> },
  22: { type: 'KRB-CRED', codec: KrbCredCodec as Codec<unknown> },
  25: { type: 'EncASRepPart', codec: EncAsRepPartCodec as Codec<unknown> },
  26: { type: 'EncTGSRepPart', codec: EncTgsRepPartCodec as Codec<unknown> },
  27: { type: 'EncAPRepPart', codec: EncApRepPartCodec as Codec<unknown> },
  28: { type: 'EncKrbPrivPart', codec: EncKrbPrivPartCodec as Codec<unknown> },
  29: { type: 'EncKrbCredPart', codec: EncKrbCredPartCodec as Codec<unknown> },
  30: { type: 'KRB-ERROR', codec: KrbErrorCodec as Codec<unknown> },
};

const KNOWN = Object.entries(BY_APPLICATION_TAG)
  .map(([n, e]) => `${n} ${e.type}`)
  .join(', ');

function fromSpnego(ctx: DecodeContext, token: NegotiationToken, node: KrbNode, depth: number) {
  // The krb5 token inside mechToken/responseToken sits where the tree found it.
  const holder = node.children?.[0]?.children?.find(
    (c) => c.name === 'mechToken' || c.name === 'responseToken',
  );
  const gssNode = holder?.children?.[0];
  if (gssNode?.name === 'InitialContextToken') {
    const g = decodeGssAt(ctx, gssNode.offset, gssNode.offset + gssNode.length, depth);
    if (g.krb5) return { ...g.krb5.message, gss: { thisMech: g.thisMech, tokId: g.krb5.tokId } };
  }
  return { type: 'SPNEGO' as const, value: token };
}

/** Recognises and decodes [start, end) of the context's root buffer. */
export function decodeKerberosAt(ctx: DecodeContext, start: number, end: number, depth = 0): DecodedKerberos {
  if (start >= end) throw new DecodeError(start, 'there is nothing to decode (no bytes)');
  const first = ctx.root[start]!;
  if (first === 0x00) {
    // RFC 4120 §7.2.2 record mark.
    const n = readTcpLength(ctx.root.subarray(start, end));
    if (n === undefined)
      throw new DecodeError(
        start,
        `a TCP record needs a 4-byte length first; only ${end - start} byte(s) here`,
      );
    if (n !== end - start - 4)
      throw new DecodeError(start, `the TCP record mark announces ${n} bytes, but ${end - start - 4} follow`);
    const inner = decodeKerberosAt(ctx, start + 4, end, depth);
    const tree: KrbNode = {
      name: 'tcp-record',
      tag: 'TCP',
      offset: start,
      length: end - start,
      children: [{ name: 'record-mark', tag: 'UINT32', offset: start, length: 4, value: n }, inner.tree],
    };
    return { ...inner, framing: ['tcp', ...inner.framing], tree };
  }
  if (first === 0x60) {
    const g = decodeGssAt(ctx, start, end, depth);
    if (g.iakerb) return fromIakerb(ctx, g.iakerb, g.node, end, depth, true);
    if (g.krb5)
      return {
        ...g.krb5.message,
        framing: ['gssapi'],
        tree: g.node,
        gss: { thisMech: g.thisMech, tokId: g.krb5.tokId },
      };
    if (g.spnego) {
      const inner = fromSpnego(ctx, g.spnego, g.node.children![1]!, depth);
      return {
        ...inner,
        framing: inner.type === 'SPNEGO' ? ['spnego'] : ['spnego', 'gssapi'],
        tree: g.node,
        spnego: g.spnego,
      } as DecodedKerberos;
    }
    return {
      type: 'GSS-API',
      value: { thisMech: g.thisMech, innerContextToken: g.innerContextToken },
      framing: ['gssapi'],
      tree: g.node,
    };
  }
  if (first === 0x05) {
    const b = decodeBareIakerbAt(ctx, start, end, depth);
    return fromIakerb(ctx, b.value, b.node, end, depth, false);
  }
  if ((first & 0xe0) === 0x60) {
    const num = first & 0x1f;
    const entry = BY_APPLICATION_TAG[num];
    if (!entry) {
      throw new DecodeError(
        start,
        `${tagName('application', num)} is not a Kerberos message or part (known: ${KNOWN})`,
      );
    }
    const t = parseDer(ctx, start, end, entry.type, depth);
    const d = entry.codec.decode(t, ctx, entry.type);
    return { type: entry.type, value: d.value, framing: [], tree: d.node } as DecodedKerberos;
  }
  if (first === 0x30) {
    const t = parseDer(ctx, start, end, 'KDC-PROXY-MESSAGE', depth);
    const d = KdcProxyMessageCodec.decode(t, ctx, 'KDC-PROXY-MESSAGE');
    const holder = d.node.children?.[0]?.children?.[0];
    if (holder) {
      const inner = decodeKerberosAt(ctx, holder.offset, holder.offset + holder.length, depth + 2);
      return { ...inner, framing: ['kkdcp', ...inner.framing], tree: d.node, kdcProxy: d.value };
    }
    return { type: 'KDC-PROXY-MESSAGE', value: d.value, framing: ['kkdcp'], tree: d.node, kdcProxy: d.value };
  }
  if (first === 0xa0 || first === 0xa1) {
    const d = decodeNegotiationTokenAt(ctx, start, end, depth);
    const inner = fromSpnego(ctx, d.value, d.node, depth);
    return {
      ...inner,
      framing: inner.type === 'SPNEGO' ? ['spnego'] : ['spnego', 'gssapi'],
      tree: d.node,
      spnego: d.value,
    } as DecodedKerberos;
  }
  const cls = (['universal', 'application', 'context', 'private'] as const)[first >> 6]!;
  throw new DecodeError(
    start,
    `not a Kerberos message: it starts with ${tagName(cls, first & 0x1f)} (0x${first.toString(16).padStart(2, '0')}); ` +
      'expected an [APPLICATION n] Kerberos message, a 4-byte TCP length, a KDC-PROXY-MESSAGE, a GSS-API token, a SPNEGO token or an IAKERB token (05 01)',
  );
}

/** Recognises and decodes one input: see the module comment for what it accepts. */
export function decodeKerberos(bytes: Uint8Array, options: DecodeOptions = {}): DecodedKerberos {
  const ctx = newContext(toBytes(bytes), options.limits);
  return decodeKerberosAt(ctx, 0, bytes.length);
}

const ENCODERS: Partial<Record<KerberosType, Codec<unknown>>> = Object.fromEntries(
  Object.values(BY_APPLICATION_TAG).map((e) => [e.type, e.codec]),
);

/**
 * DER of a message or encrypted-part plaintext, the inverse of `decodeKerberos` without its framing
 * (add it with addTcpPrefix, wrapForKdcProxy, encodeKrb5GssToken or encodeSpnego).
 */
export function encodeKerberos(pdu: KerberosPdu): Uint8Array {
  if (pdu.type === 'KDC-PROXY-MESSAGE') return encodeWith(KdcProxyMessageCodec, pdu.value);
  if (pdu.type === 'SPNEGO') return encodeSpnego(pdu.value);
  if (pdu.type === 'GSS-API') return encodeGssToken(pdu.value);
  return encodeWith(ENCODERS[pdu.type]!, pdu.value);
}

// kerb-message holds a record mark and a message: the same recogniser reads it.
setKerbMessageDecoder((ctx, start, end, depth) => decodeKerberosAt(ctx, start, end, depth).tree);
