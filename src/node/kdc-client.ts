/**
 * The client side of real sockets: carries what the pure client (src/client) wants sent to a realm's
 * KDC, the three ways a real KDC is reached (the way MIT's sendto_kdc.c does it, written afresh):
 *
 * - `host:port`: UDP first (RFC 4120 §7.2.1). One socket per request, the same datagram sent again after
 *   each wait that passes in silence (1 s, 2 s, 4 s by default); a datagram that is not a Kerberos reply
 *   is ignored. KRB_ERR_RESPONSE_TOO_BIG switches to TCP at once, as does a request larger than the UDP
 *   preference limit (1465 bytes, MIT's udp_preference_limit) or a client that says `preferTcp`. When UDP
 *   finds nobody (port unreachable, or every wait in silence) TCP is tried too, as MIT does for a KDC
 *   written without a transport.
 * - `tcp://host:port`: TCP only (§7.2.2): the message behind its 4-byte big-endian length, the reply read
 *   the same way, one request per connection. A length with the reserved top bit, or above the reply
 *   bound, ends the exchange.
 * - `https://host:port/path` (or `http://` for a plain proxy): MS-KKDCP. A POST with
 *   `Content-Type: application/kerberos` whose body is a KDC-PROXY-MESSAGE holding the request with its
 *   record mark and the realm as target-domain; the reply comes back the same way. The server's certificate
 *   is checked against the given CA file, or the default trust store.
 *
 * `runClientOverNetwork` runs a client over these sockets through src/client's one drive loop: the machine
 * steps on the wall clock (Date.now) with node:crypto's randomness, and the event loop stays free while
 * sockets wait.
 */
import { KrbPlayError } from '../util/errors';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { request as httpRequest, type ClientRequest as HttpClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tcpConnect, isIP } from 'node:net';
import {
  addTcpPrefix,
  decodeKdcProxyMessage,
  decodeKrbError,
  encodeKdcProxyMessage,
  readTcpLength,
} from '../asn1';
import {
  MAX_EXCHANGES,
  runClientAsync,
  type AsyncTransport,
  type ClientRequest,
  type KerberosClient,
  type Run,
  type SendRequest,
  type StepContext,
} from '../client';
import { cryptoRandom } from './random';

// ---- addresses -----------------------------------------------------------------------------------------

export type KdcAddress =
  | { kind: 'udp'; host: string; port: number; text: string }
  | { kind: 'tcp'; host: string; port: number; text: string }
  | { kind: 'kkdcp'; url: URL; text: string };

/** A KDC address that cannot be used; the CLI reports it as a usage error. */
export class KdcAddressError extends KrbPlayError {
  constructor(message: string) {
    super('input', message);
  }
}

/**
 * Parses `host:port` (UDP, then TCP), `tcp://host:port`, `udp://host:port`, `https://host[:port]/path`
 * or `http://host[:port]/path` (MS-KKDCP). IPv6 hosts go in brackets: `[::1]:88`. A missing port in
 * `host` forms means 88, as krb5.conf's `kdc = host` does.
 */
export function parseKdcAddress(text: string): KdcAddress {
  const t = text.trim();
  if (/^https?:\/\//i.test(t)) {
    let url: URL;
    try {
      url = new URL(t);
    } catch {
      throw new KdcAddressError(`'${text}' is not a URL`);
    }
    if (!url.hostname) throw new KdcAddressError(`'${text}' names no host`);
    return { kind: 'kkdcp', url, text: t };
  }
  const m = /^(?:(tcp|udp):\/\/)?(?:\[([^\]]+)\]|([^:/[\]@\s]+))(?::(\d{1,5}))?$/i.exec(t);
  const port = m?.[4] !== undefined ? Number(m[4]) : 88;
  if (!m || port < 1 || port > 65535) {
    throw new KdcAddressError(
      `'${text}' is not a KDC address (host:port, tcp://host:port or https://host:port/path)`,
    );
  }
  const host = (m[2] ?? m[3])!;
  return { kind: m[1]?.toLowerCase() === 'tcp' ? 'tcp' : 'udp', host, port, text: t };
}

// ---- the transport -------------------------------------------------------------------------------------

/** One attempt on the wire, for narration and tests. */
export interface KdcAttempt {
  realm: string;
  via: 'udp' | 'tcp' | 'kkdcp';
  to: string;
  outcome: 'reply' | 'too-big' | 'timeout' | 'unreachable' | 'error';
  detail?: string;
  /** Datagrams sent (UDP: the retries). */
  sends: number;
  /** The request's size (without framing), bytes. */
  bytes: number;
  ms: number;
}

