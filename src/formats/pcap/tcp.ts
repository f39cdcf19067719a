/**
 * TCP stream reassembly, one direction of one connection at a time, and the two framings Kerberos
 * uses on a stream:
 *  - RFC 4120 §7.2.2: each message preceded by its length as a 4-byte big-endian integer (the high bit
 *    is reserved and must be zero);
 *  - MS-SMB2 §2.1: SMB2 over Direct TCP (port 445), each message after a 4-byte header (type 0, 24-bit
 *    length); a SESSION_SETUP's security buffer carries the GSS-API or SPNEGO token (smb2.ts);
 *  - MS-KKDCP §2.2: a KDC-PROXY-MESSAGE as the body of an HTTP POST and of its 200 reply, with
 *    `Content-type: application/kerberos` (readable only where the HTTP is not inside TLS).
 * Segments are placed by sequence number (RFC 9293 §3.4): retransmitted bytes are dropped, overlaps
 * trimmed, segments that arrive early kept until the gap before them fills. Memory per direction is
 * bounded; a direction that exceeds a bound, or that carries neither framing, is dropped.
 */
import { looksLikeKerberos } from './kerberos';
import { looksLikeDirectTcpSmb, readSmb2, type Smb2Message } from './smb2';

/** A Kerberos message, or an SMB2 message, completed by the segment of `frame`. */
export interface StreamRecord {
  frame: number;
  transport: 'tcp' | 'kkdcp' | 'smb';
  /** The Kerberos message; for SMB2, the SESSION_SETUP's security buffer (empty for other commands). */
  bytes: Uint8Array;
  smb2?: Smb2Message;
}

/** Bounds per direction; a learner's capture never comes near them, a hostile one is cut off. */
export interface StreamLimits {
  /** Largest Kerberos record or HTTP body accepted (bytes). */
  maxRecord: number;
  /** Largest amount of out-of-order data held while waiting for a gap to fill (bytes). */
  maxOutOfOrder: number;
  /** Largest HTTP header block (bytes). */
  maxHttpHeader: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxRecord: 1 << 20,
  maxOutOfOrder: 1 << 20,
  maxHttpHeader: 16 << 10,
};

/** Enough of a large SMB message to read its first header (MS-SMB2 §2.2.1) or TRANSFORM_HEADER. */
const SMB_HEADER_AND_BODY = 64;

/** Segments held out of order, at most, per direction. */
const MAX_EARLY_SEGMENTS = 4096;

type Mode = 'unknown' | 'kerberos' | 'http' | 'smb' | 'ignore';

const EMPTY = new Uint8Array(0);

interface HttpState {
  /** Waiting for the header block, or for `remaining` body bytes, or for a chunk-size line. */
  phase: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer';
  remaining: number;
  kkdcp: boolean;
  chunks: Uint8Array[];
  chunked: number;
}

/** One direction of one TCP connection. */
export class TcpDirection {
  private base: number | undefined;
  /** Next expected byte, relative to `base`. */
  private next = 0;
  /** Segments that came before the bytes ahead of them, by offset; made on the first such segment. */
  private early: Map<number, Uint8Array> | undefined;
  private earlyBytes = 0;
  private buf = EMPTY;
  private start = 0;
  private end = 0;
  private mode: Mode = 'unknown';
  private http: HttpState = newHttpState();
  /** SMB: bytes still to pass over, of a message too large to hold whose header was read. */
  private skip = 0;

  constructor(private readonly limits: StreamLimits) {}

