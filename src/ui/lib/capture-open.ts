/**
 * A capture opened in the tab: the file's Kerberos messages (readCapture) decoded with key learning
 * (decodeCapture), the same path `krbplay decode FILE --keytab K` takes, with the file sizes bounded
 * where they enter. Nothing is sent anywhere: the bytes come from a file the user picked.
 */
import { KeyRing, decodeCapture, type DecodedMessage } from '../../formats/decoder';
import { decodeKeytab } from '../../formats/keytab';
import { CaptureError, readCapture } from '../../formats/pcap';

/** The largest capture the page opens. */
export const MAX_CAPTURE_FILE_BYTES = 100 * 1024 * 1024;
/** The largest keytab the page reads: a real one holds a few dozen keys, a few kilobytes. */
export const MAX_KEYTAB_FILE_BYTES = 1024 * 1024;

export interface OpenedCapture {
  messages: DecodedMessage[];
  /** Encrypted parts seen in all messages, and how many of them a key opened. */
  parts: number;
  opened: number;
}

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Throws CaptureError when a file is over its bound: called with File.size before the bytes are read. */
export function checkCaptureSizes(captureSize: number, keytabSize?: number): void {
  if (captureSize > MAX_CAPTURE_FILE_BYTES)
    throw new CaptureError(
      `the capture is ${megabytes(captureSize)}; the page opens captures up to ${megabytes(MAX_CAPTURE_FILE_BYTES)} (cut it with editcap or a display filter first)`,
    );
  if (keytabSize !== undefined && keytabSize > MAX_KEYTAB_FILE_BYTES)
    throw new CaptureError(
      `the keytab is ${megabytes(keytabSize)}; a keytab larger than ${megabytes(MAX_KEYTAB_FILE_BYTES)} is not a keytab the page reads`,
    );
}

export function openCapture(capture: Uint8Array, keytab?: Uint8Array): OpenedCapture {
  checkCaptureSizes(capture.length, keytab?.length);
  const ring = new KeyRing();
  if (keytab) ring.addKeytab(decodeKeytab(keytab));
  const messages = decodeCapture(readCapture(capture), ring);
  const parts = messages.flatMap((m) => m.encParts);
  return { messages, parts: parts.length, opened: parts.filter((p) => p.decrypted).length };
}
