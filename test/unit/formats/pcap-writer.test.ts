// The capture writer: synthesised Ethernet/IP/UDP/TCP that reads back as the same messages, with
// correct checksums and a TCP conversation whose sequence numbers add up.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  CaptureError,
  readCapture,
  readCaptureFrames,
  synthesiseFrames,
  writePcap,
  writePcapng,
  type MessageToWrite,
} from '../../../src/formats/pcap';
import { krbMessage } from './pcap-helpers';

const T0 = new Date(Date.UTC(2026, 2, 2, 8, 0, 0, 250));
const at = (ms: number) => new Date(T0.getTime() + ms);

const MESSAGES: MessageToWrite[] = [
  { time: at(0), src: '10.0.0.5:50000', dst: '10.0.0.1:88', transport: 'udp', bytes: krbMessage(10, 150) },
  { time: at(1), src: '10.0.0.1:88', dst: '10.0.0.5:50000', transport: 'udp', bytes: krbMessage(30, 100) },
  { time: at(2), src: '10.0.0.5:50001', dst: '10.0.0.1:88', transport: 'tcp', bytes: krbMessage(12, 3000) },
  { time: at(3), src: '10.0.0.1:88', dst: '10.0.0.5:50001', transport: 'tcp', bytes: krbMessage(13, 2500) },
  {
    time: at(4),
    src: '[2001:db8::5]:50002',
    dst: '[2001:db8::1]:88',
    transport: 'udp',
    bytes: krbMessage(10, 60),
  },
  {
    time: at(5),
    src: '[2001:db8::5]:50003',
    dst: '[2001:db8::1]:88',
    transport: 'tcp',
    bytes: krbMessage(10, 70),
  },
  {
    time: at(6),
    src: '[2001:db8::1]:88',
    dst: '[2001:db8::5]:50003',
    transport: 'tcp',
    bytes: krbMessage(11, 900),
  },
  {
    time: at(7),
    src: '10.0.0.5:50004',
    dst: '10.0.0.9:80',
    transport: 'kkdcp',
    bytes: Uint8Array.of(0x30, 1, 0),
  },
  {
    time: at(8),
    src: '10.0.0.9:80',
    dst: '10.0.0.5:50004',
    transport: 'kkdcp',
    bytes: Uint8Array.of(0x30, 2, 5, 0),
  },
];

const strip = (m: { time: Date; src: string; dst: string; transport: string; bytes: Uint8Array }) => ({
  time: m.time.getTime(),
  src: m.src,
  dst: m.dst,
  transport: m.transport,
  bytes: m.bytes,
});

describe('round trip through our own reader', () => {
  test.each([
    ['pcapng', writePcapng],
    ['pcap', writePcap],
  ])('%s: the same messages, endpoints, transports and times', (_name, write) => {
    expect(readCapture(write(MESSAGES)).map(strip)).toEqual(MESSAGES.map(strip));
  });

  test(
    'messages larger than the MSS travel in several segments and come back whole',
    { timeout: 30_000 },
    () => {
      for (const [mss, size] of [
        [1, 2000],
        [7, 20_000],
        [536, 60_000],
        [1460, 60_000],
        [65_000, 200_000],
      ] as const) {
        const big = [{ ...MESSAGES[2]!, bytes: krbMessage(12, size) }];
        expect(readCapture(writePcapng(big, { mss })).map((m) => m.bytes)).toEqual([big[0]!.bytes]);
      }
    },
  );

  test('the real MIT capture, rewritten, reads back as the same messages', () => {
    const real = readCapture(new Uint8Array(readFileSync('test/fixtures/captures/mit-kinit-kvno.pcapng')));
    const again = readCapture(
      writePcapng(real.map((m) => ({ ...m, transport: m.transport as 'udp' | 'tcp' }))),
    );
    expect(again.map(strip)).toEqual(real.map(strip));
  });

  test('the output is deterministic', () => {
    expect(writePcapng(MESSAGES)).toEqual(writePcapng(MESSAGES));
  });
});

