/**
 * The file operations' bodies (MS-SMB2 §2.2.13–§2.2.34): CREATE, CLOSE, READ, WRITE, QUERY_DIRECTORY.
 * Offsets count from the header's first byte.
 */
import { utf16le } from '../util';
import { HEADER_SIZE } from './header';
import { LeWriter, fileTime } from './wire';

/** Access mask bits (MS-SMB2 §2.2.13.1.1, MS-DTYP §2.4.3). */
export const Access = {
  FILE_READ_DATA: 0x0000_0001,
  FILE_WRITE_DATA: 0x0000_0002,
  FILE_APPEND_DATA: 0x0000_0004,
  FILE_READ_EA: 0x0000_0008,
  FILE_WRITE_EA: 0x0000_0010,
  FILE_EXECUTE: 0x0000_0020,
  FILE_DELETE_CHILD: 0x0000_0040,
  FILE_READ_ATTRIBUTES: 0x0000_0080,
  FILE_WRITE_ATTRIBUTES: 0x0000_0100,
  DELETE: 0x0001_0000,
  READ_CONTROL: 0x0002_0000,
  WRITE_DAC: 0x0004_0000,
  WRITE_OWNER: 0x0008_0000,
  SYNCHRONIZE: 0x0010_0000,
  GENERIC_READ: 0x8000_0000,
  GENERIC_WRITE: 0x4000_0000,
  MAXIMUM_ALLOWED: 0x0200_0000,
} as const;

export const Disposition = {
  SUPERSEDE: 0,
  OPEN: 1,
  CREATE: 2,
  OPEN_IF: 3,
  OVERWRITE: 4,
  OVERWRITE_IF: 5,
} as const;
export const CreateOption = { DIRECTORY_FILE: 0x1, NON_DIRECTORY_FILE: 0x40 } as const;
export const FileAttribute = { DIRECTORY: 0x10, ARCHIVE: 0x20, NORMAL: 0x80 } as const;

export interface CreateRequest {
  /** The path inside the share, without a leading backslash ("" for the share's root). */
  name: string;
  desiredAccess: number;
  disposition: number;
  createOptions: number;
}

/** §2.2.13 CREATE request (no create contexts). */
export function createRequest(c: CreateRequest): Uint8Array {
  const name = utf16le(c.name);
  return new LeWriter()
    .u16(57)
    .u8(0)
    .u8(0) // no oplock
    .u32(2) // Impersonation
    .u64(0n)
    .u64(0n)
    .u32(c.desiredAccess)
    .u32(0)
    .u32(0x7) // share read, write, delete
    .u32(c.disposition)
    .u32(c.createOptions)
    .u16(HEADER_SIZE + 56)
    .u16(name.length)
    .u32(0)
    .u32(0)
    .bytes(name.length > 0 ? name : new Uint8Array(1))
    .done();
}

export interface FileFacts {
  /** ms since the epoch, for all four times. */
  time: number;
  size: number;
  directory: boolean;
}

function times(w: LeWriter, f: FileFacts): LeWriter {
  const t = fileTime(f.time);
  return w.u64(t).u64(t).u64(t).u64(t);
}

const attributesOf = (f: FileFacts) => (f.directory ? FileAttribute.DIRECTORY : FileAttribute.ARCHIVE);
const allocation = (size: number) => BigInt(Math.ceil(size / 4096) * 4096);

/** §2.2.14 CREATE response: the file's facts and its FileId. */
export function createResponse(fileId: Uint8Array, f: FileFacts, created: boolean): Uint8Array {
  const w = new LeWriter()
    .u16(89)
    .u8(0)
    .u8(0)
    .u32(created ? 2 : 1);
  return times(w, f)
    .u64(allocation(f.size))
    .u64(BigInt(f.size))
    .u32(attributesOf(f))
    .u32(0)
    .bytes(fileId)
    .u32(0)
    .u32(0)
    .done();
}

/** §2.2.15 CLOSE request. */
export function closeRequest(fileId: Uint8Array): Uint8Array {
  return new LeWriter().u16(24).u16(0).u32(0).bytes(fileId).done();
}

/** §2.2.16 CLOSE response (no attributes asked for: all zero). */
export function closeResponse(): Uint8Array {
  return new LeWriter().u16(60).u16(0).u32(0).zeros(48).u32(0).done();
}

/** §2.2.19 READ request. */
export function readRequest(fileId: Uint8Array, length: number, offset: number): Uint8Array {
  return new LeWriter()
    .u16(49)
    .u8(0x50)
    .u8(0)
    .u32(length)
    .u64(BigInt(offset))
    .bytes(fileId)
    .u32(1)
    .u32(0)
    .u32(0)
    .u16(0)
    .u16(0)
    .u8(0)
    .done();
}

/** §2.2.20 READ response: the data at offset 80. */
export function readResponse(data: Uint8Array): Uint8Array {
  return new LeWriter()
    .u16(17)
    .u8(HEADER_SIZE + 16)
    .u8(0)
    .u32(data.length)
    .u32(0)
    .u32(0)
    .bytes(data)
    .done();
}

/** §2.2.21 WRITE request: the data at offset 112. */
export function writeRequest(fileId: Uint8Array, data: Uint8Array, offset: number): Uint8Array {
  return new LeWriter()
    .u16(49)
    .u16(HEADER_SIZE + 48)
    .u32(data.length)
    .u64(BigInt(offset))
    .bytes(fileId)
    .u32(0)
    .u32(0)
    .u16(0)
    .u16(0)
    .u32(0)
    .bytes(data)
    .done();
}

/** §2.2.22 WRITE response. */
export function writeResponse(count: number): Uint8Array {
  return new LeWriter().u16(17).u16(0).u32(count).u32(0).u16(0).u16(0).done();
}

/** FileDirectoryInformation (MS-FSCC §2.4.10), the class QUERY_DIRECTORY asks for here. */
export const FILE_DIRECTORY_INFORMATION = 0x01;

/** §2.2.33 QUERY_DIRECTORY request for `pattern` ("*"), restarting the scan. */
export function queryDirectoryRequest(fileId: Uint8Array, pattern: string): Uint8Array {
  const name = utf16le(pattern);
  return new LeWriter()
    .u16(33)
    .u8(FILE_DIRECTORY_INFORMATION)
    .u8(0x01) // SMB2_RESTART_SCANS
    .u32(0)
    .bytes(fileId)
    .u16(HEADER_SIZE + 32)
    .u16(name.length)
    .u32(65_536)
    .bytes(name)
    .done();
}

export interface DirectoryEntry extends FileFacts {
  name: string;
}

/** §2.2.34 QUERY_DIRECTORY response: FileDirectoryInformation entries, each 8-byte aligned. */
export function queryDirectoryResponse(entries: readonly DirectoryEntry[]): Uint8Array {
  const out = new LeWriter();
  entries.forEach((e, i) => {
    const name = utf16le(e.name);
    const size = 64 + name.length;
    const padded = i === entries.length - 1 ? size : size + ((8 - (size % 8)) % 8);
    out.u32(i === entries.length - 1 ? 0 : padded).u32(0);
    times(out, e)
      .u64(BigInt(e.size))
      .u64(allocation(e.size))
      .u32(attributesOf(e))
      .u32(name.length)
      .bytes(name)
      .zeros(padded - size);
  });
  const buffer = out.done();
  return new LeWriter()
    .u16(9)
    .u16(HEADER_SIZE + 8)
    .u32(buffer.length)
    .bytes(buffer)
    .done();
}
