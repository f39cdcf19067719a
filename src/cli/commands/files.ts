/** Reading the files a command names, with one clear line when that fails (exit status 1). */
import { readFileSync } from 'node:fs';
import { KrbPlayInputError } from '../../util';

export function readFileBytes(path: string, what: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new KrbPlayInputError(`cannot read ${what} '${path}': ${why}`);
  }
}
