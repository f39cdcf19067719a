// The client transport of src/node/kdc-client.ts on loopback sockets: KDC addresses; UDP retries after
// silence, datagrams that are not Kerberos ignored, KRB_ERR_RESPONSE_TOO_BIG and large requests sent over
// TCP, a refused port reported at once; TCP replies in pieces, bad record marks, early closes, timeouts;
// MS-KKDCP (the envelope, target-domain, HTTP errors). Then the whole client over real sockets against
// the playground's own KDC (src/node's UDP/TCP server and KDC proxy): sign-in, a service across a trust.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  addTcpPrefix,
  decodeKdcProxyMessage,
  encodeKdcProxyMessage,
  encodeKrbError,
  type KrbError,
} from '../../../src/asn1';
import { KerberosClient, type SendRequest } from '../../../src/client';
import { buildKdcState, Kdc } from '../../../src/kdc';
import { cryptoRandom, KdcServer, KdcService, KkdcpServer } from '../../../src/node';
import {
  isResponseTooBig,
  KdcTransport,
  parseKdcAddress,
  runClientOverNetwork,
  type KdcTransportOptions,
} from '../../../src/node/kdc-client';
import { config, REALM } from '../client/config';

const krbError = (code: number, extra: Partial<KrbError> = {}) =>
  encodeKrbError({
    pvno: 5,
    msgType: 30,
    stime: new Date(Math.floor(Date.now() / 1000) * 1000),
    susec: 0,
    errorCode: code,
    realm: REALM,
    sname: { nameType: 2, nameString: ['krbtgt', REALM] },
    ...extra,
  });
/** Any KRB-ERROR the test can recognise as "the reply" (e-text carries a marker). */
const marked = (marker: string) => krbError(60, { eText: marker });
const request = (bytes = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05])): SendRequest => ({
  realm: REALM,
  bytes,
  message: 'AS-REQ',
});
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A UDP port whose behaviour the test writes; closed after the test. */
async function udpServer(
  on: (msg: Buffer, peer: RemoteInfo, s: UdpSocket) => void,
  port = 0,
): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(port, '127.0.0.1', () => resolve()));
  s.on('message', (m, p) => on(m, p, s));
  closers.push(() => new Promise<void>((resolve) => s.close(() => resolve())));
  return s.address().port;
}

/** A TCP port whose behaviour the test writes; closed (connections too) after the test. */
async function tcpServer(on: (socket: Socket, data: Buffer) => void, port = 0): Promise<number> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let got = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4 && got.length >= 4 + got.readUInt32BE(0)) on(sock, got);
    });
  });
  await new Promise<void>((resolve) => srv.listen(port, '127.0.0.1', () => resolve()));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  );
  return (srv.address() as { port: number }).port;
}

/** A port number nobody listens on, for UDP or TCP (bound, then released). */
async function closedPort(): Promise<number> {
  const port = await tcpServer(() => {});
  await closers.pop()!();
  return port;
}

const transport = (kdc: string, o: Partial<KdcTransportOptions> = {}) =>
  new KdcTransport({
    defaultKdc: parseKdcAddress(kdc),
    // The first wait is short, so the silence test sees a resend; the rest are generous bounds, so an
    // answer delayed by a loaded machine still arrives in time. Tests of timeouts give their own.
    udpWaitsMs: [200, 30_000, 30_000],
    tcpTimeoutMs: 30_000,
    ...o,
  });

