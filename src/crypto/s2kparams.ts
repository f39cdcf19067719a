/**
 * The iteration count of the AES string-to-key functions (RFC 3962 §4, RFC 8009 §4): given directly, or
 * read from s2kparams, the 4-byte big-endian number a KDC sends in ETYPE-INFO2.
 */
import { CryptoInputError } from './errors';
import type { StringToKeyParams } from './types';

/**
 * The most iterations the playground accepts: far above any real deployment (MIT's default is 4096),
 * low enough that a hostile s2kparams cannot freeze the tab for minutes.
 */
export const MAX_ITERATIONS = 1 << 24;

export function iterationCount(params: StringToKeyParams, defaultIterations: number): number {
  let n = defaultIterations;
  if (params.s2kparams !== undefined) {
    if (params.s2kparams.length !== 4) {
      throw new CryptoInputError(
        `s2kparams for AES must be 4 bytes (the iteration count, big-endian), got ${params.s2kparams.length}`,
      );
    }
    n = new DataView(params.s2kparams.buffer, params.s2kparams.byteOffset, 4).getUint32(0, false);
  }
  if (params.iterations !== undefined) n = params.iterations;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ITERATIONS) {
    throw new CryptoInputError(`iteration count ${n} is out of range (1 to ${MAX_ITERATIONS})`);
  }
  return n;
}

/** The s2kparams bytes for an iteration count, as a KDC puts them in ETYPE-INFO2. */
export function s2kparamsOf(iterations: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, iterations >>> 0, false);
  return out;
}
