/**
 * What every stage of a request sees: the KDC's state, the time and randomness handed in, the narration,
 * the request itself. Kept apart from `kdc.ts` so that the handlers it dispatches to (as.ts, tgs.ts,
 * pac.ts) import downwards only.
 */
import type { KdcReq, PrincipalName, Ticket } from '../asn1';
import type { RandomSource } from '../crypto';
import type { KdcState } from './database';
import type { Narrator } from './events';

export interface KdcContext {
  /** The KDC's clock, milliseconds since the epoch (its host's clock in the simulation). */
  now: number;
  random: RandomSource;
}

/** What one request handler gives back; `handle` wraps it. */
export interface Issued {
  reply: Uint8Array;
  replyType: 'AS-REP' | 'TGS-REP';
  /** The ticket inside the reply, as issued. */
  ticket: Ticket;
}

/** What AS and TGS handlers share: the state, the time and randomness, the narration. */
export interface RequestScope {
  state: KdcState;
  ctx: KdcContext;
  say: Narrator;
  /** The decoded request, and its bytes (the TGS checksum covers the req-body bytes as sent). */
  req: KdcReq;
  bytes: Uint8Array;
  /** Filled in as soon as known, for error replies and the log line. */
  client?: { realm: string; name: PrincipalName };
}