  /** Feeds one segment; returns the records it completes, in stream order. */
  segment(seq: number, syn: boolean, payload: Uint8Array, frame: number): StreamRecord[] {
    if (syn) {
      const base = (seq + 1) >>> 0;
      // A SYN with another initial sequence number starts a new connection on the same ports.
      if (this.base !== undefined && this.base !== base) this.reset();
      this.base = base;
      seq = base;
    }
    if (payload.length === 0 || this.mode === 'ignore') return [];
    if (this.base === undefined) this.base = seq; // capture started mid-connection
    // Offset of the segment in the stream, modulo 2^32 and signed so that old bytes come out negative.
    const at = (seq - this.base) | 0;
    const out: StreamRecord[] = [];
    if (at <= this.next) {
      if (this.next - at >= payload.length) return out; // a retransmission of bytes already placed
      this.accept(payload.subarray(this.next - at), frame, out);
      this.drainEarly(frame, out);
    } else {
      if (at - this.next > this.limits.maxOutOfOrder) return out; // beyond any window: not this stream
      const early = (this.early ??= new Map());
      const held = early.get(at);
      if (!held || held.length < payload.length) {
        this.earlyBytes += payload.length - (held?.length ?? 0);
        early.set(at, payload);
      }
      if (this.earlyBytes > this.limits.maxOutOfOrder || early.size > MAX_EARLY_SEGMENTS) this.ignore();
    }
    return out;
  }

  private reset(): void {
    this.next = 0;
    this.early = undefined;
    this.earlyBytes = 0;
    this.buf = EMPTY;
    this.start = this.end = 0;
    this.mode = 'unknown';
    this.http = newHttpState();
    this.skip = 0;
  }

  private ignore(): void {
    this.reset();
    this.mode = 'ignore';
  }

  /** Moves held segments that now touch the end of the stream into it, lowest offset first. */
  private drainEarly(frame: number, out: StreamRecord[]): void {
    const early = this.early;
    while (early && early.size > 0 && this.mode !== 'ignore') {
      let first = Infinity;
      for (const at of early.keys()) if (at < first) first = at;
      if (first > this.next) return;
      const bytes = early.get(first)!;
      early.delete(first);
      this.earlyBytes -= bytes.length;
      if (first + bytes.length > this.next) this.accept(bytes.subarray(this.next - first), frame, out);
    }
  }

  /** Appends in-order bytes and parses what they complete. */
  private accept(bytes: Uint8Array, frame: number, out: StreamRecord[]): void {
    this.next += bytes.length;
    if (this.skip > 0) {
      const passed = Math.min(this.skip, bytes.length);
      this.skip -= passed;
      bytes = bytes.subarray(passed);
      if (bytes.length === 0) return;
    }
    const room = this.limits.maxRecord + this.limits.maxHttpHeader + 8;
    if (this.end - this.start + bytes.length > room) {
      this.ignore();
      return;
    }
    if (this.end + bytes.length > this.buf.length) {
      // Sized to what is held, doubling as a record grows: a stream that sends one byte costs tens of
      // bytes, not a page, however many such streams a capture has.
      const grown = new Uint8Array(Math.max(2 * (this.end - this.start + bytes.length), 64));
      grown.set(this.buf.subarray(this.start, this.end));
      this.end -= this.start;
      this.start = 0;
      this.buf = grown;
    }
    this.buf.set(bytes, this.end);
    this.end += bytes.length;
    this.parse(frame, out);
  }

  private parse(frame: number, out: StreamRecord[]): void {
    if (this.mode === 'unknown') this.mode = this.detect();
    if (this.mode === 'kerberos') this.parseRecords(frame, out);
    else if (this.mode === 'smb') this.parseSmb(frame, out);
    else if (this.mode === 'http') this.parseHttp(frame, out);
    if (this.mode === 'ignore') this.ignore();
    else if (this.start === this.end) {
      // Everything parsed: let the buffer go until the next segment.
      this.buf = EMPTY;
      this.start = this.end = 0;
    }
  }

  /**
   * True when the direction holds nothing a later segment needs: no bytes waiting, none held out of
   * order, and (for HTTP) between messages. Forgetting such a direction loses nothing: a segment that
   * comes later starts a new one there, at a message boundary, as a capture started mid-connection does.
   */
  get idle(): boolean {
    if (this.mode === 'ignore') return true;
    return (
      !this.early?.size &&
      this.start === this.end &&
      this.skip === 0 &&
      (this.mode !== 'http' || this.http.phase === 'head')
    );
  }

  /** True when a FIN at `seq` after `length` bytes of payload ends the stream with nothing left to come. */
  endsWith(seq: number, length: number): boolean {
    if (this.base === undefined || this.mode === 'ignore') return true;
    return ((seq - this.base) | 0) + length === this.next && !this.early?.size;
  }

