import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { KeyRing, decodeCapture } from '../../../src/formats/decoder';
import { decodeKeytab } from '../../../src/formats/keytab';
import { CaptureError, readCapture } from '../../../src/formats/pcap';
import { MAX_CAPTURE_FILE_BYTES, MAX_KEYTAB_FILE_BYTES, openCapture } from '../../../src/ui/lib/capture-open';

const dir = new URL('../../fixtures/captures/', import.meta.url);
const pcap = new Uint8Array(readFileSync(new URL('mit-kinit-kvno.pcapng', dir)));
const keytab = new Uint8Array(readFileSync(new URL('mit-kinit-kvno.keytab', dir)));

describe('openCapture: a capture opened in the page', () => {
  test('opens the same parts as the decoder the CLI runs, and the keytab opens parts that stay closed without it', () => {
    const withKeys = openCapture(pcap, keytab);
    const cli = decodeCapture(readCapture(pcap), new KeyRing().addKeytab(decodeKeytab(keytab)));
    expect(withKeys.messages.map((m) => m.frame)).toEqual(cli.map((m) => m.frame));
    const openedPaths = (ms: typeof cli) =>
      ms.flatMap((m) => m.encParts.filter((p) => p.decrypted).map((p) => `${m.frame} ${p.path}`));
    expect(openedPaths(withKeys.messages)).toEqual(openedPaths(cli));
    expect(withKeys.opened).toBe(openedPaths(cli).length);
    const without = openCapture(pcap);
    expect(without.parts).toBe(withKeys.parts);
    expect(without.opened).toBeLessThan(withKeys.opened);
  });

  test('a file that is not a capture, a truncated one, and one too large get a CaptureError', () => {
    expect(() => openCapture(new TextEncoder().encode('hello, not a capture'))).toThrow(CaptureError);
    expect(() => openCapture(pcap.subarray(0, 10))).toThrow(CaptureError);
    const big = new Uint8Array(MAX_CAPTURE_FILE_BYTES + 1);
    expect(() => openCapture(big)).toThrow(/opens captures up to 100.0 MB/);
    expect(() => openCapture(pcap, new Uint8Array(MAX_KEYTAB_FILE_BYTES + 1))).toThrow(CaptureError);
  });
});
