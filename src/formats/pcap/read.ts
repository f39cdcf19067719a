/**
 * The Kerberos messages in a capture: UDP datagrams that are Kerberos messages, TCP records
 * reassembled from segments (RFC 4120 §7.2.2), and KDC-PROXY-MESSAGE bodies of plain-HTTP MS-KKDCP
 * exchanges, each with the number of the frame that completes it (docs: CLI.md, decode --pcap).
 */
import { readCaptureFrames } from './container';
import { looksLikeKerberos } from './kerberos';
import { decodeFrame, TCP_SYN } from './layers';
import { DEFAULT_STREAM_LIMITS, TcpDirection, type StreamLimits } from './tcp';

/** One application payload found in a capture. */
export interface CapturedMessage {
  /** 1-based number of the frame that completes the message; several may share one frame, in order. */
  frame: number;
  time: Date;
  /** "ip:port"; IPv6 as "[2001:db8::1]:88". */
  src: string;
  dst: string;
  transport: 'udp' | 'tcp' | 'kkdcp';
  /** The Kerberos message (TCP: without its length prefix; kkdcp: the KDC-PROXY-MESSAGE body). */
  bytes: Uint8Array;
}

export interface ReadCaptureOptions {
  /** Per-direction bounds of TCP reassembly (defaults: 1 MiB records, 1 MiB held out of order). */
  limits?: Partial<StreamLimits>;
}

/**
 * Reads a pcap or pcapng capture and returns its Kerberos messages in frame order.
 * Throws CaptureError when the file itself is malformed or truncated; packets that are not Kerberos,
 * or not decodable, are passed over as Wireshark passes over them.
 */
export function readCapture(file: Uint8Array, options: ReadCaptureOptions = {}): CapturedMessage[] {
  const limits = { ...DEFAULT_STREAM_LIMITS, ...options.limits };
  const streams = new Map<string, TcpDirection>();
  const out: CapturedMessage[] = [];
  for (const frame of readCaptureFrames(file)) {
    const p = decodeFrame(frame);
    if (!p) continue;
    if (p.transport === 'udp') {
      if (looksLikeKerberos(p.payload.subarray(0, 6), p.payload.length)) {
        out.push({
          frame: p.frame,
          time: p.time,
          src: p.src,
          dst: p.dst,
          transport: 'udp',
          bytes: p.payload.slice(),
        });
      }
      continue;
    }
    const key = `${p.src}>${p.dst}`;
    let dir = streams.get(key);
    if (!dir) streams.set(key, (dir = new TcpDirection(limits)));
    for (const r of dir.segment(p.seq, (p.flags & TCP_SYN) !== 0, p.payload, p.frame)) {
      out.push({
        frame: r.frame,
        time: p.time,
        src: p.src,
        dst: p.dst,
        transport: r.transport,
        bytes: r.bytes,
      });
    }
  }
  return out;
}
