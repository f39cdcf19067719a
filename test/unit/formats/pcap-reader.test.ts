// The capture reader: containers, link types, IP versions, UDP, TCP reassembly and MS-KKDCP over HTTP.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  CaptureError,
  LINKTYPE,
  MAX_CAPTURE_MESSAGES,
  MAX_TCP_STREAMS,
  readCapture,
  readCaptureFrames,
} from '../../../src/formats/pcap';
import { KrbPlayError, utf8 } from '../../../src/util';
import {
  ACK,
  ethernet,
  FIN,
  ip4Packet,
  ip6Packet,
  ipv4,
  ipv6,
  join,
  krbMessage,
  PcapngBuilder,
  pcapFile,
  PSH,
  record,
  RST,
  SYN,
  tcp,
  udp,
} from './pcap-helpers';

const FIXTURE = 'test/fixtures/captures/mit-kinit-kvno';
const CLIENT = ipv4('192.0.2.10');
const KDC = ipv4('192.0.2.88');
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);

/** Ethernet frames of one UDP datagram each, client -> KDC. */
const udpFrame = (msg: Uint8Array, sport = 50000, dport = 88) =>
  ethernet(ip4Packet(CLIENT, KDC, 17, udp(sport, dport, msg)));
/** An Ethernet/IPv4 TCP segment. */
const seg = (from: 'c' | 's', seq: number, flags: number, payload: Uint8Array = new Uint8Array(0)) =>
  from === 'c'
    ? ethernet(ip4Packet(CLIENT, KDC, 6, tcp(50001, 88, seq, flags, payload)))
    : ethernet(ip4Packet(KDC, CLIENT, 6, tcp(88, 50001, seq, flags, payload)));
const capture = (frames: Uint8Array[]) =>
  pcapFile(
    LINKTYPE.ETHERNET,
    frames.map((data, i) => ({ data, ms: T0 + i })),
  );
const summary = (file: Uint8Array) =>
  readCapture(file).map((m) => ({
    frame: m.frame,
    src: m.src,
    dst: m.dst,
    transport: m.transport,
    len: m.bytes.length,
    tag: m.bytes[0],
  }));

const ASREQ = krbMessage(10, 200);
const ASREP = krbMessage(11, 700);
const TGSREQ = krbMessage(12, 1500);

describe('the MIT capture (dumpcap on loopback, Debian krb5 1.20)', () => {
  const file = new Uint8Array(readFileSync(`${FIXTURE}.pcapng`));
  const tshark = JSON.parse(readFileSync(`${FIXTURE}.tshark.json`, 'utf8')) as {
    messages: { frame: number; src: string; dst: string; transport: string; msgType: number }[];
  };

  test('yields exactly the Kerberos messages tshark lists: frame, endpoints, transport, message type', () => {
    const ours = readCapture(file).map((m) => ({
      frame: m.frame,
      src: m.src,
      dst: m.dst,
      transport: m.transport,
      msgType: m.bytes[0]! & 0x1f,
    }));
    expect(ours).toEqual(
      tshark.messages.map(({ frame, src, dst, transport, msgType }) => ({
        frame,
        src,
        dst,
        transport,
        msgType,
      })),
    );
  });

  test('skips the non-Kerberos marker datagrams but still counts their frames', () => {
    const frames = readCaptureFrames(file);
    expect(frames[0]!.frame).toBe(1);
    expect(readCapture(file)[0]!.frame).toBeGreaterThan(1);
    expect(frames.every((f) => f.linkType === LINKTYPE.ETHERNET)).toBe(true);
  });

  test('gives TCP records without their length prefix, each a whole DER message', () => {
    for (const m of readCapture(file).filter((x) => x.transport === 'tcp')) {
      const lenByte = m.bytes[1]!;
      const n = lenByte & 0x7f;
      let len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + m.bytes[2 + i]!;
      expect(2 + n + len).toBe(m.bytes.length);
    }
  });
});

