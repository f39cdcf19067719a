// Hostile input on `krbplay kdc`'s sockets: garbage datagrams, garbage and truncated TCP records, a record
// mark of 2^31 (the reserved bit) and one far too long, thousands of half-open connections, slow-loris
// senders. The KDC answers KRB-ERROR or closes as RFC 4120 §7.2 says, keeps serving a real MIT kinit
// meanwhile (over UDP and TCP), and its memory stays under a generous ceiling.
// Then the KDC proxy (MS-KKDCP over HTTPS, src/node in this process with bounds a test can reach): floods
// of slow headers from one address and from several, headers that never finish, a chunked body with a
// chunk size of 2^64 - 1, bodies that fill the memory bound; MIT's kinit over HTTPS is served meanwhile,
// the hostile connections are cut (destroyed, not left half-open) and every refusal is logged.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { decodeKrbError, wrapForKdcProxy } from '../../src/asn1';
import { buildKdcState, Kdc, type KdcConfig } from '../../src/kdc';
import {
  cryptoRandom,
  KdcService,
  KkdcpServer,
  makeSelfSignedCertificate,
  type SelfSignedCertificate,
  type ServerLimits,
} from '../../src/node';
import { hasPackages } from '../setup/needs';
import { sendUdp, waitFor } from './harness/process';
import {
  bareAsReq,
  HttpProbe,
  KrbplayKdc,
  MitClient,
  recordMark,
  SlowHeaders,
  TcpProbe,
  writeKrb5Conf,
} from './krbplay-kdc';

const REALM = 'EXAMPLE.TEST';
const config: KdcConfig = {
  realms: [{ name: REALM, principals: [{ name: 'alice', password: 'pw-alice' }] }],
};
/** Far above what the KDC needs (~100 MB), far below what an unbounded buffer per connection would take. */
const RSS_CEILING = 400 * 1024 * 1024;
const KRB_ERROR_TAG = 0x7e;
/** What a hostile name would forge as a log line of its own, were its newline printed raw. */
const FORGED = '2026-03-02T08:00:00Z udp 10.0.0.1:88 AS-REQ administrator: ISSUE AS-REP';

