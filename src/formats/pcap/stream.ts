/**
 * A capture read in pieces, as a file arrives from disk a chunk at a time: the bytes are cut at the
 * container's own boundaries (pcap records, pcapng blocks), each run of whole records read as a small
 * capture of its own (the file's header, or the section's header and interface blocks, then the records)
 * and its frames handed to one CaptureReader, so that TCP reassembly and the bounds carry over. Only the
 * unfinished record at the end of a chunk is kept between pieces, never the frames already read.
 *
 * Wherever the chunks are cut, the messages and the errors are those readCapture gives for the whole
 * file (test/unit/formats/pcap-stream.test.ts).
 */
import { concatBytes } from '../../util/bytes';
import { readCaptureFrames, type CaptureFrame } from './container';
import { CaptureError } from './errors';
import { CaptureReader, type CapturedMessage, type ReadCaptureOptions } from './read';

const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const PCAP_LE = new Set([0xd4c3b2a1, 0x4d3cb2a1]);
const PCAP_BE = new Set([0xa1b2c3d4, 0xa1b23c4d]);
/** The container's own ceilings (container.ts): a larger claim is corruption, read at once. */
const MAX_PACKET = 262_144;
const MAX_BLOCK = 16 * 1024 * 1024;

export class CaptureStream {
  readonly #reader: CaptureReader;
  /** Bytes not yet read, and where they start in the file. */
  #pending: Uint8Array = new Uint8Array(0);
  #at = 0;
  #format: 'pcap' | 'pcapng' | undefined;
  #le = true;
  /** What each run is read after: the pcap file header, or the pcapng section's header and interfaces. */
  #head: Uint8Array[] = [];
  /** Frames read so far: a run's frames are numbered after them. */
  #frames = 0;
  /** The last frame's time: a Simple Packet Block that starts a run has none of its own and takes it. */
  #lastTime = new Date(0);

  constructor(options: ReadCaptureOptions = {}) {
    this.#reader = new CaptureReader(options);
  }

  /** SMB2 rows without a token past the reader's bound (maxSmb2Rows): counted, not kept. */
  get smb2RowsLeftOut(): number {
    return this.#reader.smb2RowsLeftOut;
  }

  /** Bytes read so far, of the file. */
  get bytesRead(): number {
    return this.#at + this.#pending.length;
  }

  /** The next piece of the file; returns the messages its whole records complete. */
  push(chunk: Uint8Array): CapturedMessage[] {
    this.#pending = this.#pending.length === 0 ? chunk : concatBytes(this.#pending, chunk);
    return this.#drain(false);
  }