describe('classic pcap', () => {
  const recs = [
    { data: udpFrame(ASREQ), ms: T0 + 1234 },
    { data: udpFrame(ASREP, 88, 50000), ms: T0 + 2345 },
  ];
  test.each([
    ['little-endian, microseconds', { bigEndian: false, nanos: false }],
    ['big-endian, microseconds', { bigEndian: true, nanos: false }],
    ['little-endian, nanoseconds', { bigEndian: false, nanos: true }],
    ['big-endian, nanoseconds', { bigEndian: true, nanos: true }],
  ])('%s: messages and times', (_name, opts) => {
    const got = readCapture(pcapFile(LINKTYPE.ETHERNET, recs, opts));
    expect(got.map((m) => [m.frame, m.time.toISOString(), m.transport, m.bytes.length])).toEqual([
      [1, new Date(T0 + 1234).toISOString(), 'udp', ASREQ.length],
      [2, new Date(T0 + 2345).toISOString(), 'udp', ASREP.length],
    ]);
  });
});

describe('pcapng', () => {
  const a = udpFrame(ASREQ);
  const b = udpFrame(ASREP, 88, 50000);
  test.each([
    ['little-endian', true],
    ['big-endian', false],
  ])('%s section: EPB timestamps in the default microseconds', (_n, le) => {
    const file = new PcapngBuilder(le)
      .shb()
      .idb(LINKTYPE.ETHERNET)
      .epb(0, BigInt(T0) * 1000n + 5n, a)
      .bytes();
    const [m] = readCapture(file);
    expect(m!.time.getTime()).toBe(T0);
    expect(m!.src).toBe('192.0.2.10:50000');
  });

  test('if_tsresol 9 (nanoseconds), 2^-20 units, and if_tsoffset', () => {
    const file = new PcapngBuilder()
      .shb()
      .idb(LINKTYPE.ETHERNET, { tsresol: 9 })
      .idb(LINKTYPE.ETHERNET, { tsresol: 0x80 | 20 })
      .idb(LINKTYPE.ETHERNET, { tsoffset: 3600 })
      .epb(0, BigInt(T0) * 1_000_000n + 999_999n, a)
      .epb(1, (BigInt(T0) << 20n) / 1000n, b)
      .epb(2, BigInt(T0) * 1000n, a)
      .bytes();
    expect(readCapture(file).map((m) => m.time.getTime())).toEqual([T0, T0, T0 + 3_600_000]);
  });

  test('skips unknown blocks without counting them as frames; counts SPB and the obsolete PB', () => {
    const file = new PcapngBuilder()
      .shb()
      .block(4, [new Uint8Array(4)]) // name resolution block (its end-of-records only)
      .idb(LINKTYPE.ETHERNET)
      .block(0x40000bad, [new Uint8Array(8)]) // custom block
      .spb(a)
      .pb(0, BigInt(T0) * 1000n, b)
      .block(5, [new Uint8Array(16)]) // interface statistics
      .epb(0, BigInt(T0) * 1000n, a)
      .bytes();
    expect(readCapture(file).map((m) => m.frame)).toEqual([1, 2, 3]);
    expect(readCaptureFrames(file)).toHaveLength(3);
  });

  test('a second section resets the interfaces and may change byte order', () => {
    const one = new PcapngBuilder(true).shb().idb(LINKTYPE.ETHERNET).epb(0, 0n, a).bytes();
    const two = new PcapngBuilder(false)
      .shb()
      .idb(LINKTYPE.RAW)
      .epb(0, 0n, ip4Packet(CLIENT, KDC, 17, udp(1, 88, ASREQ)))
      .bytes();
    const frames = readCaptureFrames(join([one, two]));
    expect(frames.map((f) => [f.frame, f.linkType])).toEqual([
      [1, LINKTYPE.ETHERNET],
      [2, LINKTYPE.RAW],
    ]);
    expect(readCapture(join([one, two]))).toHaveLength(2);
  });
});

