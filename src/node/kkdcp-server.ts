/**
 * The KDC as an MS-KKDCP "KDC proxy" (MS-KKDCP §3.2): an HTTP(S) POST whose body is a KDC-PROXY-MESSAGE
 * holding the Kerberos request with its 4-byte TCP record mark; the reply travels back the same way.
 * MIT's client (`kdc = https://host:port/path` in krb5.conf, with krb5-k5tls) sends
 * `Content-type: application/kerberos`, as Windows does. The proxy here is its own KDC, so target-domain
 * only shows up in the log; a realm this KDC does not serve gets KDC_ERR_WRONG_REALM from the KDC itself.
 *
 * Bounded like the TCP server: body size, header size and count, connections, header and request
 * timeouts (slow loris), idle keep-alive connections.
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

export class KkdcpServer {
  readonly limits: ServerLimits;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(
    private readonly service: KdcService,
    private readonly options: KkdcpServerOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `${this.options.tls ? 'https' : 'http'}://${host}:${this.boundPort}/KdcProxy`;
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res);
    const common = {
      maxHeaderSize: 16 * 1024,
      headersTimeout: this.limits.requestTimeoutMs,
      requestTimeout: this.limits.requestTimeoutMs,
      keepAliveTimeout: 5_000,
    };
    const server = this.options.tls
      ? createHttpsServer(
          {
            ...common,
            cert: this.options.tls.cert,
            key: this.options.tls.key,
            // A TLS handshake that never finishes is a slow loris too.
            handshakeTimeout: this.limits.requestTimeoutMs,
          },
          handler,
        )
      : createHttpServer(common, handler);
    server.maxHeadersCount = 64;
    server.maxConnections = this.limits.maxConnections;
    server.setTimeout(this.limits.idleTimeoutMs, (socket: Socket) => socket.destroy());
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
    server.on('clientError', (_err: Error, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
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
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return plain(res, 405, 'a KDC proxy answers POST of a KDC-PROXY-MESSAGE (MS-KKDCP)\n');
    }
    const limit = this.limits.maxRequestBytes + 4 + ENVELOPE_BYTES;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      res.setHeader('Connection', 'close');
      return plain(res, 413, `at most ${limit} bytes\n`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        res.setHeader('Connection', 'close');
        plain(res, 413, `at most ${limit} bytes\n`);
        req.socket.destroySoon?.();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => req.socket.destroy());
    req.on('end', () => {
      if (refused) return;
      this.answer(Buffer.concat(chunks), peer, res);
    });
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
