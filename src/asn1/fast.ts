/**
 * FAST, Flexible Authentication Secure Tunneling (RFC 6113 §5.4): the armored request and reply carried
 * in PA-FX-FAST (136), what their enc-fast-req / enc-fast-rep decrypt to, and PA-ENCRYPTED-CHALLENGE.
 */
import {
  Int32,
  KerberosFlags,
  KerberosTime,
  Microseconds,
  OctetString,
  Realm,
  UInt32Lenient,
  choice,
  decodeValue,
  directed,
  encodeWith,
  opt,
  req,
  seq,
} from './codec';
import type { DecodeOptions } from './codec';
import {
  ChecksumCodec,
  EncryptedDataCodec,
  EncryptionKeyCodec,
  PaDataListCodec,
  PrincipalNameCodec,
} from './common';
import type { Checksum, EncryptedData, EncryptionKey, PaData, PrincipalName } from './common';
import { ApReqCodec } from './ap';
import { KdcReqBodyCodec } from './kdc';
import type { KdcReqBody } from './kdc';

/** RFC 6113 §5.4.1: armor-type 1 = FX_FAST_ARMOR_AP_REQUEST, whose armor-value is an AP-REQ. */
export interface KrbFastArmor {
  armorType: number;
  armorValue: Uint8Array;
}

export const KrbFastArmorCodec = seq<KrbFastArmor>('KrbFastArmor', [
  req(0, 'armor-type', Int32),
  req(1, 'armor-value', OctetString, (s) => (s['armorType'] === 1 ? [ApReqCodec] : undefined)),
]);

/** RFC 6113 §5.4.2. */
export interface KrbFastArmoredReq {
  armor?: KrbFastArmor;
  reqChecksum: Checksum;
  /** Encrypts a KrbFastReq in the armor key, key usage 51 (KEY_USAGE_FAST_ENC). */
  encFastReq: EncryptedData;
}

export const KrbFastArmoredReqCodec = seq<KrbFastArmoredReq>('KrbFastArmoredReq', [
  opt(0, 'armor', KrbFastArmorCodec),
  req(1, 'req-checksum', ChecksumCodec),
  req(2, 'enc-fast-req', EncryptedDataCodec),
]);

/** PA-FX-FAST-REQUEST ::= CHOICE { armored-data [0] KrbFastArmoredReq, ... }. */
export interface PaFxFastRequest {
  armoredData: KrbFastArmoredReq;
}

export const PaFxFastRequestCodec = choice<PaFxFastRequest>('PA-FX-FAST-REQUEST', [
  req(0, 'armored-data', KrbFastArmoredReqCodec),
]);

/** RFC 6113 §5.4.2: the plaintext of enc-fast-req. */
export interface KrbFastReq {
  /** FastOptions: bit 0 reserved, bit 1 hide-client-names, bit 16 kdc-follow-referrals. */
  fastOptions: number;
  padata: PaData[];
  reqBody: KdcReqBody;
}

export const KrbFastReqCodec = directed(
  seq<KrbFastReq>('KrbFastReq', [
    req(0, 'fast-options', KerberosFlags),
    req(1, 'padata', PaDataListCodec),
    req(2, 'req-body', KdcReqBodyCodec),
  ]),
  'request',
);

/** RFC 6113 §5.4.3. */
export interface KrbFastArmoredRep {
  /** Encrypts a KrbFastResponse in the armor key, key usage 52 (KEY_USAGE_FAST_REP). */
  encFastRep: EncryptedData;
}

export const KrbFastArmoredRepCodec = seq<KrbFastArmoredRep>('KrbFastArmoredRep', [
  req(0, 'enc-fast-rep', EncryptedDataCodec),
]);

/** PA-FX-FAST-REPLY ::= CHOICE { armored-data [0] KrbFastArmoredRep, ... }. */
export interface PaFxFastReply {
  armoredData: KrbFastArmoredRep;
}