describe('link types', () => {
  const ip = ip4Packet(CLIENT, KDC, 17, udp(50000, 88, ASREQ));
  const ip6 = ip6Packet(
    ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]),
    ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x88]),
    17,
    udp(50000, 88, ASREQ),
  );
  const sll = (p: Uint8Array, etherType: number) =>
    Uint8Array.from([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, etherType >> 8, etherType & 0xff, ...p]);
  const sll2 = (p: Uint8Array, etherType: number) =>
    Uint8Array.from([
      etherType >> 8,
      etherType & 0xff,
      0,
      0,
      0,
      0,
      0,
      1,
      0,
      1,
      0,
      6,
      2,
      0,
      0,
      0,
      0,
      1,
      0,
      0,
      ...p,
    ]);
  test.each([
    ['Ethernet', LINKTYPE.ETHERNET, ethernet(ip)],
    ['Ethernet with an 802.1Q tag', LINKTYPE.ETHERNET, ethernet(ip, 1)],
    ['Ethernet with 802.1ad + 802.1Q tags', LINKTYPE.ETHERNET, ethernet(ip, 2)],
    ['BSD loopback (DLT_NULL, host order)', LINKTYPE.NULL, Uint8Array.from([2, 0, 0, 0, ...ip])],
    ['OpenBSD loopback (DLT_LOOP, network order)', LINKTYPE.LOOP, Uint8Array.from([0, 0, 0, 2, ...ip])],
    ['raw IP', LINKTYPE.RAW, ip],
    ['LINKTYPE_IPV4', LINKTYPE.IPV4, ip],
    ['Linux cooked v1 (SLL)', LINKTYPE.LINUX_SLL, sll(ip, 0x0800)],
    ['Linux cooked v2 (SLL2)', LINKTYPE.LINUX_SLL2, sll2(ip, 0x0800)],
  ])('%s', (_name, linkType, frame) => {
    const [m] = readCapture(pcapFile(linkType, [{ data: frame, ms: T0 }]));
    expect(m).toMatchObject({ src: '192.0.2.10:50000', dst: '192.0.2.88:88', transport: 'udp' });
    expect(m!.bytes).toEqual(ASREQ);
  });

  test.each([
    ['Ethernet', LINKTYPE.ETHERNET, ethernet(ip6)],
    ['DLT_NULL with AF_INET6 = 24', LINKTYPE.NULL, Uint8Array.from([24, 0, 0, 0, ...ip6])],
    ['DLT_LOOP with AF_INET6 = 30', LINKTYPE.LOOP, Uint8Array.from([0, 0, 0, 30, ...ip6])],
    ['LINKTYPE_IPV6', LINKTYPE.IPV6, ip6],
    ['SLL', LINKTYPE.LINUX_SLL, sll(ip6, 0x86dd)],
    ['SLL2', LINKTYPE.LINUX_SLL2, sll2(ip6, 0x86dd)],
  ])('IPv6 over %s', (_name, linkType, frame) => {
    const [m] = readCapture(pcapFile(linkType, [{ data: frame, ms: T0 }]));
    expect(m).toMatchObject({ src: '[2001:db8::1]:50000', dst: '[2001:db8::88]:88', transport: 'udp' });
  });

  test('frames of other link types and EtherTypes (ARP) are passed over', () => {
    const arp = Uint8Array.from([...ethernet(ip).subarray(0, 12), 0x08, 0x06, ...new Uint8Array(28)]);
    expect(readCapture(pcapFile(LINKTYPE.ETHERNET, [{ data: arp, ms: T0 }]))).toEqual([]);
    expect(readCapture(pcapFile(147, [{ data: ip, ms: T0 }]))).toEqual([]);
  });
});

describe('IP', () => {
  test('IPv6 extension headers (hop-by-hop, routing, destination options) are skipped', () => {
    const p = ip6Packet(
      ipv6([0xfe80, 0, 0, 0, 0, 0, 0, 1]),
      ipv6([0, 0, 0, 0, 0, 0, 0, 1]),
      17,
      udp(5000, 88, ASREQ),
      [
        [0, 0],
        [43, 1],
        [60, 0],
      ],
    );
    const [m] = readCapture(pcapFile(LINKTYPE.RAW, [{ data: p, ms: T0 }]));
    expect(m).toMatchObject({ src: '[fe80::1]:5000', dst: '[::1]:88' });
    expect(m!.bytes).toEqual(ASREQ);
  });

  test('IPv4 options (IHL > 5) are skipped', () => {
    const base = ip4Packet(CLIENT, KDC, 17, udp(5000, 88, ASREQ));
    const withOpts = new Uint8Array(base.length + 4);
    withOpts.set(base.subarray(0, 20));
    withOpts[0] = 0x46;
    withOpts.set([1, 1, 1, 0], 20); // NOP NOP NOP EOL
    withOpts.set(base.subarray(20), 24);
    new DataView(withOpts.buffer).setUint16(2, withOpts.length);
    expect(readCapture(pcapFile(LINKTYPE.RAW, [{ data: withOpts, ms: T0 }]))).toHaveLength(1);
  });

  test('Ethernet padding after the IP total length is ignored', () => {
    const f = join([udpFrame(krbMessage(30, 10)), new Uint8Array(20)]);
    expect(readCapture(pcapFile(LINKTYPE.ETHERNET, [{ data: f, ms: T0 }]))[0]!.bytes).toEqual(
      krbMessage(30, 10),
    );
  });

  test('a frame cut by the snap length is passed over, not misread', () => {
    const f = udpFrame(ASREQ).subarray(0, 60);
    expect(readCapture(pcapFile(LINKTYPE.ETHERNET, [{ data: f, ms: T0 }]))).toEqual([]);
  });
});

