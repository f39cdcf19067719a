/**
 * Reading the files a command names: bounded before anything is allocated, with one clear line when that
 * fails (exit status 1).
 *
 * Each kind of file has a size limit (FILE_LIMITS, stated in docs/cli.md). A regular file's size is
 * known from fstat and a file over its limit is refused without reading a byte of it; anything else
 * (a FIFO, a pipe from `<(…)`, a device such as /dev/zero, a file still growing) is read in chunks that
 * stop at limit + 1 bytes, so that "larger than the limit" is known without reading further.
 */
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { KrbPlayInputError } from '../../util';

const MiB = 1024 * 1024;

/** How large each kind of file may be. Far above any real one; low enough that a mistake cannot eat the memory. */
export const FILE_LIMITS = {
  /** `decode @FILE`: a message is at most 1 MiB of DER (src/asn1), as hex text with spaces up to ~3 MiB. */
  input: 4 * MiB,
  keytab: 16 * MiB,
  ccache: 16 * MiB,
  /** `decode --pcap`: larger captures are best cut down first (`tshark -r big -Y kerberos -w small`). */
  capture: 256 * MiB,
  /** A scenario file (`scenario run FILE.json`). */
  scenario: 4 * MiB,
  /** `kdc --config`. */
  config: 16 * MiB,
  /** PEM files: `--ca`, `--tls-cert`, `--tls-key`. */
  pem: 1 * MiB,
  /** `case FILE`: pasted klist, dsregcmd, setspn output (src/support/paste.ts bounds its characters too). */
  paste: 512 * 1024,
} as const;

/** A file larger than the limit for its kind: refused before it is read whole. */
export class FileTooLargeError extends KrbPlayInputError {
  constructor(
    readonly path: string,
    readonly what: string,
    readonly limit: number,
    /** The file's size when fstat knew it; undefined when it was found by reading past the limit. */
    readonly size: number | undefined,
  ) {
    super(
      `cannot read ${what} '${path}': ` +
        (size !== undefined
          ? `it is ${formatSize(size)}, over the ${formatSize(limit)} limit`
          : `it holds more than ${formatSize(limit)}, the limit`),
    );
  }
}

export function formatSize(n: number): string {
  if (n >= 1024 * MiB) return `${(n / (1024 * MiB)).toFixed(1)} GiB`;
  if (n >= MiB) return `${Number.isInteger(n / MiB) ? n / MiB : (n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${Number.isInteger(n / 1024) ? n / 1024 : (n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function cannotRead(path: string, what: string, e: unknown): KrbPlayInputError {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES'
          ? 'permission denied'
          : (e as Error).message;
  return new KrbPlayInputError(`cannot read ${what} '${path}': ${why}`);
}

/** Largest single read: big enough to be quick, small enough that an endless stream costs nothing much. */
const CHUNK = 1 * MiB;

/**
 * The bytes of `path`, at most `limit` of them: a larger file is a FileTooLargeError. Never reads more
 * than limit + 1 bytes, and never allocates more than the file holds (or limit + 1, for a stream).
 */
export function readFileBytes(path: string, what: string, limit: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw cannotRead(path, what, e);
  }
  try {
    let st;
    try {
      st = fstatSync(fd);
    } catch (e) {
      throw cannotRead(path, what, e);
    }
    if (st.isDirectory()) throw new KrbPlayInputError(`cannot read ${what} '${path}': it is a directory`);
    if (st.isFile() && st.size > limit) throw new FileTooLargeError(path, what, limit, st.size);
    // A regular file is read into one buffer of its size (plus one byte, to notice it growing); anything
    // else in chunks. Either way the reads stop once limit + 1 bytes are in.
    const chunks: Uint8Array[] = [];
    let total = 0;
    let buf = new Uint8Array(st.isFile() ? st.size + 1 : Math.min(CHUNK, limit + 1));
    let filled = 0;
    for (;;) {
      const want = Math.min(buf.length - filled, limit + 1 - total);
      let n: number;
      try {
        n = readSync(fd, buf, filled, want, null);
      } catch (e) {
        throw cannotRead(path, what, e);
      }
      if (n === 0) break;
      filled += n;
      total += n;
      if (total > limit) throw new FileTooLargeError(path, what, limit, undefined);
      if (filled === buf.length) {
        chunks.push(buf);
        buf = new Uint8Array(Math.min(CHUNK, limit + 1 - total));
        filled = 0;
      }
    }
    if (chunks.length === 0) return buf.subarray(0, filled);
    chunks.push(buf.subarray(0, filled));
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** A text file (UTF-8), bounded as readFileBytes is. */
export function readFileText(path: string, what: string, limit: number): string {
  return new TextDecoder().decode(readFileBytes(path, what, limit));
}

/** Writes a file the user named, or an input error naming it and why it could not be written. */
export function writeOut(path: string, bytes: Uint8Array, what: string): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new KrbPlayInputError(`cannot write the ${what} '${path}': ${(e as Error).message}`);
  }
}
