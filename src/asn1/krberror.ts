/**
 * KRB-ERROR (RFC 4120 §5.9.1). Its e-data is opaque in the ASN.1, but in practice holds METHOD-DATA
 * (with KDC_ERR_PREAUTH_REQUIRED: the pre-authentication the KDC will accept, and the salts) or
 * TYPED-DATA; the tree shows whichever fits.
 */
import {
  Int32,
  KerberosString,
  KerberosTime,
  Microseconds,
  OctetString,
  Realm,
  app,
  decodeValue,
  encodeWith,
  messageCheck,
  opt,
  req,
  seq,
} from './codec';
import type { DecodeOptions } from './codec';
import { MethodDataCodec, PrincipalNameCodec, TypedDataCodec } from './common';
import type { PaData, PrincipalName, TypedDataEntry } from './common';

export interface KrbError {
  pvno: number;
  msgType: number;
  ctime?: Date;
  cusec?: number;
  stime: Date;
  susec: number;
  /** RFC 4120 §7.5.9 (25 KDC_ERR_PREAUTH_REQUIRED, 24 KDC_ERR_PREAUTH_FAILED, 37 KRB_AP_ERR_SKEW, …). */
  errorCode: number;
  crealm?: string;
  cname?: PrincipalName;
  realm: string;
  sname: PrincipalName;
  eText?: string;
  eData?: Uint8Array;
}

export const KrbErrorCodec = app<KrbError>(
  30,
  'KRB-ERROR',
  seq('KRB-ERROR', [
    req(0, 'pvno', Int32),
    req(1, 'msg-type', Int32),
    opt(2, 'ctime', KerberosTime),
    opt(3, 'cusec', Microseconds),
    req(4, 'stime', KerberosTime),
    req(5, 'susec', Microseconds),
    req(6, 'error-code', Int32),
    opt(7, 'crealm', Realm),
    opt(8, 'cname', PrincipalNameCodec),
    req(9, 'realm', Realm),
    req(10, 'sname', PrincipalNameCodec),
    opt(11, 'e-text', KerberosString),
    opt(12, 'e-data', OctetString, () => [MethodDataCodec, TypedDataCodec]),
  ]),
  { check: messageCheck('KRB-ERROR', 30), direction: 'reply' },
);

export const encodeKrbError = (v: KrbError): Uint8Array => encodeWith(KrbErrorCodec, v);
export const decodeKrbError = (b: Uint8Array, o?: DecodeOptions): KrbError =>
  decodeValue(KrbErrorCodec, b, o);

/** e-data read as METHOD-DATA (RFC 4120 §5.9.1), as KDC_ERR_PREAUTH_REQUIRED carries it. */
export const decodeMethodData = (b: Uint8Array, o?: DecodeOptions): PaData[] =>
  decodeValue(MethodDataCodec, b, o);
export const encodeMethodData = (v: PaData[]): Uint8Array => encodeWith(MethodDataCodec, v);
/** e-data read as TYPED-DATA (RFC 4120 §5.9.1). */
export const decodeTypedData = (b: Uint8Array, o?: DecodeOptions): TypedDataEntry[] =>
  decodeValue(TypedDataCodec, b, o);
export const encodeTypedData = (v: TypedDataEntry[]): Uint8Array => encodeWith(TypedDataCodec, v);
