/**
 * The KDC as an MS-KKDCP "KDC proxy" (MS-KKDCP §3.2): an HTTP(S) POST whose body is a KDC-PROXY-MESSAGE
 * holding the Kerberos request with its 4-byte TCP record mark; the reply travels back the same way.
 * MIT's client (`kdc = https://host:port/path` in krb5.conf, with krb5-k5tls) sends
 * `Content-type: application/kerberos`, as Windows does. The proxy here is its own KDC, so target-domain
 * only shows up in the log; a realm this KDC does not serve gets KDC_ERR_WRONG_REALM from the KDC itself.
 *
 * Bounded like the TCP server (./limits.ts): body size (a chunked body is refused: 411, RFC 9112 §6.3,
 * so that the size is known before a byte of it is kept), header size and count, the bodies buffered
 * across all connections, connections per remote address and in all (at the bound, the oldest connection
 * of the address holding the most makes room), a deadline for the TLS handshake, for the headers and for
 * the whole request (slow loris), idle keep-alive connections. A connection that gets an error reply is
 * destroyed shortly after, read or not; every refusal is logged (./refusals.ts).
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { addTcpPrefix, decodeKdcProxyMessage, encodeKdcProxyMessage, readTcpLength } from '../asn1';
import { DEFAULT_LIMITS, type ServerLimits } from './limits';
import { peerName, RefusalLog } from './refusals';
import type { KdcService } from './service';

export interface KkdcpServerOptions {
  host: string;
  port: number;
  /** PEM certificate chain and key; without them the proxy speaks plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  limits?: Partial<ServerLimits>;
}

/** DER overhead of KDC-PROXY-MESSAGE around the record (tags, lengths, a realm name): generous. */
const ENVELOPE_BYTES = 1024;

/** One TCP connection to the proxy (under TLS, the socket beneath it). */
interface ProxyConnection {
  socket: Socket;
  address: string;
  /** Order of arrival: ties at the connection bound go against the oldest. */
  seq: number;
}

/** A request whose body is arriving. */
interface Upload {
  socket: Socket;
  peer: string;
  address: string;
  chunks: Buffer[];
  size: number;
}

/** Node's codes for the HTTP parse errors that have their own status (RFC 9110 §15.5). */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Content Too Large'],
};

export class KkdcpServer {
  readonly limits: ServerLimits;
  private server: Server | undefined;
  /** Every open connection, oldest first (Sets iterate in insertion order). */
  private readonly connections = new Set<ProxyConnection>();
  private readonly byAddress = new Map<string, Set<ProxyConnection>>();
  private readonly uploads = new Set<Upload>();
  private totalBuffered = 0;
  private arrivals = 0;
  /** Sockets whose response has started: an error then closes them without another status line. */
  private readonly answering = new WeakSet<Socket>();
  private readonly refusals: RefusalLog;
  private boundPort = 0;
  /** Counters for tests and the stop line. */
  readonly stats = { perPeerRefused: 0, evicted: 0, clientErrors: 0, shed: 0 };

  constructor(
    private readonly service: KdcService,
    private readonly options: KkdcpServerOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.refusals = new RefusalLog(service);
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `${this.options.tls ? 'https' : 'http'}://${host}:${this.boundPort}/KdcProxy`;
  }

  /** Connections open now (what the bounds count). */
  get openConnections(): number {
    return this.connections.size;
  }

