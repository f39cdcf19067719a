/**
 * Fuzzing: real messages, mutated (byte and bit flips, truncations, insertions, deletions, length
 * tweaks) with a seeded generator, must either decode or fail with DecodeError: never another
 * exception, never a hang. Whatever still decodes must re-encode to the very bytes given, because strict
 * DER has one encoding per value.
 */
import { expect, test } from 'vitest';
import fixture from '../../fixtures/vectors/messages.json';
import { DecodeError, decodeKerberos, encodeKerberos } from '../../../src/asn1';
import type { KerberosPdu } from '../../../src/asn1';
import { fromHex, toHex } from '../../../src/util/bytes';

const CASES = 100_000;
/** A generous guard per case: a decode that takes this long is a hang in the making (one case is ~0.3 ms). */
// A hang detector that names the input, not a speed target: a case normally takes microseconds, a GC
// pause on a loaded 2-core machine reaches seconds, and a hang never ends.
const SLOW_CASE_MS = 30_000;

const originals = (fixture as unknown as { samples: { hex: string }[] }).samples.map((s) => fromHex(s.hex));

/** mulberry32: small, seeded, good enough to spread mutations; the run is the same every time. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutator = (b: Uint8Array, r: () => number) => Uint8Array;
const pick = (r: () => number, n: number) => Math.floor(r() * n);

/**
 * Most mutations land in DER headers (the first bytes of elements), where a decoder's logic lives;
 * a flip inside a 1 KB ciphertext tests nothing. So positions are biased towards the structure.
 */
function position(b: Uint8Array, r: () => number): number {
  if (r() < 0.5) return pick(r, Math.min(b.length, 96));
  return pick(r, b.length);
}

const MUTATORS: [string, Mutator][] = [
  [
    'byte',
    (b, r) => {
      const c = b.slice();
      c[position(c, r)] = pick(r, 256);
      return c;
    },
  ],
  [
    'bit',
    (b, r) => {
      const c = b.slice();
      c[position(c, r)]! ^= 1 << pick(r, 8);
      return c;
    },
  ],
  ['truncate', (b, r) => b.slice(0, pick(r, b.length))],
  [
    'insert',
    (b, r) => {
      const at = position(b, r);
      const extra = Uint8Array.from({ length: 1 + pick(r, 4) }, () => (r() < 0.3 ? 0x80 : pick(r, 256)));
      const c = new Uint8Array(b.length + extra.length);
      c.set(b.subarray(0, at));
      c.set(extra, at);
      c.set(b.subarray(at), at + extra.length);
      return c;
    },
  ],
  [
    'delete',
    (b, r) => {
      const n = 1 + pick(r, 4);
      const c = new Uint8Array(Math.max(0, b.length - n));
      const at = Math.min(position(b, r), c.length);
      c.set(b.subarray(0, at));
      c.set(b.subarray(at + n).subarray(0, c.length - at), at);
      return c;
    },
  ],
  [
    'length',
    (b, r) => {
      // Nudge the byte after a tag-looking byte: that is where lengths sit.
      const c = b.slice();
      const at = position(c, r);
      const i = Math.min(c.length - 1, at + 1);
      const d = [1, -1, 2, -2, 0x80, 0x7f][pick(r, 6)]!;
      c[i] = (c[i]! + d) & 0xff;
      return c;
    },
  ],
  [
    'splice',
    (b, r) => {
      // A piece of another message pasted in: valid DER in the wrong place.
      const other = originals[pick(r, originals.length)]!;
      const from = pick(r, other.length);
      const piece = other.subarray(from, from + 1 + pick(r, 24));
      const c = b.slice();
      const at = Math.min(position(b, r), c.length);
      c.set(piece.subarray(0, c.length - at), at);
      return c;
    },
  ],
];

test(`${CASES} mutated real messages give only DecodeError, never another exception or a hang`, () => {
  const r = rng(0x6b7262);
  const outcomes = { decoded: 0, rejected: 0 };
  let slowest = 0;
  const started = performance.now();
  for (let i = 0; i < CASES; i++) {
    let input = originals[i % originals.length]!;
    const rounds = 1 + pick(r, 3);
    for (let k = 0; k < rounds; k++) input = MUTATORS[pick(r, MUTATORS.length)]![1](input, r);
    const t0 = performance.now();
    try {
      const d = decodeKerberos(input);
      outcomes.decoded++;
      if (d.framing.length === 0) {
        const again = encodeKerberos(d as KerberosPdu);
        if (toHex(again) !== toHex(input))
          throw new Error(`case ${i}: decoded but re-encodes differently: ${toHex(input)}`);
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        throw new Error(
          `case ${i}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} on input ${toHex(input)}`,
          { cause: e },
        );
      }
      outcomes.rejected++;
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    if (ms > SLOW_CASE_MS) throw new Error(`case ${i}: took ${ms.toFixed(0)} ms on input ${toHex(input)}`);
  }
  const total = performance.now() - started;
  console.log(
    `fuzz: ${CASES} cases in ${(total / 1000).toFixed(1)} s (${((total * 1000) / CASES).toFixed(0)} µs each, slowest ${slowest.toFixed(1)} ms); ` +
      `${outcomes.decoded} still decoded, ${outcomes.rejected} rejected with DecodeError`,
  );
  expect(outcomes.decoded + outcomes.rejected).toBe(CASES);
  expect(outcomes.rejected).toBeGreaterThan(CASES / 4);
}, 900_000);