describe('UDP', () => {
  test('on any port', () => {
    expect(summary(capture([udpFrame(ASREQ, 40000, 8888)]))).toEqual([
      {
        frame: 1,
        src: '192.0.2.10:40000',
        dst: '192.0.2.88:8888',
        transport: 'udp',
        len: ASREQ.length,
        tag: 0x6a,
      },
    ]);
  });

  test('datagrams that are not a Kerberos message (DNS, wrong DER length) are passed over', () => {
    const dns = Uint8Array.from([
      0x6a, 0x12, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 0, 0, 1, 0, 1,
    ]);
    const short = krbMessage(10, 50).subarray(0, 40);
    expect(readCapture(capture([udpFrame(dns, 5353, 53), udpFrame(short)]))).toEqual([]);
  });
});

describe('TCP reassembly', () => {
  const C0 = 1000;
  const S0 = 5000;
  const handshake = [seg('c', C0, SYN), seg('s', S0, SYN | ACK), seg('c', C0 + 1, ACK)];
  const req = record(TGSREQ);
  const rep = record(ASREP);

  test('a record split over three segments completes in the frame of its last byte', () => {
    const frames = [
      ...handshake,
      seg('c', C0 + 1, ACK, req.subarray(0, 600)),
      seg('c', C0 + 601, ACK, req.subarray(600, 1200)),
      seg('c', C0 + 1201, PSH | ACK, req.subarray(1200)),
    ];
    expect(summary(capture(frames))).toEqual([
      {
        frame: 6,
        src: '192.0.2.10:50001',
        dst: '192.0.2.88:88',
        transport: 'tcp',
        len: TGSREQ.length,
        tag: 0x6c,
      },
    ]);
  });

  test('the length prefix itself may be split across segments', () => {
    const frames = [
      ...handshake,
      seg('c', C0 + 1, ACK, req.subarray(0, 2)),
      seg('c', C0 + 3, PSH | ACK, req.subarray(2)),
    ];
    expect(summary(capture(frames)).map((m) => [m.frame, m.len])).toEqual([[5, TGSREQ.length]]);
  });

  test('MIT style: the prefix in one segment, the message in the next', () => {
    const frames = [
      ...handshake,
      seg('c', C0 + 1, ACK, req.subarray(0, 4)),
      seg('c', C0 + 5, PSH | ACK, req.subarray(4)),
    ];
    expect(readCapture(capture(frames))[0]!.bytes).toEqual(TGSREQ);
  });

  test('several records in one segment share its frame, in order', () => {
    const two = join([
      record(krbMessage(10, 20)),
      record(krbMessage(12, 30)),
      record(krbMessage(14, 40)).subarray(0, 10),
    ]);
    const frames = [
      ...handshake,
      seg('c', C0 + 1, PSH | ACK, two),
      seg('c', C0 + 1 + two.length, PSH | ACK, record(krbMessage(14, 40)).subarray(10)),
    ];
    expect(summary(capture(frames)).map((m) => [m.frame, m.tag])).toEqual([
      [4, 0x6a],
      [4, 0x6c],
      [5, 0x6e],
    ]);
  });

  test('both directions are reassembled separately, the reply after the request', () => {
    const frames = [
      ...handshake,
      seg('c', C0 + 1, PSH | ACK, req),
      seg('s', S0 + 1, ACK, rep.subarray(0, 300)),
      seg('s', S0 + 301, PSH | ACK, rep.subarray(300)),
      seg('c', C0 + 1 + req.length, FIN | ACK),
      seg('s', S0 + 1 + rep.length, FIN | ACK),
    ];
    expect(summary(capture(frames)).map((m) => [m.frame, m.src, m.tag])).toEqual([
      [4, '192.0.2.10:50001', 0x6c],
      [6, '192.0.2.88:88', 0x6b],
    ]);
  });

  test('out-of-order segments wait for the gap; the frame that fills it completes the record', () => {
    const frames = [
      ...handshake,
      seg('c', C0 + 1201, PSH | ACK, req.subarray(1200)),
      seg('c', C0 + 601, ACK, req.subarray(600, 1200)),
      seg('c', C0 + 1, ACK, req.subarray(0, 600)),
    ];
    const got = readCapture(capture(frames));
    expect(got.map((m) => m.frame)).toEqual([6]);
    expect(got[0]!.bytes).toEqual(TGSREQ);
  });

  test('retransmissions, whole or overlapping, are not delivered twice', () => {
    const frames = [
      ...handshake,
      seg('c', C0 + 1, ACK, req.subarray(0, 600)),
      seg('c', C0 + 1, ACK, req.subarray(0, 600)), // exact retransmission
      seg('c', C0 + 301, ACK, req.subarray(300, 900)), // overlaps old and new bytes
      seg('c', C0 + 901, PSH | ACK, req.subarray(900)),
      seg('c', C0 + 901, PSH | ACK, req.subarray(900)), // retransmitted after completion
    ];
    const got = readCapture(capture(frames));
    expect(got.map((m) => m.frame)).toEqual([7]);
    expect(got[0]!.bytes).toEqual(TGSREQ);
  });

  test('sequence numbers that wrap past 2^32 are followed', () => {
    const isn = 0xffffff00;
    const frames = [
      seg('c', isn, SYN),
      seg('c', isn + 1, ACK, req.subarray(0, 600)),
      seg('c', (isn + 601) >>> 0, PSH | ACK, req.subarray(600)),
    ];
    expect(readCapture(capture(frames))[0]!.bytes).toEqual(TGSREQ);
  });

  test('a capture that starts mid-connection (no SYN) is read from the first record boundary it sees', () => {
    const frames = [seg('c', 777, PSH | ACK, req)];
    expect(readCapture(capture(frames))).toHaveLength(1);
  });

  test('a new SYN on the same ports (port reuse) starts a new stream', () => {
    const frames = [
      seg('c', C0, SYN),
      seg('c', C0 + 1, ACK, req.subarray(0, 100)), // never completed
      seg('c', 90000, SYN),
      seg('c', 90001, PSH | ACK, record(ASREQ)),
    ];
    expect(summary(capture(frames)).map((m) => [m.frame, m.tag])).toEqual([[4, 0x6a]]);
  });

  test('over IPv6 too', () => {
    const a = ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    const b = ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 2]);
    const f = (seq: number, p: Uint8Array) => ethernet(ip6Packet(a, b, 6, tcp(40000, 88, seq, ACK, p)));
    const got = readCapture(capture([f(1, req.subarray(0, 10)), f(11, req.subarray(10))]));
    expect(got.map((m) => [m.src, m.dst, m.transport])).toEqual([
      ['[2001:db8::1]:40000', '[2001:db8::2]:88', 'tcp'],
    ]);
  });

  test('streams that are not Kerberos (SSH banner) are passed over', () => {
    const frames = [seg('c', 1, PSH | ACK, utf8('SSH-2.0-OpenSSH_9.2\r\n'))];
    expect(readCapture(capture(frames))).toEqual([]);
  });

  describe('bounded memory', () => {
    test('a length prefix of 2^31 (the reserved bit) drops the stream, no error', () => {
      const frames = [seg('c', 1, PSH | ACK, Uint8Array.from([0x80, 0, 0, 0, 0x6a, 0x82, 0, 0]))];
      expect(readCapture(capture(frames))).toEqual([]);
    });

    test('a record larger than limits.maxRecord drops the stream', () => {
      const frames = [...handshake, seg('c', C0 + 1, PSH | ACK, req)];
      expect(readCapture(capture(frames), { limits: { maxRecord: 1000 } })).toEqual([]);
      expect(readCapture(capture(frames), { limits: { maxRecord: 2000 } })).toHaveLength(1);
    });

    test('out-of-order data beyond limits.maxOutOfOrder drops the stream', () => {
      const frames = [
        ...handshake,
        seg('c', C0 + 601, ACK, req.subarray(600)),
        seg('c', C0 + 1, ACK, req.subarray(0, 600)),
      ];
      expect(readCapture(capture(frames), { limits: { maxOutOfOrder: 500 } })).toEqual([]);
      expect(readCapture(capture(frames), { limits: { maxOutOfOrder: 5000 } })).toHaveLength(1);
    });

    test('a stream of many small records is consumed as it goes', () => {
      const one = record(krbMessage(30, 10));
      const frames = [...handshake];
      for (let i = 0; i < 2000; i++) frames.push(seg('c', C0 + 1 + i * one.length, ACK, one));
      expect(readCapture(capture(frames), { limits: { maxRecord: 100, maxHttpHeader: 100 } })).toHaveLength(
        2000,
      );
    });
  });
});

