/**
 * Writing Kerberos messages as a capture Wireshark reads as if they had crossed a real wire:
 * Ethernet II, IPv4 (RFC 791) or IPv6 (RFC 8200), UDP (RFC 768) or TCP (RFC 9293), with correct
 * header checksums (RFC 1071, over the RFC 768/9293/8200 §8.1 pseudo-headers).
 * TCP messages travel on connections opened with SYN, SYN-ACK, ACK and closed with FIN after the
 * reply, carrying the RFC 4120 §7.2.2 length prefix; kkdcp messages travel as MS-KKDCP HTTP bodies.
 * The result is classic pcap or pcapng (one Ethernet interface, microsecond timestamps).
 */
import { concatBytes, utf8 } from '../../util';
import { CaptureError } from './errors';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from './layers';

/** One message to put on the synthesised wire. */
export interface MessageToWrite {
  time: Date;
  /** "ip:port", IPv6 as "[2001:db8::1]:88". */
  src: string;
  dst: string;
  transport: 'udp' | 'tcp' | 'kkdcp' | 'smb';
  /**
   * The Kerberos message (TCP: without length prefix, added here); kkdcp: the KDC-PROXY-MESSAGE; smb: an
   * SMB2 message (the NetBIOS session length is added here, RFC 1002 §4.3.1 as MS-SMB2 §2.1 uses it).
   */
  bytes: Uint8Array;
  /** pcapng only: a comment on the frame that completes the message (opt_comment). */
  comment?: string;
}

export interface WriteCaptureOptions {
  /** Largest TCP payload per segment (default 1460, Ethernet's MSS). */
  mss?: number;
  /** The request path of synthesised KDC proxy POSTs (default "/KdcProxy", as Windows uses). */
  kdcProxyPath?: string;
  /** pcapng: the application named in the section header (shb_userappl). */
  application?: string;
}

/** One synthesised Ethernet frame. */
export interface SynthesisedFrame {
  time: Date;
  data: Uint8Array;
  comment?: string;
}

/** The Ethernet frames that carry `messages`, in order. */
export function synthesiseFrames(
  messages: MessageToWrite[],
  options: WriteCaptureOptions = {},
): SynthesisedFrame[] {
  const mss = options.mss ?? 1460;
  if (!Number.isInteger(mss) || mss < 1 || mss > 65_000) {
    throw new CaptureError(`writer: mss ${mss} is not an integer between 1 and 65000`);
  }
  const wire = new Wire();
  const connections = new Map<string, Connection>();
  // How many connections each address pair has had: a reused pair gets new initial sequence numbers,
  // as a real stack would, so that Wireshark sees a new connection rather than retransmissions.
  const generations = new Map<string, number>();
  messages.forEach((m, i) => {
    const src = parseEndpoint(m.src, `message ${i + 1} src`);
    const dst = parseEndpoint(m.dst, `message ${i + 1} dst`);
    if (src.ip.length !== dst.ip.length) {
      throw new CaptureError(`writer: message ${i + 1} goes from ${m.src} to ${m.dst}, mixing IPv4 and IPv6`);
    }
    if (!(m.time instanceof Date) || Number.isNaN(m.time.getTime())) {
      throw new CaptureError(`writer: message ${i + 1} has no valid time`);
    }
    if (m.comment !== undefined && utf8(m.comment).length > 65_535) {
      throw new CaptureError(
        `writer: message ${i + 1} has a comment longer than a pcapng option (65535 bytes)`,
      );
    }
    if (m.transport === 'udp') {
      if (m.bytes.length > 65_507) {
        throw new CaptureError(
          `writer: message ${i + 1} has ${m.bytes.length} bytes, too many for one UDP datagram`,
        );
      }
      wire.send(m.time, src, dst, udpSegment(src, dst, m.bytes), 17, m.comment);
      return;
    }
    if (m.transport !== 'tcp' && m.transport !== 'kkdcp' && m.transport !== 'smb') {
      throw new CaptureError(`writer: message ${i + 1} has transport "${String(m.transport)}"`);
    }
    const key = connectionKey(m.src, m.dst);
    let c = connections.get(key);
    if (!c) {
      const generation = generations.get(key) ?? 0;
      generations.set(key, generation + 1);
      c = openConnection(wire, m.time, src, dst, mss, generation);
      connections.set(key, c);
    }
    const fromClient = sameEndpoint(src, c.client.ep);
    const stream =
      m.transport === 'tcp'
        ? withLengthPrefix(m.bytes)
        : m.transport === 'smb'
          ? netbiosFraming(m.bytes)
          : httpFraming(m.bytes, fromClient, m.dst, options.kdcProxyPath ?? '/KdcProxy');
    c.send(m.time, fromClient, stream, m.comment);
    // Kerberos over TCP: one request, one reply, then the connection closes (RFC 4120 §7.2.2); an SMB
    // connection stays open for the session's next messages.
    if (!fromClient && m.transport !== 'smb') {
      c.close(m.time);
      connections.delete(key);
    }
  });
  const last = messages.length > 0 ? messages[messages.length - 1]!.time : new Date(0);
  for (const c of connections.values()) c.close(last);
  return wire.frames;
}