export interface KdcTransportOptions {
  /** The KDC of a realm; undefined sends to `defaultKdc`. */
  kdcFor?: (realm: string) => KdcAddress | undefined;
  defaultKdc?: KdcAddress;
  /** Waits after each UDP send, ms (default 1000, 2000, 4000: three sends). */
  udpWaitsMs?: readonly number[];
  /** Whole TCP exchange, connect included, ms (default 10 s). */
  tcpTimeoutMs?: number;
  /** Whole HTTPS exchange, ms (default 15 s). */
  httpTimeoutMs?: number;
  /** Requests longer than this go over TCP first (default 1465, MIT's udp_preference_limit). */
  udpPreferenceLimit?: number;
  /** Largest reply accepted over TCP or HTTPS (default 1 MiB). */
  maxReplyBytes?: number;
  /** PEM CA certificate(s) to trust for https:// (instead of the default trust store). */
  ca?: string | Uint8Array;
  /** Called after every attempt. */
  onAttempt?: (attempt: KdcAttempt) => void;
}

/** What KdcTransport.send is: src/client's asynchronous transport. */
export type { AsyncTransport };

/** The first byte of AS-REP, TGS-REP and KRB-ERROR ([APPLICATION 11], [13], [30]). */
const REPLY_TAGS = new Set([0x6b, 0x6d, 0x7e]);
const RESPONSE_TOO_BIG = 52;

/** True for a KRB-ERROR whose error-code is KRB_ERR_RESPONSE_TOO_BIG. */
export function isResponseTooBig(reply: Uint8Array): boolean {
  if (reply[0] !== 0x7e) return false;
  try {
    return decodeKrbError(reply).errorCode === RESPONSE_TOO_BIG;
  } catch {
    return false;
  }
}

type Outcome = { reply: Uint8Array } | { failure: 'timeout' | 'unreachable'; message: string };

/**
 * Sends what the client asks to the realm's KDC, as MIT's sendto_kdc would, and answers with the reply or
 * the reason there is none.
 */
export class KdcTransport {
  readonly attempts: KdcAttempt[] = [];
  private readonly o: Required<Omit<KdcTransportOptions, 'kdcFor' | 'defaultKdc' | 'ca' | 'onAttempt'>> &
    KdcTransportOptions;

  constructor(options: KdcTransportOptions) {
    this.o = {
      udpWaitsMs: [1000, 2000, 4000],
      tcpTimeoutMs: 10_000,
      httpTimeoutMs: 15_000,
      udpPreferenceLimit: 1465,
      maxReplyBytes: 1 << 20,
      ...options,
    };
  }

  /** The function runClientOverNetwork wants. */
  readonly send: AsyncTransport = async (req) => {
    const kdc = this.o.kdcFor?.(req.realm) ?? this.o.defaultKdc;
    if (!kdc) return { failure: 'unreachable', message: `no KDC is known for realm ${req.realm}` };
    const out = await this.exchange(kdc, req);
    return 'reply' in out ? { reply: out.reply, from: kdc.text } : out;
  };

  private async exchange(kdc: KdcAddress, req: SendRequest): Promise<Outcome> {
    if (kdc.kind === 'kkdcp') return this.viaKkdcp(kdc, req);
    if (kdc.kind === 'tcp') return this.viaTcp(kdc.host, kdc.port, req);
    if (req.preferTcp || req.bytes.length > this.o.udpPreferenceLimit) {
      const tcp = await this.viaTcp(kdc.host, kdc.port, req);
      if ('reply' in tcp) return tcp;
      const udp = await this.viaUdp(kdc.host, kdc.port, req);
      return 'reply' in udp && !isResponseTooBig(udp.reply) ? udp : tcp;
    }
    const udp = await this.viaUdp(kdc.host, kdc.port, req);
    if ('reply' in udp && !isResponseTooBig(udp.reply)) return udp;
    // Too big for UDP, or nobody on UDP: TCP, as MIT tries a KDC written without a transport.
    const tcp = await this.viaTcp(kdc.host, kdc.port, req);
    if ('reply' in tcp || 'reply' in udp) return 'reply' in tcp ? tcp : udp;
    return udp.failure === 'timeout' || tcp.failure === 'timeout'
      ? { failure: 'timeout', message: `${udp.message}; ${tcp.message}` }
      : { failure: 'unreachable', message: `${udp.message}; ${tcp.message}` };
  }

