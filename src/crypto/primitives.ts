/**
 * The block cipher and hash primitives the enctypes are built on, behind one small interface, so a host
 * with a native implementation may stand in for the JavaScript one. By default they are @noble's (the
 * browser's, and every test's). `krbplay` in Node installs OpenSSL's through node:crypto (src/node),
 * proven to give the same bytes by property tests; nothing above this file knows which one runs.
 *
 * The JavaScript primitives remember, per HMAC key, the hash state after the key's inner and outer pads
 * (RFC 2104 §4): a KDC MACs with the same few derived keys (Ki, Kc) all day, and those two compression
 * rounds are then spent once per key, not once per message. Bounded, least recently used out first.
 */
import { cbc, ecb } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';

/** The hashes the AES enctypes use: SHA-1 (RFC 3962) and SHA-256/384 (RFC 8009). */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384';

export interface CryptoPrimitives {
  /** Who implements them, for a log line ("@noble", "node:crypto (OpenSSL 3.0.15)"). */
  readonly name: string;
  /** AES-CBC without padding (FIPS 197, SP 800-38A); `data` is a whole number of 16-byte blocks. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** One or more AES blocks decrypted each on its own (ECB), for the stolen block of CTS. */
  aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** HMAC (RFC 2104), the full digest. */
  hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array;
  hash(hash: HashName, data: Uint8Array): Uint8Array;
}

const NOBLE_HASHES = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384 } as const;

type HmacState = ReturnType<typeof hmac.create>;

/** HMAC states keyed by (hash, key): the pads are hashed once per key (see the file comment). */
const MAX_HMAC_STATES = 256;
const hmacStates = new Map<string, HmacState>();

function hmacStateId(hash: HashName, key: Uint8Array): string {
  let id = hash;
  for (let i = 0; i < key.length; i++) id += String.fromCharCode(key[i]!);
  return id;
}

/** @noble's HMAC, from the remembered state of its key when there is one. */
function nobleHmac(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  // Keys longer than a block are hashed first by HMAC itself; only the short keys Kerberos derives are kept.
  if (key.length > 64) return hmac(NOBLE_HASHES[hash], key, data);
  const id = hmacStateId(hash, key);
  let state = hmacStates.get(id);
  if (state === undefined) {
    state = hmac.create(NOBLE_HASHES[hash], key);
    if (hmacStates.size >= MAX_HMAC_STATES) {
      const oldest = hmacStates.keys().next().value as string;
      hmacStates.get(oldest)?.destroy();
      hmacStates.delete(oldest);
    }
  } else {
    hmacStates.delete(id); // a Map iterates in insertion order: re-inserting marks it most recent
  }
  hmacStates.set(id, state);
  return state.clone().update(data).digest();
}

export const noblePrimitives: CryptoPrimitives = {
  name: '@noble',
  aesCbcEncrypt: (key, iv, data) => cbc(key, iv, { disablePadding: true }).encrypt(data),
  aesCbcDecrypt: (key, iv, data) => cbc(key, iv, { disablePadding: true }).decrypt(data),
  aesEcbDecrypt: (key, data) => ecb(key, { disablePadding: true }).decrypt(data),
  hmac: nobleHmac,
  hash: (hash, data) => NOBLE_HASHES[hash](data),
};

let current: CryptoPrimitives = noblePrimitives;

/** The primitives in use. */
export function primitives(): CryptoPrimitives {
  return current;
}

/**
 * Puts other primitives behind the enctypes (a host's native ones), or the JavaScript ones back with
 * no argument. They must give the same bytes: a host proves that with property tests against @noble.
 */
export function useCryptoPrimitives(p: CryptoPrimitives = noblePrimitives): void {
  current = p;
}

/** How many HMAC key states the JavaScript primitives hold, and at most. */
export function hmacStateCacheSize(): { size: number; capacity: number } {
  return { size: hmacStates.size, capacity: MAX_HMAC_STATES };
}

/** Forgets every remembered HMAC key state (wiping them). */
export function clearHmacStates(): void {
  for (const s of hmacStates.values()) s.destroy();
  hmacStates.clear();
}
