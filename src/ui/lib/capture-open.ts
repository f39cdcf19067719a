/**
 * A capture opened in the tab: the file's Kerberos messages (readCapture) decoded with key learning
 * (decodeCapture), the same path `krbplay decode FILE --keytab K` takes, with the file sizes bounded
 * where they enter. Nothing is sent anywhere: the bytes come from a file the user picked.
 */
import { KeyRing, decodeCapture, type DecodedMessage } from '../../formats/decoder';
import { decodeKeytab } from '../../formats/keytab';
import { CaptureError, readCapture } from '../../formats/pcap';
import { parsePrincipal } from '../../asn1/principal';
import type { PasswordGiven } from '../engine/protocol';

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

/** Passwords a capture can be opened with, and how long a principal's name and a password may be. */
export const MAX_CAPTURE_PASSWORDS = 8;
export const MAX_PRINCIPAL_CHARS = 256;
export const MAX_PASSWORD_CHARS = 256;

/**
 * The principals and passwords typed beside a capture, checked where they enter: a bounded number, each
 * a principal with its realm ("alice@EXAMPLE.TEST") and a password of bounded length. Throws CaptureError
 * in words that say which entry is wrong.
 */
export function checkPasswords(given: readonly PasswordGiven[]): PasswordGiven[] {
  if (given.length > MAX_CAPTURE_PASSWORDS)
    throw new CaptureError(
      `${given.length} passwords given; the page takes at most ${MAX_CAPTURE_PASSWORDS}`,
    );
  return given.map(({ principal, password }, i) => {
    const which = `password ${i + 1}`;
    const name = principal.trim();
    if (name.length === 0) throw new CaptureError(`${which}: say whose password it is (alice@EXAMPLE.TEST)`);
    if (name.length > MAX_PRINCIPAL_CHARS)
      throw new CaptureError(
        `${which}: a principal's name of ${name.length} characters is longer than ${MAX_PRINCIPAL_CHARS}`,
      );
    if (password.length === 0) throw new CaptureError(`${which}: the password for ${name} is empty`);
    if (password.length > MAX_PASSWORD_CHARS)
      throw new CaptureError(
        `${which}: a password of ${password.length} characters is longer than ${MAX_PASSWORD_CHARS}`,
      );
    let parsed;
    try {
      parsed = parsePrincipal(name);
    } catch (e) {
      throw new CaptureError(
        `${which}: "${name}" is not a principal's name (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    if (!parsed.realm)
      throw new CaptureError(
        `${which}: "${name}" names no realm; write it as ${name}@REALM (the realm in capitals)`,
      );
    return { principal: name, password };
  });
}