describe('KDC addresses', () => {
  test.each([
    ['127.0.0.1:88', { kind: 'udp', host: '127.0.0.1', port: 88 }],
    ['kdc.example.test', { kind: 'udp', host: 'kdc.example.test', port: 88 }],
    ['tcp://127.0.0.1:8888', { kind: 'tcp', host: '127.0.0.1', port: 8888 }],
    ['udp://[::1]:750', { kind: 'udp', host: '::1', port: 750 }],
    ['[::1]:88', { kind: 'udp', host: '::1', port: 88 }],
  ])('%s', (text, want) => {
    expect(parseKdcAddress(text)).toMatchObject(want);
  });

  test('https:// and http:// are KDC proxies', () => {
    const a = parseKdcAddress('https://127.0.0.1:8443/KdcProxy');
    expect(a.kind).toBe('kkdcp');
    expect(a.kind === 'kkdcp' && a.url.pathname).toBe('/KdcProxy');
    expect(parseKdcAddress('http://proxy.example.test/kdc').kind).toBe('kkdcp');
  });

  test.each(['127.0.0.1:99999', 'ftp://x:1', 'tcp://', 'a b:88', '127.0.0.1:0', 'https://'])(
    'refused: %s',
    (text) => {
      expect(() => parseKdcAddress(text)).toThrow(/not a (KDC address|URL)|names no host/);
    },
  );
});

describe('UDP', () => {
  test('silence: the same datagram again after each wait, then the answer', async () => {
    const seen: string[] = [];
    const port = await udpServer((m, peer, s) => {
      seen.push(text(m));
      if (seen.length === 2) s.send(marked('second'), peer.port, peer.address);
    });
    const t = transport(`127.0.0.1:${port}`);
    const a = await t.send(request());
    expect('reply' in a && text(a.reply)).toContain('second');
    // Two sends, or more when a loaded machine lets a wait pass before the answer to the second arrives.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(1);
    expect(t.attempts).toMatchObject([{ via: 'udp', outcome: 'reply' }]);
    expect(t.attempts[0]!.sends).toBeGreaterThanOrEqual(2);
  });

  test('a datagram that is not a Kerberos reply is ignored; the real one is taken', async () => {
    const port = await udpServer((_m, peer, s) => {
      s.send(Buffer.from('garbage'), peer.port, peer.address);
      s.send(Buffer.from([0x30, 0x00]), peer.port, peer.address);
      s.send(marked('real'), peer.port, peer.address);
    });
    const a = await transport(`127.0.0.1:${port}`).send(request());
    expect('reply' in a && text(a.reply)).toContain('real');
  });

  test('KRB_ERR_RESPONSE_TOO_BIG: the same request again over TCP on the same port', async () => {
    const tcpGot: Buffer[] = [];
    const port = await tcpServer((sock, data) => {
      tcpGot.push(data);
      sock.end(addTcpPrefix(marked('over tcp')));
    });
    await udpServer((_m, peer, s) => s.send(krbError(52), peer.port, peer.address), port);
    const t = transport(`127.0.0.1:${port}`);
    const req = request();
    const a = await t.send(req);
    expect('reply' in a && text(a.reply)).toContain('over tcp');
    expect(tcpGot[0]!.subarray(4).equals(Buffer.from(req.bytes))).toBe(true);
    expect(t.attempts.map((x) => `${x.via} ${x.outcome}`)).toEqual(['udp too-big', 'tcp reply']);
  });

  test('preferTcp and requests above the UDP limit go over TCP first', async () => {
    let udp = 0;
    const port = await tcpServer((sock) => sock.end(addTcpPrefix(marked('tcp'))));
    await udpServer(() => (udp += 1), port);
    const t = transport(`127.0.0.1:${port}`);
    expect('reply' in (await t.send({ ...request(), preferTcp: true }))).toBe(true);
    const big = new Uint8Array(2000).fill(1);
    big[0] = 0x6a;
    expect('reply' in (await t.send(request(big)))).toBe(true);
    expect(udp).toBe(0);
    expect(t.attempts.map((x) => x.via)).toEqual(['tcp', 'tcp']);
  });

  test('a refused port is reported at once (ICMP port unreachable), after TCP is refused too', async () => {
    const port = await closedPort();
    // A wait longer than the test's own bound: had the transport waited for the UDP answer rather than
    // taking the ICMP error, the test would time out instead of passing; no stopwatch is needed.
    const t = transport(`127.0.0.1:${port}`, { udpWaitsMs: [600_000] });
    const a = await t.send(request());
    expect(a).toMatchObject({ failure: 'unreachable' });
    expect(t.attempts.map((x) => `${x.via} ${x.outcome}`)).toEqual(['udp unreachable', 'tcp unreachable']);
  });

  test('silence on every send: timeout', async () => {
    const port = await udpServer(() => {});
    const t = transport(`127.0.0.1:${port}`, { udpWaitsMs: [50, 50] });
    const a = await t.send(request());
    expect(a).toMatchObject({ failure: 'timeout' });
    expect(t.attempts[0]).toMatchObject({ via: 'udp', outcome: 'timeout', sends: 2 });
  });
});

