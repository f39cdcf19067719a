/**
 * Caches that belong to an actor's state without being part of it. A KDC's or a service's state is plain
 * data that the world snapshots with structuredClone; a cache attached here is a non-enumerable property
 * of that state object, so a snapshot (structuredClone, JSON, postMessage) leaves it behind, a restored
 * state starts without it and rebuilds it on demand, and two states never share one.
 */

/** The cache in `slot` of `owner`, made by `make` the first time it is asked for. */
export function attachedCache<T>(owner: object, slot: symbol, make: () => T): T {
  const held = (owner as Record<symbol, T | undefined>)[slot];
  if (held !== undefined) return held;
  const made = make();
  Object.defineProperty(owner, slot, { value: made, enumerable: false, writable: false, configurable: true });
  return made;
}

/**
 * A bounded memo of a pure function, least recently used out first. `make` may throw (as decrypting and
 * decoding do): a failure is never remembered.
 */
export class LruMemo<V> {
  readonly #entries = new Map<string, V>();
  constructor(readonly capacity: number) {}

  /** How many results it holds now (never more than `capacity`). */
  get size(): number {
    return this.#entries.size;
  }

  get(id: string, make: () => V): V {
    let value = this.#entries.get(id);
    if (value !== undefined) {
      this.#entries.delete(id); // a Map iterates in insertion order: re-inserting marks it most recent
    } else {
      value = make();
      if (this.#entries.size >= this.capacity)
        this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(id, value);
    return value;
  }
}

/** The bytes as a string (one UTF-16 unit per byte): a cheap, exact Map key. */
export function bytesKey(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return out;
}
