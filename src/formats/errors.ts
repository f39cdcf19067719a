/**
 * The one error the file-format readers throw: a file (or buffer) that is not what it claims to be.
 * The message names the format, what was wrong, and the byte where it went wrong, so a learner can
 * find the spot in the hex view ("keytab: entry 3 at byte 212 claims 4000 bytes, only 57 left").
 */
import { KrbPlayError } from '../util/errors';

/** Which reader or writer failed. */
export type FormatName = 'keytab' | 'ccache' | 'pac' | 'ndr' | (string & {});

export class FormatError extends KrbPlayError {
  /** The format being read or written: "keytab", "ccache", "pac", … */
  readonly format: FormatName;
  /** The absolute byte offset the problem was found at, when there is one. */
  readonly offset: number | undefined;

  constructor(format: FormatName, message: string, offset?: number) {
    super('format', `${format}: ${message}`);
    this.format = format;
    this.offset = offset;
  }
}
