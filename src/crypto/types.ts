/**
 * The shapes the crypto layer exchanges with the rest of the playground.
 */

/** A Kerberos key: its enctype number (RFC 3961 §8 registry) and its raw bytes. */
export interface Key {
  readonly etype: number;
  readonly bytes: Uint8Array;
}

/**
 * Randomness is always handed in: the browser simulation passes a seeded source so runs are
 * reproducible; Node adapters pass a cryptographic one. Never Math.random.
 */
export type RandomSource = (length: number) => Uint8Array;

/** Options for string-to-key (RFC 3961 §3: string-to-key(password, salt, params)). */
export interface StringToKeyParams {
  /** PBKDF2 iteration count; defaults to the enctype's default (4096 for 17/18, 32768 for 19/20). */
  iterations?: number;
  /** The opaque s2kparams from ETYPE-INFO2 (for AES: the iteration count, 4 bytes big-endian). */
  s2kparams?: Uint8Array;
}
