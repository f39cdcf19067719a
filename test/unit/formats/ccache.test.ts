// MIT FILE credential caches against test/fixtures/vectors/ccache.json (gokrb5's and Kerberos.NET's
// v4 caches): every credential decodes to its recorded fields, X-CACHECONF entries land in `config`,
// and every file is written back byte for byte.
import { describe, expect, test } from 'vitest';
import {
  ccacheToListJson,
  decodeCcache,
  encodeCcache,
  FormatError,
  MAX_CCACHE_RECORDS,
  type Ccache,
  type CcacheCredential,
} from '../../../src/formats';
import { isoSeconds } from '../../../src/asn1/time';
import { formatPrincipal } from '../../../src/asn1/principal';
import { fromHex, toHex, utf8 } from '../../../src/util/bytes';
import v from '../../fixtures/vectors/ccache.json';

interface RecordedPrincipal {
  components: string[];
  name_type: number;
  realm: string;
}
const principal = (p: RecordedPrincipal) => ({
  realm: p.realm,
  name: { nameType: p.name_type, nameString: p.components },
});
/** The recording shows 0 as 0 or as the epoch, depending on the field. */
const time = (t: string | number) => (t === 0 ? 0 : Date.parse(t as string) / 1000);

describe('ccache samples', () => {
  test.each(v.ccaches.map((c) => [c.name, c]))('%s decodes to its recorded fields', (_n, c) => {
    const cc = decodeCcache(fromHex(c.hex));
    const d = c.decoded;
    expect(cc.version).toBe(d.version);
    expect(cc.header).toEqual(d.header.map((h) => ({ tag: h.tag, value: fromHex(h.value_hex) })));
    expect(cc.kdcOffset).toBeDefined();
    expect(cc.defaultPrincipal).toEqual(principal(d.default_principal));

    const tickets = d.credentials.filter((x) => x.server.realm !== 'X-CACHECONF:');
    const confs = d.credentials.filter((x) => x.server.realm === 'X-CACHECONF:');
    expect(cc.credentials).toHaveLength(tickets.length);
    expect(cc.config).toHaveLength(confs.length);
    cc.credentials.forEach((got, i) => {
      const want = tickets[i]!;
      expect(got.client).toEqual(principal(want.client));
      expect(got.server).toEqual(principal(want.server));
      expect(got.key.etype).toBe(want.key_etype);
      expect(toHex(got.key.bytes)).toBe(want.key_hex);
      expect(got.authtime).toBe(time(want.authtime));
      expect(got.starttime).toBe(time(want.starttime));
      expect(got.endtime).toBe(time(want.endtime));
      expect(got.renewTill).toBe(time(want.renew_till));
      expect(got.isSkey).toBe(want.is_skey !== 0);
      expect(got.ticketFlags.toString(16).padStart(8, '0')).toBe(want.ticket_flags_hex);
      expect(got.addresses).toEqual(want.addresses);
      expect(got.authData).toEqual(want.authdata);
      expect(got.ticket.length).toBe(want.ticket_len);
      expect(got.ticket[0]).toBe(0x61); // Ticket ::= [APPLICATION 1]
      expect(got.secondTicket.length).toBe(want.second_ticket_len);
    });
    cc.config.forEach((got, i) => {
      const want = confs[i]!;
      expect(got.key).toBe(want.server.components[1]);
      expect(got.principal).toBe(want.server.components[2] ?? null);
      expect(got.value.length).toBe(want.ticket_len);
    });
  });

  test.each(v.ccaches.map((c) => [c.name, c]))('%s is written back byte for byte', (_n, c) => {
    expect(toHex(encodeCcache(decodeCcache(fromHex(c.hex))))).toBe(c.hex);
  });

  test('config values are what MIT kinit stored (fast_avail = "yes")', () => {
    const cc = decodeCcache(fromHex(v.ccaches[0]!.hex));
    expect(cc.config[0]).toMatchObject({
      key: 'fast_avail',
      principal: 'krbtgt/TEST.GOKRB5@TEST.GOKRB5',
      value: utf8('yes'),
    });
    // Its position between the two tickets is kept for rewriting.
    expect(cc.credentials.map((c) => c.position)).toEqual([0, 2]);
    expect(cc.config[0]!.position).toBe(1);
  });

  test('spans locate the parts of a credential in the file', () => {
    const bytes = fromHex(v.ccaches[0]!.hex);
    const c = decodeCcache(bytes).credentials[0]!;
    const t = c.spans!.ticket;
    expect(toHex(bytes.slice(t.offset + 4, t.offset + t.length))).toBe(toHex(c.ticket));
    const f = c.spans!.ticketFlags;
    expect(toHex(bytes.slice(f.offset, f.offset + 4))).toBe('40c10000');
  });

  test('the list JSON has the CLI shape: flags as names and hex, config apart', () => {
    const json = ccacheToListJson(decodeCcache(fromHex(v.ccaches[0]!.hex)));
    expect(json.defaultPrincipal).toBe('testuser1@TEST.GOKRB5');
    expect(json.credentials).toHaveLength(2);
    expect(json.credentials[0]).toEqual({
      client: 'testuser1@TEST.GOKRB5',
      server: 'krbtgt/TEST.GOKRB5@TEST.GOKRB5',
      etype: 18,
      etypeName: 'aes256-cts-hmac-sha1-96',
      flags: ['forwardable', 'renewable', 'initial', 'enc-pa-rep'],
      flagsHex: '40c10000',
      authtime: '2017-07-12T17:25:34Z',
      starttime: '2017-07-12T17:25:34Z',
      endtime: '2017-07-13T05:25:34Z',
      renewTill: '2017-07-13T17:25:28Z',
    });
    expect(json.config).toEqual([
      { key: 'fast_avail', principal: 'krbtgt/TEST.GOKRB5@TEST.GOKRB5', value: '796573' },
    ]);
    // No renew-till is null; JSON-serialisable as it is.
    const ipa = ccacheToListJson(decodeCcache(fromHex(v.ccaches[1]!.hex)));
    expect(ipa.credentials[0]!.renewTill).toBeNull();
    expect(ipa.config.map((c) => c.key)).toEqual(['fast_avail', 'pa_type']);
    expect(JSON.parse(JSON.stringify(ipa))).toEqual(ipa);
  });

  test('a new cache with a KDC offset, a config entry and a ticket round-trips', () => {
    const alice = { realm: 'EXAMPLE.TEST', name: { nameType: 1, nameString: ['alice'] } };
    const cred: CcacheCredential = {
      client: alice,
      server: { realm: 'EXAMPLE.TEST', name: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.TEST'] } },
      key: { etype: 18, bytes: new Uint8Array(32).fill(1) },
      authtime: 1772438400,
      starttime: 0,
      endtime: 1772474400,
      renewTill: 0,
      isSkey: false,
      ticketFlags: 0x40e10000,
      addresses: [{ addrType: 2, address: new Uint8Array([127, 0, 0, 1]) }],
      authData: [{ adType: 1, data: new Uint8Array([0x30, 0]) }],
      ticket: new Uint8Array([0x61, 0x03, 0x02, 0x01, 0x05]),
      secondTicket: new Uint8Array(0),
    };
    const cc: Ccache = {
      version: 4,
      kdcOffset: { seconds: -3, microseconds: 250 },
      defaultPrincipal: alice,
      credentials: [cred],
      config: [{ key: 'pa_type', principal: 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST', value: utf8('2') }],
    };
    const back = decodeCcache(encodeCcache(cc));
    expect(back.kdcOffset).toEqual({ seconds: -3, microseconds: 250 });
    expect(back.credentials[0]).toMatchObject({ ...cred, position: 0 });
    expect(back.config[0]).toMatchObject({ key: 'pa_type', value: utf8('2'), position: 1 });
    expect(formatPrincipal(back.config[0]!.client ?? back.defaultPrincipal)).toBe('alice@EXAMPLE.TEST');
    expect(ccacheToListJson(back).credentials[0]!.starttime).toBe(isoSeconds(cred.authtime * 1000));
  });

  test('version 3 (enctype stored twice, no header) reads and writes', () => {
    const cc = decodeCcache(fromHex(v.ccaches[0]!.hex));
    const v3 = encodeCcache({ ...cc, version: 3 });
    expect(v3[1]).toBe(3);
    const back = decodeCcache(v3);
    expect(back.version).toBe(3);
    expect(back.header).toBeUndefined();
    expect(back.credentials.map((c) => toHex(c.key.bytes))).toEqual(
      cc.credentials.map((c) => toHex(c.key.bytes)),
    );
  });
});

describe('ccache errors name the file type, the part and the byte', () => {
  const bytes = fromHex(v.ccaches[0]!.hex);

  test('a ticket cut short', () => {
    expect(() => decodeCcache(bytes.slice(0, 400))).toThrow(
      /^ccache: credential 1: ticket claims 346 bytes, only \d+ left at byte \d+$/,
    );
  });

  test('an absurd component count is refused before anything is allocated', () => {
    const bad = bytes.slice();
    bad.set([0x7f, 0xff, 0xff, 0xff], 20); // default principal's component count
    expect(() => decodeCcache(bad)).toThrow(
      /^ccache: default principal claims 2147483647 name components, only \d+ bytes left at byte 20$/,
    );
  });

  test('other versions and other files', () => {
    expect(() => decodeCcache(new Uint8Array([5, 1]))).toThrow(/native byte order/);
    expect(() => decodeCcache(new Uint8Array([5, 7]))).toThrow(/unknown ccache version 0x0507/);
    expect(() => decodeCcache(new Uint8Array([0x30, 0]))).toThrow(FormatError);
  });
});

describe('a ccache is read with at most MAX_CCACHE_RECORDS records', () => {
  const alice = { realm: 'R', name: { nameType: 1, nameString: ['alice'] } };
  const cred: CcacheCredential = {
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
  };
  /** A version-4 ccache of `n` copies of one small credential (written once, the record repeated). */
  function many(n: number): { bytes: Uint8Array; recordAt: (i: number) => number } {
    const head = encodeCcache({ version: 4, defaultPrincipal: alice, credentials: [], config: [] });
    const rec = encodeCcache({
      version: 4,
      defaultPrincipal: alice,
      credentials: [cred],
      config: [],
    }).subarray(head.length);
    const bytes = new Uint8Array(head.length + n * rec.length);
    bytes.set(head);
    for (let i = 0; i < n; i++) bytes.set(rec, head.length + i * rec.length);
    return { bytes, recordAt: (i) => head.length + i * rec.length };
  }

  test(`${MAX_CCACHE_RECORDS} credentials are read; one more is a FormatError naming it and the bound`, () => {
    expect(decodeCcache(many(MAX_CCACHE_RECORDS).bytes).credentials).toHaveLength(MAX_CCACHE_RECORDS);
    const { bytes, recordAt } = many(MAX_CCACHE_RECORDS + 1);
    let err: unknown;
    try {
      decodeCcache(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toBe(
      `ccache: credential ${MAX_CCACHE_RECORDS + 1} at byte ${recordAt(MAX_CCACHE_RECORDS)} is one too many: ` +
        `a ccache is read with at most ${MAX_CCACHE_RECORDS} credentials`,
    );
  }, 60_000);
});