describe('counts are bounded: streams in flight and messages', () => {
  /** Classic pcap (Ethernet), written straight into one buffer: quick for 10^5 frames. */
  function bigCapture(frames: Uint8Array[]): Uint8Array {
    const out = new Uint8Array(24 + frames.reduce((n, f) => n + 16 + f.length, 0));
    const dv = new DataView(out.buffer);
    dv.setUint32(0, 0xa1b2c3d4, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(16, 262144, true);
    dv.setUint32(20, LINKTYPE.ETHERNET, true);
    let at = 24;
    for (const f of frames) {
      dv.setUint32(at, T0 / 1000, true);
      dv.setUint32(at + 8, f.length, true);
      dv.setUint32(at + 12, f.length, true);
      out.set(f, at + 16);
      at += 16 + f.length;
    }
    return out;
  }
  /** A segment of connection `i` (its own client address and port), client to KDC. */
  const connSeg = (i: number, seq: number, flags: number, payload: Uint8Array = new Uint8Array(0)) =>
    ethernet(
      ip4Packet(
        Uint8Array.of(10, (i >> 16) & 255, (i >> 8) & 255, i & 255),
        KDC,
        6,
        tcp(1024 + (i % 60000), 88, seq, flags, payload),
      ),
    );
  const errorOf = (fn: () => unknown): CaptureError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(CaptureError);
      return e as CaptureError;
    }
    throw new Error('expected a CaptureError');
  };
  const CUT = 'cut it down first (tshark -r FILE -Y "tcp.port==88 || udp.port==88" -w SMALLER)';

  test(`one-byte TCP streams past MAX_TCP_STREAMS (${MAX_TCP_STREAMS}): refused at the bound, naming the frame`, () => {
    const frames = Array.from({ length: MAX_TCP_STREAMS + 1 }, (_, i) =>
      connSeg(i, 1, ACK, Uint8Array.of(0)),
    );
    expect(errorOf(() => readCapture(bigCapture(frames))).message).toBe(
      `pcap: more than ${MAX_TCP_STREAMS} TCP streams hold unfinished data at once (at frame ${MAX_TCP_STREAMS + 1}); ${CUT}`,
    );
    // One fewer fits.
    expect(readCapture(bigCapture(frames.slice(0, MAX_TCP_STREAMS)))).toEqual([]);
  }, 120_000); // a generous bound for 2 x 65,536 streams on a loaded machine, not a speed target

  test('maxStreams sets the bound', () => {
    const frames = Array.from({ length: 101 }, (_, i) => connSeg(i, 1, ACK, Uint8Array.of(0)));
    expect(errorOf(() => readCapture(bigCapture(frames), { maxStreams: 100 })).message).toMatch(
      /^pcap: more than 100 TCP streams hold unfinished data at once \(at frame 101\)/,
    );
  });

  test('connections that end (FIN, RST) and streams that hold nothing do not count against it', () => {
    const one = record(ASREQ);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 500; i++) {
      // A whole exchange: SYN, the request, FIN after it.
      frames.push(
        connSeg(i, 99, SYN),
        connSeg(i, 100, PSH | ACK, one),
        connSeg(i, 100 + one.length, FIN | ACK),
      );
      // A port scan's SYN, never followed up; a stream that is not Kerberos; one cut off by RST.
      frames.push(connSeg(10_000 + i, 7, SYN));
      frames.push(connSeg(20_000 + i, 1, ACK, utf8('SSH-2.0-OpenSSH_9.2\r\n')));
      frames.push(connSeg(30_000 + i, 1, ACK, Uint8Array.of(0)), connSeg(30_000 + i, 2, RST));
    }
    const got = readCapture(bigCapture(frames), { maxStreams: 50 });
    expect(got).toHaveLength(500);
    expect(got.every((m) => m.transport === 'tcp' && m.bytes.length === ASREQ.length)).toBe(true);
  });

  test(`more than MAX_CAPTURE_MESSAGES (${MAX_CAPTURE_MESSAGES}) Kerberos messages: refused, naming the frame`, () => {
    const frames = Array.from({ length: MAX_CAPTURE_MESSAGES + 1 }, () => udpFrame(ASREQ));
    expect(readCapture(bigCapture(frames.slice(1)))).toHaveLength(MAX_CAPTURE_MESSAGES);
    expect(errorOf(() => readCapture(bigCapture(frames))).message).toBe(
      `pcap: more than ${MAX_CAPTURE_MESSAGES} Kerberos messages (the next one completes in frame ${MAX_CAPTURE_MESSAGES + 1}); ${CUT}`,
    );
    expect(errorOf(() => readCapture(bigCapture(frames.slice(0, 11)), { maxMessages: 10 })).message).toMatch(
      /^pcap: more than 10 Kerberos messages \(the next one completes in frame 11\)/,
    );
  }, 120_000);
});

