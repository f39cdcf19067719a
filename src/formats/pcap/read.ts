/**
 * The Kerberos messages in a capture: UDP datagrams that are Kerberos messages, TCP records
 * reassembled from segments (RFC 4120 §7.2.2), KDC-PROXY-MESSAGE bodies of plain-HTTP MS-KKDCP
 * exchanges, and the GSS-API or SPNEGO tokens of SMB2 SESSION_SETUP (MS-SMB2 §2.2.5, §2.2.6), each with
 * the number of the frame that completes it (docs: CLI.md, decode --pcap). On request, the other SMB2
 * messages too, as rows without bytes.
 */
import { readCaptureFrames, type CaptureFrame } from './container';
import { CaptureError } from './errors';
import { looksLikeKerberos } from './kerberos';
import { decodeFrame, TCP_FIN, TCP_RST, TCP_SYN } from './layers';
import type { Smb2Message } from './smb2';
import { DEFAULT_STREAM_LIMITS, TcpDirection, type StreamLimits } from './tcp';

/** One application payload found in a capture. */
export interface CapturedMessage {
  /** 1-based number of the frame that completes the message; several may share one frame, in order. */
  frame: number;
  time: Date;
  /** "ip:port"; IPv6 as "[2001:db8::1]:88". */
  src: string;
  dst: string;
  transport: 'udp' | 'tcp' | 'kkdcp' | 'smb';
  /**
   * The Kerberos message (TCP: without its length prefix; kkdcp: the KDC-PROXY-MESSAGE body; smb: the
   * SESSION_SETUP's security buffer, empty for the other SMB2 messages).
   */
  bytes: Uint8Array;
  /** smb only: the SMB2 message around the bytes. */
  smb2?: Smb2Message;
}

export interface ReadCaptureOptions {
  /** Per-direction bounds of TCP reassembly (defaults: 1 MiB records, 1 MiB held out of order). */
  limits?: Partial<StreamLimits>;
  /** At most this many TCP directions holding unfinished data at once (default MAX_TCP_STREAMS). */
  maxStreams?: number;
  /** At most this many Kerberos messages in the capture (default MAX_CAPTURE_MESSAGES). */
  maxMessages?: number;
  /**
   * Also the SMB2 messages that carry no security token (TREE_CONNECT, CREATE, sealed ones …), as rows
   * with empty bytes, at most maxSmb2Rows of them (default MAX_SMB2_ROWS); the rest are counted.
   */
  smb2Rows?: boolean;
  maxSmb2Rows?: number;
}

/** SMB2 messages without a token listed per capture: a file copy holds thousands of READs. */
export const MAX_SMB2_ROWS = 1_000;

/**
 * TCP directions with data in flight, at once. A capture of a busy server has thousands; each costs a
 * few hundred bytes, so this bounds reassembly at a few tens of MB. Connections that end (FIN, RST) and
 * directions that hold nothing do not count.
 */
export const MAX_TCP_STREAMS = 65_536;

/**
 * Kerberos messages per capture. Each becomes a decoded tree of several KB (and many lines of output):
 * a capture with more is best cut down to the exchange of interest first.
 */
export const MAX_CAPTURE_MESSAGES = 20_000;

const CUT_DOWN = 'cut it down first (tshark -r FILE -Y "tcp.port==88 || udp.port==88" -w SMALLER)';

/**
 * Reads a pcap or pcapng capture and returns its Kerberos messages in frame order.
 * Throws CaptureError when the file itself is malformed or truncated, or when it holds more messages or
 * more concurrent TCP streams than the bounds above; packets that are not Kerberos, or not decodable,
 * are passed over as Wireshark passes over them.
 */
export function readCapture(file: Uint8Array, options: ReadCaptureOptions = {}): CapturedMessage[] {
  return new CaptureReader(options).frames(readCaptureFrames(file));
}

/**
 * The Kerberos messages of a capture's frames, handed in a batch at a time (stream.ts reads a file in
 * pieces): TCP reassembly and the bounds carry over from one batch to the next.
 */