  /** Bytes of request bodies held now. */
  get bufferedBytes(): number {
    return this.totalBuffered;
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res);
    const deadline = this.limits.requestTimeoutMs;
    const common = {
      maxHeaderSize: 16 * 1024,
      // Node checks these deadlines every connectionsCheckingInterval (30 s unless told): a peer would
      // have up to 40 s instead of 10.
      headersTimeout: deadline,
      requestTimeout: deadline,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(deadline / 4))),
      keepAliveTimeout: Math.min(5_000, this.limits.idleTimeoutMs),
    };
    const server = this.options.tls
      ? createHttpsServer(
          {
            ...common,
            cert: this.options.tls.cert,
            key: this.options.tls.key,
            // A TLS handshake that never finishes is a slow loris too.
            handshakeTimeout: deadline,
          },
          handler,
        )
      : createHttpServer(common, handler);
    server.maxHeadersCount = 64;
    server.setTimeout(this.limits.idleTimeoutMs, (socket: Socket) => socket.destroy());
    // Under TLS this is the TCP connection beneath: refused before the handshake costs anything.
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') {
        const address = socket.remoteAddress ?? '?';
        this.refusals.refuse(
          'kkdcp',
          address,
          peerName(address, socket.remotePort),
          'TLS handshake failed',
          err.message,
        );
      }
      socket.destroy();
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => this.onClientError(err, socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.host, port: this.options.port, backlog: 511 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {
      /* accept errors must not bring the proxy down */
    });
    const addr = server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : this.options.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const c of this.connections) c.socket.destroy();
    await closed;
    this.refusals.flush();
  }

  // ------------------------------------------------------------ connections

  private onConnection(socket: Socket): void {
    const address = socket.remoteAddress;
    if (address === undefined) {
      socket.destroy(); // already gone
      return;
    }
    const peer = peerName(address, socket.remotePort);
    const mine = this.byAddress.get(address)?.size ?? 0;
    if (mine >= this.limits.maxConnectionsPerPeer) {
      this.stats.perPeerRefused++;
      this.refusals.refuse(
        'kkdcp',
        address,
        peer,
        `connection refused: over the bound of ${this.limits.maxConnectionsPerPeer} connections from one address`,
        `${mine} open from ${address}`,
      );
      socket.destroy();
      return;
    }
    if (this.connections.size >= this.limits.maxConnections && !this.makeRoom(address, peer)) {
      socket.destroy();
      return;
    }
    const conn: ProxyConnection = { socket, address, seq: this.arrivals++ };
    this.connections.add(conn);
    let set = this.byAddress.get(address);
    if (!set) this.byAddress.set(address, (set = new Set()));
    set.add(conn);
    socket.once('close', () => {
      this.connections.delete(conn);
      set.delete(conn);
      if (set.size === 0 && this.byAddress.get(address) === set) this.byAddress.delete(address);
    });
  }

  /**
   * At the connection bound: the address holding the most connections gives up its oldest (on a tie, the
   * oldest connection of those addresses), so that a flood from one or many addresses still leaves room
   * for a newcomer. When the newcomer's own address would then hold more than the one that made room, the
   * newcomer is refused instead. Returns whether there is room now.
   */
  private makeRoom(address: string, peer: string): boolean {
    let biggest: Set<ProxyConnection> | undefined;
    const oldest = (set: Set<ProxyConnection>) => set.values().next().value!.seq;
    for (const set of this.byAddress.values()) {
      if (!biggest || set.size > biggest.size || (set.size === biggest.size && oldest(set) < oldest(biggest)))
        biggest = set;
    }
    const mine = this.byAddress.get(address)?.size ?? 0;
    if (!biggest || biggest.size < mine + 1) {
      this.stats.perPeerRefused++;
      this.refusals.refuse(
        'kkdcp',
        address,
        peer,
        `connection refused: all ${this.limits.maxConnections} connections are open and this address holds the most`,
        `${mine} from ${address}`,
      );
      return false;
    }
    const victim = biggest.values().next().value!;
    this.stats.evicted++;
    this.refusals.refuse(
      'kkdcp',
      victim.address,
      peerName(victim.address, victim.socket.remotePort),
      `connection closed to make room: all ${this.limits.maxConnections} connections were open and this address held the most`,
      `${biggest.size} from ${victim.address}`,
    );
    victim.socket.destroy();
    // 'close' comes later; the bookkeeping cannot wait for it.
    this.connections.delete(victim);
    biggest.delete(victim);
    if (biggest.size === 0) this.byAddress.delete(victim.address);
    return true;
  }

  /** Node's HTTP parser gave up on a connection: a timeout, headers too large, not HTTP. */
  private onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable || this.answering.has(socket)) {
      socket.destroy();
      return;
    }
    this.stats.clientErrors++;
    const [status, reason] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request'];
    const why =
      status === 408
        ? `the request was not whole within ${this.limits.requestTimeoutMs} ms`
        : `not an HTTP request this proxy takes (${err.code ?? err.message})`;
    const address = socket.remoteAddress ?? '?';
    this.refusals.refuse('kkdcp', address, peerName(address, socket.remotePort), `${status} ${reason}`, why);
    const text = `${why}\n`;
    this.closeWith(
      socket,
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }

  /** Sends the last words, then destroys the socket after the grace period, read or not. */
  private closeWith(socket: Socket, last: string): void {
    socket.end(last);
    const timer = setTimeout(() => socket.destroy(), this.limits.closeGraceMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  // ------------------------------------------------------------ requests

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const address = socket.remoteAddress ?? '?';
    const peer = peerName(address, socket.remotePort);
    const refuse = (status: number, kind: string, text: string, detail?: string) => {
      this.refusals.refuse('kkdcp', address, peer, `${status}: ${kind}`, detail);
      this.answerAndClose(req, res, status, text);
    };
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return refuse(
        405,
        'not a POST',
        'a KDC proxy answers POST of a KDC-PROXY-MESSAGE (MS-KKDCP)\n',
        req.method,
      );
    }
    if (req.headers['transfer-encoding'] !== undefined) {
      // Without a length the size is known only once the body has been read; MIT's and Windows' clients
      // send Content-Length. RFC 9112 §6.3 lets a server refuse such a request with 411.
      return refuse(
        411,
        'a body without Content-Length',
        'send the KDC-PROXY-MESSAGE with a Content-Length (no Transfer-Encoding)\n',
        `Transfer-Encoding: ${req.headers['transfer-encoding']}`,
      );
    }
    const limit = this.limits.maxRequestBytes + 4 + ENVELOPE_BYTES;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared <= limit)) {
      return refuse(
        413,
        `a body over ${limit} bytes`,
        `at most ${limit} bytes\n`,
        `Content-Length ${declared}`,
      );
    }
    const upload: Upload = { socket, peer, address, chunks: [], size: 0 };
    this.uploads.add(upload);
    const forget = () => {
      if (this.uploads.delete(upload)) this.totalBuffered -= upload.size;
    };
    req.on('data', (chunk: Buffer) => {
      if (!this.uploads.has(upload)) return;
      upload.size += chunk.length;
      this.totalBuffered += chunk.length;
      upload.chunks.push(chunk);
      if (this.totalBuffered > this.limits.maxTotalBufferedBytes) this.shedLargest();
    });
    req.on('error', () => {
      forget();
      socket.destroy();
    });
    req.on('close', forget);
    req.on('end', () => {
      if (!this.uploads.has(upload)) return;
      const body = Buffer.concat(upload.chunks, upload.size);
      forget();
      this.answer(body, peer, res);
    });
  }

  /** Over the bound of bodies held in all: the upload holding the most goes. */
  private shedLargest(): void {
    let largest: Upload | undefined;
    for (const u of this.uploads) if (!largest || u.size > largest.size) largest = u;
    if (!largest) return;
    this.uploads.delete(largest);
    this.totalBuffered -= largest.size;
    this.stats.shed++;
    this.refusals.refuse(
      'kkdcp',
      largest.address,
      largest.peer,
      `connection closed: request bodies held in all over ${this.limits.maxTotalBufferedBytes} bytes, and this one held the most`,
      `${largest.size} bytes`,
    );
    largest.chunks = [];
    largest.socket.destroy();
  }

  /** An error status and close: the rest of the body is not read, and the socket goes after the grace. */
  private answerAndClose(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
    const socket = req.socket;
    res.shouldKeepAlive = false;
    plain(res, status, text);
    this.answering.add(socket);
    const timer = setTimeout(() => socket.destroy(), this.limits.closeGraceMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  private answer(body: Buffer, peer: string, res: ServerResponse): void {
    let inner: Uint8Array;
    let targetDomain: string | undefined;
    try {
      const message = decodeKdcProxyMessage(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
      targetDomain = message.targetDomain;
      const length = readTcpLength(message.kerbMessage);
      if (length === undefined || length !== message.kerbMessage.length - 4 || length === 0) {
        throw new Error('kerb-message must be a Kerberos message with its 4-byte length in front');
      }
      inner = message.kerbMessage.subarray(4);
    } catch (e) {
      this.service.logTransport('kkdcp', peer, `not a KDC-PROXY-MESSAGE: ${(e as Error).message}`);
      return plain(res, 400, 'the body must be a KDC-PROXY-MESSAGE (MS-KKDCP §2.2.2)\n');
    }
    const result = this.service.handle(inner, 'kkdcp', peer + (targetDomain ? ` (${targetDomain})` : ''));
    const reply = encodeKdcProxyMessage({ kerbMessage: addTcpPrefix(result.reply) });
    res.writeHead(200, { 'Content-Type': 'application/kerberos', 'Content-Length': reply.length });
    res.end(reply);
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
