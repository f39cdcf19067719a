import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  CaptureError,
  CaptureStream,
  MAX_INTERFACES,
  readCapture,
  writePcap,
  writePcapng,
  LINKTYPE,
} from '../../../src/formats/pcap';
import { PcapngBuilder, ethernet, ip4Packet, ipv4, krbMessage, udp } from './pcap-helpers';

const dir = new URL('../../fixtures/captures/', import.meta.url);
const mit = new Uint8Array(readFileSync(new URL('mit-kinit-kvno.pcapng', dir)));
const messages = readCapture(mit);
/** The MIT capture's messages written again: TCP (records cut in several segments), UDP and KKDCP, pcap and pcapng. */
const mixed = messages.map((m, i) => ({ ...m, transport: (['udp', 'tcp', 'kkdcp'] as const)[i % 3]! }));
const files: [string, Uint8Array][] = [
  ['MIT pcapng', mit],
  ['pcap', writePcap(mixed, { mss: 200 })],
  [
    'pcapng, two sections',
    new Uint8Array([...writePcapng(mixed.slice(0, 9)), ...writePcapng(mixed.slice(9))]),
  ],
];

/** A small seeded generator: the cut points differ from run to run of the loop, never between runs. */
function cuts(seed: number, length: number, count: number): number[] {
  let x = seed;
  const out = new Set<number>();
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.add(x % length);
  }
  return [...out].sort((a, b) => a - b);
}

function streamed(file: Uint8Array, at: number[]) {
  const s = new CaptureStream();
  const out = [];
  let from = 0;
  for (const c of [...at, file.length]) {
    out.push(...s.push(file.slice(from, c)));
    from = c;
  }
  out.push(...s.finish());
  return out;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
    return (e as Error).message;
  }
  return 'no error';
}

describe('CaptureStream: a capture read in pieces', () => {
  test.each(files)('%s: chunks cut at any points give the messages of the whole file', (_, file) => {
    const whole = readCapture(file);
    expect(whole.length).toBeGreaterThan(10);
    for (let seed = 1; seed <= 25; seed++) {
      expect(streamed(file, cuts(seed, file.length, 1 + (seed % 12)))).toEqual(whole);
    }
    const everyFew = Array.from({ length: Math.floor((file.length - 1) / 3) }, (_, i) => 3 * i + 1);
    expect(streamed(file, everyFew)).toEqual(whole);
  });

  test.each(files)('%s: a file cut short or damaged gives the error of the whole file', (_, file) => {
    for (const end of [3, 20, 100, file.length - 5]) {
      const short = file.slice(0, end);
      const expected = errorOf(() => readCapture(short));
      expect(expected).not.toBe('no error');
      for (let seed = 1; seed <= 5; seed++)
        expect(errorOf(() => streamed(short, cuts(seed, end, 4)))).toBe(expected);
    }
    const bad = file.slice();
    bad[file.length - 1] = bad[file.length - 1]! ^ 0x40; // a pcapng trailer that disagrees; in pcap, a byte of the last packet
    expect(errorOf(() => streamed(bad, cuts(7, bad.length, 6)))).toBe(errorOf(() => readCapture(bad)));
  });

  test('a section with more interface blocks than the bound: the same typed error, whole or in pieces', () => {
    const le = (n: number, bytes: number) => Array.from({ length: bytes }, (_, i) => (n >>> (8 * i)) & 0xff);
    // a section header (28 bytes), then MAX_INTERFACES + 1 interface description blocks of 20 bytes each
    const shb = [
      ...le(0x0a0d0d0a, 4),
      ...le(28, 4),
      ...le(0x1a2b3c4d, 4),
      1,
      0,
      0,
      0,
      ...le(-1, 4),
      ...le(-1, 4),
      ...le(28, 4),
    ];
    const idb = [...le(1, 4), ...le(20, 4), 1, 0, 0, 0, ...le(65535, 4), ...le(20, 4)];
    const file = new Uint8Array([...shb, ...Array.from({ length: MAX_INTERFACES + 1 }, () => idb).flat()]);
    const whole = errorOf(() => readCapture(file));
    expect(whole).toMatch(new RegExp(`one more than the ${MAX_INTERFACES} a section may have`));
    expect(errorOf(() => streamed(file, cuts(3, file.length, 5)))).toBe(whole);
    // at the bound itself the file reads: no messages, no error
    expect(readCapture(file.slice(0, 28 + 20 * MAX_INTERFACES))).toEqual([]);
  });

  test('a Simple Packet Block takes the time of the frame before it, wherever the chunks are cut', () => {
    // SPBs have no time of their own (pcapng §4.4): the reader repeats the last one, across chunks too
    const frame = (n: number) =>
      ethernet(
        ip4Packet(ipv4('192.0.2.1'), ipv4('192.0.2.88'), 17, udp(50000 + n, 88, krbMessage(10, 20 + n))),
      );
    const t1 = 1_767_261_600_000_000n; // 2026-01-01T10:00:00Z in microseconds
    const file = new PcapngBuilder()
      .shb()
      .idb(LINKTYPE.ETHERNET)
      .epb(0, t1, frame(1))
      .spb(frame(2))
      .spb(frame(3))
      .epb(0, t1 + 2_500_000n, frame(4))
      .spb(frame(5))
      .bytes();
    const whole = readCapture(file);
    expect(whole.map((m) => m.time.toISOString())).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:00:02.500Z',
      '2026-01-01T10:00:02.500Z',
    ]);
    for (let at = 1; at < file.length; at++) expect(streamed(file, [at])).toEqual(whole);
    expect(
      streamed(
        file,
        Array.from({ length: file.length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(whole);
  });

  test('not a capture at all', () => {
    const text = new TextEncoder().encode('hello, not a capture');
    expect(errorOf(() => streamed(text, [2, 9]))).toBe(errorOf(() => readCapture(text)));
  });
});
