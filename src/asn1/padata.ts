/**
 * Typed PA-DATA values (RFC 4120 §5.2.7, RFC 6113, MS-KILE, MS-SFU) and authorization-data elements
 * (RFC 4120 §5.2.6), and the registration that lets the tree show what a padata-value or an ad-data holds.
 *
 * The typed PaData keeps padataValue as bytes; call the decoder for its padataType to read it.
 */
import {
  Boolean,
  Int32,
  KerberosFlags,
  KerberosString,
  KerberosTime,
  Microseconds,
  OctetString,
  Realm,
  alias,
  decodeValue,
  encodeWith,
  opt,
  req,
  seq,
  seqOf,
} from './codec';
import type { Codec, DecodeOptions } from './codec';
import {
  AuthorizationDataCodec,
  ChecksumCodec,
  EncryptedDataCodec,
  EncryptionKeyCodec,
  PrincipalNameCodec,
  adDataCodecs,
  paValueCodecs,
} from './common';
import type { AuthorizationData, Checksum, EncryptedData, EncryptionKey, PrincipalName } from './common';
import { ApReqCodec } from './ap';
import { KrbErrorCodec } from './krberror';
import { PaFxFastReplyCodec, PaFxFastRequestCodec } from './fast';

/** The padata-type numbers this layer knows how to read (IANA "Pre-authentication and Typed Data"). */
export const PA_TYPE = {
  TGS_REQ: 1,
  ENC_TIMESTAMP: 2,
  PW_SALT: 3,
  ETYPE_INFO: 11,
  ETYPE_INFO2: 19,
  PAC_REQUEST: 128,
  FOR_USER: 129,
  FX_COOKIE: 133,
  FX_FAST: 136,
  FX_ERROR: 137,
  ENCRYPTED_CHALLENGE: 138,
  REQ_ENC_PA_REP: 149,
  KEY_LIST_REQ: 161,
  KEY_LIST_REP: 162,
  SUPPORTED_ENCTYPES: 165,
  PAC_OPTIONS: 167,
} as const;

/** PA-ENC-TIMESTAMP ::= EncryptedData -- PA-ENC-TS-ENC, key usage 1 (RFC 4120 §5.2.7.2). */
export const PaEncTimestampCodec = alias<EncryptedData>('PA-ENC-TIMESTAMP', EncryptedDataCodec);

export interface PaEncTsEnc {
  patimestamp: Date;
  pausec?: number;
}

export const PaEncTsEncCodec = seq<PaEncTsEnc>('PA-ENC-TS-ENC', [
  req(0, 'patimestamp', KerberosTime),
  opt(1, 'pausec', Microseconds),
]);

/** RFC 4120 §5.2.7.4: the older form, with the salt as raw octets. */
export interface EtypeInfoEntry {
  etype: number;
  salt?: Uint8Array;
}

export const EtypeInfoCodec = seqOf(
  seq<EtypeInfoEntry>('ETYPE-INFO-ENTRY', [req(0, 'etype', Int32), opt(1, 'salt', OctetString)]),
  'ETYPE-INFO',
);

/** RFC 4120 §5.2.7.5: the salt as a string, plus string-to-key parameters (the AES iteration count). */
export interface EtypeInfo2Entry {
  etype: number;
  salt?: string;
  s2kparams?: Uint8Array;
}

export const EtypeInfo2Codec = seqOf(
  seq<EtypeInfo2Entry>('ETYPE-INFO2-ENTRY', [
    req(0, 'etype', Int32),
    opt(1, 'salt', KerberosString),
    opt(2, 's2kparams', OctetString),
  ]),
  'ETYPE-INFO2',
);

/** MS-KILE 2.2.3: KERB-PA-PAC-REQUEST, asking for (or declining) a PAC. */
export interface PaPacRequest {
  includePac: boolean;
}

export const PaPacRequestCodec = seq<PaPacRequest>('KERB-PA-PAC-REQUEST', [req(0, 'include-pac', Boolean)]);

/** MS-KILE 2.2.10: PA-PAC-OPTIONS; bit 0 claims, 1 branch-aware, 2 forward-to-full-DC, 3 resource-based constrained delegation. */
export interface PaPacOptions {
  flags: number;
}

export const PaPacOptionsCodec = seq<PaPacOptions>('PA-PAC-OPTIONS', [req(0, 'flags', KerberosFlags)]);

/** MS-SFU 2.2.1: PA-FOR-USER (S4U2self), checksummed with the TGT session key (usage 17, HMAC-MD5). */
export interface PaForUser {
  userName: PrincipalName;
  userRealm: string;
  cksum: Checksum;
  authPackage: string;
}

