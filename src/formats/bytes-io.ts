/**
 * Bounds-checked reading and growable writing of the fixed-width integers the binary formats use:
 * big-endian for MIT keytab v2 and ccache v3/v4, little-endian for the PAC and NDR. Every read checks
 * what is left first, so a truncated or hostile file ends in a FormatError that says where, never in a
 * RangeError or a silently wrong value.
 */
import { FormatError, type FormatName } from './errors';

/** Where a part of a file lies: its absolute byte offset and its length (for the hex view). */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

export class ByteReader {
  readonly format: FormatName;
  readonly bytes: Uint8Array;
  /** Absolute offset of `bytes[0]` within the file being shown (for nested buffers). */
  readonly base: number;
  littleEndian: boolean;
  pos = 0;
  private readonly view: DataView;

  constructor(format: FormatName, bytes: Uint8Array, littleEndian: boolean, base = 0) {
    this.format = format;
    this.bytes = bytes;
    this.base = base;
    this.littleEndian = littleEndian;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /** The absolute offset of the next byte to read. */
  get at(): number {
    return this.base + this.pos;
  }

  /** A FormatError located at the current position (or at `offset`, relative to `bytes`). */
  fail(message: string, offset = this.pos): FormatError {
    return new FormatError(this.format, `${message} at byte ${this.base + offset}`, this.base + offset);
  }

  /** Throws unless `n` more bytes are there; `what` names the thing being read. */
  need(n: number, what: string): void {
    if (n > this.remaining) {
      throw this.fail(`${what} needs ${n} bytes, only ${Math.max(0, this.remaining)} left`);
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  /** A copy of the next `n` bytes (copies, so callers may keep them after the file buffer changes). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /** Moves to the next multiple of `n` (relative to `bytes[0]`), as NDR alignment does. */
  align(n: number, what: string): void {
    const pad = (n - (this.pos % n)) % n;
    if (pad > 0) this.skip(pad, `padding before ${what}`);
  }

  span(start: number): Span {
    return { offset: this.base + start, length: this.pos - start };
  }
}

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;
  readonly littleEndian: boolean;

  /** `capacity`: the size to start with, when the writer knows it (a PAC's layout), sparing regrowth. */
  constructor(littleEndian: boolean, capacity = 256) {
    this.littleEndian = littleEndian;
    this.buf = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.length, v & 0xffff, this.littleEndian);
    this.length += 2;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0, this.littleEndian);
    this.length += 4;
    return this;
  }

  i32(v: number): this {
    this.room(4);
    this.view.setInt32(this.length, v | 0, this.littleEndian);
    this.length += 4;
    return this;
  }

  u64(v: bigint): this {
    this.room(8);
    this.view.setBigUint64(this.length, BigInt.asUintN(64, v), this.littleEndian);
    this.length += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  zeros(n: number): this {
    this.room(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
    return this;
  }

  /** Pads with zeros to the next multiple of `n`. */
  align(n: number): this {
    return this.zeros((n - (this.length % n)) % n);
  }

  /** Overwrites a 32-bit value already written (for lengths known only afterwards). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, this.littleEndian);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
