/**
 * OpenSSL's AES and HMAC (node:crypto) behind the crypto layer's primitives (src/crypto/primitives.ts),
 * for `krbplay`: the same bytes as @noble's (test/unit/node/crypto.test.ts proves it on random keys and
 * data), with AES-NI doing in a few hundred nanoseconds what the JavaScript AES takes tens of
 * microseconds for. A cipher is kept per key (see KeptCipher), since making one costs more than the AES
 * of a short message; HMAC is made afresh each time (node:crypto can copy a hash's state but not an HMAC's,
 * and two copied hashes cost more than one new HMAC). The browser keeps @noble; nothing here is reachable
 * from it.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hash as digest,
  type Cipher,
  type Decipher,
} from 'node:crypto';
import { type CryptoPrimitives, type HashName, useCryptoPrimitives } from '../crypto';

const NODE_HASH: Record<HashName, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384' };

function aesName(key: Uint8Array, mode: 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 32 && key.length !== 24)
    throw new RangeError(`an AES key is 16, 24 or 32 bytes, not ${key.length}`);
  return `aes-${key.length * 8}-${mode}`;
}

/**
 * The output as a Uint8Array of its own. OpenSSL's output comes in a Buffer with an ArrayBuffer of its
 * own, which is wrapped as it is (no copy: large typed arrays cost an allocation outside the heap each);
 * anything else (a view into Node's shared pool of small Buffers) is copied out.
 */
function own(parts: Buffer, last: Buffer): Uint8Array {
  if (last.length === 0 && parts.byteOffset === 0 && parts.buffer.byteLength === parts.length)
    return new Uint8Array(parts.buffer, 0, parts.length);
  const out = new Uint8Array(parts.length + last.length);
  out.set(parts);
  out.set(last, parts.length);
  return out;
}

/**
 * An OpenSSL cipher kept for one key, direction and mode, and the chaining block it holds now (CBC: the
 * last ciphertext block it saw; ECB: none). Making a cipher costs more than AES-CBC over a short
 * message, and a KDC uses the same few keys all day; a kept cipher is given an IV the way CBC itself
 * chains: the first block of input (encrypting) or of output (decrypting) is XORed with the block the
 * cipher holds and with the IV wanted, which gives exactly the bytes of a fresh cipher under that IV.
 */
interface KeptCipher {
  cipher: Cipher | Decipher;
  chain: Uint8Array;
}

type CipherUse = 'cbc-encrypt' | 'cbc-decrypt' | 'ecb-decrypt';

/**
 * The name a kept cipher is found by: its use and the SHA-256 of its key (one-shot, about as fast as
 * spelling the key's bytes out), so the map holds no copy of any key, as a string or otherwise.
 */
const cipherId = (use: CipherUse, key: Uint8Array): string => `${use}:${digest('sha256', key, 'base64')}`;

/** Kept ciphers by use and key digest, least recently used out first. */
const MAX_KEPT = 256;
const kept = new Map<string, KeptCipher>();

function keptCipher(use: CipherUse, key: Uint8Array, data: Uint8Array): KeptCipher {
  const mode = use === 'ecb-decrypt' ? 'ecb' : 'cbc';
  const name = aesName(key, mode);
  // A part block would stay inside the cipher and be chained into the next message.
  if (data.length % 16 !== 0)
    throw new RangeError(`AES-${mode.toUpperCase()} takes whole 16-byte blocks, not ${data.length} bytes`);
  const id = cipherId(use, key);
  let k = kept.get(id);
  if (k === undefined) {
    const iv = mode === 'cbc' ? new Uint8Array(16) : null;
    const cipher = use === 'cbc-encrypt' ? createCipheriv(name, key, iv) : createDecipheriv(name, key, iv);
    k = { cipher: cipher.setAutoPadding(false), chain: new Uint8Array(16) };
    if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
  } else {
    kept.delete(id); // a Map iterates in insertion order: re-inserting marks it most recent
  }
  kept.set(id, k);
  return k;
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== 16) throw new RangeError(`an AES-CBC IV is 16 bytes, not ${iv.length}`);
}

/** `out`'s first block XORed with `a` and `b` (16 bytes each), in place. */
function xorFirstBlock(out: Uint8Array, a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < 16; i++) out[i]! ^= a[i]! ^ b[i]!;
}

/** A Buffer's bytes as a Uint8Array of its own (see `own`). */
const owned = (b: Buffer) => own(b, EMPTY);
const EMPTY = Buffer.alloc(0);

export const nodeCryptoPrimitives: CryptoPrimitives = {
  name: `node:crypto (OpenSSL ${process.versions.openssl})`,
  aesCbcEncrypt(key, iv, data) {
    checkIv(iv);
    const k = keptCipher('cbc-encrypt', key, data);
    if (data.length === 0) return new Uint8Array(0);
    const input = data.slice();
    xorFirstBlock(input, k.chain, iv);
    const out = owned(k.cipher.update(input));
    k.chain = out.slice(out.length - 16);
    return out;
  },
  aesCbcDecrypt(key, iv, data) {
    checkIv(iv);
    const k = keptCipher('cbc-decrypt', key, data);
    if (data.length === 0) return new Uint8Array(0);
    const out = owned(k.cipher.update(data));
    xorFirstBlock(out, k.chain, iv);
    k.chain = data.slice(data.length - 16);
    return out;
  },
  aesEcbDecrypt(key, data) {
    return owned(keptCipher('ecb-decrypt', key, data).cipher.update(data));
  },
  hmac(hash, key, data) {
    return new Uint8Array(createHmac(NODE_HASH[hash], key).update(data).digest());
  },
  hash(hash, data) {
    return new Uint8Array(createHash(NODE_HASH[hash]).update(data).digest());
  },
};

/** How many ciphers are kept now, and at most. */
export function keptCipherCount(): { size: number; capacity: number } {
  return { size: kept.size, capacity: MAX_KEPT };
}

/** The names the kept ciphers are found by now, least recently used first. */
export function keptCipherIds(): string[] {
  return [...kept.keys()];
}

/** Puts OpenSSL behind the crypto layer for this process (the `krbplay` command does it at start). */
export function useNodeCrypto(): void {
  useCryptoPrimitives(nodeCryptoPrimitives);
}
