/**
 * AES in CBC mode with ciphertext stealing, the CS3 variant of NIST SP 800-38A addendum, as RFC 3962 §5
 * and RFC 8009 §5 use it: the last two blocks are swapped and the second-to-last is cut to the length of the
 * last plaintext block, so the ciphertext is exactly as long as the plaintext. A single block is plain CBC.
 * Built on AES-CBC with padding disabled, from the primitives in use (primitives.ts).
 */
import { CryptoInputError } from './errors';
import { primitives } from './primitives';

const BLOCK = 16;

export interface CtsResult {
  ciphertext: Uint8Array;
  /** The cipher state after the operation: the last full CBC output block (RFC 3962 §5, "next IV"). */
  nextIv: Uint8Array;
}

export function aesCtsEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): CtsResult {
  const n = plaintext.length;
  if (n < BLOCK) throw new CryptoInputError(`AES-CTS needs at least one block (16 bytes), got ${n}`);
  const blocks = Math.ceil(n / BLOCK);
  const padded = new Uint8Array(blocks * BLOCK);
  padded.set(plaintext);
  const c = primitives().aesCbcEncrypt(key, iv, padded);
  if (blocks === 1) return { ciphertext: c, nextIv: c.slice() };
  const last = c.subarray((blocks - 1) * BLOCK);
  const secondLast = c.subarray((blocks - 2) * BLOCK, (blocks - 1) * BLOCK);
  const out = new Uint8Array(n);
  out.set(c.subarray(0, (blocks - 2) * BLOCK));
  out.set(last, (blocks - 2) * BLOCK);
  out.set(secondLast.subarray(0, n - (blocks - 1) * BLOCK), (blocks - 1) * BLOCK);
  return { ciphertext: out, nextIv: last.slice() };
}

export function aesCtsDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const n = ciphertext.length;
  if (n < BLOCK) throw new CryptoInputError(`AES-CTS ciphertext must be at least 16 bytes, got ${n}`);
  const blocks = Math.ceil(n / BLOCK);
  if (blocks === 1) return primitives().aesCbcDecrypt(key, iv, ciphertext);
  // Undo the swap: the full block at position blocks-2 is the real last CBC block C_n; decrypting it alone
  // gives (P_n | 0…) xor C_{n-1}, whose tail restores the bytes stolen from C_{n-1}.
  const tailLength = n - (blocks - 1) * BLOCK;
  const cn = ciphertext.subarray((blocks - 2) * BLOCK, (blocks - 1) * BLOCK);
  const cnMinus1Head = ciphertext.subarray((blocks - 1) * BLOCK);
  const d = primitives().aesEcbDecrypt(key, cn);
  const full = new Uint8Array(blocks * BLOCK);
  full.set(ciphertext.subarray(0, (blocks - 2) * BLOCK));
  full.set(cnMinus1Head, (blocks - 2) * BLOCK);
  full.set(d.subarray(tailLength), (blocks - 2) * BLOCK + tailLength);
  full.set(cn, (blocks - 1) * BLOCK);
  const p = primitives().aesCbcDecrypt(key, iv, full);
  d.fill(0);
  return p.subarray(0, n);
}

/** One AES block encryption, for DR (RFC 3961 §5.1) and the RFC 3962 PRF. */
export function aesEncryptBlocks(key: Uint8Array, data: Uint8Array): Uint8Array {
  return primitives().aesCbcEncrypt(key, new Uint8Array(BLOCK), data);
}
