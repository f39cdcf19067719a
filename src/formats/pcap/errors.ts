/**
 * The one error class of the capture reader and writer. Every malformed or truncated pcap/pcapng
 * file, and every message the writer cannot put on a synthesised wire, ends here.
 */
import { KrbPlayError } from '../../util';

/** A capture file that cannot be read, or messages that cannot be written as one. */
export class CaptureError extends KrbPlayError {
  /** Byte offset in the file where the problem was found, when there is one. */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number) {
    super('format', message);
    this.offset = offset;
  }
}
