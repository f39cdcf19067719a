/**
 * Ticket and EncTicketPart (RFC 4120 §5.3). The ticket's enc-part is encrypted in the service's long-term
 * key with key usage 2; EncTicketPart is what that ciphertext decrypts to.
 */
import {
  KerberosFlags,
  KerberosTime,
  Int32,
  Realm,
  app,
  decodeValue,
  encodeWith,
  opt,
  req,
  seq,
} from './codec';
import type { DecodeOptions } from './codec';
import {
  AuthorizationDataCodec,
  EncryptedDataCodec,
  EncryptionKeyCodec,
  HostAddressesCodec,
  PrincipalNameCodec,
  TransitedEncodingCodec,
} from './common';
import type {
  AuthorizationData,
  EncryptedData,
  EncryptionKey,
  HostAddress,
  PrincipalName,
  TransitedEncoding,
} from './common';
import { DecodeError } from './errors';

export interface Ticket {
  /** Always 5. */
  tktVno: number;
  realm: string;
  sname: PrincipalName;
  encPart: EncryptedData;
}

export const TicketCodec = app<Ticket>(
  1,
  'Ticket',
  seq('Ticket', [
    req(0, 'tkt-vno', Int32),
    req(1, 'realm', Realm),
    req(2, 'sname', PrincipalNameCodec),
    req(3, 'enc-part', EncryptedDataCodec),
  ]),
  {
    check: (v, node) => {
      if (v.tktVno !== 5)
        throw new DecodeError(
          node.children?.[0]?.offset ?? node.offset,
          `Ticket has tkt-vno ${v.tktVno}; Kerberos 5 tickets carry 5`,
        );
    },
  },
);

export interface EncTicketPart {
  /** TicketFlags (RFC 4120 §5.3), bit 0 = most significant. */
  flags: number;
  key: EncryptionKey;
  crealm: string;
  cname: PrincipalName;
  transited: TransitedEncoding;
  authtime: Date;
  starttime?: Date;
  endtime: Date;
  renewTill?: Date;
  caddr?: HostAddress[];
  authorizationData?: AuthorizationData;
}

export const EncTicketPartCodec = app<EncTicketPart>(
  3,
  'EncTicketPart',
  seq('EncTicketPart', [
    req(0, 'flags', KerberosFlags),
    req(1, 'key', EncryptionKeyCodec),
    req(2, 'crealm', Realm),
    req(3, 'cname', PrincipalNameCodec),
    req(4, 'transited', TransitedEncodingCodec),
    req(5, 'authtime', KerberosTime),
    opt(6, 'starttime', KerberosTime),
    req(7, 'endtime', KerberosTime),
    opt(8, 'renew-till', KerberosTime),
    opt(9, 'caddr', HostAddressesCodec),
    opt(10, 'authorization-data', AuthorizationDataCodec),
  ]),
);

export const encodeTicket = (v: Ticket): Uint8Array => encodeWith(TicketCodec, v);
export const decodeTicket = (b: Uint8Array, o?: DecodeOptions): Ticket => decodeValue(TicketCodec, b, o);
export const encodeEncTicketPart = (v: EncTicketPart): Uint8Array => encodeWith(EncTicketPartCodec, v);
export const decodeEncTicketPart = (b: Uint8Array, o?: DecodeOptions): EncTicketPart =>
  decodeValue(EncTicketPartCodec, b, o);
