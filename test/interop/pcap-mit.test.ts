// Our pcap reader and writer against tshark, on a capture of MIT krb5 talking to itself:
//  - the reader finds exactly the Kerberos messages tshark lists (frames, endpoints, transport, type);
//  - a pcapng we write from those messages is the same Kerberos to tshark, with no malformed packet,
//    and tshark decrypts it with MIT's keytab as it decrypts the original.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  readCapture,
  writePcap,
  writePcapng,
  type CapturedMessage,
  type MessageToWrite,
} from '../../src/formats/pcap';
import { hasPackages } from '../setup/needs';
import {
  tsharkExpertWarnings,
  tsharkKerberos,
  tsharkMalformedFrames,
  type TsharkKerberosFrame,
  type TsharkOptions,
} from './harness';
import { captureStandardMitExchanges, type MitCapture } from './harness/scenario';

/** What must be equal between two tshark views of the same messages (not frame numbers or ports). */
const meaning = (f: TsharkKerberosFrame) => ({
  msgTypes: f.msgTypes,
  errorCodes: f.errorCodes,
  cnames: f.cnames,
  snames: f.snames,
  realms: f.realms,
  decryptedKeytypes: f.decryptedKeytypes,
  transport: f.transport,
});

describe.runIf(hasPackages('krb5-kdc', 'krb5-user', 'krb5-admin-server', 'tshark'))(
  'pcap reader and writer vs tshark',
  () => {
    let c: MitCapture;
    let opts: TsharkOptions;
    let theirs: TsharkKerberosFrame[];
    let ours: CapturedMessage[];

    beforeAll(async () => {
      c = await captureStandardMitExchanges();
      opts = { keytab: c.keytab, kerberosPorts: c.lab.ports };
      theirs = await tsharkKerberos(c.pcap, opts);
      ours = readCapture(new Uint8Array(readFileSync(c.pcap)));
    });
    afterAll(async () => {
      await c?.lab.stop();
    });

    describe('reading MIT traffic captured by dumpcap', () => {
      test('the capture holds UDP and TCP Kerberos from both realms', () => {
        expect(new Set(theirs.map((f) => f.transport))).toEqual(new Set(['udp', 'tcp']));
        expect(theirs.length).toBeGreaterThan(40);
      });

      test('our reader finds exactly the messages tshark lists: frame, src, dst, transport', () => {
        expect(ours.map((m) => ({ frame: m.frame, src: m.src, dst: m.dst, transport: m.transport }))).toEqual(
          theirs.map((f) => ({ frame: f.frame, src: f.src, dst: f.dst, transport: f.transport })),
        );
      });

      test("each record's application tag is tshark's msg-type", () => {
        expect(ours.map((m) => m.bytes[0]! & 0x1f)).toEqual(theirs.map((f) => f.msgTypes[0]));
        expect(ours.every((m) => (m.bytes[0]! & 0xe0) === 0x60)).toBe(true);
      });

      test('times are the capture times, in order', () => {
        for (let i = 1; i < ours.length; i++)
          expect(ours[i]!.time.getTime()).toBeGreaterThanOrEqual(ours[i - 1]!.time.getTime());
        expect(Math.abs(ours[0]!.time.getTime() - Date.now())).toBeLessThan(10 * 60_000);
      });
    });

    describe('writing those messages as a new capture, KDCs on port 88', () => {
      const kdcPorts = () => new Set(c.lab.ports.map((p) => `:${p}`));
      const toPort88 = (ep: string) =>
        [...kdcPorts()].some((p) => ep.endsWith(p)) ? ep.replace(/:\d+$/, ':88') : ep;
      const rewritten = (): MessageToWrite[] =>
        ours.map((m) => ({
          time: m.time,
          src: toPort88(m.src),
          dst: toPort88(m.dst),
          transport: m.transport as 'udp' | 'tcp',
          bytes: m.bytes,
          comment: `frame ${m.frame} of the MIT capture`,
        }));

      test.each([
        ['pcapng', 'ours.pcapng', () => writePcapng(rewritten())],
        ['classic pcap, 200-byte segments', 'ours.pcap', () => writePcap(rewritten(), { mss: 200 })],
      ])(
        '%s: tshark sees the same Kerberos, decrypted the same way, nothing malformed',
        async (_name, fileName, write) => {
          const file = join(c.lab.dir, fileName);
          writeFileSync(file, write());
          const again = await tsharkKerberos(file, { keytab: c.keytab });
          expect(again.map(meaning)).toEqual(theirs.map(meaning));
          expect(again.every((f) => f.src.endsWith(':88') || f.dst.endsWith(':88'))).toBe(true);
          expect(await tsharkMalformedFrames(file, { keytab: c.keytab })).toEqual([]);
          // The same expert warnings as the original: only the key the keytab cannot have (wrong password).
          expect(await tsharkExpertWarnings(file, { keytab: c.keytab })).toEqual(
            await tsharkExpertWarnings(c.pcap, opts),
          );
        },
      );

      test('decryption worked: every AS-REP and TGS-REP shows its inner keys', async () => {
        const file = join(c.lab.dir, 'ours.pcapng');
        writeFileSync(file, writePcapng(rewritten()));
        const again = await tsharkKerberos(file, { keytab: c.keytab });
        const replies = again.filter((f) => f.msgTypes[0] === 11 || f.msgTypes[0] === 13);
        expect(replies.length).toBeGreaterThan(10);
        for (const f of replies) expect(f.decryptedKeytypes.length).toBeGreaterThan(0);
        // Without the keytab, tshark cannot open them.
        const blind = await tsharkKerberos(file);
        expect(blind.flatMap((f) => f.decryptedKeytypes)).toEqual([]);
      });

      test('our reader reads our file back as the same messages', () => {
        const back = readCapture(writePcapng(rewritten()));
        expect(back.map((m) => [m.transport, m.bytes])).toEqual(ours.map((m) => [m.transport, m.bytes]));
      });
    });
  },
);

