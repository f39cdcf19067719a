/**
 * The iteration count of the AES string-to-key functions (RFC 3962 §4, RFC 8009 §4): given directly, or
 * read from s2kparams, the 4-byte big-endian number a KDC sends in ETYPE-INFO2.
 */
import { CryptoInputError } from './errors';
import { describeEnctype } from './names';
import type { StringToKeyParams } from './types';

/**
 * The first iteration count refused: 2^24. RFC 3962 §4 allows up to 2^32, but MIT krb5 treats 2^24 or more
 * as bad parameters (its PBKDF2 string-to-key, lib/crypto/krb/s2k_pbkdf2.c, returns KRB5_ERR_BAD_S2K_PARAMS,
 * which kinit prints as "Invalid key generation parameters from KDC"), calling it an implementation limit
 * rather than a protocol rule. The playground draws the line at the same place: 2^24 PBKDF2 rounds take
 * about a minute here, so a hostile ETYPE-INFO2 or share link could otherwise hold a client, a decoder or
 * a browser tab for minutes.
 */
export const ITERATIONS_REFUSED_FROM = 0x1000000;

/** The most iterations the playground accepts: 2^24 − 1, as MIT krb5. */
export const MAX_ITERATIONS = ITERATIONS_REFUSED_FROM - 1;

/**
 * A string-to-key asked for 2^24 PBKDF2 iterations or more: refused before any hashing, as MIT krb5
 * refuses it (ITERATIONS_REFUSED_FROM). Real KDCs ask for 4096 (AES-SHA1, RFC 3962) or 32768 (AES-SHA2,
 * RFC 8009); a count this high is a misconfiguration, or an attack on the time of whoever derives the key.
 */
export class IterationCountError extends CryptoInputError {
  readonly etype: number;
  /** The count asked for (2^32 for s2kparams 00 00 00 00). */
  readonly iterations: number;
  /** True when the count came from s2kparams (a KDC's ETYPE-INFO2), false when it was given directly. */
  readonly fromS2kparams: boolean;

  constructor(etype: number, iterations: number, fromS2kparams: boolean) {
    super(
      `string-to-key refused: ${iterations} PBKDF2 iterations for the ${describeEnctype(etype)} key` +
        `${fromS2kparams ? ' (as the s2kparams ask)' : ''} are too many; the most accepted is ${MAX_ITERATIONS} ` +
        '(2^24 - 1), as in MIT krb5, which refuses more as "Invalid key generation parameters"; ' +
        'so many would take minutes (real KDCs ask for 4096 with AES-SHA1, 32768 with AES-SHA2)',
    );
    this.etype = etype;
    this.iterations = iterations;
    this.fromS2kparams = fromS2kparams;
  }
}

/**
 * The count string-to-key will run: the s2kparams' (RFC 3962 §4: 00 00 00 00 stands for 2^32), overridden
 * by `params.iterations`, else the enctype's default. Checked before any hashing, so a refusal costs nothing.
 */
export function iterationCount(etype: number, params: StringToKeyParams, defaultIterations: number): number {
  let n = defaultIterations;
  let from: 'default' | 's2kparams' | 'iterations' = 'default';
  if (params.s2kparams !== undefined) {
    if (params.s2kparams.length !== 4) {
      throw new CryptoInputError(
        `s2kparams for AES must be 4 bytes (the iteration count, big-endian), got ${params.s2kparams.length}`,
      );
    }
    n = new DataView(params.s2kparams.buffer, params.s2kparams.byteOffset, 4).getUint32(0, false);
    if (n === 0) n = 2 ** 32;
    from = 's2kparams';
  }
  if (params.iterations !== undefined) {
    n = params.iterations;
    from = 'iterations';
  }
  if (!Number.isInteger(n) || n < 1) {
    throw new CryptoInputError(`iteration count ${n} is out of range (1 to ${MAX_ITERATIONS})`);
  }
  if (n >= ITERATIONS_REFUSED_FROM) throw new IterationCountError(etype, n, from === 's2kparams');
  return n;
}

/** The s2kparams bytes for an iteration count, as a KDC puts them in ETYPE-INFO2. */
export function s2kparamsOf(iterations: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, iterations >>> 0, false);
  return out;
}
