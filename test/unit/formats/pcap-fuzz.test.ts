// Seeded mutations of a real MIT capture (and of its classic-pcap rewrite): the reader either reads
// them or throws CaptureError, never anything else, and never runs away.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CaptureError, readCapture, writePcap } from '../../../src/formats/pcap';
import { seeded } from './pcap-helpers';

const real = new Uint8Array(readFileSync('test/fixtures/captures/mit-kinit-kvno.pcapng'));
const classic = writePcap(
  readCapture(real).map((m) => ({ ...m, transport: m.transport as 'udp' | 'tcp' })),
  { mss: 300 },
);

/** One mutation: flipped bytes, a cut, an inserted or deleted run, or an interesting 32-bit value. */
function mutate(file: Uint8Array, rnd: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rnd() * n);
  let out = file.slice();
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = pick(out.length);
    switch (pick(6)) {
      case 0:
        out[at] = pick(256);
        break;
      case 1:
        out[at]! ^= 1 << pick(8);
        break;
      case 2:
        out = out.slice(0, at);
        break;
      case 3: {
        const n = 1 + pick(16);
        const ins = Uint8Array.from({ length: n }, () => pick(256));
        const next = new Uint8Array(out.length + n);
        next.set(out.subarray(0, at));
        next.set(ins, at);
        next.set(out.subarray(at), at + n);
        out = next;
        break;
      }
      case 4: {
        const n = 1 + pick(16);
        const end = Math.min(out.length, at + n);
        const next = new Uint8Array(out.length - (end - at));
        next.set(out.subarray(0, at));
        next.set(out.subarray(end), at);
        out = next;
        break;
      }
      default: {
        const values = [
          0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 3_000_000_000, 12, 16,
        ];
        if (at + 4 <= out.length)
          new DataView(out.buffer).setUint32(at & ~3, values[pick(values.length)]!, rnd() < 0.5);
      }
    }
    if (out.length === 0) break;
  }
  return out;
}

describe('fuzzing the reader with mutated real captures', () => {
  test.each([
    ['pcapng from dumpcap', 14_000, real, 0x5eed],
    ['classic pcap rewrite', 6_000, classic, 0xbeef],
  ])('%s: %i mutations give results or CaptureError only', { timeout: 60_000 }, (_name, runs, file, seed) => {
    const rnd = seeded(seed);
    let errors = 0;
    let messages = 0;
    for (let i = 0; i < runs; i++) {
      const m = mutate(file, rnd);
      try {
        messages += readCapture(m).length;
      } catch (e) {
        if (!(e instanceof CaptureError)) {
          throw new Error(`mutation ${i} (seed ${seed}) threw ${String(e)}`, { cause: e });
        }
        errors++;
      }
    }
    // Both outcomes occur: the mutations reach past the container checks into the packets.
    expect(errors).toBeGreaterThan(runs / 20);
    expect(messages).toBeGreaterThan(runs);
  });
});