describe('TCP', () => {
  test('a reply that arrives a byte at a time', async () => {
    const port = await tcpServer((sock) => {
      const bytes = addTcpPrefix(marked('slowly'));
      let i = 0;
      const next = () => {
        if (i < bytes.length) sock.write(bytes.subarray(i, ++i), next);
      };
      next();
    });
    const a = await transport(`tcp://127.0.0.1:${port}`).send(request());
    expect('reply' in a && text(a.reply)).toContain('slowly');
  });

  test.each([
    ['a record mark with the reserved top bit', Buffer.from([0x80, 0, 0, 5]), /reserved top bit/],
    ['a record mark above the bound', Buffer.from([0x00, 0x20, 0, 0]), /more than the 1048576 accepted/],
    [
      'a close before the whole reply',
      Buffer.from([0, 0, 0, 9, 0x7e, 1]),
      /closed the connection after 6 bytes/,
    ],
  ])('%s: no reply', async (_what, bytes, says) => {
    const port = await tcpServer((sock) => sock.end(bytes));
    const a = await transport(`tcp://127.0.0.1:${port}`).send(request());
    expect(a).toMatchObject({ failure: 'unreachable' });
    expect('message' in a && a.message).toMatch(says);
  });

  test('a KDC that never answers: timeout', async () => {
    const port = await tcpServer(() => {});
    const a = await transport(`tcp://127.0.0.1:${port}`, { tcpTimeoutMs: 200 }).send(request());
    expect(a).toMatchObject({ failure: 'timeout' });
  });

  test('tcp:// never tries UDP', async () => {
    let udp = 0;
    const port = await closedPort();
    await udpServer(() => (udp += 1), port);
    const a = await transport(`tcp://127.0.0.1:${port}`).send(request());
    expect(a).toMatchObject({ failure: 'unreachable' });
    expect(udp).toBe(0);
  });
});

describe('MS-KKDCP', () => {
  async function proxy(
    handle: (
      body: Buffer,
      req: { method?: string; contentType?: string; url?: string },
    ) => {
      status: number;
      body?: Uint8Array;
    },
  ): Promise<string> {
    const srv: HttpServer = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const out = handle(Buffer.concat(chunks), {
          method: req.method,
          contentType: req.headers['content-type'],
          url: req.url,
        });
        res.statusCode = out.status;
        res.end(out.body ?? '');
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          srv.closeAllConnections();
          srv.close(() => resolve());
        }),
    );
    return `http://127.0.0.1:${(srv.address() as { port: number }).port}/KdcProxy`;
  }

  test('a POST of application/kerberos carrying the record and the realm; the reply unwrapped', async () => {
    const seen: { method?: string; contentType?: string; url?: string; target?: string; record?: Buffer }[] =
      [];
    const url = await proxy((body, req) => {
      const msg = decodeKdcProxyMessage(new Uint8Array(body));
      seen.push({ ...req, target: msg.targetDomain, record: Buffer.from(msg.kerbMessage) });
      return { status: 200, body: encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(marked('proxied')) }) };
    });
    const req = request();
    const a = await transport(url).send(req);
    expect('reply' in a && text(a.reply)).toContain('proxied');
    expect(seen).toEqual([
      {
        method: 'POST',
        contentType: 'application/kerberos',
        url: '/KdcProxy',
        target: REALM,
        record: Buffer.from(addTcpPrefix(req.bytes)),
      },
    ]);
  });

  test.each([
    ['an HTTP error', { status: 503 }, /answered HTTP 503/],
    [
      'a body that is not a KDC-PROXY-MESSAGE',
      { status: 200, body: Buffer.from('hello') },
      /not a KDC-PROXY-MESSAGE/,
    ],
    [
      'a kerb-message without its record mark',
      { status: 200, body: encodeKdcProxyMessage({ kerbMessage: marked('bare') }) },
      /does not carry one whole record/,
    ],
  ])('%s: no reply', async (_what, answer, says) => {
    const url = await proxy(() => answer);
    const a = await transport(url).send(request());
    expect(a).toMatchObject({ failure: 'unreachable' });
    expect('message' in a && a.message).toMatch(says);
  });
});