export class CaptureReader {
  readonly #limits: StreamLimits;
  readonly #maxStreams: number;
  readonly #maxMessages: number;
  readonly #streams = new Map<string, TcpDirection>();
  readonly #smb2Rows: number;
  #count = 0;
  #rows = 0;
  /** SMB2 messages without a token past the bound (or all of them, when rows were not asked for). */
  smb2RowsLeftOut = 0;

  constructor(options: ReadCaptureOptions = {}) {
    this.#limits = { ...DEFAULT_STREAM_LIMITS, ...options.limits };
    this.#maxStreams = options.maxStreams ?? MAX_TCP_STREAMS;
    this.#maxMessages = options.maxMessages ?? MAX_CAPTURE_MESSAGES;
    this.#smb2Rows = options.smb2Rows ? (options.maxSmb2Rows ?? MAX_SMB2_ROWS) : 0;
  }

  /** The messages these frames (the next ones of the capture, in order) complete. */
  frames(frames: Iterable<CaptureFrame>): CapturedMessage[] {
    const out: CapturedMessage[] = [];
    const add = (m: CapturedMessage): void => {
      if (m.transport === 'smb' && m.bytes.length === 0) {
        if (this.#rows >= this.#smb2Rows) this.smb2RowsLeftOut++;
        else {
          this.#rows++;
          out.push(m);
        }
        return;
      }
      if (this.#count >= this.#maxMessages) {
        throw new CaptureError(
          `pcap: more than ${this.#maxMessages} Kerberos messages (the next one completes in frame ${m.frame}); ${CUT_DOWN}`,
        );
      }
      this.#count++;
      out.push(m);
    };
    for (const frame of frames) this.#frame(frame, add);
    return out;
  }

  #frame(frame: CaptureFrame, add: (m: CapturedMessage) => void): void {
    const p = decodeFrame(frame);
    if (!p) return;
    if (p.transport === 'udp') {
      if (looksLikeKerberos(p.payload.subarray(0, 6), p.payload.length)) {
        add({
          frame: p.frame,
          time: p.time,
          src: p.src,
          dst: p.dst,
          transport: 'udp',
          bytes: p.payload.slice(),
        });
      }
      return;
    }
    const streams = this.#streams;
    const key = `${p.src}>${p.dst}`;
    const syn = (p.flags & TCP_SYN) !== 0;
    let dir = streams.get(key);
    if (!dir) {
      // A bare ACK, FIN or RST of a stream not seen carrying anything starts nothing.
      if (p.payload.length === 0 && !syn) return;
      if (streams.size >= this.#maxStreams) forgetIdle(streams, this.#maxStreams, p.frame);
      streams.set(key, (dir = new TcpDirection(this.#limits)));
    }
    for (const r of dir.segment(p.seq, syn, p.payload, p.frame)) {
      add({
        frame: r.frame,
        time: p.time,
        src: p.src,
        dst: p.dst,
        transport: r.transport,
        bytes: r.bytes,
        ...(r.smb2 ? { smb2: r.smb2 } : {}),
      });
    }
    // RFC 9293 §3.5, §3.6: after RST, or a FIN with every byte before it in place, nothing more comes.
    if ((p.flags & TCP_RST) !== 0 || ((p.flags & TCP_FIN) !== 0 && dir.endsWith(p.seq, p.payload.length))) {
      streams.delete(key);
    }
  }
}

/**
 * Makes room in a full stream table by forgetting the directions that hold nothing (see TcpDirection.idle).
 * When that frees less than a tenth of the table, the capture has too many streams in flight at once.
 */
function forgetIdle(streams: Map<string, TcpDirection>, maxStreams: number, frame: number): void {
  for (const [key, dir] of streams) if (dir.idle) streams.delete(key);
  if (streams.size > maxStreams - Math.ceil(maxStreams / 10)) {
    throw new CaptureError(
      `pcap: more than ${maxStreams} TCP streams hold unfinished data at once (at frame ${frame}); ${CUT_DOWN}`,
    );
  }
}
