/**
 * The randomness real sockets need: the operating system's cryptographic generator (node:crypto
 * randomBytes), never the seeded source the simulation replays with.
 */
import { randomBytes } from 'node:crypto';
import type { RandomSource } from '../crypto';

export const cryptoRandom: RandomSource = (length: number) => {
  const b = randomBytes(length);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};
