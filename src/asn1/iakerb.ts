/**
 * IAKERB (draft-ietf-kitten-iakerb-03): a GSS-API initiator that cannot reach a KDC sends its AS-REQ and
 * TGS-REQ inside GSS-API tokens to the acceptor, which relays them to the KDC of the realm named in the
 * token and wraps the reply the same way. Each such token is the IAKERB mechanism's TOK_ID 05 01
 * (IAKERB_PROXY), an IAKERB-HEADER, then the Kerberos message as it would travel over TCP, without the
 * length. When the client has its service ticket, the AP-REQ follows in the usual krb5 token (under the
 * IAKERB OID), with a "finished" checksum over every IAKERB token exchanged in its authenticator.
 *
 *     IAKERB-HEADER ::= SEQUENCE {
 *         target-realm  [1] UTF8String,          -- the realm whose KDC the acceptor must ask
 *         cookie        [2] OCTET STRING OPTIONAL,
 *         ... }
 *     IAKERB-FINISHED ::= SEQUENCE { checksum [1] Checksum, ... }
 *
 * Two dialects are on the wire. MIT krb5 1.9 to 1.21 wrote target-realm as an OCTET STRING, framed only
 * the initiator's first token with the GSS-API header (later ones are the bare 05 01 and what follows),
 * carried the finish as authenticator-checksum extension 1 and keyed it with usage 42. MIT krb5 1.22
 * (commit 04f9c19c98, "Correct IAKERB protocol implementation") follows the draft: UTF8String, every
 * token framed, extension 2, key usage 41 (KEY_USAGE_FINISHED, which the draft takes from PKU2U's
 * draft). Both read here; each writes its own.
 */
import { concatBytes } from '../util/bytes';
import { KrbPlayInputError } from '../util/errors';
import { OctetString, ObjectIdentifier, encodeWith, expectTag, opt, req, seq, toBytes } from './codec';
import type { Codec, KrbNode } from './codec';
import { ChecksumCodec, type Checksum } from './common';
import { encodeHeader, newContext, parseDer, readHeader, tagName, toDer } from './der';
import type { DecodeContext } from './der';
import { DecodeError } from './errors';
import { AsRepCodec, AsReqCodec, TgsRepCodec, TgsReqCodec } from './kdc';
import { KrbErrorCodec } from './krberror';
import * as asn1js from 'asn1js';

/** The IAKERB mechanism (draft-ietf-kitten-iakerb §3: iso(1) org(3) dod(6) internet(1) security(5) kerberosV5(2) iakerb(5)). */
export const IAKERB_OID = '1.3.6.1.5.2.5';
/** The TOK_ID of a token that carries a KDC message (draft §3.1). */
export const IAKERB_TOK_PROXY = 0x0501;

export type IakerbDialect = 'draft' | 'mit-1.20';

/** What each dialect writes: the target-realm's tag, whether later tokens are framed, the finish's numbers. */
export const IAKERB_DIALECTS: Record<
  IakerbDialect,
  { realmTag: number; frameAll: boolean; finishedExtension: number; finishedUsage: number; about: string }
> = {
  draft: {
    realmTag: 12,
    frameAll: true,
    finishedExtension: 2,
    finishedUsage: 41,
    about: 'draft-ietf-kitten-iakerb-03 (MIT krb5 1.22 and later)',
  },
  'mit-1.20': {
    realmTag: 4,
    frameAll: false,
    finishedExtension: 1,
    finishedUsage: 42,
    about: 'MIT krb5 1.9 to 1.21 (Debian 12 ships 1.20)',
  },
};

export interface IakerbHeader {
  targetRealm: string;
  cookie?: Uint8Array;
}

