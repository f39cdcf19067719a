/**
 * The building blocks every Kerberos message shares: RFC 4120 §5.2 (PrincipalName, EncryptedData,
 * EncryptionKey, Checksum, HostAddress, AuthorizationData, PA-DATA, LastReq, TransitedEncoding) and the
 * METHOD-DATA / TYPED-DATA carried in KRB-ERROR e-data (§5.9.1).
 *
 * PA-DATA values and ad-data are OCTET STRINGs that hold DER of a type chosen by padata-type / ad-type.
 * The typed value keeps them as bytes (a checksum or a signature covers those exact bytes); the tree also
 * shows what is inside. Which codec reads which number is filled in by the files that define them
 * (padata.ts, authdata below), through the two registries here, so the families need not import in a circle.
 */
import {
  Int32,
  KerberosString,
  KerberosTime,
  OctetString,
  Realm,
  UInt32Lenient,
  opt,
  req,
  seq,
  seqOf,
} from './codec';
import type { Codec, Embed } from './codec';

/** RFC 4120 §5.2.2. nameType is a name type (NT-PRINCIPAL 1, NT-SRV-INST 2, NT-SRV-HST 3, NT-ENTERPRISE 10 …). */
export interface PrincipalName {
  nameType: number;
  nameString: string[];
}

export const PrincipalNameCodec = seq<PrincipalName>('PrincipalName', [
  req(0, 'name-type', Int32),
  req(1, 'name-string', seqOf(KerberosString)),
]);

/** RFC 4120 §5.2.9: ciphertext of some other DER type, under key usage decided by where it sits. */
export interface EncryptedData {
  etype: number;
  kvno?: number;
  cipher: Uint8Array;
}

export const EncryptedDataCodec = seq<EncryptedData>('EncryptedData', [
  req(0, 'etype', Int32),
  // RFC 4120 §5.2.9 says UInt32, but some writers treat kvno as signed, and an RODC's kvno sets the top bits.
  opt(1, 'kvno', UInt32Lenient),
  req(2, 'cipher', OctetString),
]);

/** RFC 4120 §5.2.9. */
export interface EncryptionKey {
  keytype: number;
  keyvalue: Uint8Array;
}

export const EncryptionKeyCodec = seq<EncryptionKey>('EncryptionKey', [
  req(0, 'keytype', Int32),
  req(1, 'keyvalue', OctetString),
]);

/** RFC 4120 §5.2.9. */
export interface Checksum {
  cksumtype: number;
  checksum: Uint8Array;
}

export const ChecksumCodec = seq<Checksum>('Checksum', [
  req(0, 'cksumtype', Int32),
  req(1, 'checksum', OctetString),
]);

/** RFC 4120 §5.2.5 (addr-type 2 IPv4, 24 IPv6, 20 NetBIOS). */
export interface HostAddress {
  addrType: number;
  address: Uint8Array;
}

export const HostAddressCodec = seq<HostAddress>('HostAddress', [
  req(0, 'addr-type', Int32),
  req(1, 'address', OctetString),
]);
export const HostAddressesCodec = seqOf(HostAddressCodec, 'HostAddresses');

/** RFC 4120 §5.2.6: one element of AuthorizationData. */
export interface AuthorizationDataEntry {
  adType: number;
  adData: Uint8Array;
}
export type AuthorizationData = AuthorizationDataEntry[];

/** ad-type → codec of the DER inside ad-data. Filled by authdata.ts. */
export const adDataCodecs = new Map<number, Codec<unknown>>();

const embedAdData: Embed = (siblings) => {
  const c = adDataCodecs.get(siblings['adType'] as number);
  return c ? [c] : undefined;
};

export const AuthorizationDataEntryCodec = seq<AuthorizationDataEntry>('AuthorizationData entry', [
  req(0, 'ad-type', Int32),
  req(1, 'ad-data', OctetString, embedAdData),
]);
export const AuthorizationDataCodec = seqOf(AuthorizationDataEntryCodec, 'AuthorizationData');

/** RFC 4120 §5.2.7. */
export interface PaData {
  padataType: number;
  padataValue: Uint8Array;
}

/**
 * padata-type → codecs of the DER inside padata-value. Some types read differently in a request and in a
 * reply (PA-FX-FAST, RFC 6113 §5.4.2); the decode context knows which way the message goes.
 */
export interface PaValueCodecs {
  request?: readonly Codec<unknown>[];
  reply?: readonly Codec<unknown>[];
}
export const paValueCodecs = new Map<number, PaValueCodecs>();

const embedPaValue: Embed = (siblings, ctx) => {
  const entry = paValueCodecs.get(siblings['padataType'] as number);
  if (!entry) return undefined;
  if (ctx.direction === 'request') return entry.request;
  if (ctx.direction === 'reply') return entry.reply;
  return [...(entry.request ?? []), ...(entry.reply ?? []).filter((c) => !entry.request?.includes(c))];
};

export const PaDataCodec = seq<PaData>('PA-DATA', [
  req(1, 'padata-type', Int32),
  req(2, 'padata-value', OctetString, embedPaValue),
]);
/** RFC 4120 §5.9.1: METHOD-DATA ::= SEQUENCE OF PA-DATA. */
export const MethodDataCodec = seqOf(PaDataCodec, 'METHOD-DATA');
export const PaDataListCodec = seqOf(PaDataCodec, 'SEQUENCE OF PA-DATA');

/** RFC 4120 §5.9.1: TYPED-DATA ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { data-type [0], data-value [1] OPTIONAL }. */
export interface TypedDataEntry {
  dataType: number;
  dataValue?: Uint8Array;
}

export const TypedDataCodec = seqOf(
  seq<TypedDataEntry>('TYPED-DATA entry', [req(0, 'data-type', Int32), opt(1, 'data-value', OctetString)]),
  'TYPED-DATA',
);

/** RFC 4120 §5.4.2: LastReq. */
export interface LastReqEntry {
  lrType: number;
  lrValue: Date;
}

export const LastReqCodec = seqOf(
  seq<LastReqEntry>('LastReq entry', [req(0, 'lr-type', Int32), req(1, 'lr-value', KerberosTime)]),
  'LastReq',
);

/** RFC 4120 §5.3: TransitedEncoding (tr-type 1 = DOMAIN-X500-COMPRESS). */
export interface TransitedEncoding {
  trType: number;
  contents: Uint8Array;
}

export const TransitedEncodingCodec = seq<TransitedEncoding>('TransitedEncoding', [
  req(0, 'tr-type', Int32),
  req(1, 'contents', OctetString),
]);

export { Realm, KerberosString };
