/**
 * Little-endian building blocks of SMB2 (MS-SMB2 §2.1: every integer on the wire is little-endian): a
 * writer that grows a message field by field, and a bounded reader that names what it was reading when a
 * message ends too soon.
 */
import { concatBytes } from '../util';
import { Smb2Error } from './errors';

/** Writes fields in order; `at` is the offset of the next byte. */
export class LeWriter {
  private parts: Uint8Array[] = [];
  private length = 0;

  get at(): number {
    return this.length;
  }

  bytes(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  u8(n: number): this {
    return this.bytes(new Uint8Array([n & 0xff]));
  }

  u16(n: number): this {
    return this.bytes(new Uint8Array([n & 0xff, (n >>> 8) & 0xff]));
  }

  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, true);
    return this.bytes(b);
  }

  u64(n: bigint): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, n), true);
    return this.bytes(b);
  }

  zeros(n: number): this {
    return this.bytes(new Uint8Array(n));
  }

  /** Zero bytes up to the next multiple of `n`, counted from `base` (an offset of this writer). */
  align(n: number, base = 0): this {
    const over = (this.length - base) % n;
    return over === 0 ? this : this.zeros(n - over);
  }

  done(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

/** Reads fields at offsets, refusing to read past the end. */
export class LeReader {
  private readonly view: DataView;

  constructor(
    readonly data: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(at: number, n: number, field: string): void {
    if (at < 0 || at + n > this.data.length) {
      throw new Smb2Error(
        `${this.what}: ${field} at offset ${at} needs ${n} bytes, but the message has ${this.data.length}`,
      );
    }
  }

  u8(at: number, field: string): number {
    this.need(at, 1, field);
    return this.data[at]!;
  }

  u16(at: number, field: string): number {
    this.need(at, 2, field);
    return this.view.getUint16(at, true);
  }

  u32(at: number, field: string): number {
    this.need(at, 4, field);
    return this.view.getUint32(at, true);
  }

  u64(at: number, field: string): bigint {
    this.need(at, 8, field);
    return this.view.getBigUint64(at, true);
  }

  slice(at: number, n: number, field: string): Uint8Array {
    this.need(at, n, field);
    return this.data.subarray(at, at + n);
  }
}

/** Windows FILETIME: 100-ns intervals since 1601-01-01 UTC (MS-DTYP §2.3.3). */
export function fileTime(ms: number): bigint {
  return (BigInt(Math.floor(ms)) + 11_644_473_600_000n) * 10_000n;
}
