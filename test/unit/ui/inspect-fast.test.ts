// The inspector shows the plaintext of every part the decoder opened, whatever key opened it: MIT's
// TGS-REP in the fixture capture is FAST-armored, its enc-part opened with the strengthened reply key
// (KRB-FX-CF2 of the KrbFastResponse strengthen-key and the TGT session key, RFC 6113 §5.4.3), a key
// the decoder tries without remembering it.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeKeytab } from '../../../src/formats/keytab';
import { readCapture } from '../../../src/formats/pcap';
import { CaptureRun } from '../../../src/ui/engine/capture-run';

const dir = new URL('../../fixtures/captures/', import.meta.url);
const pcap = new Uint8Array(readFileSync(new URL('mit-kinit-kvno.pcapng', dir)));
const keytab = decodeKeytab(new Uint8Array(readFileSync(new URL('mit-kinit-kvno.keytab', dir))));

describe('the inspector and FAST', () => {
  const run = new CaptureRun('mit-kinit-kvno.pcapng', readCapture(pcap), {
    keytab: keytab.entries,
    passwords: [],
  });
  const rows = run.summary({ scope: 'test', script: 'test' }).trace;

  test("the TGS-REP's enc-part, opened with the strengthened reply key, shows its plaintext and that key", () => {
    const tgsRep = rows.find((r) => r.type === 'TGS-REP')!;
    const part = run.detail(tgsRep.seq).parts.find((p) => p.path === 'enc-part')!;
    expect(part.decrypted).toBe(true);
    expect(part.key).toMatch(/FAST strengthened reply key \(KRB-FX-CF2\) from #\d+/);
    expect(part.plain?.length).toBeGreaterThan(0);
    expect(part.keyHex).toMatch(/^[0-9a-f]{32,64}$/);
  });

  test('every part the decoder opened shows its plaintext', () => {
    const bare = rows.flatMap((r) =>
      run
        .detail(r.seq)
        .parts.filter((p) => p.decrypted && !p.plain)
        .map((p) => `${r.type} ${p.path} (${p.key})`),
    );
    expect(bare).toEqual([]);
  });
});
