// src/node in this process, with limits small enough to reach: the UDP bound (RESPONSE_TOO_BIG), the
// connection bound (the oldest idle connection makes room), the bound per address, the request bound
// (FIELD_TOOLONG, then the connection destroyed even if the peer never reads), the KDC proxy's body
// bound, the batched log, and the pooled cryptographic randomness.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, test } from 'vitest';
import { decodeKrbError } from '../../src/asn1';
import { buildKdcState, Kdc, type KdcConfig } from '../../src/kdc';
import { cryptoRandom, KdcServer, KdcService, KkdcpServer, type ServerLimits } from '../../src/node';
import { waitFor } from './harness/process';
import { bareAsReq, recordMark, TcpProbe } from './krbplay-kdc';

const REALM = 'EXAMPLE.TEST';
const config: KdcConfig = { realms: [{ name: REALM, principals: [{ name: 'alice', password: 'pw' }] }] };

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

async function serve(limits: Partial<ServerLimits> = {}) {
  const lines: string[] = [];
  const service = new KdcService(new Kdc(buildKdcState(config, cryptoRandom)), {
    log: (l) => lines.push(...l.split('\n')),
  });
  const server = new KdcServer(service, { host: '127.0.0.1', port: 0, limits });
  await server.start();
  stops.push(() => server.stop());
  return { server, service, lines };
}

function udpExchange(port: number, request: Uint8Array): Promise<Uint8Array> {
  const s = createSocket('udp4');
  return new Promise<Uint8Array>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no UDP reply')), 10_000);
    s.once('message', (m) => {
      clearTimeout(timer);
      resolve(new Uint8Array(m));
    });
    s.send(request, port, '127.0.0.1');
  }).finally(() => s.close());
}

