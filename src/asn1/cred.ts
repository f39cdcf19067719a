/**
 * Application messages (RFC 4120 §5.6-5.8): KRB-SAFE, KRB-PRIV with EncKrbPrivPart, and KRB-CRED with
 * EncKrbCredPart. KRB-CRED is also the .kirbi file format that forwards tickets.
 */
import {
  Int32,
  KerberosFlags,
  KerberosTime,
  Microseconds,
  OctetString,
  Realm,
  UInt32Lenient,
  app,
  decodeValue,
  encodeWith,
  messageCheck,
  opt,
  req,
  seq,
  seqOf,
} from './codec';
import type { DecodeOptions } from './codec';
import {
  ChecksumCodec,
  EncryptedDataCodec,
  EncryptionKeyCodec,
  HostAddressCodec,
  HostAddressesCodec,
  PrincipalNameCodec,
} from './common';
import type { Checksum, EncryptedData, EncryptionKey, HostAddress, PrincipalName } from './common';
import { TicketCodec } from './ticket';
import type { Ticket } from './ticket';

/** RFC 4120 §5.6.1. */
export interface KrbSafeBody {
  userData: Uint8Array;
  timestamp?: Date;
  usec?: number;
  seqNumber?: number;
  sAddress: HostAddress;
  rAddress?: HostAddress;
}

export interface KrbSafe {
  pvno: number;
  msgType: number;
  safeBody: KrbSafeBody;
  cksum: Checksum;
}

const KrbSafeBodyCodec = seq<KrbSafeBody>('KRB-SAFE-BODY', [
  req(0, 'user-data', OctetString),
  opt(1, 'timestamp', KerberosTime),
  opt(2, 'usec', Microseconds),
  opt(3, 'seq-number', UInt32Lenient),
  req(4, 's-address', HostAddressCodec),
  opt(5, 'r-address', HostAddressCodec),
]);

export const KrbSafeCodec = app<KrbSafe>(
  20,
  'KRB-SAFE',
  seq('KRB-SAFE', [
    req(0, 'pvno', Int32),
    req(1, 'msg-type', Int32),
    req(2, 'safe-body', KrbSafeBodyCodec),
    req(3, 'cksum', ChecksumCodec),
  ]),
  { check: messageCheck('KRB-SAFE', 20) },
);

/** RFC 4120 §5.7.1. Note the gap: enc-part is [3], there is no [2]. */
export interface KrbPriv {
  pvno: number;
  msgType: number;
  encPart: EncryptedData;
}

export const KrbPrivCodec = app<KrbPriv>(
  21,
  'KRB-PRIV',
  seq('KRB-PRIV', [req(0, 'pvno', Int32), req(1, 'msg-type', Int32), req(3, 'enc-part', EncryptedDataCodec)]),
  { check: messageCheck('KRB-PRIV', 21) },
);

export interface EncKrbPrivPart {
  userData: Uint8Array;
  timestamp?: Date;
  usec?: number;
  seqNumber?: number;
  sAddress: HostAddress;
  rAddress?: HostAddress;
}

export const EncKrbPrivPartCodec = app<EncKrbPrivPart>(
  28,
  'EncKrbPrivPart',
  seq('EncKrbPrivPart', [
    req(0, 'user-data', OctetString),
    opt(1, 'timestamp', KerberosTime),
    opt(2, 'usec', Microseconds),
    opt(3, 'seq-number', UInt32Lenient),
    req(4, 's-address', HostAddressCodec),
    opt(5, 'r-address', HostAddressCodec),
  ]),
);

/** RFC 4120 §5.8.1. */
export interface KrbCred {
  pvno: number;
  msgType: number;
  tickets: Ticket[];
  encPart: EncryptedData;
}

export const KrbCredCodec = app<KrbCred>(
  22,
  'KRB-CRED',
  seq('KRB-CRED', [
    req(0, 'pvno', Int32),
    req(1, 'msg-type', Int32),
    req(2, 'tickets', seqOf(TicketCodec)),
    req(3, 'enc-part', EncryptedDataCodec),
  ]),
  { check: messageCheck('KRB-CRED', 22) },
);

export interface KrbCredInfo {
  key: EncryptionKey;
  prealm?: string;
  pname?: PrincipalName;
  flags?: number;
  authtime?: Date;
  starttime?: Date;
  endtime?: Date;
  renewTill?: Date;
  srealm?: string;
  sname?: PrincipalName;
  caddr?: HostAddress[];
}

export interface EncKrbCredPart {
  ticketInfo: KrbCredInfo[];
  nonce?: number;
  timestamp?: Date;
  usec?: number;
  sAddress?: HostAddress;
  rAddress?: HostAddress;
}

const KrbCredInfoCodec = seq<KrbCredInfo>('KrbCredInfo', [
  req(0, 'key', EncryptionKeyCodec),
  opt(1, 'prealm', Realm),
  opt(2, 'pname', PrincipalNameCodec),
  opt(3, 'flags', KerberosFlags),
  opt(4, 'authtime', KerberosTime),
  opt(5, 'starttime', KerberosTime),
  opt(6, 'endtime', KerberosTime),
  opt(7, 'renew-till', KerberosTime),
  opt(8, 'srealm', Realm),
  opt(9, 'sname', PrincipalNameCodec),
  opt(10, 'caddr', HostAddressesCodec),
]);

export const EncKrbCredPartCodec = app<EncKrbCredPart>(
  29,
  'EncKrbCredPart',
  seq('EncKrbCredPart', [
    req(0, 'ticket-info', seqOf(KrbCredInfoCodec)),
    opt(1, 'nonce', UInt32Lenient),
    opt(2, 'timestamp', KerberosTime),
    opt(3, 'usec', Microseconds),
    opt(4, 's-address', HostAddressCodec),
    opt(5, 'r-address', HostAddressCodec),
  ]),
);

export const encodeKrbSafe = (v: KrbSafe): Uint8Array => encodeWith(KrbSafeCodec, v);
export const decodeKrbSafe = (b: Uint8Array, o?: DecodeOptions): KrbSafe => decodeValue(KrbSafeCodec, b, o);
export const encodeKrbPriv = (v: KrbPriv): Uint8Array => encodeWith(KrbPrivCodec, v);
export const decodeKrbPriv = (b: Uint8Array, o?: DecodeOptions): KrbPriv => decodeValue(KrbPrivCodec, b, o);
export const encodeEncKrbPrivPart = (v: EncKrbPrivPart): Uint8Array => encodeWith(EncKrbPrivPartCodec, v);
export const decodeEncKrbPrivPart = (b: Uint8Array, o?: DecodeOptions): EncKrbPrivPart =>
  decodeValue(EncKrbPrivPartCodec, b, o);
export const encodeKrbCred = (v: KrbCred): Uint8Array => encodeWith(KrbCredCodec, v);
export const decodeKrbCred = (b: Uint8Array, o?: DecodeOptions): KrbCred => decodeValue(KrbCredCodec, b, o);
export const encodeEncKrbCredPart = (v: EncKrbCredPart): Uint8Array => encodeWith(EncKrbCredPartCodec, v);
export const decodeEncKrbCredPart = (b: Uint8Array, o?: DecodeOptions): EncKrbCredPart =>
  decodeValue(EncKrbCredPartCodec, b, o);
