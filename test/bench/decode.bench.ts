// npm run bench -- decode: how fast the decoder reads and opens real messages, beside references measured
// in the same run. Per sample: asn1js.fromBER alone (the floor: BER parsing with no schema, no tree, no
// checks), our decode with the field tree, and our decode plus opening every part the sample's keys allow.
// Per capture: the MIT kinit/kvno capture repeated N times (rewritten to port 88), read by tshark and by us,
// each without keys and with the keytab. Before anything is timed, what is timed is checked to be right.
// Speed never fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { afterAll, describe, expect, test } from 'vitest';
import fixture from '../fixtures/vectors/messages.json';
import { parsePrincipal } from '../../src/asn1/principal';
import { decodeKeytab, type KeytabEntry } from '../../src/formats';
import { decodeCapture, decodeMessage, KeyRing } from '../../src/formats/decoder';
import { readCapture, writePcapng } from '../../src/formats/pcap';
import { fromHex } from '../../src/util/bytes';
import { opsPerSecond } from './rate';

interface Sample {
  name: string;
  hex: string;
  keys?: Record<string, unknown>;
  helper_derived?: Record<string, unknown>;
  expected: Record<string, unknown>;
}
const samples = (fixture as unknown as { samples: Sample[] }).samples;
const CORP = 'CORP.IDENTITYINTERVENTION.COM';
const ent = (p: string, etype: number, hex: string, kvno: number): KeytabEntry => ({
  principal: parsePrincipal(p, undefined, 1),
  timestamp: 0,
  kvno,
  key: { etype, bytes: fromHex(hex) },
});
const KRBTGT = ent(
  `krbtgt/${CORP}@${CORP}`,
  18,
  'ef7422cb49e2f5b09292cbd825c295249f2a31465dc9ab4a3080edf3168a8857',
  2,
);

/** The keys each keyed sample records, as a keyring factory (fresh per run: learnt keys must not pile up). */
function keysFor(s: Sample): (() => KeyRing) | undefined {
  const d = s.helper_derived ?? {};
  const k = s.keys ?? {};
  switch (s.name) {
    case 'knet-as-req-pa-enc-timestamp':
      return () =>
        new KeyRing().addKeytab([
          ent(`testuser@${CORP}`, 18, d['user_long_term_key_aes256_hex'] as string, 1),
        ]);
    case 'knet-as-rep':
      return () =>
        new KeyRing().addKeytab([
          KRBTGT,
          ent(`testuser@${CORP}`, 18, d['user_long_term_key_aes256_hex'] as string, 2),
        ]);
    case 'knet-tgs-req-host-app03':
    case 'knet-tgs-req-s4u2self':
      return () => new KeyRing().addKeytab([KRBTGT]);
    case 'knet-tgs-rep-host-app03':
      return () => new KeyRing().addKey({ etype: 18, bytes: fromHex(d['tgt_session_key_hex'] as string) });
    case 'knet-tgs-rep-s4u2self':
      return () =>
        new KeyRing().addKey({ etype: 18, bytes: fromHex(d['authenticator_subkey_hex'] as string) });
    case 'gokrb5-mit-as-rep-testuser1':
      return () =>
        new KeyRing().addKeytab([ent('testuser1@TEST.GOKRB5', 18, k['user_key_aes256_hex'] as string, 1)]);
    default:
      if (k['service_principal']) {
        const kvno = (s.expected['ticket'] as { enc_part_kvno: number }).enc_part_kvno;
        return () =>
          new KeyRing().addKeytab([
            ent(
              k['service_principal'] as string,
              k['service_key_etype'] as number,
              k['service_key_hex'] as string,
              kvno,
            ),
          ]);
      }
      return undefined;
  }
}

/** Operations per second: at least 400 ms and 20 runs. */
const rate = (fn: () => void) => opsPerSecond(fn, 400, 20);

const fmt = (n: number) =>
  n >= 1000 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n.toFixed(2);
