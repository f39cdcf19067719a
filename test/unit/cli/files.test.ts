// Reading the files krbplay is given (src/cli/commands/files.ts): bounded before anything is allocated.
// A regular file over its limit is refused from its size alone; a stream (a FIFO, /dev/zero) is read up
// to limit + 1 bytes and no further. "Read" is measured by the kernel's count of bytes this process
// read (/proc/self/io rchar), so the tests check what happened, not how long it took.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
  ftruncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FileTooLargeError, readFileBytes } from '../../../src/cli/commands/files';
import { KrbPlayInputError } from '../../../src/util';

const dir = mkdtempSync(join(tmpdir(), 'krbplay-files-'));
const MiB = 1024 * 1024;

/** Bytes this process has read so far, as the kernel counts them (Linux, /proc/self/io). */
function bytesRead(): number {
  return Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

/** What `fn` threw, and how many bytes the process read meanwhile. */
function attempt(fn: () => unknown): { error: unknown; read: number } {
  const before = bytesRead();
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  return { error, read: bytesRead() - before };
}

/** Slack for the reads of /proc/self/io itself and anything else the process does meanwhile. */
const SLACK = 64 * 1024;

afterAll(() => spawnSync('rm', ['-rf', dir]));

describe('readFileBytes', () => {
  test('a regular file up to the limit is read whole; one byte more is refused from its size', () => {
    const path = join(dir, 'exact');
    writeFileSync(path, new Uint8Array(1000).fill(7));
    expect(readFileBytes(path, 'keytab', 1000)).toEqual(new Uint8Array(1000).fill(7));
    writeFileSync(path, new Uint8Array(1001));
    const { error, read } = attempt(() => readFileBytes(path, 'keytab', 1000));
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(error).toBeInstanceOf(KrbPlayInputError);
    expect((error as Error).message).toBe(
      `cannot read keytab '${path}': it is 1001 bytes, over the 1000 bytes limit`,
    );
    expect(read).toBeLessThan(SLACK);
  });

  test('a sparse 1.5 GiB file: refused before a byte of it is read', () => {
    const path = join(dir, 'sparse');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 1536 * MiB);
    closeSync(fd);
    const { error, read } = attempt(() => readFileBytes(path, 'INPUT file', 4 * MiB));
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as Error).message).toBe(
      `cannot read INPUT file '${path}': it is 1.5 GiB, over the 4 MiB limit`,
    );
    expect((error as FileTooLargeError).size).toBe(1536 * MiB);
    expect(read).toBeLessThan(SLACK);
  });

  test('/dev/zero, which never ends: read up to the limit + 1 byte, then refused', () => {
    const { error, read } = attempt(() => readFileBytes('/dev/zero', 'keytab', MiB));
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as Error).message).toBe(
      "cannot read keytab '/dev/zero': it holds more than 1 MiB, the limit",
    );
    expect(read).toBeGreaterThanOrEqual(MiB + 1);
    expect(read).toBeLessThan(MiB + 1 + SLACK);
  });

  test('a FIFO whose writer never stops: read up to the limit + 1 byte, then refused', async () => {
    const fifo = join(dir, 'endless.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The writer opens the FIFO and writes until the reader goes away (then EPIPE ends it).
    const writer = spawn(
      process.execPath,
      [
        '-e',
        'const fs = require("fs"); const b = Buffer.alloc(65536, 1); const fd = fs.openSync(process.argv[1], "w");' +
          ' try { for (;;) fs.writeSync(fd, b); } catch { process.exit(0); }',
        fifo,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => writer.on('exit', (code) => resolve(code)));
    const { error, read } = attempt(() => readFileBytes(fifo, 'capture', MiB));
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as Error).message).toBe(
      `cannot read capture '${fifo}': it holds more than 1 MiB, the limit`,
    );
    expect(read).toBeGreaterThanOrEqual(MiB + 1);
    expect(read).toBeLessThan(MiB + 1 + SLACK);
    expect(await exited).toBe(0); // the writer saw the reader close, and stopped
  }, 60_000);

  test('a FIFO with a little in it (as from `<(cat file)`): read whole, to its end', async () => {
    const fifo = join(dir, 'short.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn(
      process.execPath,
      ['-e', 'require("fs").writeFileSync(process.argv[1], Buffer.alloc(3000, 9))', fifo],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => writer.on('exit', (code) => resolve(code)));
    expect(readFileBytes(fifo, 'keytab', MiB)).toEqual(new Uint8Array(3000).fill(9));
    expect(await exited).toBe(0);
  }, 60_000);

  test('a directory and a missing file are one clear line each', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(() => readFileBytes(sub, 'keytab', MiB)).toThrow(`cannot read keytab '${sub}': it is a directory`);
    expect(() => readFileBytes(join(dir, 'nope'), 'keytab', MiB)).toThrow(
      `cannot read keytab '${join(dir, 'nope')}': no such file`,
    );
  });
});