/** MS-SMB2 §2.1 Direct TCP transport: a zero byte, then the SMB2 message's length in 3 bytes. */
function netbiosFraming(message: Uint8Array): Uint8Array {
  if (message.length > 0xffffff) {
    throw new CaptureError(`writer: an SMB2 message of ${message.length} bytes does not fit a 24-bit length`);
  }
  const n = message.length;
  return concatBytes(new Uint8Array([0, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]), message);
}

/** A pcapng file (SHB, one Ethernet IDB, one EPB per frame) carrying `messages`. */
export function writePcapng(messages: MessageToWrite[], options: WriteCaptureOptions = {}): Uint8Array {
  const frames = synthesiseFrames(messages, options);
  const blocks: Uint8Array[] = [];
  const app = options.application ?? 'Kerberos Playground';
  // Section Header Block: byte-order magic, version 1.0, section length unknown (-1), shb_userappl.
  blocks.push(
    block(0x0a0d0d0a, [u32(0x1a2b3c4d), u16(1), u16(0), u32(0xffffffff), u32(0xffffffff)], [[4, utf8(app)]]),
  );
  // Interface Description Block: Ethernet, no snap length; timestamps in microseconds (the default).
  blocks.push(block(1, [u16(1), u16(0), u32(0)], []));
  for (const f of frames) {
    const us = BigInt(f.time.getTime()) * 1000n;
    const options: [number, Uint8Array][] = f.comment ? [[1, utf8(f.comment)]] : [];
    blocks.push(
      block(
        6,
        [
          u32(0),
          u32(Number(BigInt.asUintN(64, us) >> 32n)),
          u32(Number(BigInt.asUintN(32, us))),
          u32(f.data.length),
          u32(f.data.length),
          pad4(f.data),
        ],
        options,
      ),
    );
  }
  return concatBytes(...blocks);
}

