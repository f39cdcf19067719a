/**
 * The KDC on a real port: UDP and TCP on the same address (RFC 4120 §7.2.1–2).
 *
 * UDP: one request per datagram, one reply; a reply larger than the UDP bound is replaced by
 * KRB_ERR_RESPONSE_TOO_BIG (52) so that the client asks again over TCP. Datagrams that are empty, or
 * are themselves replies (AS-REP, TGS-REP, KRB-ERROR), get no answer: answering them could start a
 * ping-pong between two KDCs or reflect traffic at a forged address.
 *
 * TCP: each message is preceded by its length as four bytes, big-endian; a client may send several
 * requests on one connection, one after the other. The top bit of the length is reserved: a KDC that
 * does not understand it "MUST return a KRB-ERROR message with the error KRB_ERR_FIELD_TOOLONG and MUST
 * close the TCP stream" (§7.2.2); we do the same for a length above our request bound, as krb5kdc does.
 *
 * Everything is bounded (./limits.ts): request size, connections from one address (one more is closed
 * at once) and in all (the oldest idle one makes room), idle connections, requests that trickle in (slow
 * loris), replies a client does not read, and the bytes buffered across all connections. A connection
 * ended with an error is destroyed shortly after, whether or not the peer reads it; every connection
 * refused or cut off is logged (./refusals.ts).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { addTcpPrefix } from '../asn1';
import { ErrorCode } from '../asn1/registry';
import { DEFAULT_LIMITS, type ServerLimits } from './limits';
import { peerName, RefusalLog } from './refusals';
import { realmOf, type KdcService } from './service';

export interface KdcServerOptions {
  host: string;
  /** 0 lets the system choose (the same port then serves UDP and TCP). */
  port: number;
  limits?: Partial<ServerLimits>;
}

/** The tag byte of AS-REP (0x6b), TGS-REP (0x6d) and KRB-ERROR (0x7e): never answered over UDP. */
const REPLY_TAGS = new Set([0x6b, 0x6d, 0x7e]);

interface Connection {
  socket: Socket;
  /** The remote address, what the per-peer bound counts. */
  address: string;
  peer: string;
  chunks: Buffer[];
  buffered: number;
  /** Since when a partial request has been arriving (the slow-loris clock), or undefined between requests. */
  recordStarted: number | undefined;
  lastActivity: number;
  opened: number;
  closing: boolean;
}

export class KdcServer {
  readonly limits: ServerLimits;
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly perAddress = new Map<string, number>();
  private readonly refusals: RefusalLog;
  private totalBuffered = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private boundPort = 0;
  /** Counters for tests and the stop line. */
  readonly stats = {
    udpDropped: 0,
    udpTooBig: 0,
    tcpTooLong: 0,
    tcpTimedOut: 0,
    tcpEvicted: 0,
    tcpWriteBackedUp: 0,
    tcpPerPeerRefused: 0,
  };

  constructor(
    private readonly service: KdcService,
    private readonly options: KdcServerOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.refusals = new RefusalLog(service);
  }

  get port(): number {
    return this.boundPort;
  }

