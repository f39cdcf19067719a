/**
 * The replay cache every receiver of an AP-REQ keeps (RFC 4120 §3.2.3): the KDC for the authenticators in
 * PA-TGS-REQ, a service for those in its AP-REQs. An authenticator seen again while its time is still
 * within the clock skew is a replay (KRB_AP_ERR_REPEAT).
 *
 * The entries are plain data in the holder's `replayCache` (snapshots copy them). An index beside them,
 * attached to the holder (memo.ts) and rebuilt when the array was changed by someone else, makes a lookup
 * cost the same with one entry or a million (a real KDC under load holds five minutes of authenticators).
 * Expired entries are swept at most once per `sweepIntervalMs` of the receiver's time rather than on every
 * request. An entry past its expiry that waits for the sweep can never be matched by a valid request: a
 * repeat of it carries the same ctime, which the skew check refuses first.
 */
import { attachedCache } from './memo';

/** One authenticator seen recently, kept until it is too old to matter. */
export interface ReplayEntry {
  /** What identifies an authenticator: its client, (for a KDC) the server asked for, ctime and cusec. */
  id: string;
  /** When it can be forgotten (ctime + skew), ms. */
  expires: number;
}

/** Whatever keeps a replay cache in its state: a KDC's state, a service's. */
export interface ReplayHolder {
  replayCache: ReplayEntry[];
}

interface Index {
  /** The array the index was built from, and its length then: another array or length means it changed. */
  entries: ReplayEntry[];
  length: number;
  ids: Set<string>;
  /** The earliest expiry in the cache, and when it was last swept (receiver's time, ms). */
  earliest: number;
  swept: number;
}

const INDEX = Symbol('replay index');

function indexed(entries: ReplayEntry[], swept: number): Index {
  return {
    entries,
    length: entries.length,
    ids: new Set(entries.map((e) => e.id)),
    earliest: entries.reduce((m, e) => Math.min(m, e.expires), Infinity),
    swept,
  };
}

function indexOf(holder: ReplayHolder): Index {
  const slot = attachedCache<{ ix?: Index }>(holder, INDEX, () => ({}));
  const cache = holder.replayCache;
  let ix = slot.ix;
  if (!ix || ix.entries !== cache) ix = slot.ix = indexed(cache, -Infinity);
  else if (ix.length !== cache.length) ix = slot.ix = indexed(cache, ix.swept);
  return ix;
}

export function seenAuthenticator(holder: ReplayHolder, id: string): boolean {
  return indexOf(holder).ids.has(id);
}

export function rememberAuthenticator(holder: ReplayHolder, entry: ReplayEntry): void {
  const ix = indexOf(holder);
  holder.replayCache.push(entry);
  ix.ids.add(entry.id);
  ix.length++;
  ix.earliest = Math.min(ix.earliest, entry.expires);
}

/**
 * Forgets entries that can no longer be replayed (expired), at most once per `sweepIntervalMs` of the
 * receiver's time (0: on every call).
 */
export function expireReplays(holder: ReplayHolder, now: number, sweepIntervalMs: number): void {
  if (holder.replayCache.length === 0) return;
  const ix = indexOf(holder);
  if (now < ix.earliest) return;
  if (sweepIntervalMs > 0 && now - ix.swept < sweepIntervalMs) return;
  const kept = holder.replayCache.filter((e) => e.expires > now);
  holder.replayCache = kept;
  attachedCache<{ ix?: Index }>(holder, INDEX, () => ({})).ix = indexed(kept, now);
}
