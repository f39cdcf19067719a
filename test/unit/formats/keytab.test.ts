// MIT keytabs against test/fixtures/vectors/keytabs.json (MIT ktutil, gokrb5, Kerberos.NET files,
// copied from the project's shared vectors): every entry decodes to its recorded fields, and every file
// is written back byte for byte.
import { describe, expect, test } from 'vitest';
import { parsePrincipal } from '../../../src/asn1/principal';
import { stringToKey, principalSalt } from '../../../src/crypto';
import {
  decodeKeytab,
  encodeKeytab,
  FormatError,
  keytabToListJson,
  MAX_KEYTAB_RECORDS,
  type KeytabEntry,
} from '../../../src/formats';
import { KrbPlayError } from '../../../src/util/errors';
import { fromHex, toHex } from '../../../src/util/bytes';
import v from '../../fixtures/vectors/keytabs.json';

describe('keytab samples', () => {
  test.each(v.keytabs.map((k) => [k.name, k]))('%s decodes to its recorded entries', (_n, k) => {
    const kt = decodeKeytab(fromHex(k.hex));
    expect(kt.version).toBe(k.file_format_version);
    expect(kt.entries).toHaveLength(k.entry_count);
    kt.entries.forEach((e, i) => {
      const want = k.entries[i]!;
      expect(e.principal).toEqual({
        realm: want.realm,
        name: { nameType: want.name_type, nameString: want.components },
      });
      expect(e.timestamp).toBe(want.timestamp);
      expect(e.kvno).toBe(want.kvno);
      expect(e.stored?.kvno8).toBe(want.kvno8);
      expect(e.key.etype).toBe(want.etype);
      expect(toHex(e.key.bytes)).toBe(want.key_hex);
    });
  });

  test.each(v.keytabs.map((k) => [k.name, k]))('%s is written back byte for byte', (_n, k) => {
    expect(toHex(encodeKeytab(decodeKeytab(fromHex(k.hex))))).toBe(k.hex);
  });

  test('the ktutil samples hold the keys their passwords make', () => {
    for (const k of v.keytabs.filter((x) => 'password' in x && x.password)) {
      for (const e of decodeKeytab(fromHex(k.hex)).entries) {
        if (![17, 18, 23].includes(e.key.etype)) continue;
        const salt = principalSalt(e.principal.realm, e.principal.name.nameString);
        expect(toHex(stringToKey(e.key.etype, (k as { password: string }).password, salt).bytes)).toBe(
          toHex(e.key.bytes),
        );
      }
    }
  });

  test('records padded beyond their entry keep the padding, and the entry spans point into the file', () => {
    const k = v.keytabs.find((x) => x.name === 'knet-sample_with_padding')!;
    const bytes = fromHex(k.hex);
    const kt = decodeKeytab(bytes);
    const e = kt.entries[0]!;
    expect(e.stored!.padding.length).toBeGreaterThan(0);
    const key = e.spans!.key;
    // enctype(2) + length(2) + key bytes
    expect(toHex(bytes.slice(key.offset + 4, key.offset + key.length))).toBe(toHex(e.key.bytes));
    expect(e.spans!.record.offset).toBe(6);
  });

  test('a 32-bit kvno trailer overrides the 8-bit field; without a trailer the 8-bit field counts', () => {
    const entry: KeytabEntry = {
      principal: { realm: 'EXAMPLE.TEST', name: { nameType: 1, nameString: ['svc'] } },
      timestamp: 1700000000,
      kvno: 300,
      key: { etype: 18, bytes: new Uint8Array(32).fill(7) },
    };
    const kt = decodeKeytab(encodeKeytab({ entries: [entry] }));
    expect(kt.entries[0]!.kvno).toBe(300);
    expect(kt.entries[0]!.stored).toMatchObject({ kvno8: 300 & 0xff, kvno32: 300 });

    // An old writer's entry: no trailer.
    const old = encodeKeytab({
      entries: [{ ...entry, kvno: 5, stored: { kvno8: 5, kvno32: null, padding: new Uint8Array(0) } }],
    });
    expect(old.length).toBe(encodeKeytab({ entries: [{ ...entry, kvno: 5 }] }).length - 4);
    expect(decodeKeytab(old).entries[0]!.kvno).toBe(5);
    // A trailer of zero means "use the 8-bit field" (keytab_file_format.rst).
    const zero = encodeKeytab({
      entries: [{ ...entry, kvno: 9, stored: { kvno8: 9, kvno32: 0, padding: new Uint8Array(0) } }],
    });
    expect(decodeKeytab(zero).entries[0]!.kvno).toBe(9);
  });

  test('changing kvno of a read entry rewrites both kvno fields (stale storage is ignored)', () => {
    const k = v.keytabs[0]!;
    const e = decodeKeytab(fromHex(k.hex)).entries[0]!;
    const back = decodeKeytab(encodeKeytab({ entries: [{ ...e, kvno: 1000 }] })).entries[0]!;
    expect(back.kvno).toBe(1000);
  });

  test('holes (negative record lengths) are skipped and a zero length ends the file', () => {
    const e = decodeKeytab(fromHex(v.keytabs[5]!.hex)).entries[0]!;
    const one = encodeKeytab({ entries: [e] }).subarray(2);
    const file = new Uint8Array([
      5,
      2,
      0xff,
      0xff,
      0xff,
      0xf8,
      ...new Uint8Array(8),
      ...one,
      0,
      0,
      0,
      0,
      9,
      9,
    ]);
    const kt = decodeKeytab(file);
    expect(kt.entries).toHaveLength(1);
    expect(kt.holes).toEqual([{ offset: 6, length: 8 }]);
    expect(kt.entries[0]!.principal.name.nameString).toEqual(['test', 'admin']);
  });

  test('reads version 0x0501 (native byte order, realm counted among the components, no name type)', () => {
    // One little-endian v1 entry: realm "R", component "a", timestamp 1, kvno 2, enctype 23, 2-byte key.
    const body = [2, 0, 1, 0, 0x52, 1, 0, 0x61, 1, 0, 0, 0, 2, 23, 0, 2, 0, 0xaa, 0xbb];
    const file = new Uint8Array([5, 1, body.length, 0, 0, 0, ...body]);
    const e = decodeKeytab(file).entries[0]!;
    expect(e.principal).toEqual({ realm: 'R', name: { nameType: 0, nameString: ['a'] } });
    expect(e).toMatchObject({ timestamp: 1, kvno: 2 });
    expect(e.key).toEqual({ etype: 23, bytes: new Uint8Array([0xaa, 0xbb]) });
  });

  test('the list JSON has the CLI shape', () => {
    const json = keytabToListJson(decodeKeytab(fromHex(v.keytabs[1]!.hex)));
    expect(json.entries[0]).toEqual({
      principal: 'user@EXAMPLE.ORG',
      kvno: 31,
      etype: 18,
      etypeName: 'aes256-cts-hmac-sha1-96',
      key: v.keytabs[1]!.entries[0]!.key_hex,
      timestamp: v.keytabs[1]!.entries[0]!.timestamp_utc,
    });
  });

  test('an enctype the registry does not know is named as the KDC and the client name it ("enctype N")', () => {
    const entry = (etype: number): KeytabEntry => ({
      principal: { realm: 'R', name: { nameType: 1, nameString: ['svc'] } },
      timestamp: 0,
      kvno: 1,
      key: { etype, bytes: new Uint8Array(16) },
    });
    const json = keytabToListJson({ version: 2, entries: [entry(99), entry(2)], holes: [] });
    expect(json.entries.map((e) => e.etypeName)).toEqual(['enctype 99', 'des-cbc-md4']);
  });
});

