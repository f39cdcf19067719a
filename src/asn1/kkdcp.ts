/**
 * MS-KKDCP §2.2.2: KDC-PROXY-MESSAGE, how a client reaches a KDC over HTTPS (the "KDC proxy" that
 * Entra ID Kerberos and Windows' KDC proxy server use). kerb-message holds the Kerberos message with
 * its TCP record mark in front (MS-KKDCP §3.2.5.1; MIT's sendto_kdc does the same).
 */
import { Integer, OctetString, Realm, alias, decodeValue, encodeWith, opt, req, seq } from './codec';
import type { DecodeOptions, RawDecoder } from './codec';
import { addTcpPrefix } from './framing';

export interface KdcProxyMessage {
  /** The Kerberos message with its 4-byte TCP length in front. */
  kerbMessage: Uint8Array;
  /** The realm the client wants (KERB-REALM, a GeneralString). */
  targetDomain?: string;
  /** DC locator flags (DS_* of DsGetDcName) when the client has a preference. */
  dclocatorHint?: number;
}

let kerbMessageDecoder: RawDecoder | undefined;
/** Set once by the message recogniser, which knows every message type (it imports this file). */
export function setKerbMessageDecoder(d: RawDecoder): void {
  kerbMessageDecoder = d;
}

export const KdcProxyMessageCodec = seq<KdcProxyMessage>('KDC-PROXY-MESSAGE', [
  req(0, 'kerb-message', OctetString, () => kerbMessageDecoder),
  opt(1, 'target-domain', alias('KERB-REALM', Realm)),
  opt(2, 'dclocator-hint', Integer),
]);

export const encodeKdcProxyMessage = (v: KdcProxyMessage): Uint8Array => encodeWith(KdcProxyMessageCodec, v);
export const decodeKdcProxyMessage = (b: Uint8Array, o?: DecodeOptions): KdcProxyMessage =>
  decodeValue(KdcProxyMessageCodec, b, o);

/** Wraps a Kerberos message for a KDC proxy: record mark, then KDC-PROXY-MESSAGE. */
export function wrapForKdcProxy(
  message: Uint8Array,
  targetDomain?: string,
  dclocatorHint?: number,
): Uint8Array {
  return encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(message), targetDomain, dclocatorHint });
}
