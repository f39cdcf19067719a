/**
 * The two capture containers, down to raw link-layer frames:
 *  - classic pcap (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html): both byte orders,
 *    micro- and nanosecond timestamps;
 *  - pcapng (draft-ietf-opsawg-pcapng): Section Header Blocks in either byte order (one file may hold
 *    several sections), Interface Description Blocks with if_tsresol and if_tsoffset, Enhanced and Simple
 *    Packet Blocks and the obsolete Packet Block; every other block type is skipped.
 * Frames are numbered from 1 in file order, counting only packet blocks, as Wireshark numbers them.
 */
import { CaptureError } from './errors';

/** One captured frame, still in its link-layer encoding. */
export interface CaptureFrame {
  /** 1-based frame number, as Wireshark shows it. */
  frame: number;
  time: Date;
  /** LINKTYPE_* value (https://www.tcpdump.org/linktypes.html). */
  linkType: number;
  /** The captured bytes (may be shorter than originalLength when the capture had a snap length). */
  data: Uint8Array;
  originalLength: number;
}

/** Wireshark's own ceiling for one packet (WTAP_MAX_PACKET_SIZE_STANDARD); larger claims are corruption. */
const MAX_PACKET = 262_144;
/** pcapng blocks above this size are treated as corruption (Wireshark uses the same 16 MiB bound). */
const MAX_BLOCK = 16 * 1024 * 1024;
/**
 * Interfaces one pcapng section may describe. A capture names a few (one per NIC it listened on); the bound
 * keeps a crafted file of tiny interface blocks from making every later block's reading slower and slower.
 */
export const MAX_INTERFACES = 1024;
/** Date's range: ±8.64e15 ms around the epoch (ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;

const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/**
 * Reads every frame of a pcap or pcapng file. Throws CaptureError on anything malformed or cut short.
 * `lastTime`: the time of the frame before the file's first (a piece of a longer capture, stream.ts),
 * which a Simple Packet Block at its start takes, having no time of its own.
 */
