// What krbplay does with inputs too large to be real (docs/cli.md, "Limits"): one clear line and exit
// status 1, never a hang or an exhausted heap. The hostile files are made here, never committed.
import { closeSync, ftruncateSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parsePrincipal } from '../../../src/asn1/principal';
import { encodeCcache, encodeKeytab, MAX_CCACHE_RECORDS, MAX_KEYTAB_RECORDS } from '../../../src/formats';
import { MAX_CAPTURE_MESSAGES, writePcap } from '../../../src/formats/pcap';
import { ensureCliBuilt, krbplay } from './krbplay';

const dir = mkdtempSync(join(tmpdir(), 'krbplay-bounded-'));
const GiB = 1024 * 1024 * 1024;

beforeAll(() => ensureCliBuilt(), 180_000);

describe('files are bounded before they are read whole', () => {
  test('keytab list /dev/zero: refused after 16 MiB', () => {
    const r = krbplay('keytab', 'list', '/dev/zero');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "krbplay keytab list: cannot read keytab '/dev/zero': it holds more than 16 MiB, the limit\n",
    );
    expect(r.status).toBe(1);
  });

  test('decode @/dev/zero: refused after 4 MiB', () => {
    const r = krbplay('decode', '@/dev/zero');
    expect(r.stderr).toBe(
      "krbplay decode: cannot read INPUT file '/dev/zero': it holds more than 4 MiB, the limit\n",
    );
    expect(r.status).toBe(1);
  });

  test('decode @FILE of 1.5 GiB (sparse): refused from its size', () => {
    const path = join(dir, 'big.der');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 1.5 * GiB);
    closeSync(fd);
    const r = krbplay('decode', `@${path}`);
    expect(r.stderr).toBe(
      `krbplay decode: cannot read INPUT file '${path}': it is 1.5 GiB, over the 4 MiB limit\n`,
    );
    expect(r.status).toBe(1);
  });
});

describe('counts inside files are bounded', () => {
  test(`a keytab of ${MAX_KEYTAB_RECORDS + 1} entries: keytab list and decode --keytab refuse it`, () => {
    const one = encodeKeytab({
      entries: [
        {
          principal: parsePrincipal('u@R'),
          timestamp: 0,
          kvno: 1,
          key: { etype: 18, bytes: new Uint8Array(32) },
        },
      ],
    }).subarray(2);
    const bytes = new Uint8Array(2 + one.length * (MAX_KEYTAB_RECORDS + 1));
    bytes.set([5, 2]);
    for (let i = 0; i <= MAX_KEYTAB_RECORDS; i++) bytes.set(one, 2 + i * one.length);
    const path = join(dir, 'many.keytab');
    writeFileSync(path, bytes);
    const at = 2 + MAX_KEYTAB_RECORDS * one.length;
    const why = `keytab: the record at byte ${at} is one too many: a keytab is read with at most ${MAX_KEYTAB_RECORDS} records (entries and holes)`;
    const list = krbplay('keytab', 'list', path);
    expect(list.stderr).toBe(`krbplay keytab list: ${why}\n`);
    expect(list.status).toBe(1);
    const decode = krbplay('decode', '6a00', '--keytab', path);
    expect(decode.stderr).toBe(`krbplay decode: ${why}\n`);
    expect(decode.status).toBe(1);
  }, 120_000);

  test(`a ccache of ${MAX_CCACHE_RECORDS + 1} credentials: ccache list refuses it`, () => {
    const alice = { realm: 'R', name: { nameType: 1, nameString: ['alice'] } };
    const head = encodeCcache({ version: 4, defaultPrincipal: alice, credentials: [], config: [] });
    const rec = encodeCcache({
      version: 4,
      defaultPrincipal: alice,
      config: [],
      credentials: [
        {
          client: alice,
          server: { realm: 'R', name: { nameType: 2, nameString: ['krbtgt', 'R'] } },
          key: { etype: 18, bytes: new Uint8Array(32) },
          authtime: 0,
          starttime: 0,
          endtime: 0,
          renewTill: 0,
          isSkey: false,
          ticketFlags: 0,
          addresses: [],
          authData: [],
          ticket: new Uint8Array(0),
          secondTicket: new Uint8Array(0),
        },
      ],
    }).subarray(head.length);
    const bytes = new Uint8Array(head.length + rec.length * (MAX_CCACHE_RECORDS + 1));
    bytes.set(head);
    for (let i = 0; i <= MAX_CCACHE_RECORDS; i++) bytes.set(rec, head.length + i * rec.length);
    const path = join(dir, 'many.ccache');
    writeFileSync(path, bytes);
    const r = krbplay('ccache', 'list', path);
    expect(r.stderr).toBe(
      `krbplay ccache list: ccache: credential ${MAX_CCACHE_RECORDS + 1} at byte ${head.length + MAX_CCACHE_RECORDS * rec.length} ` +
        `is one too many: a ccache is read with at most ${MAX_CCACHE_RECORDS} credentials\n`,
    );
    expect(r.status).toBe(1);
  }, 120_000);

  test(`a capture of ${MAX_CAPTURE_MESSAGES + 1} Kerberos messages: decode --pcap refuses it`, () => {
    const asReq = Uint8Array.of(0x6a, 0x02, 0x30, 0x00); // the shape the reader looks for; never decoded
    const path = join(dir, 'many.pcap');
    writeFileSync(
      path,
      writePcap(
        Array.from({ length: MAX_CAPTURE_MESSAGES + 1 }, (_, i) => ({
          time: new Date(Date.UTC(2026, 2, 2, 8) + i),
          src: '192.0.2.10:50000',
          dst: '192.0.2.88:88',
          transport: 'udp' as const,
          bytes: asReq,
        })),
      ),
    );
    const r = krbplay('decode', '--pcap', path);
    expect(r.stderr).toBe(
      `krbplay decode: pcap: more than ${MAX_CAPTURE_MESSAGES} Kerberos messages (the next one completes in frame ${MAX_CAPTURE_MESSAGES + 1}); ` +
        'cut it down first (tshark -r FILE -Y "tcp.port==88 || udp.port==88" -w SMALLER)\n',
    );
    expect(r.status).toBe(1);
  }, 120_000);
});