/** A KDC-PROXY-MESSAGE (MS-KKDCP §2.2.2): the Kerberos message with its length prefix, and the realm. */
function kdcProxyMessage(message: Uint8Array, realm: string): Uint8Array {
  const der = (tag: number, body: Uint8Array) => {
    const n = body.length;
    const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
    return Uint8Array.from([tag, ...len, ...body]);
  };
  const prefixed = new Uint8Array(4 + message.length);
  new DataView(prefixed.buffer).setUint32(0, message.length);
  prefixed.set(message, 4);
  return der(
    0x30,
    Uint8Array.from([
      ...der(0xa0, der(0x04, prefixed)),
      ...der(0xa1, der(0x1b, new TextEncoder().encode(realm))),
    ]),
  );
}

describe.runIf(hasPackages('tshark'))('synthesised traffic tshark has nothing to warn about', () => {
  const real = readCapture(new Uint8Array(readFileSync('test/fixtures/captures/mit-kinit-kvno.pcapng')));
  const [asReq, preauthRequired, asReq2, asRep] = real;
  const at = (i: number) => new Date(real[0]!.time.getTime() + i);

  test('IPv6, one client port reused for several TCP connections, and KKDCP over plain HTTP', async () => {
    const v6 = (
      m: CapturedMessage,
      i: number,
      fromClient: boolean,
      transport: 'udp' | 'tcp',
    ): MessageToWrite => ({
      time: at(i),
      src: fromClient ? '[2001:db8::10]:50000' : '[2001:db8::88]:88',
      dst: fromClient ? '[2001:db8::88]:88' : '[2001:db8::10]:50000',
      transport,
      bytes: m.bytes,
    });
    const reused = (m: CapturedMessage, i: number, fromClient: boolean): MessageToWrite => ({
      time: at(i),
      src: fromClient ? '192.0.2.10:40000' : '192.0.2.88:88',
      dst: fromClient ? '192.0.2.88:88' : '192.0.2.10:40000',
      transport: 'tcp',
      bytes: m.bytes,
    });
    const proxied = (m: CapturedMessage, i: number, fromClient: boolean): MessageToWrite => ({
      time: at(i),
      src: fromClient ? '192.0.2.10:40001' : '192.0.2.80:80',
      dst: fromClient ? '192.0.2.80:80' : '192.0.2.10:40001',
      transport: 'kkdcp',
      bytes: kdcProxyMessage(m.bytes, 'MIT.TEST'),
    });
    const messages = [
      v6(asReq!, 0, true, 'udp'),
      v6(preauthRequired!, 1, false, 'udp'),
      v6(asReq2!, 2, true, 'tcp'),
      v6(asRep!, 3, false, 'tcp'),
      reused(asReq!, 4, true),
      reused(preauthRequired!, 5, false),
      reused(asReq2!, 6, true),
      reused(asRep!, 7, false),
      proxied(asReq2!, 8, true),
      proxied(asRep!, 9, false),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'krbplay-pcap-'));
    try {
      const file = join(dir, 'synthetic.pcapng');
      writeFileSync(file, writePcapng(messages));
      const seen = await tsharkKerberos(file);
      expect(seen.map((f) => [f.transport, f.msgTypes[0]])).toEqual([
        ['udp', 10],
        ['udp', 30],
        ['tcp', 10],
        ['tcp', 11],
        ['tcp', 10],
        ['tcp', 30],
        ['tcp', 10],
        ['tcp', 11],
      ]);
      expect(seen[0]!.src).toBe('[2001:db8::10]:50000');
      expect(await tsharkMalformedFrames(file)).toEqual([]);
      expect(await tsharkExpertWarnings(file)).toEqual([]);
      const back = readCapture(new Uint8Array(readFileSync(file)));
      expect(back.map((m) => m.transport)).toEqual(messages.map((m) => m.transport));
      expect(back.slice(-2).map((m) => m.bytes)).toEqual(messages.slice(-2).map((m) => m.bytes));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
