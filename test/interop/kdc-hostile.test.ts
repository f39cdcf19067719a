// Hostile input on `krbplay kdc`'s sockets: garbage datagrams, garbage and truncated TCP records, a record
// mark of 2^31 (the reserved bit) and one far too long, thousands of half-open connections, slow-loris
// senders. The KDC answers KRB-ERROR or closes as RFC 4120 §7.2 says, keeps serving a real MIT kinit
// meanwhile (over UDP and TCP), and its memory stays under a generous ceiling.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeKrbError } from '../../src/asn1';
import type { KdcConfig } from '../../src/kdc';
import { hasPackages } from '../setup/needs';
import { waitFor } from './harness/process';
import { bareAsReq, KrbplayKdc, MitClient, recordMark, TcpProbe, writeKrb5Conf } from './krbplay-kdc';

const REALM = 'EXAMPLE.TEST';
const config: KdcConfig = {
  realms: [{ name: REALM, principals: [{ name: 'alice', password: 'pw-alice' }] }],
};
/** Far above what the KDC needs (~100 MB), far below what an unbounded buffer per connection would take. */
const RSS_CEILING = 400 * 1024 * 1024;
const KRB_ERROR_TAG = 0x7e;

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

  test('thousands of half-open connections: the oldest idle ones make room, real clients are served', async () => {
    const probes: TcpProbe[] = [];
    try {
      for (let batch = 0; batch < 30; batch++) {
        const opened = await Promise.all(Array.from({ length: 100 }, () => TcpProbe.connect(kdc.port)));
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
        (await kdc.log()).some((l) => /closing: a request started \d+ ms ago is still not whole/.test(l)),
      ).toBe(true);
    } finally {
      timers.forEach(clearInterval);
      probes.forEach((p) => p.destroy());
    }
    await stillServes();
  });
});
