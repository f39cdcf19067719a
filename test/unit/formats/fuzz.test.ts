// Fuzzing every reader with mutated real files (seeded): a keytab, ccache or PAC reader may accept a
// mutated file or refuse it with a FormatError, and nothing else — no RangeError, no TypeError, no
// runaway allocation, no hang. Each reader gets at least 20,000 mutated files.
import { describe, expect, test } from 'vitest';
import {
  decodeCcache,
  decodeKeytab,
  decodePac,
  decodePacBuffer,
  encodeCcache,
  encodeKeytab,
  FormatError,
  verifyPac,
} from '../../../src/formats';
import { fromHex } from '../../../src/util/bytes';
import keytabs from '../../fixtures/vectors/keytabs.json';
import ccaches from '../../fixtures/vectors/ccache.json';
import pacs from '../../fixtures/vectors/pac.json';

const RUNS = 20_000;

/** xorshift32: a small seeded generator, so that a failing case can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return { next, below: (n: number) => next() % n };
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x20];

/** One to four mutations: bit flips, interesting bytes, big 32-bit values, cuts, inserts, repeats. */
function mutate(src: Uint8Array, r: ReturnType<typeof rng>): Uint8Array {
  let b = src.slice();
  const n = 1 + r.below(4);
  for (let i = 0; i < n && b.length > 0; i++) {
    const at = r.below(b.length);
    switch (r.below(7)) {
      case 0:
        b[at]! ^= 1 << r.below(8);
        break;
      case 1:
        b[at] = INTERESTING[r.below(INTERESTING.length)]!;
        break;
      case 2: {
        const v = [0xffffffff, 0x7fffffff, 0x80000000, 0x00010000, 0][r.below(5)]!;
        for (let k = 0; k < 4 && at + k < b.length; k++)
          b[at + k] = (v >>> (8 * (r.below(2) ? k : 3 - k))) & 0xff;
        break;
      }
      case 3:
        b = b.slice(0, at);
        break;
      case 4: {
        const extra = Uint8Array.from({ length: 1 + r.below(16) }, () => r.below(256));
        const out = new Uint8Array(b.length + extra.length);
        out.set(b.subarray(0, at));
        out.set(extra, at);
        out.set(b.subarray(at), at + extra.length);
        b = out;
        break;
      }
      case 5: {
        const len = Math.min(1 + r.below(32), b.length - at);
        const out = new Uint8Array(b.length - len);
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + len), at);
        b = out;
        break;
      }
      default: {
        const len = Math.min(1 + r.below(64), b.length - at);
        const chunk = b.slice(at, at + len);
        const out = new Uint8Array(b.length + len);
        out.set(b.subarray(0, at + len));
        out.set(chunk, at + len);
        out.set(b.subarray(at + len), at + 2 * len);
        b = out;
      }
    }
  }
  return b;
}

/** Runs `read` over RUNS mutations of the samples; any error but FormatError fails, with its seed. */
function fuzz(name: string, samples: Uint8Array[], seed: number, read: (b: Uint8Array) => void) {
  const r = rng(seed);
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < RUNS; i++) {
    const input = mutate(samples[i % samples.length]!, r);
    try {
      read(input);
      accepted++;
    } catch (e) {
      if (!(e instanceof FormatError)) {
        throw new Error(
          `${name} run ${i} (seed ${seed}) threw ${String(e)} on ${Buffer.from(input).toString('hex')}`,
          { cause: e },
        );
      }
      expect(e.message.startsWith(`${e.format}: `)).toBe(true);
      refused++;
    }
  }
  // Both outcomes happen: the mutations reach past the first bytes.
  expect(accepted).toBeGreaterThan(0);
  expect(refused).toBeGreaterThan(0);
  return { accepted, refused };
}

describe('fuzzing the readers with mutated real files', () => {
  test(`keytab: ${RUNS} mutated files, FormatError or a keytab`, () => {
    const samples = keytabs.keytabs.map((k) => fromHex(k.hex));
    fuzz('keytab', samples, 0x6b74, (b) => {
      const kt = decodeKeytab(b);
      encodeKeytab(kt);
    });
  });

  test(`ccache: ${RUNS} mutated files, FormatError or a cache`, () => {
    const samples = ccaches.ccaches.map((c) => fromHex(c.hex));
    fuzz('ccache', samples, 0x6363, (b) => {
      const cc = decodeCcache(b);
      encodeCcache(cc);
    });
  });

  test(`PAC: ${RUNS} mutated PACs (strict and lenient decoding), FormatError or a PAC`, () => {
    const whole = pacs.pacs.filter((p) => !('buffer_type' in p)).map((p) => fromHex(p.hex));
    fuzz('pac', whole, 0x7061, (b) => {
      try {
        decodePac(b);
      } finally {
        decodePac(b, { lenient: true });
      }
    });
  });

  test(`LOGON_INFO alone: ${RUNS} mutated KERB_VALIDATION_INFO buffers`, () => {
    const samples = pacs.pacs.map((p) => {
      const bytes = fromHex(p.hex);
      if ('buffer_type' in p) return bytes;
      const b = decodePac(bytes).buffers.find((x) => x.type === 1)!;
      return b.bytes;
    });
    fuzz('logon info', samples, 0x4c49, (b) => decodePacBuffer(1, b));
  });

  test('PAC verification of 2,000 mutated PACs reports, never throws past the header', () => {
    const p = pacs.pacs.find((x) => x.name === 'knet-tgt-pac-testuser-CORP')!;
    const key = {
      etype: 18,
      bytes: fromHex(
        (p.keys as { server_and_kdc_signature_key_hex: string }).server_and_kdc_signature_key_hex,
      ),
    };
    const r = rng(0x7665);
    let valid = 0;
    for (let i = 0; i < 2000; i++) {
      const b = mutate(fromHex(p.hex), r);
      try {
        if (verifyPac(b, { serverKey: key, kdcKey: key }).ok) valid++;
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`verify run ${i} threw ${String(e)}`, { cause: e });
      }
    }
    // Mutations that only touch padding leave a valid PAC; almost all others must not verify.
    expect(valid).toBeLessThan(200);
  });
});