  /** What the stream carries, from its first bytes (or 'unknown' until there are enough). */
  private detect(): Mode {
    const avail = this.end - this.start;
    const b = this.buf.subarray(this.start, this.end);
    if (avail >= 8) {
      const text = String.fromCharCode(...b.subarray(0, 8));
      if (/^(POST|GET|PUT|HEAD|OPTIONS|DELETE|PATCH|CONNECT|TRACE) |^HTTP\/1\./.test(text)) return 'http';
    }
    const smb = looksLikeDirectTcpSmb(b);
    if (smb) return 'smb';
    if (smb === undefined) return 'unknown';
    // A Kerberos record starts with a small length (high byte 0); a letter may begin an HTTP start line.
    if (avail < 8 && b[0]! >= 0x41 && b[0]! <= 0x5a) return 'unknown';
    if (avail < 4) return 'unknown';
    const len = readU32(b, 0);
    if (len === 0 || len > this.limits.maxRecord) return 'ignore';
    // Enough of the record to see its DER tag and length decides it.
    const head = b.subarray(4, Math.min(avail, 4 + 6));
    if (head.length < 6 && head.length < len) return 'unknown';
    return looksLikeKerberos(head, len) ? 'kerberos' : 'ignore';
  }

  private parseRecords(frame: number, out: StreamRecord[]): void {
    while (this.end - this.start >= 4) {
      const len = readU32(this.buf, this.start);
      // RFC 4120 §7.2.2: the high bit is reserved; a set bit or an absurd length is not Kerberos we read.
      if (len > this.limits.maxRecord || len === 0) {
        this.mode = 'ignore';
        return;
      }
      if (this.end - this.start < 4 + len) return;
      out.push({ frame, transport: 'tcp', bytes: this.buf.slice(this.start + 4, this.start + 4 + len) });
      this.start += 4 + len;
    }
  }

  /**
   * MS-SMB2 §2.1 Direct TCP: type 0 and a 24-bit length. A message larger than a record may be (a READ or
   * WRITE of megabytes) gives its first header's row once the header is in, and its rest is passed over.
   */
  private parseSmb(frame: number, out: StreamRecord[]): void {
    while (this.end - this.start >= 4) {
      const b = this.buf;
      const len = (b[this.start + 1]! << 16) | (b[this.start + 2]! << 8) | b[this.start + 3]!;
      const avail = this.end - this.start - 4;
      if (b[this.start] !== 0) {
        // NetBIOS session types other than a message (keep-alive 0x85) carry nothing of interest.
        if (avail < len) return;
        this.start += 4 + len;
        continue;
      }
      if (avail >= len) {
        this.smbRows(frame, b.subarray(this.start + 4, this.start + 4 + len), true, out);
        this.start += 4 + len;
        continue;
      }
      if (len > this.limits.maxRecord && avail >= SMB_HEADER_AND_BODY) {
        this.smbRows(frame, b.subarray(this.start + 4, this.end), false, out);
        this.skip = len - avail;
        this.start = this.end;
      }
      return;
    }
  }

  private smbRows(frame: number, message: Uint8Array, whole: boolean, out: StreamRecord[]): void {
    for (const smb2 of readSmb2(message, whole)) {
      out.push({ frame, transport: 'smb', bytes: smb2.token ?? EMPTY, smb2 });
    }
  }