export const PaForUserCodec = seq<PaForUser>('PA-FOR-USER', [
  req(0, 'userName', PrincipalNameCodec),
  req(1, 'userRealm', Realm),
  req(2, 'cksum', ChecksumCodec),
  req(3, 'auth-package', KerberosString),
]);

/** MS-KILE 2.2.11: KERB-KEY-LIST-REQ ::= SEQUENCE OF Int32 (the enctypes whose keys are wanted). */
export const KerbKeyListReqCodec: Codec<number[]> = seqOf(Int32, 'KERB-KEY-LIST-REQ');
/** MS-KILE 2.2.12: KERB-KEY-LIST-REP ::= SEQUENCE OF EncryptionKey (inside the encrypted reply part). */
export const KerbKeyListRepCodec: Codec<EncryptionKey[]> = seqOf(EncryptionKeyCodec, 'KERB-KEY-LIST-REP');

/** PA-ENCRYPTED-CHALLENGE ::= EncryptedData -- PA-ENC-TS-ENC, in the armor-derived challenge key (RFC 6113 §5.4.6). */
export const PaEncryptedChallengeCodec = alias<EncryptedData>('PA-ENCRYPTED-CHALLENGE', EncryptedDataCodec);
/** PA-REQ-ENC-PA-REP (RFC 6806 §11): a checksum over the request, returned in encrypted-pa-data. */
export const PaReqEncPaRepCodec = alias<Checksum>('PA-REQ-ENC-PA-REP', ChecksumCodec);

// RFC 4120 §5.2.6: the AD types whose ad-data is itself DER.
export const AD_TYPE = {
  IF_RELEVANT: 1,
  KDC_ISSUED: 4,
  AND_OR: 5,
  MANDATORY_FOR_KDC: 8,
  WIN2K_PAC: 128,
} as const;

/** RFC 4120 §5.2.6.1: AD-IF-RELEVANT ::= AuthorizationData. Windows puts AD-WIN2K-PAC (an NDR blob) inside. */
export const AdIfRelevantCodec = alias<AuthorizationData>('AD-IF-RELEVANT', AuthorizationDataCodec);
export const AdMandatoryForKdcCodec = alias<AuthorizationData>(
  'AD-MANDATORY-FOR-KDC',
  AuthorizationDataCodec,
);

/** RFC 4120 §5.2.6.2. */
export interface AdKdcIssued {
  adChecksum: Checksum;
  iRealm?: string;
  iSname?: PrincipalName;
  elements: AuthorizationData;
}

export const AdKdcIssuedCodec = seq<AdKdcIssued>('AD-KDCIssued', [
  req(0, 'ad-checksum', ChecksumCodec),
  opt(1, 'i-realm', Realm),
  opt(2, 'i-sname', PrincipalNameCodec),
  req(3, 'elements', AuthorizationDataCodec),
]);

/** RFC 4120 §5.2.6.3. */
export interface AdAndOr {
  conditionCount: number;
  elements: AuthorizationData;
}

export const AdAndOrCodec = seq<AdAndOr>('AD-AND-OR', [
  req(0, 'condition-count', Int32),
  req(1, 'elements', AuthorizationDataCodec),
]);

const both = (c: Codec<unknown>) => ({ request: [c], reply: [c] });
paValueCodecs.set(PA_TYPE.TGS_REQ, { request: [ApReqCodec as Codec<unknown>] });
paValueCodecs.set(PA_TYPE.ENC_TIMESTAMP, { request: [PaEncTimestampCodec as Codec<unknown>] });
paValueCodecs.set(PA_TYPE.ETYPE_INFO, both(EtypeInfoCodec as Codec<unknown>));
paValueCodecs.set(PA_TYPE.ETYPE_INFO2, both(EtypeInfo2Codec as Codec<unknown>));
paValueCodecs.set(PA_TYPE.PAC_REQUEST, { request: [PaPacRequestCodec as Codec<unknown>] });
paValueCodecs.set(PA_TYPE.FOR_USER, { request: [PaForUserCodec as Codec<unknown>] });
paValueCodecs.set(PA_TYPE.FX_FAST, {
  request: [PaFxFastRequestCodec as Codec<unknown>],
  reply: [PaFxFastReplyCodec as Codec<unknown>],
});
paValueCodecs.set(PA_TYPE.FX_ERROR, { reply: [KrbErrorCodec as Codec<unknown>] });
paValueCodecs.set(PA_TYPE.ENCRYPTED_CHALLENGE, both(PaEncryptedChallengeCodec as Codec<unknown>));
paValueCodecs.set(PA_TYPE.REQ_ENC_PA_REP, { reply: [PaReqEncPaRepCodec as Codec<unknown>] });
paValueCodecs.set(PA_TYPE.KEY_LIST_REQ, { request: [KerbKeyListReqCodec as Codec<unknown>] });
paValueCodecs.set(PA_TYPE.KEY_LIST_REP, { reply: [KerbKeyListRepCodec as Codec<unknown>] });
paValueCodecs.set(PA_TYPE.PAC_OPTIONS, both(PaPacOptionsCodec as Codec<unknown>));

