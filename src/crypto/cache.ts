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
  // One character per byte, the key's length first so that key and constant cannot run together: a
  // string made in one pass, where hex took two characters and a concatenation per byte.
  let id = `${etype}:${key.length}:`;
  for (let i = 0; i < key.length; i++) id += String.fromCharCode(key[i]!);
  for (let i = 0; i < constant.length; i++) id += String.fromCharCode(constant[i]!);
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

// ---- string-to-key results ----

/**
 * Keys made from passwords, by (enctype, iteration count, salt, password). PBKDF2 is slow on purpose, and
 * one password's key is wanted by the KDC that holds it, the client that signs in with it and the decoder
 * that opens its replies; the browser's engine also derives the costly ones ahead, in slices it can stop
 * (stringToKeyAsync), and the world then finds them here. Bounded, least-recently-used first out.
 */
const MAX_S2K_ENTRIES = 1024;
const s2kEntries = new Map<string, Uint8Array>();

export function s2kCacheId(etype: number, iterations: number, salt: Uint8Array, password: string): string {
  return `${etype}:${iterations}:${toHex(salt)}:${password}`;
}

/** A copy of the remembered key, or undefined. */
export function rememberedStringToKey(id: string): Uint8Array | undefined {
  const found = s2kEntries.get(id);
  if (!found) return undefined;
  s2kEntries.delete(id);
  s2kEntries.set(id, found);
  return found.slice();
}

export function rememberStringToKey(id: string, key: Uint8Array): void {
  s2kEntries.delete(id);
  s2kEntries.set(id, key.slice());
  if (s2kEntries.size > MAX_S2K_ENTRIES) {
    const oldest = s2kEntries.keys().next().value as string;
    s2kEntries.get(oldest)?.fill(0);
    s2kEntries.delete(oldest);
  }
}

/** Forgets every remembered string-to-key result (overwriting it first): tests that time or count PBKDF2. */
export function clearStringToKeyCache(): void {
  for (const k of s2kEntries.values()) k.fill(0);
  s2kEntries.clear();
}

/**
 * How many string-to-key computations ran PBKDF2 (or MD4) since the module loaded: a key handed back from
 * memory is not counted. The page's worker reports it, so a test can see no key was made before the first
 * paint (src/ui/engine/worker.ts).
 */
let s2kRuns = 0;

export function countStringToKeyRun(): void {
  s2kRuns++;
}

export function stringToKeyRuns(): number {
  return s2kRuns;
}

export function stringToKeyCacheSize(): { size: number; capacity: number } {
  return { size: s2kEntries.size, capacity: MAX_S2K_ENTRIES };
}