  private parseHttp(frame: number, out: StreamRecord[]): void {
    const h = this.http;
    for (;;) {
      const avail = this.end - this.start;
      const b = this.buf.subarray(this.start, this.end);
      switch (h.phase) {
        case 'head': {
          const stop = indexOfCrlfCrlf(b);
          if (stop < 0) {
            if (avail > this.limits.maxHttpHeader) this.mode = 'ignore';
            return;
          }
          const head = parseHttpHead(b.subarray(0, stop));
          if (!head) {
            this.mode = 'ignore';
            return;
          }
          this.start += stop + 4;
          h.kkdcp = head.kkdcp;
          h.chunks = [];
          h.chunked = 0;
          if (head.chunked) h.phase = 'chunk-size';
          else if (head.length !== undefined) {
            if (head.length > this.limits.maxRecord) {
              this.mode = 'ignore';
              return;
            }
            h.remaining = head.length;
            h.phase = 'body';
          } else if (head.isResponse) {
            // A body delimited by the connection's close cannot be told from a later message: give up.
            this.mode = 'ignore';
            return;
          } else {
            h.remaining = 0;
            h.phase = 'body';
          }
          break;
        }
        case 'body': {
          if (avail < h.remaining) return;
          if (h.kkdcp && h.remaining > 0) {
            out.push({ frame, transport: 'kkdcp', bytes: b.slice(0, h.remaining) });
          }
          this.start += h.remaining;
          h.phase = 'head';
          break;
        }
        case 'chunk-size': {
          const eol = indexOfCrlf(b);
          if (eol < 0) {
            if (avail > 1024) this.mode = 'ignore';
            return;
          }
          const sizeText = String.fromCharCode(...b.subarray(0, eol))
            .split(';')[0]!
            .trim();
          const size = /^[0-9a-fA-F]{1,8}$/.test(sizeText) ? parseInt(sizeText, 16) : -1;
          if (size < 0 || h.chunked + size > this.limits.maxRecord) {
            this.mode = 'ignore';
            return;
          }
          this.start += eol + 2;
          h.remaining = size;
          h.phase = size === 0 ? 'trailer' : 'chunk-data';
          break;
        }
        case 'chunk-data': {
          if (avail < h.remaining) return;
          h.chunks.push(b.slice(0, h.remaining));
          h.chunked += h.remaining;
          this.start += h.remaining;
          h.phase = 'chunk-crlf';
          break;
        }
        case 'chunk-crlf': {
          if (avail < 2) return;
          this.start += 2;
          h.phase = 'chunk-size';
          break;
        }
        case 'trailer': {
          // Trailer fields, then an empty line, end a chunked body (RFC 9112 §7.1.2).
          const eol = indexOfCrlf(b);
          if (eol < 0) {
            if (avail > this.limits.maxHttpHeader) this.mode = 'ignore';
            return;
          }
          this.start += eol + 2;
          if (eol === 0) {
            if (h.kkdcp && h.chunked > 0) out.push({ frame, transport: 'kkdcp', bytes: join(h.chunks) });
            h.chunks = [];
            h.phase = 'head';
          }
          break;
        }
      }
    }
  }
}

function newHttpState(): HttpState {
  return { phase: 'head', remaining: 0, kkdcp: false, chunks: [], chunked: 0 };
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function indexOfCrlfCrlf(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  }
  return -1;
}

function indexOfCrlf(b: Uint8Array): number {
  for (let i = 0; i + 1 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10) return i;
  return -1;
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface HttpHead {
  isResponse: boolean;
  kkdcp: boolean;
  length: number | undefined;
  chunked: boolean;
}

/** Start line and the few header fields that matter (RFC 9112 §2–6); null when it is not HTTP/1.x. */
function parseHttpHead(bytes: Uint8Array): HttpHead | null {
  let text = '';
  for (const c of bytes) text += String.fromCharCode(c);
  const lines = text.split('\r\n');
  const start = lines[0]!;
  const response = /^HTTP\/1\.\d (\d{3})/.exec(start);
  const request = /^([A-Z]+) \S+ HTTP\/1\.\d$/.exec(start);
  if (!response && !request) return null;
  let contentType = '';
  let length: number | undefined;
  let chunked = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-type') contentType = value.split(';')[0]!.trim().toLowerCase();
    else if (name === 'content-length') {
      if (!/^\d{1,10}$/.test(value)) return null;
      length = Number(value);
    } else if (name === 'transfer-encoding') chunked = /chunked\s*$/i.test(value);
  }
  const wanted = contentType === 'application/kerberos';
  const kkdcp = wanted && (response ? response[1] === '200' : request![1] === 'POST');
  return { isResponse: !!response, kkdcp, length: chunked ? undefined : length, chunked };
}
