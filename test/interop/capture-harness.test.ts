// The capture harness's own markers are not messages under test: a marker goes to a free port, and when that
// port is one a Wireshark dissector claims (44818, EtherNet/IP), tshark finds the marker malformed. The
// malformed-frame check leaves markers out (a CI run once failed on one), and still sees a malformed frame
// that is not a marker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { concatBytes } from '../../src/util/bytes';
import { hasPackages } from '../setup/needs';
import { tsharkMalformedFrames } from './harness/capture';

/** A classic pcap of raw IPv4 packets (link type 101), each a UDP datagram from 127.0.0.1:40000. */
function udpPcap(datagrams: { port: number; payload: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(24));
  header.setUint32(0, 0xa1b2c3d4, true);
  header.setUint16(4, 2, true);
  header.setUint16(6, 4, true);
  header.setUint32(16, 65535, true);
  header.setUint32(20, 101, true);
  parts.push(new Uint8Array(header.buffer));
  datagrams.forEach(({ port, payload }, i) => {
    const packet = new Uint8Array(28 + payload.length);
    const v = new DataView(packet.buffer);
    v.setUint8(0, 0x45);
    v.setUint16(2, packet.length);
    v.setUint8(8, 64);
    v.setUint8(9, 17);
    packet.set([127, 0, 0, 1, 127, 0, 0, 1], 12);
    v.setUint16(20, 40000);
    v.setUint16(22, port);
    v.setUint16(24, 8 + payload.length);
    packet.set(payload, 28);
    const record = new DataView(new ArrayBuffer(16));
    record.setUint32(0, i, true);
    record.setUint32(8, packet.length, true);
    record.setUint32(12, packet.length, true);
    parts.push(new Uint8Array(record.buffer), packet);
  });
  return concatBytes(...parts);
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