export function readCaptureFrames(file: Uint8Array, lastTime = new Date(0)): CaptureFrame[] {
  if (file.length < 4)
    throw new CaptureError(`capture: ${file.length} bytes is too short for any capture`, 0);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = dv.getUint32(0, false);
  if (magic === PCAPNG_SHB) return readPcapng(file, dv, lastTime);
  if (PCAP_MAGICS.has(magic)) return readPcap(file, dv, PCAP_MAGICS.get(magic)!);
  if (magic === 0xa1b2cd34 || magic === 0x34cdb2a1) {
    throw new CaptureError('pcap: the "modified pcap" (Kuznetzov) variant is not supported', 0);
  }
  const head = Array.from(file.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new CaptureError(`capture: not a pcap or pcapng file (it starts with ${head})`, 0);
}

// ---------------------------------------------------------------------------------------------
// classic pcap

/** Magic read big-endian -> (file is little-endian?, fraction is nanoseconds?). */
const PCAP_MAGICS = new Map<number, { le: boolean; nanos: boolean }>([
  [0xa1b2c3d4, { le: false, nanos: false }],
  [0xd4c3b2a1, { le: true, nanos: false }],
  [0xa1b23c4d, { le: false, nanos: true }],
  [0x4d3cb2a1, { le: true, nanos: true }],
]);

function readPcap(file: Uint8Array, dv: DataView, kind: { le: boolean; nanos: boolean }): CaptureFrame[] {
  const { le, nanos } = kind;
  if (file.length < 24) {
    throw new CaptureError(`pcap: the file header needs 24 bytes, the file has ${file.length}`, 0);
  }
  const major = dv.getUint16(4, le);
  if (major !== 2) throw new CaptureError(`pcap: version ${major}.${dv.getUint16(6, le)} is not 2.x`, 4);
  // The link type is the low 16 bits; the upper bits may carry FCS information (pcap draft §4).
  const linkType = dv.getUint32(20, le) & 0xffff;
  const frames: CaptureFrame[] = [];
  let off = 24;
  while (off < file.length) {
    const n = frames.length + 1;
    if (file.length - off < 16) {
      throw new CaptureError(
        `pcap: record ${n} at byte ${off} needs a 16-byte header, the file ends after ${file.length - off}`,
        off,
      );
    }
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const caplen = dv.getUint32(off + 8, le);
    const origlen = dv.getUint32(off + 12, le);
    if (caplen > MAX_PACKET) {
      throw new CaptureError(
        `pcap: record ${n} at byte ${off} claims ${caplen} captured bytes (more than ${MAX_PACKET})`,
        off,
      );
    }
    if (caplen > file.length - off - 16) {
      throw new CaptureError(
        `pcap: record ${n} at byte ${off} claims ${caplen} bytes, the file ends after ${file.length - off - 16}`,
        off,
      );
    }
    const ms = sec * 1000 + (nanos ? Math.floor(frac / 1e6) : Math.floor(frac / 1e3));
    frames.push({
      frame: n,
      time: new Date(ms),
      linkType,
      data: file.subarray(off + 16, off + 16 + caplen),
      originalLength: Math.max(origlen, caplen),
    });
    off += 16 + caplen;
  }
  return frames;
}

// ---------------------------------------------------------------------------------------------
// pcapng

interface Interface {
  linkType: number;
  snapLength: number;
  /** Timestamp unit: 10^-exp s (pow10) or 2^-exp s. */
  pow10: boolean;
  exp: number;
  offsetSeconds: bigint;
}

function readPcapng(file: Uint8Array, dv: DataView, lastTime: Date): CaptureFrame[] {
  const frames: CaptureFrame[] = [];
  let interfaces: Interface[] = [];
  let le = true;
  let off = 0;
  while (off < file.length) {
    const left = file.length - off;
    if (left < 12) {
      throw new CaptureError(`pcapng: ${left} bytes at byte ${off} are too few for a block`, off);
    }
    const typeBE = dv.getUint32(off, false);
    if (typeBE === PCAPNG_SHB) {
      // A new section: its own byte order and its own interfaces (pcapng §4.1).
      const bom = dv.getUint32(off + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (dv.getUint32(off + 8, false) === BYTE_ORDER_MAGIC) le = false;
      else {
        throw new CaptureError(
          `pcapng: section header at byte ${off} has no byte-order magic (0x${bom.toString(16)})`,
          off + 8,
        );
      }
      interfaces = [];
    } else if (off === 0) {
      throw new CaptureError('pcapng: the file does not start with a section header block', 0);
    }
    const type = dv.getUint32(off, le);
    const length = dv.getUint32(off + 4, le);
    if (length < 12 || length % 4 !== 0 || length > left || length > MAX_BLOCK) {
      throw new CaptureError(
        `pcapng: block at byte ${off} (type 0x${type.toString(16)}) claims length ${length}` +
          (length > left ? ` but the file has ${left} bytes left` : ' (not a multiple of 4, at least 12)'),
        off,
      );
    }
    const trailer = dv.getUint32(off + length - 4, le);
    if (trailer !== length) {
      throw new CaptureError(
        `pcapng: block at byte ${off} says length ${length} at its start and ${trailer} at its end`,
        off + length - 4,
      );
    }
    const body = off + 8;
    const bodyLen = length - 12;
    const need = (n: number, what: string) => {
      if (bodyLen < n) {
        throw new CaptureError(`pcapng: ${what} at byte ${off} is ${length} bytes, too short`, off);
      }
    };
    switch (type) {
      case PCAPNG_SHB: {
        need(16, 'section header block');
        const major = dv.getUint16(body + 4, le);
        if (major !== 1) {
          throw new CaptureError(`pcapng: section header at byte ${off} has version ${major}, not 1`, off);
        }
        break;
      }
      case 1: {
        need(8, 'interface description block');
        if (interfaces.length >= MAX_INTERFACES)
          throw new CaptureError(
            `pcapng: the interface description block at byte ${off} is one more than the ${MAX_INTERFACES} a section may have here`,
            off,
          );
        const iface: Interface = {
          linkType: dv.getUint16(body, le),
          snapLength: dv.getUint32(body + 4, le),
          pow10: true,
          exp: 6,
          offsetSeconds: 0n,
        };
        forEachOption(dv, le, body + 8, body + bodyLen, off, (code, at, len) => {
          if (code === 9 && len >= 1) {
            // if_tsresol: MSB clear -> 10^-n, set -> 2^-n (pcapng §4.2).
            const v = file[at]!;
            iface.pow10 = (v & 0x80) === 0;
            iface.exp = v & 0x7f;
          } else if (code === 14 && len >= 8) {
            iface.offsetSeconds = dv.getBigInt64(at, le);
          }
        });
        interfaces.push(iface);
        break;
      }
      case 6: // Enhanced Packet Block
      case 2: {
        // Packet Block (obsolete): 16-bit interface id and drops count instead of a 32-bit id.
        need(20, type === 6 ? 'enhanced packet block' : 'packet block');
        const ifid = type === 6 ? dv.getUint32(body, le) : dv.getUint16(body, le);
        const iface = interfaces[ifid];
        if (!iface) {
          throw new CaptureError(
            `pcapng: packet block at byte ${off} names interface ${ifid}, the section has ${interfaces.length}`,
            off,
          );
        }
        const ts = (BigInt(dv.getUint32(body + 4, le)) << 32n) | BigInt(dv.getUint32(body + 8, le));
        const caplen = dv.getUint32(body + 12, le);
        const origlen = dv.getUint32(body + 16, le);
        if (caplen > bodyLen - 20) {
          throw new CaptureError(
            `pcapng: packet block at byte ${off} claims ${caplen} captured bytes in a ${length}-byte block`,
            off,
          );
        }
        const time = timestamp(ts, iface, off, frames.length + 1);
        lastTime = time;
        frames.push({
          frame: frames.length + 1,
          time,
          linkType: iface.linkType,
          data: file.subarray(body + 20, body + 20 + caplen),
          originalLength: Math.max(origlen, caplen),
        });
        break;
      }
      case 3: {
        // Simple Packet Block: interface 0, no timestamp (we repeat the previous frame's time).
        need(4, 'simple packet block');
        const iface = interfaces[0];
        if (!iface) {
          throw new CaptureError(`pcapng: simple packet block at byte ${off} before any interface`, off);
        }
        const origlen = dv.getUint32(body, le);
        let caplen = Math.min(origlen, bodyLen - 4);
        if (iface.snapLength > 0) caplen = Math.min(caplen, iface.snapLength);
        frames.push({
          frame: frames.length + 1,
          time: lastTime,
          linkType: iface.linkType,
          data: file.subarray(body + 4, body + 4 + caplen),
          originalLength: Math.max(origlen, caplen),
        });
        break;
      }
      default:
        // Name resolution, statistics, custom, decryption secrets…: not needed to find Kerberos.
        break;
    }
    off += length;
  }
  return frames;
}

/** Walks a pcapng option list (code, length, value padded to 32 bits) up to opt_endofopt or `end`. */
function forEachOption(
  dv: DataView,
  le: boolean,
  start: number,
  end: number,
  blockAt: number,
  visit: (code: number, at: number, len: number) => void,
): void {
  let at = start;
  while (end - at >= 4) {
    const code = dv.getUint16(at, le);
    const len = dv.getUint16(at + 2, le);
    if (code === 0) return;
    const padded = (len + 3) & ~3;
    if (padded > end - at - 4) {
      throw new CaptureError(
        `pcapng: option ${code} at byte ${at} (block at byte ${blockAt}) claims ${len} bytes, ` +
          `the block has ${end - at - 4} left`,
        at,
      );
    }
    visit(code, at + 4, len);
    at += 4 + padded;
  }
}

function timestamp(ts: bigint, iface: Interface, blockAt: number, frame: number): Date {
  const ms =
    (iface.pow10 ? (ts * 1000n) / 10n ** BigInt(iface.exp) : (ts * 1000n) >> BigInt(iface.exp)) +
    iface.offsetSeconds * 1000n;
  if (ms > BigInt(MAX_DATE_MS) || ms < -BigInt(MAX_DATE_MS)) {
    throw new CaptureError(
      `pcapng: frame ${frame} (block at byte ${blockAt}) has a timestamp outside any representable date`,
      blockAt,
    );
  }
  return new Date(Number(ms));
}
