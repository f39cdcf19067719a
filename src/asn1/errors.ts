/**
 * The one error the DER layer throws on bad input. Every message names the byte where the problem sits,
 * counted from the start of the outermost buffer the caller handed in, so the UI and `krbplay decode`
 * can point at it.
 */
import { KrbPlayError } from '../util/errors';

export class DecodeError extends KrbPlayError {
  /** Byte offset of the problem, relative to the outermost input buffer. */
  readonly offset: number;

  constructor(offset: number, message: string) {
    super('decode', `byte ${offset}: ${message}`);
    this.offset = offset;
  }
}