describe('src/node', () => {
  test('cryptoRandom: the lengths asked for, never the same bytes twice, large requests too', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const b = cryptoRandom(16);
      expect(b).toHaveLength(16);
      seen.add(Buffer.from(b).toString('hex'));
    }
    expect(seen.size).toBe(5000);
    expect(cryptoRandom(100_000)).toHaveLength(100_000);
    const a = cryptoRandom(32);
    a.fill(0);
    expect(cryptoRandom(32).some((x) => x !== 0)).toBe(true); // callers own their copy
  });

  test('a UDP reply over the bound becomes KRB_ERR_RESPONSE_TOO_BIG (52); the same request over TCP is answered', async () => {
    const { server, lines } = await serve({ maxUdpReplyBytes: 100 });
    const err = decodeKrbError(await udpExchange(server.port, bareAsReq('alice', REALM)));
    expect(err.errorCode).toBe(52);
    expect(err.realm).toBe(REALM);
    const p = await TcpProbe.connect(server.port);
    const req = bareAsReq('alice', REALM);
    p.write(Buffer.concat([recordMark(req.length), req]));
    await waitFor('the TCP reply', () => p.records().length === 1);
    expect(decodeKrbError(p.records()[0]!).errorCode).toBe(25);
    p.destroy();
    await waitFor('the batched log lines', () => lines.length >= 3);
    expect(lines.some((l) => /over the UDP bound of 100: KRB_ERR_RESPONSE_TOO_BIG/.test(l))).toBe(true);
  });

  test('at the connection bound the oldest idle connection is closed, one mid-request is kept', async () => {
    const { server } = await serve({ maxConnections: 3 });
    const busy = await TcpProbe.connect(server.port);
    busy.write(Uint8Array.of(0, 0)); // a request under way
    await waitFor('the KDC to see the first connection', () => server.openConnections === 1);
    const idle = [await TcpProbe.connect(server.port), await TcpProbe.connect(server.port)];
    await waitFor('three connections', () => server.openConnections === 3);
    const newest = await TcpProbe.connect(server.port);
    await waitFor('the oldest idle connection to close', () => idle[0]!.closed);
    expect(busy.closed).toBe(false);
    expect(idle[1]!.closed).toBe(false);
    const req = bareAsReq('alice', REALM);
    newest.write(Buffer.concat([recordMark(req.length), req]));
    await waitFor('the newest connection to be served', () => newest.records().length === 1);
    expect(server.stats.tcpEvicted).toBe(1);
    [busy, ...idle, newest].forEach((p) => p.destroy());
  });

  test('a record over the request bound: KRB_ERR_FIELD_TOOLONG (61) and close; idle connections time out', async () => {
    const { server } = await serve({ maxRequestBytes: 1000, idleTimeoutMs: 300, requestTimeoutMs: 300 });
    const p = await TcpProbe.connect(server.port);
    p.write(recordMark(1001));
    await waitFor('the close', () => p.closed);
    expect(decodeKrbError(p.records()[0]!).errorCode).toBe(61);
    const quiet = await TcpProbe.connect(server.port);
    await waitFor('the idle connection to be closed', () => quiet.closed, { timeoutMs: 10_000 });
    expect(server.stats.tcpTimedOut).toBeGreaterThanOrEqual(1);
  });

  test('one address gets at most its bound of TCP connections; one more is closed at once and logged, others are served', async () => {
    const { server, service, lines } = await serve({ maxConnectionsPerPeer: 3 });
    const mine = await Promise.all([1, 2, 3].map(() => TcpProbe.connect(server.port, '127.0.0.2')));
    await waitFor('three connections', () => server.openConnections === 3);
    const fourth = await TcpProbe.connect(server.port, '127.0.0.2');
    await waitFor('the fourth to be closed', () => fourth.closed);
    expect(mine.some((p) => p.closed)).toBe(false);
    expect(server.stats.tcpPerPeerRefused).toBe(1);
    const other = await TcpProbe.connect(server.port, '127.0.0.3');
    const req = bareAsReq('alice', REALM);
    other.write(Buffer.concat([recordMark(req.length), req]));
    await waitFor('the other address to be served', () => other.records().length === 1);
    service.flush();
    expect(
      lines.some((l) =>
        / tcp 127\.0\.0\.2:\d+ connection refused: over the bound of 3 connections from one address: 3 open from 127\.0\.0\.2$/.test(
          l,
        ),
      ),
    ).toBe(true);
    [...mine, fourth, other].forEach((p) => p.destroy());
  });

  test('after KRB_ERR_FIELD_TOOLONG the connection is destroyed, even when the peer never reads and keeps sending', async () => {
    // The idle and request bounds are far off: what closes the connection is the grace after the error.
    const { server } = await serve({
      maxRequestBytes: 1000,
      closeGraceMs: 200,
      idleTimeoutMs: 600_000,
      requestTimeoutMs: 600_000,
    });
    const p = await TcpProbe.connect(server.port);
    p.socket.pause(); // never reads: the error and the FIN stay unread
    p.write(recordMark(1001));
    const more = setInterval(() => p.write(Uint8Array.of(0x30)), 50);
    try {
      await waitFor('the KDC to destroy the connection', () => p.closed, { timeoutMs: 30_000 });
      expect(server.openConnections).toBe(0);
      expect(server.stats.tcpTooLong).toBe(1);
    } finally {
      clearInterval(more);
      p.destroy();
    }
  });

  test('the KDC proxy refuses a body over its bound (413) and answers a real one', async () => {
    const service = new KdcService(new Kdc(buildKdcState(config, cryptoRandom)));
    const proxy = new KkdcpServer(service, { host: '127.0.0.1', port: 0, limits: { maxRequestBytes: 2000 } });
    await proxy.start();
    stops.push(() => proxy.stop());
    const big = await fetch(proxy.url, { method: 'POST', body: new Uint8Array(10_000) });
    expect(big.status).toBe(413);
    const { wrapForKdcProxy } = await import('../../src/asn1');
    const ok = await fetch(proxy.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/kerberos' },
      body: Buffer.from(wrapForKdcProxy(bareAsReq('alice', REALM), REALM)),
    });
    expect(ok.status).toBe(200);
    expect(service.counts.kkdcp).toBe(1);
  });
});
