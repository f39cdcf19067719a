/**
 * A bounded cache of derived keys. Every encryption under (key, usage) needs Ke and Ki (RFC 3961 §5.3),
 * and a KDC or a decoder repeats the same pairs many times; deriving them costs several AES or HMAC
 * calls. Entries are evicted least-recently-used first, so memory stays bounded however many keys pass.
 */
import { toHex } from '../util/bytes';

const MAX_ENTRIES = 2048;
const entries = new Map<string, Uint8Array>();
let hits = 0;
let misses = 0;

/** The derived key for (etype, base key, constant), computing and caching it on a miss. */
export function cachedDerive(
  etype: number,
  key: Uint8Array,
  constant: Uint8Array,
  derive: () => Uint8Array,
): Uint8Array {
  const id = `${etype}:${toHex(key)}:${toHex(constant)}`;
  const found = entries.get(id);
  if (found) {
    hits++;
    // refresh: a Map iterates in insertion order, so re-inserting marks it most recently used
    entries.delete(id);
    entries.set(id, found);
    return found;
  }
  misses++;
  const derived = derive();
  entries.set(id, derived);
  if (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value as string;
    entries.get(oldest)?.fill(0);
    entries.delete(oldest);
  }
  return derived;
}

export interface DerivedKeyCacheStats {
  size: number;
  capacity: number;
  hits: number;
  misses: number;
}

export function derivedKeyCacheStats(): DerivedKeyCacheStats {
  return { size: entries.size, capacity: MAX_ENTRIES, hits, misses };
}

/** Forgets every cached key (overwriting it first). */
export function clearDerivedKeyCache(): void {
  for (const k of entries.values()) k.fill(0);
  entries.clear();
  hits = 0;
  misses = 0;
}
