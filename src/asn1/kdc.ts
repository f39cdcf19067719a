/**
 * The KDC exchanges (RFC 4120 §5.4): AS-REQ/TGS-REQ (KDC-REQ), AS-REP/TGS-REP (KDC-REP) and the
 * encrypted part of a reply, EncASRepPart/EncTGSRepPart (EncKDCRepPart).
 */
import {
  Int32,
  KerberosFlags,
  KerberosTime,
  Realm,
  UInt32Lenient,
  app,
  uncached,
  decodeValue,
  encodeWith,
  messageCheck,
  opt,
  req,
  seq,
  seqOf,
} from './codec';
import type { DecodeOptions } from './codec';
import { newContext, readHeader } from './der';
import {
  EncryptedDataCodec,
  EncryptionKeyCodec,
  HostAddressesCodec,
  LastReqCodec,
  MethodDataCodec,
  PaDataListCodec,
  PrincipalNameCodec,
} from './common';
import type {
  EncryptedData,
  EncryptionKey,
  HostAddress,
  LastReqEntry,
  PaData,
  PrincipalName,
} from './common';
import { TicketCodec } from './ticket';

/** A nonce differs in every request and its reply: its encoding is not worth remembering. */
const Nonce = uncached(UInt32Lenient);
import type { Ticket } from './ticket';

export const MSG_TYPE = {
  AS_REQ: 10,
  AS_REP: 11,
  TGS_REQ: 12,
  TGS_REP: 13,
  AP_REQ: 14,
  AP_REP: 15,
  KRB_SAFE: 20,
  KRB_PRIV: 21,
  KRB_CRED: 22,
  KRB_ERROR: 30,
} as const;

/** RFC 4120 §5.4.1. The body is what the TGS-REQ authenticator's checksum covers, byte for byte. */
export interface KdcReqBody {
  /** KDCOptions, bit 0 = most significant (forwardable is bit 1 = 0x40000000). */
  kdcOptions: number;
  cname?: PrincipalName;
  realm: string;
  sname?: PrincipalName;
  from?: Date;
  till: Date;
  rtime?: Date;
  nonce: number;
  etype: number[];
  addresses?: HostAddress[];
  encAuthorizationData?: EncryptedData;
  additionalTickets?: Ticket[];
}

export const KdcReqBodyCodec = seq<KdcReqBody>('KDC-REQ-BODY', [
  req(0, 'kdc-options', KerberosFlags),
  opt(1, 'cname', PrincipalNameCodec),
  req(2, 'realm', Realm),
  opt(3, 'sname', PrincipalNameCodec),
  opt(4, 'from', KerberosTime),
  req(5, 'till', KerberosTime),
  opt(6, 'rtime', KerberosTime),
  req(7, 'nonce', Nonce),
  req(8, 'etype', seqOf(Int32)),
  opt(9, 'addresses', HostAddressesCodec),
  opt(10, 'enc-authorization-data', EncryptedDataCodec),
  opt(11, 'additional-tickets', seqOf(TicketCodec)),
]);

/** RFC 4120 §5.4.1: AS-REQ ::= [APPLICATION 10] KDC-REQ, TGS-REQ ::= [APPLICATION 12] KDC-REQ. */
export interface KdcReq {
  pvno: number;
  msgType: number;
  padata?: PaData[];
  reqBody: KdcReqBody;
}
export type AsReq = KdcReq;
export type TgsReq = KdcReq;

const KdcReqSeq = seq<KdcReq>('KDC-REQ', [
  req(1, 'pvno', Int32),
  req(2, 'msg-type', Int32),
  opt(3, 'padata', PaDataListCodec),
  req(4, 'req-body', KdcReqBodyCodec),
]);

export const AsReqCodec = app<KdcReq>(10, 'AS-REQ', KdcReqSeq, {
  check: messageCheck('AS-REQ', 10),
  direction: 'request',
});
export const TgsReqCodec = app<KdcReq>(12, 'TGS-REQ', KdcReqSeq, {
  check: messageCheck('TGS-REQ', 12),
  direction: 'request',
});

/**
 * The KDC-REQ-BODY of an AS-REQ or TGS-REQ that decodes, as the very bytes it was sent in (the content
 * of req-body [4]): what the TGS-REQ authenticator's checksum covers (RFC 4120 §5.5.1). Reads only the
 * DER headers on the way; undefined when there is no req-body.
 */
export function kdcReqBodyBytes(request: Uint8Array): Uint8Array | undefined {
  const ctx = newContext(request);
  const outer = readHeader(ctx, 0, request.length);
  const inner = readHeader(ctx, outer.headerLength, request.length);
  let p = outer.headerLength + inner.headerLength;
  const end = p + inner.length;
  while (p < end) {
    const h = readHeader(ctx, p, end);
    const content = p + h.headerLength;
    if (h.cls === 'context' && h.num === 4) return request.subarray(content, content + h.length);
    p = content + h.length;
  }
  return undefined;
}

/** RFC 4120 §5.4.2: AS-REP ::= [APPLICATION 11] KDC-REP, TGS-REP ::= [APPLICATION 13] KDC-REP. */
export interface KdcRep {
  pvno: number;
  msgType: number;
  padata?: PaData[];
  crealm: string;
  cname: PrincipalName;
  ticket: Ticket;
  encPart: EncryptedData;
}
export type AsRep = KdcRep;
export type TgsRep = KdcRep;

