/**
 * The enctype interface (RFC 3961 §3–4): what every encryption type provides. One object per enctype,
 * looked up by number; the public functions in index.ts dispatch through it.
 */
import type { Pbkdf2Provider, Yielder } from './pbkdf2';
import type { StringToKeyParams } from './types';

export interface EnctypeProfile {
  readonly etype: number;
  /** Key length in bytes. */
  readonly keyLength: number;
  /** Input length of random-to-key, in bytes (RFC 3961 §3 "key-generation seed length"). */
  readonly seedLength: number;
  /** The checksum type this enctype's keys make by default (RFC 3961 §4 "required checksum mechanism"). */
  readonly checksumType: number;
  /** Length of the PRF output in bytes. */
  readonly prfLength: number;
  /** Length of the random confounder prefixed to each plaintext. */
  readonly confounderLength: number;
  stringToKey(password: string, salt: Uint8Array, params: StringToKeyParams): Uint8Array;
  /**
   * The same key, computed in slices with `yieldNow` awaited between them (see pbkdf2.ts), or with the
   * host's `pbkdf2` when one is given (then nothing yields: the host's runs elsewhere).
   */
  stringToKeyAsync(
    password: string,
    salt: Uint8Array,
    params: StringToKeyParams,
    yieldNow?: Yielder,
    pbkdf2?: Pbkdf2Provider,
  ): Promise<Uint8Array>;
  randomToKey(seed: Uint8Array): Uint8Array;
  /** Encrypts with the given confounder (its length is confounderLength). */
  encrypt(key: Uint8Array, usage: number, plaintext: Uint8Array, confounder: Uint8Array): Uint8Array;
  /** Decrypts and checks integrity; throws IntegrityError. */
  decrypt(key: Uint8Array, usage: number, ciphertext: Uint8Array): Uint8Array;
  /** The enctype's keyed checksum (its checksumType). */
  checksum(key: Uint8Array, usage: number, data: Uint8Array): Uint8Array;
  prf(key: Uint8Array, input: Uint8Array): Uint8Array;
}

/** 4-byte big-endian usage followed by one constant byte: the derivation input of RFC 3961 §5.3. */
export function usageConstant(usage: number, kind: 0x99 | 0xaa | 0x55): Uint8Array {
  const c = new Uint8Array(5);
  new DataView(c.buffer).setUint32(0, usage >>> 0, false);
  c[4] = kind;
  return c;
}

/** RFC 3961 §5.3 constants: Kc signs checksums, Ke encrypts, Ki protects the integrity of ciphertexts. */
export const KC = 0x99;
export const KE = 0xaa;
export const KI = 0x55;