  /** The file has ended: what is left must be whole. */
  finish(): CapturedMessage[] {
    const out = this.#drain(true);
    if (this.#format === undefined || this.#pending.length > 0) this.#fail();
    return out;
  }

  #drain(ended: boolean): CapturedMessage[] {
    if (this.#format === undefined && !this.#start(ended)) return [];
    const out: CapturedMessage[] = [];
    let run = 0;
    for (;;) {
      const size = this.#nextSize(run);
      if (size === undefined || run + size > this.#pending.length) break;
      if (this.#format === 'pcapng' && this.#isSectionBlock(run)) {
        out.push(...this.#read(run));
        this.#sectionBlock(size);
        run = 0;
        continue;
      }
      run += size;
    }
    out.push(...this.#read(run));
    return out;
  }

  /** Reads the file's header once enough bytes are in; false until then. */
  #start(ended: boolean): boolean {
    const p = this.#pending;
    if (p.length < 4) {
      if (ended) this.#fail();
      return false;
    }
    const magic = new DataView(p.buffer, p.byteOffset, 4).getUint32(0, false);
    if (magic === PCAPNG_SHB) {
      this.#format = 'pcapng';
      return true;
    }
    if (!PCAP_LE.has(magic) && !PCAP_BE.has(magic)) this.#fail();
    if (p.length < 24) {
      if (ended) this.#fail();
      return false;
    }
    this.#format = 'pcap';
    this.#le = PCAP_LE.has(magic);
    this.#head = [p.slice(0, 24)];
    this.#consume(24);
    return true;
  }

  /** The size of the record or block at `off` of the pending bytes, undefined while its header is not in. */
  #nextSize(off: number): number | undefined {
    const p = this.#pending;
    const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
    if (this.#format === 'pcap') {
      if (p.length - off < 16) return undefined;
      const caplen = dv.getUint32(off + 8, this.#le);
      if (caplen > MAX_PACKET) this.#fail();
      return 16 + caplen;
    }
    if (p.length - off < 12) return undefined;
    let le = this.#le;
    if (dv.getUint32(off, false) === PCAPNG_SHB) {
      if (dv.getUint32(off + 8, true) === BYTE_ORDER_MAGIC) le = true;
      else if (dv.getUint32(off + 8, false) === BYTE_ORDER_MAGIC) le = false;
      else this.#fail();
    } else if (this.#head.length === 0) this.#fail();
    const length = dv.getUint32(off + 4, le);
    if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK) this.#fail();
    return length;
  }

  #isSectionBlock(off: number): boolean {
    const dv = new DataView(this.#pending.buffer, this.#pending.byteOffset + off, 4);
    return dv.getUint32(0, false) === PCAPNG_SHB || dv.getUint32(0, this.#le) === 1;
  }

  /** A section header starts the head again; an interface description joins it. */
  #sectionBlock(size: number): void {
    const block = this.#pending.slice(0, size);
    const dv = new DataView(block.buffer);
    if (dv.getUint32(0, false) === PCAPNG_SHB) {
      this.#le = dv.getUint32(8, true) === BYTE_ORDER_MAGIC;
      this.#head = [block];
    } else this.#head.push(block);
    // read now, alone: a malformed header block is reported where it is
    this.#parse(new Uint8Array(0));
    this.#consume(size);
  }

  /** Reads the first `n` pending bytes (whole records) after the head, and drops them. */
  #read(n: number): CapturedMessage[] {
    if (n === 0) return [];
    const frames = this.#parse(this.#pending.subarray(0, n));
    this.#consume(n);
    return this.#reader.frames(frames);
  }

  #parse(records: Uint8Array): CaptureFrame[] {
    const head = concatBytes(...this.#head);
    const base = this.#frames;
    let frames: CaptureFrame[];
    try {
      frames = readCaptureFrames(concatBytes(head, records), this.#lastTime);
    } catch (e) {
      throw this.#located(e, head.length);
    }
    this.#frames += frames.length;
    this.#lastTime = frames.at(-1)?.time ?? this.#lastTime;
    return frames.map((f) => ({ ...f, frame: f.frame + base }));
  }

  #consume(n: number): void {
    this.#pending = this.#pending.subarray(n);
    this.#at += n;
  }

  /**
   * Reads the head and everything pending as the whole parser would, to throw its error for it (a record
   * cut short, a length no container allows).
   */
  #fail(): never {
    this.#parse(this.#pending);
    throw new CaptureError(`capture: the file ends inside a record at byte ${this.#at}`, this.#at);
  }

  /** The parser's error with its byte offsets and frame numbers those of the whole file. */
  #located(e: unknown, headLength: number): unknown {
    if (!(e instanceof CaptureError)) return e;
    const shift = this.#at - headLength;
    const at = (n: number) => (n >= headLength ? n + shift : this.#headOffset(n, headLength));
    const message = e.message
      .replace(/\bbyte (\d+)/g, (_, n: string) => `byte ${at(Number(n))}`)
      .replace(/\b(record|frame) (\d+)/g, (_, w: string, n: string) => `${w} ${Number(n) + this.#frames}`);
    return new CaptureError(message, e.offset === undefined ? undefined : at(e.offset));
  }

  /**
   * A byte of the head in the file: the pcap header is at 0; of a pcapng head only its newest block can be
   * at fault (the others were read when they came), and it starts where the pending bytes do.
   */
  #headOffset(n: number, headLength: number): number {
    if (this.#format === 'pcap') return n;
    return this.#at + n - (headLength - (this.#head.at(-1)?.length ?? 0));
  }
}
