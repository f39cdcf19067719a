/**
 * The TCP record mark (RFC 4120 §7.2.2): over TCP every Kerberos message is preceded by its length as
 * four bytes, big-endian. The top bit is reserved for extensions (RFC 5021) and must be zero.
 */
import { concatBytes, u32be } from '../util/bytes';
import { KrbPlayInputError } from '../util/errors';
import { DecodeError } from './errors';

/** Largest length a record mark may announce: the top bit is reserved (RFC 4120 §7.2.2). */
const MAX_RECORD = 0x7fffffff;

export function addTcpPrefix(message: Uint8Array): Uint8Array {
  if (message.length > MAX_RECORD) throw new KrbPlayInputError('message too long for a TCP record mark');
  return concatBytes(u32be(message.length), message);
}

/** The length a record mark announces, or undefined when fewer than 4 bytes are at hand. */
export function readTcpLength(bytes: Uint8Array, offset = 0): number | undefined {
  if (bytes.length - offset < 4) return undefined;
  return (
    ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>>
    0
  );
}

/** True when the first four bytes announce exactly the rest of the buffer. */
export function hasTcpPrefix(bytes: Uint8Array, offset = 0): boolean {
  const n = readTcpLength(bytes, offset);
  return n !== undefined && n <= MAX_RECORD && n === bytes.length - offset - 4 && n > 0;
}

/** Strips the record mark and returns the message (a view into `bytes`). */
export function stripTcpPrefix(bytes: Uint8Array): Uint8Array {
  const n = readTcpLength(bytes);
  if (n === undefined)
    throw new DecodeError(0, `a TCP record needs a 4-byte length first; only ${bytes.length} byte(s) here`);
  if (n > MAX_RECORD)
    throw new DecodeError(0, 'the TCP record mark sets the reserved top bit (RFC 4120 §7.2.2)');
  if (n !== bytes.length - 4)
    throw new DecodeError(0, `the TCP record mark announces ${n} bytes, but ${bytes.length - 4} follow`);
  return bytes.subarray(4);
}