  get address(): string {
    return `${this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host}:${this.boundPort}`;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Binds TCP, then UDP on the same port (with port 0, retried a few times if UDP's is taken). */
  async start(): Promise<void> {
    const attempts = this.options.port === 0 ? 20 : 1;
    for (let i = 0; ; i++) {
      const tcp = this.makeTcpServer();
      await listenTcp(tcp, this.options.host, this.options.port);
      const addr = tcp.address();
      const port = typeof addr === 'object' && addr ? addr.port : this.options.port;
      try {
        this.udp = await bindUdp(this.options.host, port, (msg, rinfo) =>
          this.onDatagram(msg, rinfo.address, rinfo.port),
        );
      } catch (e) {
        await new Promise<void>((r) => tcp.close(() => r()));
        if (i + 1 < attempts && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw e;
      }
      this.tcp = tcp;
      this.boundPort = port;
      break;
    }
    const tick = Math.max(
      50,
      Math.min(1000, this.limits.requestTimeoutMs / 4, this.limits.idleTimeoutMs / 4),
    );
    this.sweeper = setInterval(() => this.sweep(), tick);
    this.sweeper.unref();
  }

  /** Stops listening, closes every connection, and resolves when both sockets are closed. */
  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    for (const c of [...this.connections]) this.drop(c);
    await Promise.all([
      udp ? new Promise<void>((r) => udp.close(() => r())) : undefined,
      tcp ? new Promise<void>((r) => tcp.close(() => r())) : undefined,
    ]);
    this.refusals.flush();
  }

  // ---------------------------------------------------------------- UDP

  private onDatagram(msg: Buffer, address: string, port: number): void {
    const first = msg[0];
    if (msg.length === 0 || first === undefined || REPLY_TAGS.has(first)) {
      this.stats.udpDropped++;
      return;
    }
    const peer = `${address.includes(':') ? `[${address}]` : address}:${port}`;
    const request = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
    const result = this.service.handle(request, 'udp', peer);
    let reply = result.reply;
    if (reply.length > this.limits.maxUdpReplyBytes) {
      this.stats.udpTooBig++;
      this.service.logTransport(
        'udp',
        peer,
        `reply of ${reply.length} bytes is over the UDP bound of ${this.limits.maxUdpReplyBytes}: KRB_ERR_RESPONSE_TOO_BIG (52), the client retries over TCP`,
      );
      reply = this.service.transportError(
        ErrorCode.KRB_ERR_RESPONSE_TOO_BIG,
        `the reply is ${reply.length} bytes, too big for UDP here (at most ${this.limits.maxUdpReplyBytes}): ask again over TCP`,
        realmOf(result),
      );
    }
    // No callback: Node then drops a failed send itself (a vanished peer, ICMP unreachable, is not our
    // problem; later ICMP errors reach the socket's error listener, which ignores them) and spares a tick.
    this.udp?.send(reply, port, address);
  }

  // ---------------------------------------------------------------- TCP

  private makeTcpServer(): Server {
    const server = createServer({ noDelay: true }, (socket) => this.onConnection(socket));
    server.on('error', () => {
      /* accept errors (EMFILE…) must not bring the KDC down; the connection is simply lost */
    });
    return server;
  }

  private onConnection(socket: Socket): void {
    const address = socket.remoteAddress;
    if (address === undefined) {
      socket.destroy(); // already gone
      return;
    }
    const peer = peerName(address, socket.remotePort);
    const mine = this.perAddress.get(address) ?? 0;
    if (mine >= this.limits.maxConnectionsPerPeer) {
      this.stats.tcpPerPeerRefused++;
      this.refusals.refuse(
        'tcp',
        address,
        peer,
        `connection refused: over the bound of ${this.limits.maxConnectionsPerPeer} connections from one address`,
        `${mine} open from ${address}`,
      );
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    if (this.connections.size >= this.limits.maxConnections) this.evictOne();
    const now = Date.now();
    this.perAddress.set(address, mine + 1);
    const conn: Connection = {
      socket,
      address,
      peer,
      chunks: [],
      buffered: 0,
      recordStarted: undefined,
      lastActivity: now,
      opened: now,
      closing: false,
    };
    this.connections.add(conn);
    socket.on('data', (data: Buffer) => this.onData(conn, data));
    socket.on('error', () => this.drop(conn));
    socket.on('close', () => this.forget(conn));
    socket.on('end', () => {
      // The client finished sending; answer nothing more that is partial, and close our side.
      if (!conn.closing) {
        conn.closing = true;
        socket.end();
      }
    });
    socket.on('drain', () => {
      if (!conn.closing && socket.isPaused()) socket.resume();
    });
  }

  private onData(conn: Connection, data: Buffer): void {
    if (conn.closing) return;
    const now = Date.now();
    conn.lastActivity = now;
    if (conn.recordStarted === undefined) conn.recordStarted = now;
    conn.chunks.push(data);
    conn.buffered += data.length;
    this.totalBuffered += data.length;
    if (this.totalBuffered > this.limits.maxTotalBufferedBytes) {
      this.shedLargestBuffer();
      if (conn.closing) return;
    }
    this.serveWhole(conn);
  }

  /** Answers every whole record in the buffer, in order; keeps a partial one for later. */
  private serveWhole(conn: Connection): void {
    while (!conn.closing && conn.buffered >= 4) {
      const head = this.peek(conn, 4);
      const length = head.readUInt32BE(0);
      if (length > 0x7fffffff || length > this.limits.maxRequestBytes) {
        this.refuseTooLong(conn, length);
        return;
      }
      if (conn.buffered < 4 + length) return; // the rest is still on its way
      const record = this.take(conn, 4 + length);
      const request = new Uint8Array(record.buffer, record.byteOffset + 4, length);
      const result = this.service.handle(request, 'tcp', conn.peer);
      const ok = conn.socket.write(addTcpPrefix(result.reply));
      conn.recordStarted = conn.buffered > 0 ? Date.now() : undefined;
      conn.lastActivity = Date.now();
      if (conn.socket.writableLength > this.limits.maxPendingWriteBytes) {
        // A client that sends request after request and never reads the replies.
        this.stats.tcpWriteBackedUp++;
        this.refusals.refuse(
          'tcp',
          conn.address,
          conn.peer,
          `connection closed: over ${this.limits.maxPendingWriteBytes} bytes of replies not read`,
        );
        this.drop(conn);
        return;
      }
      if (!ok) conn.socket.pause(); // read more only once the replies have gone out
    }
  }

  /** RFC 4120 §7.2.2: KRB_ERR_FIELD_TOOLONG, then close the stream. */
  private refuseTooLong(conn: Connection, length: number): void {
    this.stats.tcpTooLong++;
    const reserved = length > 0x7fffffff;
    const why = reserved
      ? `the record mark 0x${length.toString(16)} sets the reserved high bit (RFC 4120 §7.2.2)`
      : `the record mark announces ${length} bytes; this KDC takes requests of at most ${this.limits.maxRequestBytes}`;
    this.service.logTransport('tcp', conn.peer, `${why}: KRB_ERR_FIELD_TOOLONG (61), closing`);
    const error = this.service.transportError(ErrorCode.KRB_ERR_FIELD_TOOLONG, why);
    this.release(conn);
    conn.closing = true;
    conn.socket.end(addTcpPrefix(error));
    // end() waits for the peer to read and close its side; one that never does must not keep the slot.
    const timer = setTimeout(() => this.drop(conn), this.limits.closeGraceMs);
    timer.unref();
    conn.socket.once('close', () => clearTimeout(timer));
  }

  /** The first n buffered bytes, without consuming them. */
  private peek(conn: Connection, n: number): Buffer {
    if (conn.chunks[0]!.length >= n) return conn.chunks[0]!;
    const joined = Buffer.concat(conn.chunks);
    conn.chunks = [joined];
    return joined;
  }

  /** Removes and returns the first n buffered bytes. */
  private take(conn: Connection, n: number): Buffer {
    const all = conn.chunks.length === 1 ? conn.chunks[0]! : Buffer.concat(conn.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    conn.chunks = rest.length > 0 ? [rest] : [];
    conn.buffered -= n;
    this.totalBuffered -= n;
    return out;
  }

  private release(conn: Connection): void {
    this.totalBuffered -= conn.buffered;
    conn.buffered = 0;
    conn.chunks = [];
  }

  private drop(conn: Connection): void {
    conn.closing = true;
    this.release(conn);
    conn.socket.destroy();
    this.forget(conn);
  }

  private forget(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.release(conn);
    const left = (this.perAddress.get(conn.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(conn.address, left);
    else this.perAddress.delete(conn.address);
  }

  /** At the connection bound: close the oldest connection with nothing under way (krb5kdc does alike). */
  private evictOne(): void {
    let victim: Connection | undefined;
    for (const c of this.connections) {
      // Sets iterate in insertion order: the first idle one is the oldest idle one.
      if (c.recordStarted === undefined || c.closing) {
        victim = c;
        break;
      }
    }
    victim ??= this.connections.values().next().value;
    if (victim) {
      this.stats.tcpEvicted++;
      this.refusals.refuse(
        'tcp',
        victim.address,
        victim.peer,
        `connection closed to make room: all ${this.limits.maxConnections} connections were open`,
        victim.recordStarted === undefined
          ? 'it was the oldest idle one'
          : 'none was idle; it was the oldest',
      );
      this.drop(victim);
    }
  }

  /** Over the global buffer bound: the connection holding the most bytes goes. */
  private shedLargestBuffer(): void {
    let largest: Connection | undefined;
    for (const c of this.connections) if (!largest || c.buffered > largest.buffered) largest = c;
    if (largest) {
      this.refusals.refuse(
        'tcp',
        largest.address,
        largest.peer,
        `connection closed: all connections together held more than ${this.limits.maxTotalBufferedBytes} bytes, this one the most`,
        `${largest.buffered} bytes`,
      );
      this.drop(largest);
    }
  }

  /** Closes connections that idled too long, or whose request has been trickling in too long. */
  private sweep(): void {
    const now = Date.now();
    for (const c of this.connections) {
      const slow = c.recordStarted !== undefined && now - c.recordStarted > this.limits.requestTimeoutMs;
      const idle = now - c.lastActivity > this.limits.idleTimeoutMs;
      if (slow || idle) {
        this.stats.tcpTimedOut++;
        if (slow && !c.closing)
          this.refusals.refuse(
            'tcp',
            c.address,
            c.peer,
            `connection closed: a request not whole within ${this.limits.requestTimeoutMs} ms`,
            `it started ${now - c.recordStarted!} ms ago (${c.buffered} bytes so far)`,
          );
        this.drop(c);
      }
    }
  }
}

function listenTcp(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ host, port, backlog: 1024 }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function bindUdp(
  host: string,
  port: number,
  onMessage: (msg: Buffer, rinfo: { address: string; port: number }) => void,
): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 1 << 20 });
    const onError = (e: Error) => {
      socket.close();
      reject(e);
    };
    socket.once('error', onError);
    socket.on('message', onMessage);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      socket.on('error', () => {
        /* ICMP errors from earlier sends surface here on some systems; keep serving */
      });
      resolve(socket);
    });
  });
}
