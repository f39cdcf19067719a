import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { KeyRing, decodeCapture } from '../../../src/formats/decoder';
import { decodeKeytab } from '../../../src/formats/keytab';
import { CaptureError, readCapture } from '../../../src/formats/pcap';
import {
  MAX_CAPTURE_FILE_BYTES,
  MAX_CAPTURE_PASSWORDS,
  MAX_KEYTAB_FILE_BYTES,
  MAX_PASSWORD_CHARS,
  MAX_PRINCIPAL_CHARS,
  checkPasswords,
  openCapture,
} from '../../../src/ui/lib/capture-open';
import { readCaptureFile } from '../../../src/ui/engine/capture-read';

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

describe('checkPasswords: the passwords typed beside a capture', () => {
  test('a principal with its realm and a password pass; each other entry is refused in words', () => {
    expect(checkPasswords([{ principal: ' alice@EXAMPLE.TEST ', password: 'pw' }])).toEqual([
      { principal: 'alice@EXAMPLE.TEST', password: 'pw' },
    ]);
    const refused = (principal: string, password: string) => () => checkPasswords([{ principal, password }]);
    expect(refused('alice', 'pw')).toThrow(/has no realm/);
    expect(refused('', 'pw')).toThrow(/say whose password/);
    expect(refused('alice@EXAMPLE.TEST', '')).toThrow(/is empty/);
    expect(refused(`${'a'.repeat(MAX_PRINCIPAL_CHARS)}@X`, 'pw')).toThrow(/longer than 256/);
    expect(refused('alice@EXAMPLE.TEST', 'p'.repeat(MAX_PASSWORD_CHARS + 1))).toThrow(CaptureError);
    const many = Array.from({ length: MAX_CAPTURE_PASSWORDS + 1 }, () => ({
      principal: 'a@B',
      password: 'c',
    }));
    expect(() => checkPasswords(many)).toThrow(/at most 8/);
  });
});

describe('readCaptureFile: a capture read in the worker a piece at a time', () => {
  test('the messages of the whole file, progress after each piece, and a stop between pieces', async () => {
    const seen: number[] = [];
    const read = await readCaptureFile(
      new Blob([pcap]),
      { progress: (p) => void seen.push(p.read), stopped: () => undefined },
      1000,
    );
    expect(read.messages).toEqual(readCapture(pcap));
    expect(read.total).toBe(read.messages.length);
    expect(seen.at(-1)).toBe(pcap.length);
    expect(seen.length).toBe(Math.ceil(pcap.length / 1000));
    let pieces = 0;
    const stopping = readCaptureFile(
      new Blob([pcap]),
      { progress: () => void pieces++, stopped: () => (pieces >= 2 ? 'stopped before the end' : undefined) },
      1000,
    );
    await expect(stopping).rejects.toThrow('the capture was not opened: stopped before the end');
    expect(pieces).toBe(2);
  });
});
