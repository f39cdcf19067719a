/**
 * The encoder remembers the asn1js encodings of small fields messages repeat (numbers, names, realms,
 * times, flags) and reuses them. Reuse must never change a byte: each remembered encoding belongs to
 * exactly one value, values encode alike whether remembered or not, and what encode refuses it still
 * refuses after a similar value was remembered.
 */
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import {
  decodeEncTicketPart,
  decodeTicket,
  decodeKrbError,
  encodeEncTicketPart,
  encodeKrbError,
  encodeTicket,
  type EncTicketPart,
  type KrbError,
  type PrincipalName,
} from '../../../src/asn1';
import {
  app,
  choice,
  encodeWith,
  explicit,
  Int32,
  integerContent,
  OctetString,
  opt,
  req,
  seq,
  seqOf,
  uncached,
  UInt32Lenient,
} from '../../../src/asn1/codec';
import { toDer } from '../../../src/asn1/der';
import { concatBytes, fromHex, toHex } from '../../../src/util/bytes';

/** A DER element with a minimal definite length (the test's own tiny encoder). */
function tlv(tag: number, ...parts: (string | Uint8Array)[]): string {
  const body = concatBytes(...parts.map((p) => (typeof p === 'string' ? fromHex(p) : p)));
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return toHex(new Uint8Array([tag, ...len])) + toHex(body);
}
const ascii = (s: string) => toHex(new TextEncoder().encode(s));
const int = (hex: string) => tlv(0x02, hex);

const error = (over: Partial<KrbError> = {}): KrbError => ({
  pvno: 5,
  msgType: 30,
  stime: new Date('2026-03-02T08:00:00Z'),
  susec: 0,
  errorCode: 6,
  realm: 'EXAMPLE.COM',
  sname: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.COM'] },
  ...over,
});