describe('keytab errors name the file type, the part and the byte', () => {
  const bytes = fromHex(v.keytabs[0]!.hex);

  test('a record longer than the file', () => {
    // Entries 1 and 2 take 4+59 and 4+75 bytes after the 2-byte version: entry 3 starts at 144.
    const cut = bytes.slice(0, 200);
    const err = (() => {
      try {
        decodeKeytab(cut);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FormatError);
    expect(err).toBeInstanceOf(KrbPlayError);
    expect((err as FormatError).category).toBe('format');
    expect((err as FormatError).message).toMatch(
      /^keytab: entry 3 at byte 144 claims 59 bytes, only 52 left$/,
    );
    expect((err as FormatError).offset).toBe(144);
  });

  test('a key longer than its record', () => {
    const bad = bytes.slice();
    bad[2 + 4 + 2 + 2 + 11 + 2 + 9 + 4 + 4 + 1 + 2 + 1] = 0xff; // low byte of entry 1's key length
    expect(() => decodeKeytab(bad)).toThrow(
      /^keytab: entry 1: key needs 255 bytes, only \d+ left at byte \d+$/,
    );
  });

  test('not a keytab at all', () => {
    expect(() => decodeKeytab(new Uint8Array([4, 2]))).toThrow(/not a keytab: the first byte is 0x04/);
    expect(() => decodeKeytab(new Uint8Array([5, 9]))).toThrow(/unsupported keytab version 0x0509/);
    expect(() => decodeKeytab(new Uint8Array([]))).toThrow(FormatError);
  });
});

describe('a keytab is read with at most MAX_KEYTAB_RECORDS records', () => {
  /** A keytab of `entries` copies of one small entry, then `holes` deleted-entry holes. */
  function many(entries: number, holes = 0): Uint8Array {
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
    const hole = Uint8Array.of(0xff, 0xff, 0xff, 0xf8, 0, 0, 0, 0, 0, 0, 0, 0); // length -8, 8 bytes
    const out = new Uint8Array(2 + one.length * entries + hole.length * holes);
    out.set([5, 2]);
    for (let i = 0; i < entries; i++) out.set(one, 2 + i * one.length);
    for (let i = 0; i < holes; i++) out.set(hole, 2 + entries * one.length + i * hole.length);
    return out;
  }

  test(`${MAX_KEYTAB_RECORDS} entries are read; one more is a FormatError naming the record and the bound`, () => {
    expect(decodeKeytab(many(MAX_KEYTAB_RECORDS)).entries).toHaveLength(MAX_KEYTAB_RECORDS);
    const bytes = many(MAX_KEYTAB_RECORDS + 1);
    const at = 2 + MAX_KEYTAB_RECORDS * ((bytes.length - 2) / (MAX_KEYTAB_RECORDS + 1));
    let err: unknown;
    try {
      decodeKeytab(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toBe(
      `keytab: the record at byte ${at} is one too many: a keytab is read with at most ${MAX_KEYTAB_RECORDS} records (entries and holes)`,
    );
    expect((err as FormatError).offset).toBe(at);
  }, 60_000);

  test('holes count too: a file of tiny holes cannot pile up spans without end', () => {
    expect(decodeKeytab(many(1, MAX_KEYTAB_RECORDS - 1)).holes).toHaveLength(MAX_KEYTAB_RECORDS - 1);
    expect(() => decodeKeytab(many(1, MAX_KEYTAB_RECORDS))).toThrow(/is one too many/);
  }, 60_000);
});