/** One IAKERB_PROXY token, read. `message` is empty in a realm-discovery request. */
export interface IakerbToken {
  header: IakerbHeader;
  message: Uint8Array;
  /** The message's type, when there is one. */
  messageType?: 'AS-REQ' | 'AS-REP' | 'TGS-REQ' | 'TGS-REP' | 'KRB-ERROR';
  /** Whether the token had the GSS-API InitialContextToken header. */
  framed: boolean;
  /** The dialect its target-realm's tag belongs to. */
  dialect: IakerbDialect;
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** target-realm: UTF8String in the draft, OCTET STRING in MIT before 1.22; both read, as text. */
const TargetRealm: Codec<string> = {
  typeName: 'UTF8String',
  cls: 'universal',
  nums: [12, 4],
  decode(t, _ctx, name) {
    expectTag(t, TargetRealm, false);
    let value: string;
    try {
      value = strictUtf8.decode(t.content);
    } catch {
      throw new DecodeError(t.offset, `${name}: the realm is not valid UTF-8`);
    }
    const node: KrbNode = {
      name,
      tag: t.num === 4 ? 'OCTET STRING' : 'UTF8String',
      offset: t.offset,
      length: t.headerLength + t.length,
      value,
    };
    return { value, node };
  },
  encode(v) {
    return new asn1js.Utf8String({ value: v });
  },
};

const IakerbHeaderCodec = seq<IakerbHeader>('IAKERB-HEADER', [
  req(1, 'target-realm', TargetRealm),
  opt(2, 'cookie', OctetString),
]);

export interface IakerbFinished {
  checksum: Checksum;
}

export const IakerbFinishedCodec = seq<IakerbFinished>('IAKERB-FINISHED', [
  req(1, 'checksum', ChecksumCodec),
]);

const INNER: Record<number, { type: NonNullable<IakerbToken['messageType']>; codec: Codec<unknown> }> = {
  0x6a: { type: 'AS-REQ', codec: AsReqCodec as Codec<unknown> },
  0x6b: { type: 'AS-REP', codec: AsRepCodec as Codec<unknown> },
  0x6c: { type: 'TGS-REQ', codec: TgsReqCodec as Codec<unknown> },
  0x6d: { type: 'TGS-REP', codec: TgsRepCodec as Codec<unknown> },
  0x7e: { type: 'KRB-ERROR', codec: KrbErrorCodec as Codec<unknown> },
};

/** The longest realm a header may name (bytes): a realm is a DNS-like name. */
export const MAX_TARGET_REALM = 1024;

function tlv(identifier: number, content: Uint8Array): Uint8Array {
  return concatBytes(encodeHeader(identifier, content.length), content);
}

/** IAKERB-HEADER's DER, with the target-realm's tag of the dialect. */
export function encodeIakerbHeader(h: IakerbHeader, dialect: IakerbDialect = 'draft'): Uint8Array {
  if (typeof h.targetRealm !== 'string') throw new KrbPlayInputError('target-realm must be text');
  const realm = utf8.encode(h.targetRealm);
  if (realm.length > MAX_TARGET_REALM)
    throw new KrbPlayInputError(`target-realm is ${realm.length} bytes, more than ${MAX_TARGET_REALM}`);
  const fields = [tlv(0xa1, tlv(IAKERB_DIALECTS[dialect].realmTag, realm))];
  if (h.cookie) fields.push(tlv(0xa2, tlv(0x04, h.cookie)));
  return tlv(0x30, concatBytes(...fields));
}

/**
 * One IAKERB_PROXY token: TOK_ID 05 01, the header, the KDC message (empty for realm discovery), inside
 * the GSS-API InitialContextToken header when `framed`.
 */
export function encodeIakerbToken(
  v: { header: IakerbHeader; message: Uint8Array; framed: boolean },
  dialect: IakerbDialect = 'draft',
): Uint8Array {
  if (!(v.message instanceof Uint8Array)) throw new KrbPlayInputError('the KDC message must be bytes');
  const body = concatBytes(new Uint8Array([0x05, 0x01]), encodeIakerbHeader(v.header, dialect), v.message);
  if (!v.framed) return body;
  const oid = toDer(ObjectIdentifier.encode(IAKERB_OID));
  return tlv(0x60, concatBytes(oid, body));
}

export function encodeIakerbFinished(checksum: Checksum): Uint8Array {
  return encodeWith(IakerbFinishedCodec, { checksum });
}

export function decodeIakerbFinished(bytes: Uint8Array): IakerbFinished {
  const ctx = newContext(toBytes(bytes));
  const t = parseDer(ctx, 0, bytes.length, 'IAKERB-FINISHED');
  return IakerbFinishedCodec.decode(t, ctx, 'IAKERB-FINISHED').value;
}

/**
 * Reads what follows TOK_ID 05 01, at [start, end): the header, then the KDC message. Returns the nodes
 * (header, message) and the token's value.
 */
export function decodeIakerbBodyAt(
  ctx: DecodeContext,
  start: number,
  end: number,
  depth: number,
  framed: boolean,
): { nodes: KrbNode[]; value: IakerbToken } {
  const h = readHeader(ctx, start, end);
  if (!(h.cls === 'universal' && h.num === 16)) {
    throw new DecodeError(
      start,
      `expected the IAKERB-HEADER SEQUENCE after TOK_ID 05 01, found ${tagName(h.cls, h.num)}`,
    );
  }
  const headerEnd = start + h.headerLength + h.length;
  const ht = parseDer(ctx, start, headerEnd, 'IAKERB-HEADER', depth + 1);
  const header = IakerbHeaderCodec.decode(ht, ctx, 'IAKERB-HEADER');
  const realmTlv = ht.children.find((c) => c.num === 1)?.children[0];
  const dialect: IakerbDialect = realmTlv?.num === 4 ? 'mit-1.20' : 'draft';
  const value: IakerbToken = {
    header: header.value,
    message: ctx.root.slice(headerEnd, end),
    framed,
    dialect,
  };
  const nodes = [header.node];
  if (end > headerEnd) {
    const inner = INNER[ctx.root[headerEnd]!];
    if (!inner) {
      throw new DecodeError(
        headerEnd,
        `an IAKERB token carries an AS-REQ, AS-REP, TGS-REQ, TGS-REP or KRB-ERROR; found 0x${ctx.root[headerEnd]!.toString(16).padStart(2, '0')}`,
      );
    }
    const t = parseDer(ctx, headerEnd, end, inner.type, depth + 1);
    nodes.push(inner.codec.decode(t, ctx, inner.type).node);
    value.messageType = inner.type;
  }
  return { nodes, value };
}

/**
 * A bare IAKERB_PROXY token (05 01, header, message): how MIT before 1.22 sends every token but the
 * initiator's first.
 */
export function decodeBareIakerbAt(
  ctx: DecodeContext,
  start: number,
  end: number,
  depth = 0,
): { node: KrbNode; value: IakerbToken } {
  if (end - start < 2 || ctx.root[start] !== 0x05 || ctx.root[start + 1] !== 0x01)
    throw new DecodeError(start, 'an IAKERB token without its GSS-API header starts with TOK_ID 05 01');
  const body = decodeIakerbBodyAt(ctx, start + 2, end, depth, false);
  const node: KrbNode = {
    name: 'IAKERB token',
    tag: 'IAKERB',
    offset: start,
    length: end - start,
    children: [{ name: 'tok-id', tag: 'TOK_ID', offset: start, length: 2, value: '0501' }, ...body.nodes],
  };
  return { node, value: body.value };
}

/** Reads one IAKERB token, framed or bare. */
export function decodeIakerbToken(bytes: Uint8Array): IakerbToken {
  const ctx = newContext(toBytes(bytes));
  if (bytes[0] !== 0x60) return decodeBareIakerbAt(ctx, 0, bytes.length).value;
  const h = readHeader(ctx, 0, bytes.length);
  if (
    !(h.cls === 'application' && h.num === 0 && h.constructed) ||
    h.headerLength + h.length !== bytes.length
  )
    throw new DecodeError(
      0,
      'expected a GSS-API InitialContextToken ([APPLICATION 0]) around the IAKERB token',
    );
  const oidStart = h.headerLength;
  const oh = readHeader(ctx, oidStart, bytes.length);
  const oidEnd = oidStart + oh.headerLength + oh.length;
  const mech = ObjectIdentifier.decode(parseDer(ctx, oidStart, oidEnd, 'thisMech'), ctx, 'thisMech').value;
  if (mech !== IAKERB_OID)
    throw new DecodeError(oidStart, `expected the IAKERB mechanism (${IAKERB_OID}), found ${mech}`);
  if (bytes[oidEnd] !== 0x05 || bytes[oidEnd + 1] !== 0x01)
    throw new DecodeError(oidEnd, 'expected TOK_ID 05 01 (IAKERB_PROXY)');
  return decodeIakerbBodyAt(ctx, oidEnd + 2, bytes.length, 0, true).value;
}

/** True for an IAKERB_PROXY token, framed or bare (not a krb5 AP-REQ under the IAKERB OID). */
export function isIakerbProxyToken(bytes: Uint8Array): boolean {
  if (bytes[0] === 0x05) return bytes[1] === 0x01;
  const oid = toDer(ObjectIdentifier.encode(IAKERB_OID));
  try {
    const h = readHeader(newContext(toBytes(bytes)), 0, bytes.length);
    if (h.cls !== 'application' || h.num !== 0) return false;
    const at = h.headerLength;
    for (let i = 0; i < oid.length; i++) if (bytes[at + i] !== oid[i]) return false;
    return bytes[at + oid.length] === 0x05 && bytes[at + oid.length + 1] === 0x01;
  } catch (e) {
    if (e instanceof DecodeError) return false;
    throw e;
  }
}
