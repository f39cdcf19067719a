/**
 * The simulation's random source: seeded and snapshot-able, so the same seed and the same actions give
 * byte-identical runs (confounders, nonces, session keys). Never Math.random.
 *
 * xoshiro128** (Blackman and Vigna): small state, good statistical quality, trivially serialised. This is
 * not a cryptographic generator and does not need to be: the simulation's keys protect nothing. Node's
 * adapters (src/node) use a cryptographic source instead.
 */
import type { RandomSource } from '../crypto';

export type RandomState = [number, number, number, number];

/** Four 32-bit words of state from a seed (splitmix32 spreads the seed's bits). */
export function seedRandomState(seed: number): RandomState {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state: RandomState = [next(), next(), next(), next()];
  if (state.every((w) => w === 0)) state[0] = 1;
  return state;
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** One 32-bit output, advancing the state in place. */
export function nextWord(s: RandomState): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
  const t = (s[1] << 9) >>> 0;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  for (let i = 0; i < 4; i++) s[i] = s[i]! >>> 0;
  return result;
}

/** A RandomSource drawing from (and advancing) the given state. */
export function randomSourceOf(state: RandomState): RandomSource {
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const w = nextWord(state);
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (w >>> (8 * j)) & 0xff;
    }
    return out;
  };
}

/** A number in [0, 1), for loss decisions. */
export function nextUnit(state: RandomState): number {
  return nextWord(state) / 0x100000000;
}
