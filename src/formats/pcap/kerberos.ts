/**
 * Telling a Kerberos message from the rest of a capture without decoding it: its first DER tag is one
 * of the RFC 4120 §5 [APPLICATION n] message tags, and its DER length (X.690 §8.1.3) accounts for
 * exactly the bytes the datagram or record holds. Decoding belongs to src/asn1.
 */

/** RFC 4120 §5.10 / §5.4.1 / §5.5 / §5.6–5.9: the application tags of messages sent on their own. */
const MESSAGE_TAGS = new Set([10, 11, 12, 13, 14, 15, 20, 21, 22, 30]);

/**
 * True when `head` (the first bytes of a message, at least 6 or all of it) starts a Kerberos message
 * whose encoding is exactly `total` bytes long.
 */
export function looksLikeKerberos(head: Uint8Array, total: number): boolean {
  if (head.length < 2 || total < 2) return false;
  const tag = head[0]!;
  // [APPLICATION n], constructed, low-tag-number form: 011n nnnn.
  if ((tag & 0xe0) !== 0x60 || !MESSAGE_TAGS.has(tag & 0x1f)) return false;
  const first = head[1]!;
  if (first < 0x80) return 2 + first === total;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || head.length < 2 + n) return false;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + head[2 + i]!;
  return 2 + n + len === total;
}

/** The message type an application tag names (RFC 4120 §7.5.7), e.g. 0x6a -> 10 (AS-REQ). */
export function kerberosMessageType(firstByte: number): number | undefined {
  const n = firstByte & 0x1f;
  return (firstByte & 0xe0) === 0x60 && MESSAGE_TAGS.has(n) ? n : undefined;
}