export const PaFxFastReplyCodec = choice<PaFxFastReply>('PA-FX-FAST-REPLY', [
  req(0, 'armored-data', KrbFastArmoredRepCodec),
]);

/** RFC 6113 §5.4.3: present in the KrbFastResponse of an AS or TGS reply, never in an error. */
export interface KrbFastFinished {
  timestamp: Date;
  usec: number;
  crealm: string;
  cname: PrincipalName;
  ticketChecksum: Checksum;
}

export const KrbFastFinishedCodec = seq<KrbFastFinished>('KrbFastFinished', [
  req(0, 'timestamp', KerberosTime),
  req(1, 'usec', Microseconds),
  req(2, 'crealm', Realm),
  req(3, 'cname', PrincipalNameCodec),
  req(4, 'ticket-checksum', ChecksumCodec),
]);

/** RFC 6113 §5.4.3: the plaintext of enc-fast-rep. */
export interface KrbFastResponse {
  padata: PaData[];
  strengthenKey?: EncryptionKey;
  finished?: KrbFastFinished;
  nonce: number;
}

export const KrbFastResponseCodec = directed(
  seq<KrbFastResponse>('KrbFastResponse', [
    req(0, 'padata', PaDataListCodec),
    opt(1, 'strengthen-key', EncryptionKeyCodec),
    opt(2, 'finished', KrbFastFinishedCodec),
    req(3, 'nonce', UInt32Lenient),
  ]),
  'reply',
);

export const encodePaFxFastRequest = (v: PaFxFastRequest): Uint8Array => encodeWith(PaFxFastRequestCodec, v);
export const decodePaFxFastRequest = (b: Uint8Array, o?: DecodeOptions): PaFxFastRequest =>
  decodeValue(PaFxFastRequestCodec, b, o);
export const encodePaFxFastReply = (v: PaFxFastReply): Uint8Array => encodeWith(PaFxFastReplyCodec, v);
export const decodePaFxFastReply = (b: Uint8Array, o?: DecodeOptions): PaFxFastReply =>
  decodeValue(PaFxFastReplyCodec, b, o);
export const encodeKrbFastArmoredReq = (v: KrbFastArmoredReq): Uint8Array =>
  encodeWith(KrbFastArmoredReqCodec, v);
export const decodeKrbFastArmoredReq = (b: Uint8Array, o?: DecodeOptions): KrbFastArmoredReq =>
  decodeValue(KrbFastArmoredReqCodec, b, o);
export const encodeKrbFastArmoredRep = (v: KrbFastArmoredRep): Uint8Array =>
  encodeWith(KrbFastArmoredRepCodec, v);
export const decodeKrbFastArmoredRep = (b: Uint8Array, o?: DecodeOptions): KrbFastArmoredRep =>
  decodeValue(KrbFastArmoredRepCodec, b, o);
export const encodeKrbFastArmor = (v: KrbFastArmor): Uint8Array => encodeWith(KrbFastArmorCodec, v);
export const decodeKrbFastArmor = (b: Uint8Array, o?: DecodeOptions): KrbFastArmor =>
  decodeValue(KrbFastArmorCodec, b, o);
export const encodeKrbFastReq = (v: KrbFastReq): Uint8Array => encodeWith(KrbFastReqCodec, v);
export const decodeKrbFastReq = (b: Uint8Array, o?: DecodeOptions): KrbFastReq =>
  decodeValue(KrbFastReqCodec, b, o);
export const encodeKrbFastResponse = (v: KrbFastResponse): Uint8Array => encodeWith(KrbFastResponseCodec, v);
export const decodeKrbFastResponse = (b: Uint8Array, o?: DecodeOptions): KrbFastResponse =>
  decodeValue(KrbFastResponseCodec, b, o);
export const encodeKrbFastFinished = (v: KrbFastFinished): Uint8Array => encodeWith(KrbFastFinishedCodec, v);
export const decodeKrbFastFinished = (b: Uint8Array, o?: DecodeOptions): KrbFastFinished =>
  decodeValue(KrbFastFinishedCodec, b, o);