describe('remembered field encodings', () => {
  test('a small message encodes to the DER written by hand, the first time and every time after', () => {
    const want = tlv(
      0x7e,
      tlv(
        0x30,
        tlv(0xa0, int('05')),
        tlv(0xa1, int('1e')),
        tlv(0xa4, tlv(0x18, ascii('20260302080000Z'))),
        tlv(0xa5, int('00')),
        tlv(0xa6, int('06')),
        tlv(0xa9, tlv(0x1b, ascii('EXAMPLE.COM'))),
        tlv(
          0xaa,
          tlv(
            0x30,
            tlv(0xa0, int('02')),
            tlv(0xa1, tlv(0x30, tlv(0x1b, ascii('krbtgt')), tlv(0x1b, ascii('EXAMPLE.COM')))),
          ),
        ),
      ),
    );
    for (let i = 0; i < 3; i++) expect(toHex(encodeKrbError(error()))).toBe(want);
  });

  test('names that would run together as text stay apart', () => {
    const names: PrincipalName[] = [
      { nameType: 1, nameString: ['a', 'b'] },
      { nameType: 1, nameString: ['ab'] },
      { nameType: 1, nameString: ['a;', 'b'] },
      { nameType: 1, nameString: ['a', ';b'] },
      { nameType: 1, nameString: ['1:a;'] },
      { nameType: 1, nameString: [] },
      { nameType: 1, nameString: [''] },
      { nameType: 11, nameString: ['a', 'b'] },
    ];
    for (let round = 0; round < 2; round++) {
      const seen = new Set<string>();
      for (const sname of names) {
        const bytes = encodeKrbError(error({ sname }));
        expect(decodeKrbError(bytes).sname).toEqual(sname);
        seen.add(toHex(bytes));
      }
      expect(seen.size).toBe(names.length);
    }
  });

  test('numbers of equal text but another type, and out-of-range numbers, are still refused', () => {
    encodeKrbError(error({ errorCode: 5 }));
    expect(() => encodeKrbError(error({ errorCode: '5' as unknown as number }))).toThrowError(
      'cannot encode Int32: 5',
    );
    expect(() => encodeKrbError(error({ errorCode: 0x80000000 }))).toThrowError(
      'cannot encode Int32: 2147483648',
    );
    expect(() => encodeKrbError(error({ susec: 1_000_000 }))).toThrowError(
      'cannot encode Microseconds: 1000000',
    );
  });

  test('a time with milliseconds is refused even when its second was remembered', () => {
    const second = new Date('2026-03-02T08:00:00Z');
    encodeKrbError(error({ stime: second }));
    expect(() => encodeKrbError(error({ stime: new Date(second.getTime() + 1) }))).toThrowError(
      /cannot encode KerberosTime \(whole seconds\)/,
    );
  });

  test('a required field that is missing is still named', () => {
    encodeKrbError(error());
    const { realm: _realm, ...noRealm } = error();
    expect(() => encodeKrbError(noRealm as KrbError)).toThrowError(
      'cannot encode KRB-ERROR: its field realm (realm) is required',
    );
  });

  test('more distinct values than the table holds still encode right', () => {
    for (let i = 0; i < 1500; i++) {
      const realm = `R${i}.EXAMPLE`;
      const d = decodeKrbError(encodeKrbError(error({ realm, errorCode: i, stime: new Date(i * 1000) })));
      expect([d.realm, d.errorCode, d.stime.getTime()]).toEqual([realm, i, i * 1000]);
    }
  });

  test('short byte strings (transited) are remembered by their bytes, long ones not at all', () => {
    const part = (contents: Uint8Array, keyvalue: Uint8Array): EncTicketPart => ({
      flags: 0x40e10000,
      key: { keytype: 18, keyvalue },
      crealm: 'EXAMPLE.COM',
      cname: { nameType: 1, nameString: ['alice'] },
      transited: { trType: 1, contents },
      authtime: new Date('2026-03-02T08:00:00Z'),
      endtime: new Date('2026-03-02T18:00:00Z'),
    });
    const cases = [
      part(new Uint8Array(0), new Uint8Array(32).fill(1)),
      part(new Uint8Array([0x41]), new Uint8Array(32).fill(1)),
      part(new Uint8Array([0x41, 0x00]), new Uint8Array(32).fill(2)),
      part(new Uint8Array(0), new Uint8Array(32).fill(3)),
    ];
    for (let round = 0; round < 2; round++) {
      for (const p of cases) expect(decodeEncTicketPart(encodeEncTicketPart(p))).toEqual(p);
    }
  });

  test('runs of remembered fields side by side: a warm encoder writes the bytes a fresh one does, field by field', async () => {
    // Each field takes one of a few values, optional ones are sometimes absent, so runs hit, miss and
    // overlap in every way; the session key and nonce-like fields break runs.
    // The times share two values, so a run with starttime absent and one with renew-till absent can carry
    // the same times in the same order: only the field tags tell those runs apart.
    const hour = fc.integer({ min: 8, max: 9 }).map((h) => new Date(Date.UTC(2026, 2, 2, h)));
    const part = fc.record(
      {
        flags: fc.constantFrom(0x40e10000, 0x50a10000),
        key: fc.record({
          keytype: fc.constantFrom(17, 18),
          keyvalue: fc.uint8Array({ minLength: 16, maxLength: 32 }),
        }),
        crealm: fc.constantFrom('EXAMPLE.COM', 'EXAMPLE.CO', 'M'),
        cname: fc.constantFrom<PrincipalName>(
          { nameType: 1, nameString: ['alice'] },
          { nameType: 1, nameString: ['alic', 'e'] },
          { nameType: 2, nameString: ['alice'] },
        ),
        transited: fc.record({
          trType: fc.constant(1),
          contents: fc.constantFrom(new Uint8Array(0), new Uint8Array([0x4d])),
        }),
        authtime: hour,
        starttime: hour,
        endtime: hour,
        renewTill: hour,
      },
      { requiredKeys: ['flags', 'key', 'crealm', 'cname', 'transited', 'authtime', 'endtime'] },
    ) as fc.Arbitrary<EncTicketPart>;
    vi.resetModules();
    const fresh = async () => (await import('../../../src/asn1')).encodeEncTicketPart;
    const warm = encodeEncTicketPart;
    await fc.assert(
      fc.asyncProperty(fc.array(part, { minLength: 1, maxLength: 12 }), async (parts) => {
        for (const p of parts) {
          const bytes = warm(p);
          vi.resetModules();
          expect(toHex(bytes)).toBe(toHex((await fresh())(p)));
          expect(decodeEncTicketPart(bytes)).toEqual(p);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('integers are given the content octets asn1js writes, over the whole 32-bit range and its edges', () => {
    const asn1jsContent = (v: number) =>
      toHex(new Uint8Array(new asn1js.Integer({ value: v }).valueBlock.toBER()));
    const edges = [
      0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 0x7fffff, 0x800000,
    ];
    const more = [
      -0x800000, -0x800001, 0x7fffffff, 0x80000000, -0x80000000, 0xffffffff, 0xff000000, 0x00ff0000,
    ];
    for (const v of [...edges, ...more]) expect(toHex(integerContent(v)), String(v)).toBe(asn1jsContent(v));
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0xffffffff }), (v) => {
        expect(toHex(integerContent(v))).toBe(asn1jsContent(v));
      }),
      { numRuns: 2000 },
    );
  });

  test('fields that differ in every message (numbers, byte strings) are spliced to the bytes asn1js writes for them', () => {
    interface Rec {
      a: number;
      b?: Uint8Array;
      c: number;
    }
    const codec = seq<Rec>('Test', [
      req(0, 'a', uncached(UInt32Lenient)),
      opt(1, 'b', OctetString),
      req(2, 'c', uncached(Int32)),
    ]);
    const byAsn1js = (r: Rec) =>
      toHex(
        toDer(
          new asn1js.Sequence({
            value: [
              explicit(0, new asn1js.Integer({ value: r.a })),
              ...(r.b ? [explicit(1, new asn1js.OctetString({ valueHex: r.b }))] : []),
              explicit(2, new asn1js.Integer({ value: r.c })),
            ],
          }),
        ),
      );
    const rec = fc.record(
      {
        a: fc.integer({ min: -0x80000000, max: 0xffffffff }),
        // Lengths across the short and long forms of a length (127, 128, 255, 256 and beyond).
        b: fc
          .integer({ min: 0, max: 70_000 })
          .chain((n) =>
            fc.uint8Array({ minLength: n % 300 === 7 ? n : n % 300, maxLength: n % 300 === 7 ? n : n % 300 }),
          ),
        c: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      },
      { requiredKeys: ['a', 'c'] },
    );
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 4 }), (recs) => {
        for (const r of recs) expect(toHex(encodeWith(codec, r))).toBe(byAsn1js(r));
      }),
      { numRuns: 300 },
    );
    expect(() => encodeWith(codec, { a: 1.5, c: 0 })).toThrowError('cannot encode UInt32: 1.5');
    expect(() => encodeWith(codec, { a: 1, b: 'x' as unknown as Uint8Array, c: 0 })).toThrowError(
      'cannot encode OCTET STRING: x',
    );
  });

  test('constructed values are written as pieces behind remembered headers: the bytes asn1js writes for the whole value', () => {
    // A SEQUENCE OF byte strings inside a CHOICE, inside a SEQUENCE, inside [APPLICATION 5]: the lengths
    // of every level cross the short and long forms, so each level's header comes from the table both
    // fresh and remembered, and a header remembered for one length never serves another.
    interface Inner {
      x?: Uint8Array;
      y?: number;
    }
    interface Rec {
      list: Uint8Array[];
      pick: Inner;
      n: number;
    }
    const pick = choice<Inner>('Pick', [req(0, 'x', OctetString), req(1, 'y', uncached(Int32))]);
    const codec = app<Rec>(
      5,
      'Test',
      seq<Rec>('Test', [req(0, 'list', seqOf(OctetString)), req(1, 'pick', pick), req(2, 'n', Int32)]),
    );
    const octets = (b: Uint8Array) => new asn1js.OctetString({ valueHex: b });
    const byAsn1js = (r: Rec) =>
      toHex(
        toDer(
          explicit(
            5,
            new asn1js.Sequence({
              value: [
                explicit(0, new asn1js.Sequence({ value: r.list.map(octets) })),
                explicit(
                  1,
                  r.pick.x
                    ? explicit(0, octets(r.pick.x))
                    : explicit(1, new asn1js.Integer({ value: r.pick.y! })),
                ),
                explicit(2, new asn1js.Integer({ value: r.n })),
              ],
            }),
            2,
          ),
        ),
      );
    const bytes = fc
      .integer({ min: 0, max: 400 })
      .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
    const rec: fc.Arbitrary<Rec> = fc.record({
      list: fc.array(bytes, { maxLength: 4 }),
      pick: fc.oneof(
        bytes.map((x) => ({ x })),
        fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((y) => ({ y })),
      ),
      n: fc.integer({ min: -5, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 4 }), (recs) => {
        for (const r of recs) expect(toHex(encodeWith(codec, r))).toBe(byAsn1js(r));
      }),
      { numRuns: 300 },
    );
  });

  test('a ticket written as pieces: one changed byte of its ciphertext changes that byte only, at any length', () => {
    const ticket = (cipher: Uint8Array) => ({
      tktVno: 5,
      realm: 'EXAMPLE.COM',
      sname: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.COM'] },
      encPart: { etype: 18, kvno: 2, cipher },
    });
    for (const n of [0, 1, 100, 127, 128, 255, 256, 1100, 65535, 65536]) {
      const cipher = new Uint8Array(n).map((_, i) => i & 0xff);
      const first = encodeTicket(ticket(cipher));
      expect(decodeTicket(first).encPart.cipher).toEqual(cipher);
      if (n === 0) continue;
      const changed = cipher.slice();
      changed[n >> 1]! ^= 0x01;
      const second = encodeTicket(ticket(changed));
      expect(second.length).toBe(first.length);
      expect(decodeTicket(second).encPart.cipher).toEqual(changed);
      const differ = [...first].flatMap((b, i) => (b === second[i] ? [] : [i]));
      expect(differ).toEqual([first.length - n + (n >> 1)]);
    }
  });
});