function table(head: string[], body: string[][], numericFrom: number): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    '| ' +
    cells.map((c, i) => (i >= numericFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') +
    ' |';
  return [
    line(head),
    '|' +
      widths.map((w, i) => (i >= numericFrom ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') +
      '|',
    ...body.map(line),
  ];
}

const sampleRows: string[][] = [];
const captureRows: string[][] = [];
const notes: string[] = [];

afterAll(() => {
  const out = [
    `Decode bench — node ${process.version}`,
    '',
    'Per sample (messages/s; "open" = decode + every part the recorded keys allow, fresh keyring each time):',
    ...table(
      [
        'sample',
        'bytes',
        'parts',
        'asn1js.fromBER',
        'decode',
        'decode/fromBER',
        'decode+open',
        'open/decode',
      ],
      sampleRows,
      1,
    ),
    '',
    'Capture (MIT kinit/kvno for 5 enctypes, repeated; messages/s, tshark including its start-up):',
    ...(captureRows.length
      ? table(
          ['reader', 'keys', 'messages', 'parts opened', 'seconds', 'messages/s', 'ours/tshark'],
          captureRows,
          2,
        )
      : ['(tshark not installed: no capture comparison)']),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ];
  console.log('\n' + out.join('\n') + '\n');
});

describe('per sample', () => {
  for (const s of samples) {
    test(`${s.name}: decodes (and opens with its keys), then timed`, () => {
      const bytes = fromHex(s.hex);
      const floor = rate(() => asn1js.fromBER(bytes));
      const empty = new KeyRing();
      expect(decodeMessage(bytes, empty).tree.length).toBe(bytes.length);
      const decode = rate(() => decodeMessage(bytes, new KeyRing()));
      const ring = keysFor(s);
      let open = NaN;
      let parts = '';
      if (ring) {
        const m = decodeMessage(bytes, ring());
        const opened = m.encParts.filter((p) => p.decrypted).length;
        expect(opened).toBeGreaterThan(0);
        parts = `${opened}/${m.encParts.length}`;
        open = rate(() => decodeMessage(bytes, ring()));
      }
      sampleRows.push([
        s.name,
        String(bytes.length),
        parts || '-',
        fmt(floor),
        fmt(decode),
        `${(decode / floor).toFixed(2)}x`,
        ring ? fmt(open) : '-',
        ring ? `${(open / decode).toFixed(2)}x` : '-',
      ]);
    });
  }
});

describe('capture', () => {
  const COPIES = 100;
  const dir = mkdtempSync(join(tmpdir(), 'krbplay-bench-'));
  const keytabPath = 'test/fixtures/captures/mit-kinit-kvno.keytab';
  const keytab = decodeKeytab(new Uint8Array(readFileSync(keytabPath)));
  const original = readCapture(new Uint8Array(readFileSync('test/fixtures/captures/mit-kinit-kvno.pcapng')));
  const kdcPorts = new Set(['38201', '37907']);
  const to88 = (addr: string) => {
    const i = addr.lastIndexOf(':');
    return kdcPorts.has(addr.slice(i + 1)) ? `${addr.slice(0, i)}:88` : addr;
  };
  const messages = [];
  for (let c = 0; c < COPIES; c++) {
    for (const m of original) {
      // Each copy on its own client ports, so tshark sees separate conversations.
      const shift = (addr: string) => {
        const i = addr.lastIndexOf(':');
        const port = Number(addr.slice(i + 1));
        return port === 88 ? addr : `${addr.slice(0, i)}:${1024 + ((port + c * 7) % 60000)}`;
      };
      messages.push({
        time: new Date(m.time.getTime() + c * 1000),
        src: shift(to88(m.src)),
        dst: shift(to88(m.dst)),
        transport: m.transport,
        bytes: m.bytes,
      });
    }
  }
  const pcap = join(dir, `mit-x${COPIES}.pcapng`);
  writeFileSync(pcap, writePcapng(messages));
  const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;

  const ours = (withKeys: boolean) => {
    const start = performance.now();
    const ring = new KeyRing();
    if (withKeys) ring.addKeytab(keytab);
    const ms = decodeCapture(readCapture(new Uint8Array(readFileSync(pcap))), ring);
    const secs = (performance.now() - start) / 1000;
    return { n: ms.length, opened: ms.flatMap((m) => m.encParts).filter((p) => p.decrypted).length, secs };
  };
  const theirs = (withKeys: boolean) => {
    const args = [
      '-r',
      pcap,
      '-n',
      '-Y',
      'kerberos.msg_type',
      '-T',
      'fields',
      '-e',
      'kerberos.msg_type',
      '-e',
      'kerberos.keytype',
    ];
    if (withKeys) args.push('-o', 'kerberos.decrypt:TRUE', '-o', `kerberos.file:${keytabPath}`);
    const start = performance.now();
    const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    const secs = (performance.now() - start) / 1000;
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    const n = lines.reduce((a, l) => a + 1 + (l.split('\t')[0]!.match(/,/g)?.length ?? 0) * 0, 0);
    const opened = lines.filter((l) => (l.split('\t')[1] ?? '') !== '').length;
    return { n, opened, secs };
  };

  for (const withKeys of [false, true]) {
    test(`${COPIES} copies, ${withKeys ? 'with' : 'without'} the keytab: ours${tshark ? ' and tshark' : ''}`, () => {
      const a = ours(withKeys);
      expect(a.n).toBe(original.length * COPIES);
      const b = tshark ? theirs(withKeys) : undefined;
      if (b) expect(b.n).toBe(a.n);
      const key = withKeys ? 'keytab' : 'none';
      captureRows.push([
        'krbplay (readCapture + decodeCapture)',
        key,
        String(a.n),
        withKeys ? String(a.opened) : '-',
        a.secs.toFixed(2),
        fmt(a.n / a.secs),
        b ? `${(b.secs / a.secs).toFixed(2)}x` : 'n/a',
      ]);
      if (b) {
        captureRows.push([
          'tshark -r -T fields',
          key,
          String(b.n),
          withKeys ? `${b.opened} frames` : '-',
          b.secs.toFixed(2),
          fmt(b.n / b.secs),
          '1.00x',
        ]);
      }
    });
  }
  notes.push(
    'fromBER only parses BER with no schema or checks; decode adds strict DER, the RFC 4120 schema, the tree with offsets and key-learning bookkeeping.',
    'tshark "parts opened" counts frames with at least one kerberos.keytype, i.e. where it decrypted something; ours counts parts.',
  );
});
