/**
 * PBKDF2 (RFC 8018 §5.2) in slices, for the string-to-key functions of RFC 3962 and RFC 8009, so that the
 * 32768 HMAC-SHA384 iterations of enctype 20 never hold a browser's main thread for long.
 *
 * @noble/hashes has its own async PBKDF2, but it yields through `scheduler.yield()`, whose continuations
 * run ahead of timers and of rendering: measured in Chromium, frames came every ~110 ms and timers not at
 * all. Here the slice is a fixed number of iterations (no clock is read: the core is clock-free), and the
 * yield is a function the caller may replace; the default gives the event loop a full macrotask turn.
 */
import { hmac } from '@noble/hashes/hmac.js';
import type { sha1 } from '@noble/hashes/legacy.js';
import { u32be } from '../util/bytes';
import { CryptoInputError } from './errors';

type Hash = typeof sha1;

/**
 * Hands control back to the event loop: a timer turn, so rendering and input run in between. It is told
 * how many PBKDF2 rounds are done of how many (for a progress bar), and may throw to stop the derivation:
 * the error comes out of string-to-key, and nothing half-made is kept.
 */
export type Yielder = (done: number, total: number) => Promise<void>;

/**
 * A PBKDF2 (RFC 8018 §5.2) the host provides, when it has a faster one than this pure-JS code: WebCrypto's
 * deriveBits in a browser, OpenSSL's through node:crypto in Node. It is handed in, never imported, so the
 * core stays free of I/O and of platform APIs; the string-to-key around it is the playground's own.
 */
export type Pbkdf2Provider = (
  hash: 'SHA-1' | 'SHA-256' | 'SHA-384',
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
) => Promise<Uint8Array>;

export const yieldToEventLoop: Yielder = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Iterations per slice. A slice of 512 HMAC-SHA384 rounds takes about 4 ms here (1 KB of hashing per
 * round), so even a device ten times slower stays well under 50 ms per slice.
 */
export const PBKDF2_SLICE = 512;

export async function pbkdf2Sliced(
  hash: Hash,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  dkLen: number,
  yieldNow: Yielder = yieldToEventLoop,
): Promise<Uint8Array> {
  // The keyed HMAC state is computed once and cloned per round, as every fast PBKDF2 does.
  const prf = hmac.create(hash, password);
  const hLen = prf.outputLen;
  const blocks = Math.ceil(dkLen / hLen);
  const out = new Uint8Array(blocks * hLen);
  const u = new Uint8Array(hLen);
  let scratch = prf.clone();
  const total = blocks * iterations;
  let done = 0;
  let sinceYield = 0;
  try {
    for (let block = 1; block <= blocks; block++) {
      // U1 = PRF(P, S || INT(i)); T = U1 xor U2 xor … xor Uc
      const t = out.subarray((block - 1) * hLen, block * hLen);
      scratch = prf._cloneInto(scratch);
      scratch.update(salt).update(u32be(block)).digestInto(u);
      t.set(u);
      done++;
      for (let i = 1; i < iterations; i++) {
        scratch = prf._cloneInto(scratch);
        scratch.update(u).digestInto(u);
        for (let j = 0; j < hLen; j++) t[j]! ^= u[j]!;
        done++;
        if (++sinceYield === PBKDF2_SLICE) {
          sinceYield = 0;
          await yieldNow(done, total);
        }
      }
    }
  } catch (e) {
    out.fill(0);
    throw e;
  } finally {
    prf.destroy();
    scratch.destroy();
    u.fill(0);
  }
  const key = out.slice(0, dkLen);
  out.fill(0);
  return key;
}

/** A host's PBKDF2 output, checked for the length asked (a copy: the caller wipes it). */
export function checkedTkey(tkey: Uint8Array, dkLen: number): Uint8Array {
  if (!(tkey instanceof Uint8Array) || tkey.length !== dkLen) {
    throw new CryptoInputError(`the host's PBKDF2 gave ${tkey?.length} bytes, ${dkLen} were asked for`);
  }
  return tkey.slice();
}
