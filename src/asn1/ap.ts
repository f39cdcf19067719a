/**
 * Client/server authentication (RFC 4120 §5.5): AP-REQ with its Authenticator, AP-REP with its
 * EncAPRepPart. An AP-REQ also travels inside a TGS-REQ as PA-TGS-REQ and inside GSS-API tokens.
 */
import {
  Int32,
  KerberosFlags,
  KerberosTime,
  Microseconds,
  Realm,
  UInt32Lenient,
  app,
  decodeValue,
  encodeWith,
  messageCheck,
  opt,
  req,
  seq,
} from './codec';
import type { DecodeOptions } from './codec';
import {
  AuthorizationDataCodec,
  ChecksumCodec,
  EncryptedDataCodec,
  EncryptionKeyCodec,
  PrincipalNameCodec,
} from './common';
import type { AuthorizationData, Checksum, EncryptedData, EncryptionKey, PrincipalName } from './common';
import { DecodeError } from './errors';
import { TicketCodec } from './ticket';
import type { Ticket } from './ticket';

/** RFC 4120 §5.5.1. */
export interface ApReq {
  pvno: number;
  msgType: number;
  /** APOptions: bit 1 use-session-key (0x40000000), bit 2 mutual-required (0x20000000). */
  apOptions: number;
  ticket: Ticket;
  authenticator: EncryptedData;
}

export const ApReqCodec = app<ApReq>(
  14,
  'AP-REQ',
  seq('AP-REQ', [
    req(0, 'pvno', Int32),
    req(1, 'msg-type', Int32),
    req(2, 'ap-options', KerberosFlags),
    req(3, 'ticket', TicketCodec),
    req(4, 'authenticator', EncryptedDataCodec),
  ]),
  { check: messageCheck('AP-REQ', 14) },
);

/** RFC 4120 §5.5.1: what the AP-REQ's authenticator decrypts to. */
export interface Authenticator {
  /** Always 5. */
  authenticatorVno: number;
  crealm: string;
  cname: PrincipalName;
  cksum?: Checksum;
  cusec: number;
  ctime: Date;
  subkey?: EncryptionKey;
  seqNumber?: number;
  authorizationData?: AuthorizationData;
}

export const AuthenticatorCodec = app<Authenticator>(
  2,
  'Authenticator',
  seq('Authenticator', [
    req(0, 'authenticator-vno', Int32),
    req(1, 'crealm', Realm),
    req(2, 'cname', PrincipalNameCodec),
    opt(3, 'cksum', ChecksumCodec),
    req(4, 'cusec', Microseconds),
    req(5, 'ctime', KerberosTime),
    opt(6, 'subkey', EncryptionKeyCodec),
    opt(7, 'seq-number', UInt32Lenient),
    opt(8, 'authorization-data', AuthorizationDataCodec),
  ]),
  {
    check: (v, node) => {
      if (v.authenticatorVno !== 5) {
        throw new DecodeError(
          node.children?.[0]?.offset ?? node.offset,
          `Authenticator has authenticator-vno ${v.authenticatorVno}; it must be 5`,
        );
      }
    },
  },
);

/** RFC 4120 §5.5.2. */
export interface ApRep {
  pvno: number;
  msgType: number;
  encPart: EncryptedData;
}

export const ApRepCodec = app<ApRep>(
  15,
  'AP-REP',
  seq('AP-REP', [req(0, 'pvno', Int32), req(1, 'msg-type', Int32), req(2, 'enc-part', EncryptedDataCodec)]),
  { check: messageCheck('AP-REP', 15) },
);

/** RFC 4120 §5.5.2. */
export interface EncApRepPart {
  ctime: Date;
  cusec: number;
  subkey?: EncryptionKey;
  seqNumber?: number;
}

export const EncApRepPartCodec = app<EncApRepPart>(
  27,
  'EncAPRepPart',
  seq('EncAPRepPart', [
    req(0, 'ctime', KerberosTime),
    req(1, 'cusec', Microseconds),
    opt(2, 'subkey', EncryptionKeyCodec),
    opt(3, 'seq-number', UInt32Lenient),
  ]),
);

export const encodeApReq = (v: ApReq): Uint8Array => encodeWith(ApReqCodec, v);
export const decodeApReq = (b: Uint8Array, o?: DecodeOptions): ApReq => decodeValue(ApReqCodec, b, o);
export const encodeAuthenticator = (v: Authenticator): Uint8Array => encodeWith(AuthenticatorCodec, v);
export const decodeAuthenticator = (b: Uint8Array, o?: DecodeOptions): Authenticator =>
  decodeValue(AuthenticatorCodec, b, o);
export const encodeApRep = (v: ApRep): Uint8Array => encodeWith(ApRepCodec, v);
export const decodeApRep = (b: Uint8Array, o?: DecodeOptions): ApRep => decodeValue(ApRepCodec, b, o);
export const encodeEncApRepPart = (v: EncApRepPart): Uint8Array => encodeWith(EncApRepPartCodec, v);
export const decodeEncApRepPart = (b: Uint8Array, o?: DecodeOptions): EncApRepPart =>
  decodeValue(EncApRepPartCodec, b, o);
