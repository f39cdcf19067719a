/**
 * Opening a ticket-granting ticket is the costliest step of a TGS exchange after the reply itself
 * (decrypt, then DER-decode an EncTicketPart with its PAC), and a client presents the same TGT for
 * every service ticket it asks for. The opened ticket is a pure function of the key and the ciphertext,
 * so it is remembered under exactly those bytes: a single changed byte of either misses the memo and
 * goes through the full decrypt, integrity check and decode again. Bounded; shared by every KDC in the
 * process, which is sound because nothing but the key and the ciphertext goes into the result.
 */
import type { EncTicketPart } from '../asn1';

const MAX_ENTRIES = 512;
const memo = new Map<string, EncTicketPart>();

/** The bytes as a string (one UTF-16 unit per byte): a cheap, exact Map key. */
export function bytesKey(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return out;
}

/**
 * The opened ticket for (key, cipher), from the memo or from `open()` (which throws as decrypting and
 * decoding do; failures are never remembered). Each call gets its own top-level copy.
 */
export function openTicketMemo(
  etype: number,
  key: Uint8Array,
  cipher: Uint8Array,
  open: () => EncTicketPart,
): EncTicketPart {
  const id = `${etype}\u0000${bytesKey(key)}\u0000${bytesKey(cipher)}`;
  let part = memo.get(id);
  if (part) {
    memo.delete(id); // least recently used goes first: move this one to the end
  } else {
    part = open();
    if (memo.size >= MAX_ENTRIES) memo.delete(memo.keys().next().value as string);
  }
  memo.set(id, part);
  return { ...part };
}