/** A classic little-endian pcap file (v2.4, microseconds, Ethernet) carrying `messages`. */
export function writePcap(messages: MessageToWrite[], options: WriteCaptureOptions = {}): Uint8Array {
  const frames = synthesiseFrames(messages, options);
  const parts: Uint8Array[] = [u32(0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(262_144), u32(1)];
  for (const f of frames) {
    const ms = f.time.getTime();
    const sec = Math.floor(ms / 1000);
    if (sec < 0 || sec > 0xffffffff)
      throw new CaptureError(`writer: ${f.time.toISOString()} does not fit pcap's clock`);
    parts.push(u32(sec), u32((ms - sec * 1000) * 1000), u32(f.data.length), u32(f.data.length), f.data);
  }
  return concatBytes(...parts);
}

// ---------------------------------------------------------------------------------------------
// endpoints

interface Endpoint {
  /** 4 or 16 bytes. */
  ip: Uint8Array;
  port: number;
}

function parseEndpoint(text: string, what: string): Endpoint {
  const bad = () => new CaptureError(`writer: ${what} "${text}" is not "ip:port" or "[ipv6]:port"`);
  const m =
    /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text) ?? /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  if (!m) throw bad();
  const port = Number(m[2]);
  if (port > 65535) throw bad();
  const ip = m[1]!.includes(':') ? parseIpv6(m[1]!) : parseIpv4(m[1]!);
  if (!ip) throw bad();
  return { ip, port };
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return null;
  return Uint8Array.from(parts);
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIpv4(it);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(it)) out.push(parseInt(it, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && a.ip.length === b.ip.length && a.ip.every((x, i) => x === b.ip[i]);
}

function connectionKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** A locally administered MAC derived from the IP address, so each host keeps one address. */
function macOf(ip: Uint8Array): Uint8Array {
  return Uint8Array.from([0x02, 0x00, ...ip.subarray(ip.length - 4)]);
}

// ---------------------------------------------------------------------------------------------
// the wire: IP and Ethernet

class Wire {
  readonly frames: SynthesisedFrame[] = [];
  private ipId = new Map<string, number>();

  /** Wraps a transport segment in IP and Ethernet and records the frame. */
  send(time: Date, src: Endpoint, dst: Endpoint, segment: Uint8Array, proto: 6 | 17, comment?: string): void {
    let ip: Uint8Array;
    if (src.ip.length === 4) {
      const host = src.ip.join('.');
      const id = this.ipId.get(host) ?? 1;
      this.ipId.set(host, (id + 1) & 0xffff);
      ip = new Uint8Array(20 + segment.length);
      const dv = new DataView(ip.buffer);
      ip[0] = 0x45;
      dv.setUint16(2, ip.length);
      dv.setUint16(4, id);
      dv.setUint16(6, 0x4000); // DF: no fragmentation
      ip[8] = 64;
      ip[9] = proto;
      ip.set(src.ip, 12);
      ip.set(dst.ip, 16);
      dv.setUint16(10, internetChecksum([ip.subarray(0, 20)]));
      ip.set(segment, 20);
    } else {
      ip = new Uint8Array(40 + segment.length);
      const dv = new DataView(ip.buffer);
      ip[0] = 0x60;
      dv.setUint16(4, segment.length);
      ip[6] = proto;
      ip[7] = 64;
      ip.set(src.ip, 8);
      ip.set(dst.ip, 24);
      ip.set(segment, 40);
    }
    const frame = new Uint8Array(14 + ip.length);
    frame.set(macOf(dst.ip), 0);
    frame.set(macOf(src.ip), 6);
    frame[12] = src.ip.length === 4 ? 0x08 : 0x86;
    frame[13] = src.ip.length === 4 ? 0x00 : 0xdd;
    frame.set(ip, 14);
    this.frames.push(comment === undefined ? { time, data: frame } : { time, data: frame, comment });
  }
}

/** RFC 1071: the 16-bit one's complement of the one's complement sum. */
function internetChecksum(parts: Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) {
    // Every part but the last has even length here (pseudo-header fields, headers).
    for (let i = 0; i + 1 < p.length; i += 2) sum += (p[i]! << 8) | p[i + 1]!;
    if (p.length % 2 === 1) sum += p[p.length - 1]! << 8;
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The pseudo-header of RFC 768 / RFC 9293 §3.1 (IPv4) or RFC 8200 §8.1 (IPv6). */
function pseudoHeader(src: Endpoint, dst: Endpoint, proto: number, length: number): Uint8Array {
  if (src.ip.length === 4) {
    const p = new Uint8Array(12);
    p.set(src.ip, 0);
    p.set(dst.ip, 4);
    p[9] = proto;
    p[10] = length >> 8;
    p[11] = length & 0xff;
    return p;
  }
  const p = new Uint8Array(40);
  p.set(src.ip, 0);
  p.set(dst.ip, 16);
  new DataView(p.buffer).setUint32(32, length);
  p[39] = proto;
  return p;
}

function udpSegment(src: Endpoint, dst: Endpoint, payload: Uint8Array): Uint8Array {
  const seg = new Uint8Array(8 + payload.length);
  const dv = new DataView(seg.buffer);
  dv.setUint16(0, src.port);
  dv.setUint16(2, dst.port);
  dv.setUint16(4, seg.length);
  seg.set(payload, 8);
  const sum = internetChecksum([pseudoHeader(src, dst, 17, seg.length), seg]);
  dv.setUint16(6, sum === 0 ? 0xffff : sum); // RFC 768: a computed zero is sent as all ones
  return seg;
}

function tcpSegment(
  src: Endpoint,
  dst: Endpoint,
  seq: number,
  ack: number,
  flags: number,
  payload: Uint8Array,
  mssOption?: number,
): Uint8Array {
  const hlen = mssOption === undefined ? 20 : 24;
  const seg = new Uint8Array(hlen + payload.length);
  const dv = new DataView(seg.buffer);
  dv.setUint16(0, src.port);
  dv.setUint16(2, dst.port);
  dv.setUint32(4, seq >>> 0);
  dv.setUint32(8, flags & TCP_ACK ? ack >>> 0 : 0);
  seg[12] = (hlen / 4) << 4;
  seg[13] = flags;
  dv.setUint16(14, 65535);
  if (mssOption !== undefined) {
    seg[20] = 2; // MSS (RFC 9293 §3.7.1)
    seg[21] = 4;
    dv.setUint16(22, mssOption);
  }
  seg.set(payload, hlen);
  dv.setUint16(16, internetChecksum([pseudoHeader(src, dst, 6, seg.length), seg]));
  return seg;
}

// ---------------------------------------------------------------------------------------------
// TCP connections

interface Side {
  ep: Endpoint;
  /** Next sequence number this side sends. */
  next: number;
  /** Bytes sent but not yet acknowledged by the peer. */
  unacked: number;
}

interface Connection {
  client: Side;
  send(time: Date, fromClient: boolean, stream: Uint8Array, comment?: string): void;
  close(time: Date): void;
}

/**
 * A deterministic initial sequence number (no randomness in the core): FNV-1a of the endpoints and
 * of how many connections the pair has had before.
 */
function initialSequence(a: Endpoint, b: Endpoint, generation: number): number {
  let h = 0x811c9dc5;
  const bytes = [...a.ip, a.port >> 8, a.port & 0xff, ...b.ip, b.port >> 8, b.port & 0xff];
  bytes.push(generation >>> 24, (generation >>> 16) & 0xff, (generation >>> 8) & 0xff, generation & 0xff);
  for (const byte of bytes) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

function openConnection(
  wire: Wire,
  time: Date,
  clientEp: Endpoint,
  serverEp: Endpoint,
  mss: number,
  generation: number,
): Connection {
  const client: Side = { ep: clientEp, next: initialSequence(clientEp, serverEp, generation), unacked: 0 };
  const server: Side = { ep: serverEp, next: initialSequence(serverEp, clientEp, generation), unacked: 0 };
  const emit = (
    from: Side,
    to: Side,
    flags: number,
    payload: Uint8Array,
    t: Date,
    opt?: number,
    comment?: string,
  ) => {
    wire.send(
      t,
      from.ep,
      to.ep,
      tcpSegment(from.ep, to.ep, from.next, to.next, flags, payload, opt),
      6,
      comment,
    );
    from.next = (from.next + payload.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0;
  };
  // Three-way handshake (RFC 9293 §3.5).
  emit(client, server, TCP_SYN, new Uint8Array(0), time, Math.min(mss, 65_495));
  emit(server, client, TCP_SYN | TCP_ACK, new Uint8Array(0), time, Math.min(mss, 65_495));
  emit(client, server, TCP_ACK, new Uint8Array(0), time);
  const ackFrom = (side: Side, peer: Side, t: Date) => {
    emit(side, peer, TCP_ACK, new Uint8Array(0), t);
    peer.unacked = 0;
  };
  return {
    client,
    send(t, fromClient, stream, comment) {
      const [from, to] = fromClient ? [client, server] : [server, client];
      for (let at = 0; at < stream.length; at += mss) {
        const chunk = stream.subarray(at, Math.min(at + mss, stream.length));
        const lastChunk = at + mss >= stream.length;
        // Stay well inside the peer's 65535-byte window: acknowledge every 32 KiB.
        if (from.unacked + chunk.length > 32_768) ackFrom(to, from, t);
        emit(
          from,
          to,
          lastChunk ? TCP_PSH | TCP_ACK : TCP_ACK,
          chunk,
          t,
          undefined,
          lastChunk ? comment : undefined,
        );
        from.unacked += chunk.length;
      }
      ackFrom(to, from, t);
    },
    close(t) {
      // The client, having its reply, closes; the server closes its half; the client acknowledges.
      emit(client, server, TCP_FIN | TCP_ACK, new Uint8Array(0), t);
      emit(server, client, TCP_FIN | TCP_ACK, new Uint8Array(0), t);
      emit(client, server, TCP_ACK, new Uint8Array(0), t);
    },
  };
}

function withLengthPrefix(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 0x7fffffff)
    throw new CaptureError('writer: a Kerberos record cannot exceed 2^31-1 bytes');
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/** MS-KKDCP §3.2.5.1 / §3.1.5.1: the POST carrying a KDC-PROXY-MESSAGE, and the 200 carrying the reply. */
function httpFraming(body: Uint8Array, request: boolean, dst: string, path: string): Uint8Array {
  const host = dst.replace(/:\d+$/, '');
  const head = request
    ? `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nCache-Control: no-cache\r\nPragma: no-cache\r\n` +
      `User-Agent: kerberos-playground\r\nContent-type: application/kerberos\r\nContent-Length: ${body.length}\r\n\r\n`
    : `HTTP/1.1 200 OK\r\nCache-Control: no-cache\r\nPragma: no-cache\r\nContent-Type: application/kerberos\r\n` +
      `Content-Length: ${body.length}\r\n\r\n`;
  return concatBytes(utf8(head), body);
}

// ---------------------------------------------------------------------------------------------
// pcapng encoding (little-endian)

function u16(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >> 8) & 0xff);
}

function u32(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

function pad4(b: Uint8Array): Uint8Array {
  if (b.length % 4 === 0) return b;
  const out = new Uint8Array(b.length + 4 - (b.length % 4));
  out.set(b);
  return out;
}

/** A pcapng block: type, total length, body, options (code, length, padded value, opt_endofopt), length. */
function block(type: number, body: Uint8Array[], options: [number, Uint8Array][]): Uint8Array {
  const opts: Uint8Array[] = [];
  if (options.length > 0) {
    for (const [code, value] of options) opts.push(u16(code), u16(value.length), pad4(value));
    opts.push(u32(0));
  }
  const inner = concatBytes(...body, ...opts);
  const total = inner.length + 12;
  return concatBytes(u32(type), u32(total), inner, u32(total));
}