/** RFC 1071 sum, written again here so that the writer is checked by other code than its own. */
function onesSum(bytes: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

interface Parsed {
  v6: boolean;
  proto: number;
  src: Uint8Array;
  dst: Uint8Array;
  l4: Uint8Array;
  ipHeader: Uint8Array;
}

function parse(frame: Uint8Array): Parsed {
  const ip = frame.subarray(14);
  if (ip[0]! >> 4 === 4) {
    const total = (ip[2]! << 8) | ip[3]!;
    return {
      v6: false,
      proto: ip[9]!,
      src: ip.subarray(12, 16),
      dst: ip.subarray(16, 20),
      l4: ip.subarray(20, total),
      ipHeader: ip.subarray(0, 20),
    };
  }
  return {
    v6: true,
    proto: ip[6]!,
    src: ip.subarray(8, 24),
    dst: ip.subarray(24, 40),
    l4: ip.subarray(40),
    ipHeader: ip.subarray(0, 40),
  };
}

function pseudo(p: Parsed): Uint8Array {
  const n = p.l4.length;
  if (!p.v6) return Uint8Array.from([...p.src, ...p.dst, 0, p.proto, n >> 8, n & 0xff]);
  return Uint8Array.from([...p.src, ...p.dst, 0, 0, n >> 8, n & 0xff, 0, 0, 0, p.proto]);
}

describe('checksums', () => {
  const frames = synthesiseFrames(MESSAGES).map((f) => parse(f.data));

  test('every IPv4 header sums to 0xffff', () => {
    for (const p of frames.filter((f) => !f.v6)) expect(onesSum(p.ipHeader)).toBe(0xffff);
  });

  test('every UDP and TCP segment sums to 0xffff over its pseudo-header', () => {
    expect(frames.length).toBeGreaterThan(20);
    for (const p of frames) {
      const padded = p.l4.length % 2 ? Uint8Array.from([...p.l4, 0]) : p.l4;
      expect(onesSum(Uint8Array.from([...pseudo(p), ...padded]))).toBe(0xffff);
    }
  });
});

describe('the TCP conversation', () => {
  const tcpOf = (f: { data: Uint8Array }) => {
    const p = parse(f.data);
    const dv = new DataView(p.l4.buffer, p.l4.byteOffset);
    return {
      sport: dv.getUint16(0),
      seq: dv.getUint32(4),
      ack: dv.getUint32(8),
      flags: p.l4[13]!,
      len: p.l4.length - (p.l4[12]! >> 4) * 4,
    };
  };
  const segs = synthesiseFrames(MESSAGES.slice(2, 4)).map(tcpOf);

  test('opens with SYN, SYN-ACK, ACK and closes with FIN, FIN-ACK, ACK after the reply', () => {
    const names = segs.map((s) =>
      [
        s.flags & 0x02 ? 'S' : '',
        s.flags & 0x01 ? 'F' : '',
        s.flags & 0x10 ? 'A' : '',
        s.len ? 'D' : '',
      ].join(''),
    );
    expect(names.slice(0, 3)).toEqual(['S', 'SA', 'A']);
    expect(names.slice(-3)).toEqual(['FA', 'FA', 'A']);
    expect(names.filter((n) => n === 'AD').length).toBeGreaterThan(2);
  });

  test('each side sends from where it left off, and acknowledges all the peer has sent', () => {
    const next = new Map<number, number>();
    for (const s of segs) {
      const peer = s.sport === 88 ? 50001 : 88;
      if (next.has(s.sport)) expect(s.seq).toBe(next.get(s.sport));
      if (s.flags & 0x10) expect(s.ack).toBe(next.get(peer));
      next.set(s.sport, (s.seq + s.len + (s.flags & 0x03 ? 1 : 0)) >>> 0);
    }
  });

  test('a port pair used again gets a new connection with new initial sequence numbers', () => {
    const again = synthesiseFrames([...MESSAGES.slice(2, 4), ...MESSAGES.slice(2, 4)]).map(tcpOf);
    const syns = again.filter((s) => s.flags === 0x02);
    expect(syns).toHaveLength(2);
    expect(syns[0]!.seq).not.toBe(syns[1]!.seq);
  });

  test('never more than 32 KiB in flight without an acknowledgement', () => {
    const big = synthesiseFrames([{ ...MESSAGES[2]!, bytes: krbMessage(12, 200_000) }]).map(tcpOf);
    let inFlight = 0;
    for (const s of big) {
      if (s.sport === 88) inFlight = 0;
      else inFlight += s.len;
      expect(inFlight).toBeLessThanOrEqual(32_768);
    }
  });
});

describe('pcapng layout', () => {
  test('one section, one Ethernet interface, one EPB per frame, comments kept', () => {
    const file = writePcapng([{ ...MESSAGES[0]!, comment: 'AS-REQ from alice' }]);
    const dv = new DataView(file.buffer);
    expect(dv.getUint32(0, true)).toBe(0x0a0d0d0a);
    expect(dv.getUint32(8, true)).toBe(0x1a2b3c4d);
    const frames = readCaptureFrames(file);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.linkType).toBe(1);
    expect(new TextDecoder().decode(file)).toContain('AS-REQ from alice');
  });
});

describe('what cannot be written gives CaptureError', () => {
  test.each([
    [
      'an endpoint without a port',
      { src: '10.0.0.1', dst: '10.0.0.2:88' },
      /src "10.0.0.1" is not "ip:port"/,
    ],
    ['an IPv6 address without brackets', { src: '2001:db8::1:88', dst: '10.0.0.2:88' }, /not "ip:port"/],
    ['a port above 65535', { src: '10.0.0.1:70000', dst: '10.0.0.2:88' }, /not "ip:port"/],
    ['a bad IPv4 octet', { src: '10.0.0.256:1', dst: '10.0.0.2:88' }, /not "ip:port"/],
    ['IPv4 to IPv6', { src: '10.0.0.1:1', dst: '[::1]:88' }, /mixing IPv4 and IPv6/],
    ['an invalid time', { time: new Date(NaN) }, /no valid time/],
    ['a UDP datagram over 65507 bytes', { bytes: new Uint8Array(70_000) }, /too many for one UDP datagram/],
    ['a comment too long for pcapng', { comment: 'x'.repeat(70_000) }, /comment longer than a pcapng option/],
    ['an unknown transport', { transport: 'sctp' }, /transport "sctp"/],
  ])('%s', (_name, change, message) => {
    const m = { ...MESSAGES[0]!, ...change } as MessageToWrite;
    expect(() => writePcapng([m])).toThrowError(CaptureError);
    expect(() => writePcapng([m])).toThrowError(message);
  });
});