  private note(a: KdcAttempt): void {
    this.attempts.push(a);
    this.o.onAttempt?.(a);
  }

  // ---- UDP ---------------------------------------------------------------------------------------------

  private viaUdp(host: string, port: number, req: SendRequest): Promise<Outcome> {
    const to = `udp ${hostPort(host, port)}`;
    const started = performance.now();
    const waits = this.o.udpWaitsMs;
    return new Promise((resolve) => {
      const socket: UdpSocket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
      let timer: NodeJS.Timeout | undefined;
      let sends = 0;
      let settled = false;
      const finish = (
        a: Omit<KdcAttempt, 'realm' | 'via' | 'to' | 'sends' | 'ms' | 'bytes'>,
        out: Outcome,
      ) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners('message');
        socket.on('error', () => {});
        try {
          socket.close();
        } catch {
          // already closed
        }
        this.note({
          realm: req.realm,
          bytes: req.bytes.length,
          via: 'udp',
          to,
          sends,
          ms: performance.now() - started,
          ...a,
        });
        resolve(out);
      };
      const sendOnce = () => {
        if (settled) return;
        if (sends >= waits.length) {
          const message = `${to}: no answer after ${sends} datagram${sends === 1 ? '' : 's'}`;
          finish({ outcome: 'timeout', detail: message }, { failure: 'timeout', message });
          return;
        }
        const wait = waits[sends]!;
        sends += 1;
        socket.send(req.bytes, (err) => {
          if (err) fail(err);
        });
        timer = setTimeout(sendOnce, wait);
      };
      const fail = (err: Error) => {
        const code = (err as NodeJS.ErrnoException).code;
        const message = `${to}: ${code === 'ECONNREFUSED' ? 'port unreachable (nobody listens)' : err.message}`;
        finish({ outcome: 'unreachable', detail: message }, { failure: 'unreachable', message });
      };
      socket.on('error', fail);
      socket.on('message', (msg: Buffer) => {
        const reply = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
        if (!REPLY_TAGS.has(reply[0] ?? 0)) return; // not a Kerberos reply: keep waiting
        const tooBig = isResponseTooBig(reply);
        finish({ outcome: tooBig ? 'too-big' : 'reply' }, { reply: Uint8Array.from(reply) });
      });
      // A connected socket hears the ICMP "port unreachable" as ECONNREFUSED, and only its peer's datagrams.
      socket.connect(port, host, () => sendOnce());
    });
  }

  // ---- TCP ---------------------------------------------------------------------------------------------

  private viaTcp(host: string, port: number, req: SendRequest): Promise<Outcome> {
    const to = `tcp ${hostPort(host, port)}`;
    const started = performance.now();
    const max = this.o.maxReplyBytes;
    return new Promise((resolve) => {
      const socket = tcpConnect({ host, port });
      const chunks: Buffer[] = [];
      let have = 0;
      let settled = false;
      const finish = (
        a: Omit<KdcAttempt, 'realm' | 'via' | 'to' | 'sends' | 'ms' | 'bytes'>,
        out: Outcome,
      ) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        this.note({
          realm: req.realm,
          bytes: req.bytes.length,
          via: 'tcp',
          to,
          sends: 1,
          ms: performance.now() - started,
          ...a,
        });
        resolve(out);
      };
      const timer = setTimeout(() => {
        const message = `${to}: no complete reply within ${this.o.tcpTimeoutMs} ms`;
        finish({ outcome: 'timeout', detail: message }, { failure: 'timeout', message });
      }, this.o.tcpTimeoutMs);
      socket.on('connect', () => socket.write(addTcpPrefix(req.bytes)));
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        have += d.length;
        const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        chunks.length = 0;
        chunks.push(all);
        const n = readTcpLength(all);
        if (n === undefined) return;
        if (n > 0x7fffffff || n > max) {
          const message = `${to}: the reply's record mark announces ${n} bytes (${n > 0x7fffffff ? 'the reserved top bit is set' : `more than the ${max} accepted`})`;
          finish({ outcome: 'error', detail: message }, { failure: 'unreachable', message });
          return;
        }
        if (have >= 4 + n) {
          const reply = Uint8Array.from(all.subarray(4, 4 + n));
          finish({ outcome: isResponseTooBig(reply) ? 'too-big' : 'reply' }, { reply });
        }
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        const message = `${to}: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`;
        finish({ outcome: 'unreachable', detail: message }, { failure: 'unreachable', message });
      });
      socket.on('close', () => {
        const message = `${to}: the KDC closed the connection ${have === 0 ? 'without replying' : `after ${have} bytes of an incomplete reply`}`;
        finish({ outcome: 'unreachable', detail: message }, { failure: 'unreachable', message });
      });
    });
  }

  // ---- MS-KKDCP ------------------------------------------------------------------------------------------

  private viaKkdcp(kdc: Extract<KdcAddress, { kind: 'kkdcp' }>, req: SendRequest): Promise<Outcome> {
    const to = `kkdcp ${kdc.url.href}`;
    const started = performance.now();
    const max = this.o.maxReplyBytes + 1024;
    const body = encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(req.bytes), targetDomain: req.realm });
    const secure = kdc.url.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      let http: HttpClientRequest | undefined;
      const finish = (
        a: Omit<KdcAttempt, 'realm' | 'via' | 'to' | 'sends' | 'ms' | 'bytes'>,
        out: Outcome,
      ) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        http?.destroy();
        this.note({
          realm: req.realm,
          bytes: req.bytes.length,
          via: 'kkdcp',
          to,
          sends: 1,
          ms: performance.now() - started,
          ...a,
        });
        resolve(out);
      };
      const failWith = (outcome: 'error' | 'unreachable', message: string) =>
        finish({ outcome, detail: message }, { failure: 'unreachable', message });
      const timer = setTimeout(() => {
        const message = `${to}: no reply within ${this.o.httpTimeoutMs} ms`;
        finish({ outcome: 'timeout', detail: message }, { failure: 'timeout', message });
      }, this.o.httpTimeoutMs);
      const options = {
        method: 'POST',
        headers: {
          'Content-Type': 'application/kerberos',
          'Content-Length': String(body.length),
          'Cache-Control': 'no-cache',
          Pragma: 'no-cache',
        },
        ...(secure && this.o.ca !== undefined
          ? { ca: typeof this.o.ca === 'string' ? this.o.ca : Buffer.from(this.o.ca) }
          : {}),
        agent: false as const,
      };
      try {
        http = (secure ? httpsRequest : httpRequest)(kdc.url, options, (res) => {
          const chunks: Buffer[] = [];
          let have = 0;
          res.on('data', (d: Buffer) => {
            have += d.length;
            if (have > max) failWith('error', `${to}: the reply is larger than ${max} bytes`);
            else chunks.push(d);
          });
          res.on('error', (e) => failWith('unreachable', `${to}: ${e.message}`));
          res.on('end', () => {
            if (res.statusCode !== 200) {
              failWith(
                'error',
                `${to}: the proxy answered HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
              );
              return;
            }
            const all = Buffer.concat(chunks);
            try {
              const msg = decodeKdcProxyMessage(new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
              const record = msg.kerbMessage;
              const n = readTcpLength(record);
              if (n === undefined || n !== record.length - 4) {
                failWith('error', `${to}: the proxy's kerb-message does not carry one whole record`);
                return;
              }
              const reply = Uint8Array.from(record.subarray(4));
              finish({ outcome: isResponseTooBig(reply) ? 'too-big' : 'reply' }, { reply });
            } catch (e) {
              failWith('error', `${to}: the reply is not a KDC-PROXY-MESSAGE: ${(e as Error).message}`);
            }
          });
        });
      } catch (e) {
        failWith('unreachable', `${to}: ${(e as Error).message}`);
        return;
      }
      http.on('error', (e: NodeJS.ErrnoException) =>
        failWith('unreachable', `${to}: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`),
      );
      http.end(body);
    });
  }
}

function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

// ---- the driver ----------------------------------------------------------------------------------------

/** The wall clock and the operating system's randomness: what a client on real sockets steps with. */
export function wallClock(): StepContext {
  return { now: Date.now(), random: cryptoRandom };
}

/**
 * Starts `request` and steps the client until it is done, awaiting the transport between steps: the
 * client's one drive loop (src/client's runClientAsync), on the wall clock by default.
 */
export function runClientOverNetwork(
  client: KerberosClient,
  request: ClientRequest,
  transport: AsyncTransport,
  clock: () => StepContext = wallClock,
  maxSteps = MAX_EXCHANGES,
): Promise<Run> {
  return runClientAsync(client, request, transport, clock, maxSteps);
}
