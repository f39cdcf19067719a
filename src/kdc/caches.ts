/**
 * What a KDC remembers to spare repeated work, kept with its state (`cachesOf(state)`) but not in it: a
 * snapshot of the state leaves these behind, and a restored state builds them again on demand (memo.ts).
 * Each holds only what is a pure function of the bytes it is keyed by, so remembering never changes an
 * answer.
 *
 *  - openedTickets: a client presents the same TGT for every service ticket it asks for; opening it is the
 *    costliest step of a TGS exchange after the reply itself (decrypt, then DER-decode an EncTicketPart with
 *    its PAC). Keyed by the enctype, the key and the ciphertext: one changed byte of either misses it and
 *    goes through the full decrypt, integrity check and decode again.
 *  - carriedPac: the buffers a TGT's PAC passes on to the tickets made from it (pac.ts), keyed by the PAC's
 *    bytes and whether the new ticket is a TGT.
 *  - resignedPac: the authorization data a service ticket gets from a TGT of this realm: those buffers laid
 *    out again, signed with the new ticket's key and the krbtgt key (HMAC checksums: deterministic) and
 *    wrapped in AD-IF-RELEVANT. Keyed by the PAC's bytes, whether the new ticket is a TGT, and both keys'
 *    enctypes and bytes: a changed password or a rotated krbtgt key misses it and signs afresh.
 *  - checkedPac: what checking a TGT's PAC signatures found (pac.ts), keyed by the PAC's bytes, the key
 *    of the TGT (which signed it) and whether the KDC signature is checked too. Checking is a pure function
 *    of those (HMAC checksums), so a PAC seen before with the same key is found as it was: a changed byte
 *    or another key misses it and is checked afresh, and a failure is remembered as the failure it is.
 */
import type { AuthorizationData, EncTicketPart } from '../asn1';
import type { PacBufferContent, PacVerification } from '../formats';
import { attachedCache, bytesKey, LruMemo } from '../protocol/memo';
import type { KdcState } from './database';

export interface KdcCaches {
  openedTickets: LruMemo<EncTicketPart>;
  carriedPac: LruMemo<readonly PacBufferContent[]>;
  resignedPac: LruMemo<AuthorizationData>;
  checkedPac: LruMemo<PacVerification>;
}

const CACHES = Symbol('KDC caches');

export function cachesOf(state: KdcState): KdcCaches {
  return attachedCache(state, CACHES, () => ({
    openedTickets: new LruMemo<EncTicketPart>(512),
    carriedPac: new LruMemo<readonly PacBufferContent[]>(256),
    resignedPac: new LruMemo<AuthorizationData>(256),
    checkedPac: new LruMemo<PacVerification>(256),
  }));
}

/**
 * The opened ticket for (key, cipher), from the memo or from `open()` (which throws as decrypting and
 * decoding do; failures are never remembered). Each call gets its own top-level copy.
 */
export function openTicketMemo(
  state: KdcState,
  etype: number,
  key: Uint8Array,
  cipher: Uint8Array,
  open: () => EncTicketPart,
): EncTicketPart {
  const id = `${etype}\u0000${bytesKey(key)}\u0000${bytesKey(cipher)}`;
  return { ...cachesOf(state).openedTickets.get(id, open) };
}