describe('MS-KKDCP over plain HTTP', () => {
  const proxyMessage = Uint8Array.from([0x30, 0x0a, 0xa0, 0x08, 0x04, 0x06, 0, 0, 0, 2, 0x6a, 0]);
  const reply = Uint8Array.from([0x30, 0x0b, 0xa0, 0x09, 0x04, 0x07, 0, 0, 0, 3, 0x7e, 1, 0]);
  const post = (body: Uint8Array, type = 'application/kerberos') =>
    join([
      utf8(
        `POST /KdcProxy HTTP/1.1\r\nHost: kdcproxy.example.test\r\nContent-type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`,
      ),
      body,
    ]);
  const ok = (body: Uint8Array) =>
    join([
      utf8(`HTTP/1.1 200 OK\r\nContent-Type: application/kerberos\r\nContent-Length: ${body.length}\r\n\r\n`),
      body,
    ]);
  const httpSeg = (from: 'c' | 's', seq: number, p: Uint8Array) =>
    from === 'c'
      ? ethernet(ip4Packet(CLIENT, KDC, 6, tcp(50002, 80, seq, PSH | ACK, p)))
      : ethernet(ip4Packet(KDC, CLIENT, 6, tcp(80, 50002, seq, PSH | ACK, p)));

  test('the POST body and the 200 body, reassembled, with transport "kkdcp"', () => {
    const p = post(proxyMessage);
    const r = ok(reply);
    const frames = [httpSeg('c', 1, p.subarray(0, 30)), httpSeg('c', 31, p.subarray(30)), httpSeg('s', 1, r)];
    const got = readCapture(capture(frames));
    expect(got.map((m) => [m.frame, m.transport, m.src, m.dst])).toEqual([
      [2, 'kkdcp', '192.0.2.10:50002', '192.0.2.88:80'],
      [3, 'kkdcp', '192.0.2.88:80', '192.0.2.10:50002'],
    ]);
    expect(got[0]!.bytes).toEqual(proxyMessage);
    expect(got[1]!.bytes).toEqual(reply);
  });

  test('a start line split after a few bytes is still recognised', () => {
    const p = post(proxyMessage);
    const got = readCapture(capture([httpSeg('c', 1, p.subarray(0, 3)), httpSeg('c', 4, p.subarray(3))]));
    expect(got.map((m) => [m.frame, m.bytes])).toEqual([[2, proxyMessage]]);
  });

  test('a chunked reply body is joined', () => {
    const head = utf8(
      'HTTP/1.1 200 OK\r\nContent-Type: application/kerberos\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const body = join([
      utf8('5\r\n'),
      reply.subarray(0, 5),
      utf8('\r\n8\r\n'),
      reply.subarray(5),
      utf8('\r\n0\r\n\r\n'),
    ]);
    const got = readCapture(capture([httpSeg('s', 1, join([head, body]))]));
    expect(got.map((m) => m.bytes)).toEqual([reply]);
  });

  test('several requests on one keep-alive connection', () => {
    const two = join([post(proxyMessage), post(proxyMessage)]);
    expect(readCapture(capture([httpSeg('c', 1, two)]))).toHaveLength(2);
  });

  test('other content types, GETs and error statuses are not KDC proxy messages', () => {
    const get = utf8('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const html = post(proxyMessage, 'text/html');
    const err = join([
      utf8(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/kerberos\r\nContent-Length: 2\r\n\r\n`),
      Uint8Array.of(1, 2),
    ]);
    expect(readCapture(capture([httpSeg('c', 1, join([get, html])), httpSeg('s', 1, err)]))).toEqual([]);
  });
});

describe('malformed and truncated files give CaptureError', () => {
  const good = capture([udpFrame(ASREQ), udpFrame(ASREP, 88, 50000)]);
  const ng = new PcapngBuilder().shb().idb(LINKTYPE.ETHERNET).epb(0, 0n, udpFrame(ASREQ)).bytes();
  const cases: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /too short/],
    ['not a capture', utf8('hello, world'), /not a pcap or pcapng file \(it starts with 68 65 6c 6c\)/],
    ['a pcap header cut short', good.subarray(0, 20), /file header needs 24 bytes/],
    ['a pcap record header cut short', good.subarray(0, 30), /record 1 at byte 24 needs a 16-byte header/],
    [
      'a pcap record cut short',
      good.subarray(0, good.length - 5),
      /record 2 at byte \d+ claims \d+ bytes, the file ends after/,
    ],
    [
      'a pcapng block cut short',
      ng.subarray(0, ng.length - 8),
      /block at byte \d+ .*claims length \d+ but the file has \d+ bytes left/,
    ],
    ['pcapng trailing bytes', join([ng, new Uint8Array(6)]), /6 bytes at byte \d+ are too few for a block/],
  ];
  test.each(cases)('%s', (_name, file, message) => {
    expect(() => readCapture(file)).toThrowError(CaptureError);
    expect(() => readCapture(file)).toThrowError(message);
  });

  test('a pcapng block claiming 3000000000 bytes names its offset and length', () => {
    const bad = ng.slice();
    const epbAt = 28 + 20; // SHB (28 bytes) + IDB (20 bytes)
    new DataView(bad.buffer).setUint32(epbAt + 4, 3_000_000_000, true);
    expect(() => readCapture(bad)).toThrowError(
      `pcapng: block at byte ${epbAt} (type 0x6) claims length 3000000000`,
    );
  });

  test('a pcap record claiming more than 256 KiB', () => {
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(24 + 8, 5_000_000, true);
    expect(() => readCapture(bad)).toThrowError(
      'pcap: record 1 at byte 24 claims 5000000 captured bytes (more than 262144)',
    );
  });

  test('a packet block naming an interface that does not exist', () => {
    const bad = new PcapngBuilder().shb().idb(LINKTYPE.ETHERNET).epb(3, 0n, udpFrame(ASREQ)).bytes();
    expect(() => readCapture(bad)).toThrowError(/names interface 3, the section has 1/);
  });

  test('mismatched leading and trailing block lengths', () => {
    const bad = ng.slice();
    new DataView(bad.buffer).setUint32(bad.length - 4, 999, true);
    expect(() => readCapture(bad)).toThrowError(/says length \d+ at its start and 999 at its end/);
  });

  test('CaptureError is a KrbPlayError of category "format" and carries the offset', () => {
    try {
      readCapture(good.subarray(0, 30));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KrbPlayError);
      expect((e as CaptureError).category).toBe('format');
      expect((e as CaptureError).offset).toBe(24);
      expect((e as CaptureError).name).toBe('CaptureError');
    }
  });
});
