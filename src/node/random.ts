/**
 * The randomness real sockets need: the operating system's cryptographic generator (node:crypto
 * randomFillSync), never the seeded source the simulation replays with.
 *
 * A KDC asks for many small pieces per exchange (session keys, confounders); each system call costs
 * more than the bytes, so they come from a 16 KiB pool refilled from the generator when spent. Every
 * byte is used once, and every caller gets its own copy.
 */
import { randomFillSync } from 'node:crypto';
import type { RandomSource } from '../crypto';

const POOL_BYTES = 16 * 1024;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;

export const cryptoRandom: RandomSource = (length: number) => {
  if (length > POOL_BYTES / 4) return randomFillSync(new Uint8Array(length));
  if (used + length > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const out = pool.slice(used, used + length);
  pool.fill(0, used, used + length); // a byte handed out does not stay behind in the pool
  used += length;
  return out;
};