describe("the client over real sockets, against the playground's KDC", () => {
  // One KDC for the block: building its keys (PBKDF2) is the slow part on a loaded machine.
  let addresses: { udp: string; proxy: string };
  let stopServers: () => Promise<void>;
  beforeAll(async () => {
    const service = new KdcService(new Kdc(buildKdcState(config, cryptoRandom)));
    const server = new KdcServer(service, { host: '127.0.0.1', port: 0 });
    const kkdcp = new KkdcpServer(service, { host: '127.0.0.1', port: 0 });
    await server.start();
    await kkdcp.start();
    stopServers = async () => {
      await server.stop();
      await kkdcp.stop();
    };
    addresses = { udp: server.address, proxy: `${kkdcp.url}/KdcProxy` };
  }, 120_000);
  afterAll(() => stopServers?.());
  const serve = async () => addresses;

  test.each(['udp', 'tcp', 'kkdcp'] as const)(
    'sign-in and a service two trusts away, over %s',
    async (via) => {
      const { udp, proxy } = await serve();
      const kdc = via === 'udp' ? udp : via === 'tcp' ? `tcp://${udp}` : proxy;
      const t = new KdcTransport({ defaultKdc: parseKdcAddress(kdc) });
      const client = new KerberosClient({ principal: `alice@${REALM}`, kdcTimesync: true });
      const signIn = await runClientOverNetwork(client, { kind: 'sign-in', password: 'alice-pw' }, t.send);
      expect(signIn.result.ok).toBe(true);
      const svc = await runClientOverNetwork(
        client,
        { kind: 'service-ticket', service: 'cifs/fs3.third.test' },
        t.send,
      );
      if (!svc.result.ok) throw svc.result.error;
      expect(svc.result.credential.server.realm).toBe('THIRD.TEST');
      expect(svc.result.path).toEqual([REALM, 'OTHER.TEST', 'THIRD.TEST']);
      // Over UDP, as MIT: a request above 1465 bytes (a TGS-REQ carrying a TGT with a PAC) goes over TCP.
      const expected = t.attempts.map((a) => (via === 'udp' && a.bytes > 1465 ? 'tcp' : via));
      expect(t.attempts.map((a) => a.via)).toEqual(expected);
      expect(t.attempts.map((a) => a.outcome).every((o) => o === 'reply')).toBe(true);
      if (via === 'udp') expect(expected).toContain('udp');
    },
    60_000,
  );

  test('a wrong password ends in a KdcError with KDC_ERR_PREAUTH_FAILED', async () => {
    const { udp } = await serve();
    const t = new KdcTransport({ defaultKdc: parseKdcAddress(udp) });
    const client = new KerberosClient({ principal: `alice@${REALM}` });
    const r = await runClientOverNetwork(client, { kind: 'sign-in', password: 'wrong' }, t.send);
    expect(r.result.ok).toBe(false);
    expect(!r.result.ok && r.result.error.code).toBe(24);
  }, 60_000);

  test('isResponseTooBig reads the error code, nothing else', () => {
    expect(isResponseTooBig(krbError(52))).toBe(true);
    expect(isResponseTooBig(krbError(25))).toBe(false);
    expect(isResponseTooBig(new Uint8Array([0x7e, 0x01]))).toBe(false);
  });
});