const KdcRepSeq = seq<KdcRep>('KDC-REP', [
  req(0, 'pvno', Int32),
  req(1, 'msg-type', Int32),
  opt(2, 'padata', PaDataListCodec),
  req(3, 'crealm', Realm),
  req(4, 'cname', PrincipalNameCodec),
  req(5, 'ticket', TicketCodec),
  req(6, 'enc-part', EncryptedDataCodec),
]);

export const AsRepCodec = app<KdcRep>(11, 'AS-REP', KdcRepSeq, {
  check: messageCheck('AS-REP', 11),
  direction: 'reply',
});
export const TgsRepCodec = app<KdcRep>(13, 'TGS-REP', KdcRepSeq, {
  check: messageCheck('TGS-REP', 13),
  direction: 'reply',
});

/** RFC 4120 §5.4.2 (encrypted-pa-data [12]: RFC 6806 §11). */
export interface EncKdcRepPart {
  key: EncryptionKey;
  lastReq: LastReqEntry[];
  nonce: number;
  keyExpiration?: Date;
  flags: number;
  authtime: Date;
  starttime?: Date;
  endtime: Date;
  renewTill?: Date;
  srealm: string;
  sname: PrincipalName;
  caddr?: HostAddress[];
  encryptedPaData?: PaData[];
  /**
   * Set only when the part was read under the other application tag: MIT writes an AS-REP's part as
   * [APPLICATION 26] (RFC 4120 §5.4.2 lets readers accept either). Encoding honours it.
   */
  applicationTag?: 25 | 26;
}

const EncKdcRepPartSeq = seq<EncKdcRepPart>('EncKDCRepPart', [
  req(0, 'key', EncryptionKeyCodec),
  req(1, 'last-req', LastReqCodec),
  req(2, 'nonce', Nonce),
  opt(3, 'key-expiration', KerberosTime),
  req(4, 'flags', KerberosFlags),
  req(5, 'authtime', KerberosTime),
  opt(6, 'starttime', KerberosTime),
  req(7, 'endtime', KerberosTime),
  opt(8, 'renew-till', KerberosTime),
  req(9, 'srealm', Realm),
  req(10, 'sname', PrincipalNameCodec),
  opt(11, 'caddr', HostAddressesCodec),
  opt(12, 'encrypted-pa-data', MethodDataCodec),
]);

export const EncAsRepPartCodec = app<EncKdcRepPart>(25, 'EncASRepPart', EncKdcRepPartSeq, {
  alsoAccept: [26],
  tagProp: 'applicationTag',
  direction: 'reply',
});
export const EncTgsRepPartCodec = app<EncKdcRepPart>(26, 'EncTGSRepPart', EncKdcRepPartSeq, {
  alsoAccept: [25],
  tagProp: 'applicationTag',
  direction: 'reply',
});

export const encodeAsReq = (v: AsReq): Uint8Array => encodeWith(AsReqCodec, v);
export const decodeAsReq = (b: Uint8Array, o?: DecodeOptions): AsReq => decodeValue(AsReqCodec, b, o);
export const encodeTgsReq = (v: TgsReq): Uint8Array => encodeWith(TgsReqCodec, v);
export const decodeTgsReq = (b: Uint8Array, o?: DecodeOptions): TgsReq => decodeValue(TgsReqCodec, b, o);
export const encodeKdcReqBody = (v: KdcReqBody): Uint8Array => encodeWith(KdcReqBodyCodec, v);
export const decodeKdcReqBody = (b: Uint8Array, o?: DecodeOptions): KdcReqBody =>
  decodeValue(KdcReqBodyCodec, b, o);
export const encodeAsRep = (v: AsRep): Uint8Array => encodeWith(AsRepCodec, v);
export const decodeAsRep = (b: Uint8Array, o?: DecodeOptions): AsRep => decodeValue(AsRepCodec, b, o);
export const encodeTgsRep = (v: TgsRep): Uint8Array => encodeWith(TgsRepCodec, v);
export const decodeTgsRep = (b: Uint8Array, o?: DecodeOptions): TgsRep => decodeValue(TgsRepCodec, b, o);
/** Writes [APPLICATION 25] unless `applicationTag` says 26. */
export const encodeEncAsRepPart = (v: EncKdcRepPart): Uint8Array => encodeWith(EncAsRepPartCodec, v);
/** Reads [APPLICATION 25] or (as MIT sends it) [APPLICATION 26]. */
export const decodeEncAsRepPart = (b: Uint8Array, o?: DecodeOptions): EncKdcRepPart =>
  decodeValue(EncAsRepPartCodec, b, o);
/** Writes [APPLICATION 26] unless `applicationTag` says 25. */
export const encodeEncTgsRepPart = (v: EncKdcRepPart): Uint8Array => encodeWith(EncTgsRepPartCodec, v);
export const decodeEncTgsRepPart = (b: Uint8Array, o?: DecodeOptions): EncKdcRepPart =>
  decodeValue(EncTgsRepPartCodec, b, o);
