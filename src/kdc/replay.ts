/**
 * The KDC's replay cache (RFC 4120 §3.3.3.1 via §3.2.3): authenticators seen within the clock skew.
 *
 * The entries stay plain data in `state.replayCache` (snapshots copy them); this module adds an index
 * beside them, so that a lookup costs the same with one entry or a million (a real KDC under load holds
 * five minutes of authenticators), and sweeps expired entries at most once a second of KDC time rather
 * than on every request. An entry past its expiry that waits for the sweep can never be matched by a
 * valid request: a repeat of it carries the same ctime, which the skew check refuses first.
 */
import type { KdcState, ReplayEntry } from './database';

interface Index {
  ids: Set<string>;
  /** The array's length when the index last saw it: another length means someone else changed it. */
  length: number;
  /** The earliest expiry in the cache, and when it was last swept (KDC time, ms). */
  earliest: number;
  swept: number;
}

const SWEEP_INTERVAL_MS = 1000;
const indexes = new WeakMap<ReplayEntry[], Index>();

function indexOf(cache: ReplayEntry[]): Index {
  let ix = indexes.get(cache);
  if (!ix || ix.length !== cache.length) {
    ix = {
      ids: new Set(cache.map((e) => e.id)),
      length: cache.length,
      earliest: cache.reduce((m, e) => Math.min(m, e.expires), Infinity),
      swept: ix?.swept ?? -Infinity,
    };
    indexes.set(cache, ix);
  }
  return ix;
}

export function seenAuthenticator(state: KdcState, id: string): boolean {
  return indexOf(state.replayCache).ids.has(id);
}

export function rememberAuthenticator(state: KdcState, entry: ReplayEntry): void {
  const ix = indexOf(state.replayCache);
  state.replayCache.push(entry);
  ix.ids.add(entry.id);
  ix.length++;
  ix.earliest = Math.min(ix.earliest, entry.expires);
}

/** Forgets entries that can no longer be replayed (expired), at most once per second of KDC time. */
export function expireReplays(state: KdcState, now: number): void {
  const cache = state.replayCache;
  if (cache.length === 0) return;
  const ix = indexOf(cache);
  if (now < ix.earliest || now - ix.swept < SWEEP_INTERVAL_MS) return;
  const kept = cache.filter((e) => e.expires > now);
  state.replayCache = kept;
  indexes.set(kept, {
    ids: new Set(kept.map((e) => e.id)),
    length: kept.length,
    earliest: kept.reduce((m, e) => Math.min(m, e.expires), Infinity),
    swept: now,
  });
}