/** A seeded generator (xorshift32), so that a failure can be replayed. */
function seeded(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

describe.runIf(hasPackages('krb5-user'))('krbplay kdc under hostile input', () => {
  let dir: string;
  let kdc: KrbplayKdc;
  let udpClient: MitClient;
  let tcpClient: MitClient;
  let runs = 0;
  let peakRss = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-kdc-hostile-'));
    kdc = await KrbplayKdc.start({ config, dir });
    const realms = { [REALM]: [`127.0.0.1:${kdc.port}`] };
    udpClient = new MitClient(writeKrb5Conf(join(dir, 'krb5.conf'), { defaultRealm: REALM, realms }));
    tcpClient = new MitClient(
      writeKrb5Conf(join(dir, 'krb5-tcp.conf'), {
        defaultRealm: REALM,
        realms,
        libdefaults: { udp_preference_limit: '1' },
      }),
    );
  });
  afterAll(async () => {
    const code = await kdc?.stop();
    expect(code).toBe(0);
    console.log(`krbplay kdc peak RSS during the hostile tests: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    if (dir && !process.env.KRBPLAY_KEEP_INTEROP) rmSync(dir, { recursive: true, force: true });
  });

  /** A real kinit over UDP and one over TCP succeed, and the KDC's memory is under the ceiling. */
  async function stillServes(): Promise<void> {
    for (const client of [udpClient, tcpClient]) {
      const r = await client.kinit(`alice@${REALM}`, 'pw-alice', join(dir, `cc-${runs++}`));
      expect(r.stderr).toBe('');
      expect(r.ok).toBe(true);
    }
    const rss = kdc.rss();
    peakRss = Math.max(peakRss, rss);
    expect(rss).toBeLessThan(RSS_CEILING);
  }

  test('garbage datagrams get KRB-ERROR; empty ones and replies (AS-REP, TGS-REP, KRB-ERROR) get nothing', async () => {
    const random = seeded(7);
    const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
    const replies: Buffer[] = [];
    socket.on('message', (m) => replies.push(m));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const send = (b: Uint8Array) =>
      new Promise<void>((resolve, reject) =>
        socket.send(b, kdc.port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
      );
    const valid = bareAsReq('alice', REALM);
    let answerable = 0;
    try {
      for (let batch = 0; batch < 20; batch++) {
        for (let i = 0; i < 50; i++) {
          const kind = i % 5;
          let d: Uint8Array;
          if (kind === 0)
            d = random(1 + (random(2)[0]! << 2)); // random bytes, random length
          else if (kind === 1) {
            d = valid.slice(); // a real AS-REQ with a few bytes changed
            for (const at of random(3)) d[at % d.length] = random(1)[0]!;
          } else if (kind === 2)
            d = valid.slice(0, 1 + (random(1)[0]! % (valid.length - 1))); // truncated
          else if (kind === 3)
            d = Uint8Array.of(0x6a, 0x84, 0xff, 0xff, 0xff, 0xff); // a 4 GiB length
          else d = Uint8Array.of([0x6b, 0x6d, 0x7e][i % 3]!, ...random(40)); // looks like a reply
          if (d[0] !== 0x6b && d[0] !== 0x6d && d[0] !== 0x7e) answerable++;
          await send(d);
        }
        await send(new Uint8Array(0));
        // The batch's end: a request for an unknown client whose error names it.
        const marker = `marker${batch}`;
        await send(bareAsReq(marker, REALM));
        answerable++;
        await waitFor(`the reply to ${marker}`, () => replies.some((m) => m.includes(marker)), {
          timeoutMs: 30_000,
        });
      }
      expect(replies.length).toBe(answerable);
      expect(replies.every((m) => m[0] === KRB_ERROR_TAG)).toBe(true);
      for (const m of replies) expect(() => decodeKrbError(new Uint8Array(m))).not.toThrow();
    } finally {
      socket.close();
    }
    await stillServes();
  });

  test('TCP: several requests on one connection, a garbage record answered with KRB-ERROR, the connection kept', async () => {
    const p = await TcpProbe.connect(kdc.port);
    try {
      const req = bareAsReq('alice', REALM);
      const garbage = seeded(3)(200);
      garbage[0] = 0x6a;
      // Three records in one write: a request, garbage, a request.
      p.write(
        Buffer.concat([recordMark(req.length), req, recordMark(200), garbage, recordMark(req.length), req]),
      );
      await waitFor('three replies', () => p.records().length === 3);
      const codes = p.records().map((r) => decodeKrbError(r).errorCode);
      expect(codes[0]).toBe(25); // PREAUTH_REQUIRED
      expect(codes[1]).not.toBe(25);
      expect(codes[2]).toBe(25);
      expect(p.closed).toBe(false);
      // A record sent a byte at a time is served the same.
      for (const b of [...recordMark(req.length), ...req]) p.write(Uint8Array.of(b));
      await waitFor('the fourth reply', () => p.records().length === 4);
    } finally {
      p.destroy();
    }
  });

  test.each([
    ['2^31 (the reserved high bit)', 0x80000000],
    ['0xffffffff', 0xffffffff],
    ['2^31 - 1 (beyond the request bound)', 0x7fffffff],
  ])('a record mark of %s: KRB_ERR_FIELD_TOOLONG (61), then the stream is closed', async (_what, mark) => {
    const p = await TcpProbe.connect(kdc.port);
    try {
      p.write(Buffer.concat([recordMark(mark), Buffer.alloc(64, 0x30)]));
      await waitFor('the KDC to close the connection', () => p.closed, { timeoutMs: 30_000 });
      const records = p.records();
      expect(records).toHaveLength(1);
      const err = decodeKrbError(records[0]!);
      expect(err.errorCode).toBe(61);
      expect(err.realm).toBe(REALM);
    } finally {
      p.destroy();
    }
  });

  test('a truncated record followed by the end of the stream: no reply, the connection closed', async () => {
    const p = await TcpProbe.connect(kdc.port);
    const req = bareAsReq('alice', REALM);
    p.write(Buffer.concat([recordMark(req.length), req.subarray(0, req.length >> 1)]));
    p.socket.end();
    await waitFor('the KDC to close its side', () => p.closed, { timeoutMs: 30_000 });
    expect(p.received.length).toBe(0);
    await stillServes();
  });

  test('a client name with a newline and an ESC sequence is one log line, escaped', async () => {
    const name = `evil\n${FORGED}\u001b[31m`;
    await sendUdp(kdc.port, bareAsReq(name, REALM));
    const lines = await kdc.log();
    const mine = lines.filter((l) => l.includes('evil'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ udp 127\.0\.0\.1:\d+ AS-REQ /);
    expect(mine[0]).toContain(
      `AS-REQ evil\\n${FORGED}\\u001b[31m@${REALM} for krbtgt/${REALM}@${REALM}: KDC_ERR_C_PRINCIPAL_UNKNOWN (6)`,
    );
    expect(lines.some((l) => l.startsWith(FORGED))).toBe(false);
    expect(kdc.output).not.toContain('\u001b');
  });

  test('thousands of half-open connections: the oldest idle ones make room, real clients are served', async () => {
    const probes: TcpProbe[] = [];
    try {
      for (let batch = 0; batch < 30; batch++) {
        // 50 from each of two addresses a batch (127.0.0.2–127.0.0.61): under the bound per address, far
        // over the bound in all.
        const from = (i: number) => `127.0.0.${2 * batch + 2 + (i % 2)}`;
        const opened = await Promise.all(
          Array.from({ length: 100 }, (_, i) => TcpProbe.connect(kdc.port, from(i))),
        );
        // Half say nothing; half start a record mark and stop.
        opened.forEach((p, i) => i % 2 === 0 && p.write(Uint8Array.of(0, 0)));
        probes.push(...opened);
      }
      expect(probes.length).toBe(3000);
      await stillServes();
      // The KDC holds at most its bound of 1024 connections: the rest were closed by it.
      await waitFor('the KDC to shed the connections over its bound', () =>
        probes.filter((p) => p.closed).length >= 3000 - 1024 ? true : undefined,
      );
      await stillServes();
    } finally {
      for (const p of probes) p.destroy();
    }
  });

  test('slow-loris senders are cut off once a request has taken too long, while others are served', async () => {
    const req = bareAsReq('alice', REALM);
    const probes = await Promise.all(Array.from({ length: 20 }, () => TcpProbe.connect(kdc.port)));
    const timers = probes.map((p) => {
      p.write(recordMark(req.length));
      let at = 0;
      // One byte every 500 ms: the whole request would take over a minute.
      return setInterval(() => p.write(req.subarray(at, ++at)), 500);
    });
    try {
      await stillServes();
      await waitFor('the KDC to close every slow connection', () => probes.every((p) => p.closed), {
        timeoutMs: 60_000,
        intervalMs: 100,
      });
      for (const p of probes) {
        const lasted = p.closedAt! - p.openedAt;
        expect(lasted).toBeGreaterThan(9_000); // the request bound is 10 s from the first byte
        expect(lasted).toBeLessThan(45_000);
        expect(p.received.length).toBe(0);
      }
      expect(
        (await kdc.log()).some((l) =>
          / tcp 127\.0\.0\.1:\d+ connection closed: a request not whole within 10000 ms: it started \d+ ms ago/.test(
            l,
          ),
        ),
      ).toBe(true);
    } finally {
      timers.forEach(clearInterval);
      probes.forEach((p) => p.destroy());
    }
    await stillServes();
  });
});

describe.runIf(hasPackages('krb5-user', 'krb5-k5tls'))('the KDC proxy under hostile peers', () => {
  let dir: string;
  let cert: SelfSignedCertificate;
  let runs = 0;
  const stops: (() => unknown)[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-kkdcp-hostile-'));
    cert = makeSelfSignedCertificate('127.0.0.1');
  });
  afterEach(async () => {
    while (stops.length) await stops.pop()!();
  });
  afterAll(() => {
    cert?.remove();
    if (dir && !process.env.KRBPLAY_KEEP_INTEROP) rmSync(dir, { recursive: true, force: true });
  });

  /** A KDC proxy over HTTPS in this process, its log lines, and MIT's kinit pointed at it. */
  async function proxy(limits: Partial<ServerLimits>) {
    const lines: string[] = [];
    const service = new KdcService(new Kdc(buildKdcState(config, cryptoRandom)), {
      log: (l) => lines.push(...l.split('\n')),
    });
    const server = new KkdcpServer(service, {
      host: '127.0.0.1',
      port: 0,
      tls: { cert: cert.cert, key: cert.key },
      limits,
    });
    await server.start();
    stops.push(() => server.stop());
    const client = new MitClient(
      writeKrb5Conf(join(dir, `krb5-${runs++}.conf`), {
        defaultRealm: REALM,
        realms: { [REALM]: [server.url] },
        realmRelations: { [REALM]: { http_anchors: `FILE:${cert.certFile}` } },
      }),
    );
    /** MIT kinit over HTTPS (from 127.0.0.1) is served. */
    const kinitServed = async () => {
      const r = await client.kinit(`alice@${REALM}`, 'pw-alice', join(dir, `cc-${runs++}`));
      expect(r.stderr).toBe('');
      expect(r.ok).toBe(true);
      service.flush();
      expect(
        lines.some((l) =>
          / kkdcp 127\.0\.0\.1:\d+ \(EXAMPLE\.TEST\) AS-REQ alice@\S+ .*ISSUE AS-REP$/.test(l),
        ),
      ).toBe(true);
    };
    /** Waits for a log line matching `re`. */
    const logged = (re: RegExp) =>
      waitFor(`a log line matching ${re}`, () => (service.flush(), lines.find((l) => re.test(l))), {
        explain: () => lines.join('\n'),
      });
    return { server, service, lines, kinitServed, logged };
  }

  async function flood(o: Parameters<typeof SlowHeaders.start>[0]): Promise<SlowHeaders> {
    const f = await SlowHeaders.start(o);
    stops.push(() => f.stop());
    return f;
  }

  test('1,030 slow-header connections from one address get 64 slots, the rest are refused and logged; kinit is served', async () => {
    // A deadline far beyond the test's length: what holds here is the bound per address alone.
    const p = await proxy({ requestTimeoutMs: 600_000, idleTimeoutMs: 600_000 });
    const f = await flood({
      port: p.server.port,
      tls: true,
      count: 1030,
      from: ['127.0.0.2'],
      everyMs: 1000,
    });
    await waitFor('the flood to settle', () => f.opened + f.refused === 1030, {
      explain: () => `${f.opened} opened, ${f.refused} refused`,
    });
    expect(f.opened).toBe(64);
    expect(f.closed).toBe(0);
    expect(p.server.openConnections).toBe(64);
    await p.kinitServed();
    await p.logged(
      / kkdcp 127\.0\.0\.2:\d+ connection refused: over the bound of 64 connections from one address: 64 open from 127\.0\.0\.2$/,
    );
    await p.server.stop();
    // The other 965 refusals are counted in one line, not one line each.
    await p.logged(
      / kkdcp 127\.0\.0\.2 965 more of the same since: connection refused: over the bound of 64 /,
    );
    expect(p.lines.filter((l) => l.includes('127.0.0.2')).length).toBe(2);
  });

  test('at the bound of connections in all, the address holding the most makes room: kinit is served', async () => {
    const p = await proxy({
      maxConnections: 40,
      maxConnectionsPerPeer: 16,
      requestTimeoutMs: 600_000,
      idleTimeoutMs: 600_000,
    });
    // 16 + 16 + 16 = 48 connections for 40 slots: the newcomers take the place of the oldest ones.
    const f = await flood({
      port: p.server.port,
      tls: true,
      count: 48,
      from: ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
      everyMs: 1000,
    });
    await waitFor('the flood to settle', () => f.open === 40 || undefined, {
      explain: () => `${f.opened} opened, ${f.closed} closed, ${p.server.openConnections} on the server`,
    });
    await p.kinitServed();
    expect(p.server.stats.evicted).toBeGreaterThanOrEqual(9);
    await p.logged(
      / kkdcp 127\.0\.0\.[234]:\d+ connection closed to make room: all 40 connections were open and this address held the most: \d+ from 127\.0\.0\.[234]$/,
    );
  });

  test('headers that never finish: 408 at the deadline, and the socket is destroyed though the peer never reads', async () => {
    const deadline = 1000;
    const p = await proxy({ requestTimeoutMs: deadline, closeGraceMs: 200 });
    const started = performance.now();
    // Peers that never read: only a socket the proxy destroys makes their writes fail.
    const f = await flood({ port: p.server.port, tls: true, count: 5, from: ['127.0.0.3'], everyMs: 100 });
    // And one that reads what it is told.
    const reader = await HttpProbe.connect(p.server.port, true, '127.0.0.4');
    stops.push(() => reader.destroy());
    reader.write('POST /KdcProxy HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await waitFor('the proxy to cut every slow peer', () => f.closed === 5 && reader.closed, {
      explain: () => `${f.closed} of 5 closed; the reader: ${reader.closed ? 'closed' : 'open'}`,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(deadline);
    expect(reader.status).toBe(408);
    expect(reader.received).toContain('the request was not whole within 1000 ms');
    await waitFor('the proxy to hold no connection', () => p.server.openConnections === 0);
    await p.logged(/ kkdcp 127\.0\.0\.3:\d+ 408 Request Timeout: the request was not whole within 1000 ms$/);
    await p.logged(/ kkdcp 127\.0\.0\.4:\d+ 408 Request Timeout: the request was not whole within 1000 ms$/);
    await p.kinitServed();
  });

  test('a chunk size of ffffffffffffffff: 411 at once (a body needs Content-Length), and the connection closes', async () => {
    const p = await proxy({ closeGraceMs: 200 });
    const probe = await HttpProbe.connect(p.server.port, true);
    stops.push(() => probe.destroy());
    probe.write(
      'POST /KdcProxy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/kerberos\r\n' +
        'Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n',
    );
    await waitFor('the answer and the close', () => probe.closed, { explain: () => probe.received });
    expect(probe.status).toBe(411);
    expect(probe.received).toContain('send the KDC-PROXY-MESSAGE with a Content-Length');
    await p.logged(/ kkdcp 127\.0\.0\.1:\d+ 411: a body without Content-Length: Transfer-Encoding: chunked$/);
    await p.kinitServed();
  });

  test('bodies held in all over the bound: the one holding the most is cut and logged, the others are kept', async () => {
    const p = await proxy({ maxTotalBufferedBytes: 64 * 1024, requestTimeoutMs: 600_000 });
    const probes: HttpProbe[] = [];
    for (const from of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
      const probe = await HttpProbe.connect(p.server.port, true, from);
      stops.push(() => probe.destroy());
      probe.write(
        'POST /KdcProxy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/kerberos\r\n' +
          `Content-Length: 40000\r\n\r\n`,
      );
      probe.write(new Uint8Array(30_000)); // three times 30,000 bytes held: over 65,536
      probes.push(probe);
    }
    await waitFor(
      'one connection cut, two bodies held',
      () => probes.some((q) => q.closed) && p.server.bufferedBytes === 60_000,
      {
        explain: () =>
          `${p.server.bufferedBytes} bytes held; ${probes.filter((q) => q.closed).length} closed`,
      },
    );
    expect(probes.filter((q) => q.closed)).toHaveLength(1);
    expect(p.server.bufferedBytes).toBe(60_000);
    await p.logged(
      / kkdcp 127\.0\.0\.[234]:\d+ connection closed: request bodies held in all over 65536 bytes, and this one held the most: 30000 bytes$/,
    );
    await p.kinitServed();
  });

  test('a target-domain with a newline and an ESC sequence is one log line, escaped', async () => {
    const p = await proxy({});
    const targetDomain = `EXAMPLE.TEST\n${FORGED}\u001b[31m`;
    const probe = await HttpProbe.connect(p.server.port, true);
    stops.push(() => probe.destroy());
    const body = wrapForKdcProxy(bareAsReq('alice', REALM), targetDomain);
    probe.write(
      'POST /KdcProxy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/kerberos\r\n' +
        `Content-Length: ${body.length}\r\n\r\n`,
    );
    probe.write(body);
    await waitFor('the answer', () => probe.status, { explain: () => probe.received });
    expect(probe.status).toBe(200);
    const line = await p.logged(/ kkdcp 127\.0\.0\.1:\d+ \(EXAMPLE\.TEST/);
    expect(line).toContain(`(EXAMPLE.TEST\\n${FORGED}\\u001b[31m) AS-REQ alice@EXAMPLE.TEST`);
    expect(p.lines.filter((l) => l.includes(FORGED))).toEqual([line]);
    expect(p.lines.some((l) => l.startsWith(FORGED) || l.includes('\u001b'))).toBe(false);
  });
});