adDataCodecs.set(AD_TYPE.IF_RELEVANT, AdIfRelevantCodec as Codec<unknown>);
adDataCodecs.set(AD_TYPE.KDC_ISSUED, AdKdcIssuedCodec as Codec<unknown>);
adDataCodecs.set(AD_TYPE.AND_OR, AdAndOrCodec as Codec<unknown>);
adDataCodecs.set(AD_TYPE.MANDATORY_FOR_KDC, AdMandatoryForKdcCodec as Codec<unknown>);

export const encodePaEncTimestamp = (v: EncryptedData): Uint8Array => encodeWith(PaEncTimestampCodec, v);
export const decodePaEncTimestamp = (b: Uint8Array, o?: DecodeOptions): EncryptedData =>
  decodeValue(PaEncTimestampCodec, b, o);
export const encodePaEncTsEnc = (v: PaEncTsEnc): Uint8Array => encodeWith(PaEncTsEncCodec, v);
export const decodePaEncTsEnc = (b: Uint8Array, o?: DecodeOptions): PaEncTsEnc =>
  decodeValue(PaEncTsEncCodec, b, o);
export const encodeEtypeInfo = (v: EtypeInfoEntry[]): Uint8Array => encodeWith(EtypeInfoCodec, v);
export const decodeEtypeInfo = (b: Uint8Array, o?: DecodeOptions): EtypeInfoEntry[] =>
  decodeValue(EtypeInfoCodec, b, o);
export const encodeEtypeInfo2 = (v: EtypeInfo2Entry[]): Uint8Array => encodeWith(EtypeInfo2Codec, v);
export const decodeEtypeInfo2 = (b: Uint8Array, o?: DecodeOptions): EtypeInfo2Entry[] =>
  decodeValue(EtypeInfo2Codec, b, o);
export const encodePaPacRequest = (v: PaPacRequest): Uint8Array => encodeWith(PaPacRequestCodec, v);
export const decodePaPacRequest = (b: Uint8Array, o?: DecodeOptions): PaPacRequest =>
  decodeValue(PaPacRequestCodec, b, o);
export const encodePaPacOptions = (v: PaPacOptions): Uint8Array => encodeWith(PaPacOptionsCodec, v);
export const decodePaPacOptions = (b: Uint8Array, o?: DecodeOptions): PaPacOptions =>
  decodeValue(PaPacOptionsCodec, b, o);
export const encodePaForUser = (v: PaForUser): Uint8Array => encodeWith(PaForUserCodec, v);
export const decodePaForUser = (b: Uint8Array, o?: DecodeOptions): PaForUser =>
  decodeValue(PaForUserCodec, b, o);
export const encodeKerbKeyListReq = (v: number[]): Uint8Array => encodeWith(KerbKeyListReqCodec, v);
export const decodeKerbKeyListReq = (b: Uint8Array, o?: DecodeOptions): number[] =>
  decodeValue(KerbKeyListReqCodec, b, o);
export const encodeKerbKeyListRep = (v: EncryptionKey[]): Uint8Array => encodeWith(KerbKeyListRepCodec, v);
export const decodeKerbKeyListRep = (b: Uint8Array, o?: DecodeOptions): EncryptionKey[] =>
  decodeValue(KerbKeyListRepCodec, b, o);
export const encodePaEncryptedChallenge = (v: EncryptedData): Uint8Array =>
  encodeWith(PaEncryptedChallengeCodec, v);
export const decodePaEncryptedChallenge = (b: Uint8Array, o?: DecodeOptions): EncryptedData =>
  decodeValue(PaEncryptedChallengeCodec, b, o);
export const encodeAuthorizationData = (v: AuthorizationData): Uint8Array =>
  encodeWith(AuthorizationDataCodec, v);
export const decodeAuthorizationData = (b: Uint8Array, o?: DecodeOptions): AuthorizationData =>
  decodeValue(AuthorizationDataCodec, b, o);
/** AD-IF-RELEVANT's ad-data; its AD-WIN2K-PAC (128) elements stay opaque bytes (the PAC is NDR, not DER). */
export const encodeAdIfRelevant = encodeAuthorizationData;
export const decodeAdIfRelevant = decodeAuthorizationData;
export const encodeAdKdcIssued = (v: AdKdcIssued): Uint8Array => encodeWith(AdKdcIssuedCodec, v);
export const decodeAdKdcIssued = (b: Uint8Array, o?: DecodeOptions): AdKdcIssued =>
  decodeValue(AdKdcIssuedCodec, b, o);
