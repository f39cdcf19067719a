/**
 * OpenSSL's AES and HMAC (node:crypto) behind the crypto layer's primitives (src/crypto/primitives.ts),
 * for `krbplay`: the same bytes as @noble's (test/unit/node/crypto.test.ts proves it on random keys and
 * data), with AES-NI doing in a few hundred nanoseconds what the JavaScript AES takes tens of
 * microseconds for. The browser keeps @noble; nothing here is reachable from it.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { type CryptoPrimitives, type HashName, useCryptoPrimitives } from '../crypto';

const NODE_HASH: Record<HashName, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384' };

function aesName(key: Uint8Array, mode: 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 32 && key.length !== 24)
    throw new RangeError(`an AES key is 16, 24 or 32 bytes, not ${key.length}`);
  return `aes-${key.length * 8}-${mode}`;
}

/** A fresh Uint8Array of its own: Node's small Buffers are views into a shared pool. */
function own(parts: Buffer, last: Buffer): Uint8Array {
  const out = new Uint8Array(parts.length + last.length);
  out.set(parts);
  out.set(last, parts.length);
  return out;
}

export const nodeCryptoPrimitives: CryptoPrimitives = {
  name: `node:crypto (OpenSSL ${process.versions.openssl})`,
  aesCbcEncrypt(key, iv, data) {
    const c = createCipheriv(aesName(key, 'cbc'), key, iv).setAutoPadding(false);
    return own(c.update(data), c.final());
  },
  aesCbcDecrypt(key, iv, data) {
    const d = createDecipheriv(aesName(key, 'cbc'), key, iv).setAutoPadding(false);
    return own(d.update(data), d.final());
  },
  aesEcbDecrypt(key, data) {
    const d = createDecipheriv(aesName(key, 'ecb'), key, null).setAutoPadding(false);
    return own(d.update(data), d.final());
  },
  hmac(hash, key, data) {
    return new Uint8Array(createHmac(NODE_HASH[hash], key).update(data).digest());
  },
  hash(hash, data) {
    return new Uint8Array(createHash(NODE_HASH[hash]).update(data).digest());
  },
};

/** Puts OpenSSL behind the crypto layer for this process (the `krbplay` command does it at start). */
export function useNodeCrypto(): void {
  useCryptoPrimitives(nodeCryptoPrimitives);
}
