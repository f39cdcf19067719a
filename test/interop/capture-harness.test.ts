// The capture harness's own markers are not messages under test: a marker goes to a free port, and when that
// port is one a Wireshark dissector claims (44818, EtherNet/IP), tshark finds the marker malformed. The
// malformed-frame check leaves markers out (a CI run once failed on one), and still sees a malformed frame
// that is not a marker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writePcap } from '../../src/formats/pcap';
import { hasPackages } from '../setup/needs';
import { tsharkMalformedFrames } from './harness/capture';

/** A classic pcap of UDP datagrams from 127.0.0.1:40000, written as the app writes its own captures. */
function udpPcap(datagrams: { port: number; payload: Uint8Array }[]): Uint8Array {
  return writePcap(
    datagrams.map(({ port, payload }, i) => ({
      time: new Date(Date.UTC(2026, 2, 2, 8, 0, i)),
      src: '127.0.0.1:40000',
      dst: `127.0.0.1:${port}`,
      transport: 'udp' as const,
      bytes: payload,
    })),
  );
}

describe.runIf(hasPackages('tshark'))("the capture harness's malformed-frame check", () => {
  const dir = mkdtempSync(join(tmpdir(), 'krbplay-capture-harness-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = (s: string) => new TextEncoder().encode(s);

  test('leaves out a marker that a dissector finds malformed, and still sees a frame that is not one', async () => {
    const markerOnly = join(dir, 'marker.pcap');
    writeFileSync(markerOnly, udpPcap([{ port: 44818, payload: text('krbplay-capture-marker') }]));
    expect(await tsharkMalformedFrames(markerOnly)).toEqual([]);

    const both = join(dir, 'both.pcap');
    writeFileSync(
      both,
      udpPcap([
        { port: 44818, payload: text('krbplay-capture-marker') },
        { port: 44818, payload: text('not a marker, not EtherNet/IP either') },
      ]),
    );
    expect(await tsharkMalformedFrames(both)).toEqual([2]);
  });
});
