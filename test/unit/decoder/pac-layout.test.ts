// A PAC whose descriptors overlap, wherever the decoder meets it (an EncTicketPart given in the clear, a
// ticket it opens with a keytab key, a PAC given alone): the layout error of src/formats/pac.ts is
// what the learner sees, and no buffer is read.
import { describe, expect, test } from 'vitest';
import { parsePrincipal } from '../../../src/asn1/principal';
import { encodeEncTicketPart, encodeTicket } from '../../../src/asn1';
import { encrypt, KeyUsage } from '../../../src/crypto';
import { FormatError } from '../../../src/formats';
import { decodeMessage, KeyRing, type DecodedMessage } from '../../../src/formats/decoder';
import { wrapPac } from '../../../src/protocol/authdata';
import type { KrbNode } from '../../../src/asn1';
import { seededRandom } from '../kdc/helper';
import { craftPac } from '../formats/pac-craft';

const OVERLAP =
  'not a readable PAC: pac: buffer 1 (type 99) and buffer 2 (type 99) overlap: bytes 1032–2055 and 1032–2055 ' +
  '(MS-PAC §2.3 lays the buffers out one after another)';

/** 64 descriptors, all over the same 1 KB. */
const bomb = craftPac(
  Array.from({ length: 64 }, () => ({ type: 99, size: 1024, offset: 8 + 16 * 64 })),
  new Uint8Array(1024),
);

const part = {
  flags: 0x40e10000,
  key: { keytype: 18, keyvalue: new Uint8Array(32).fill(7) },
  crealm: 'EXAMPLE.TEST',
  cname: { nameType: 1, nameString: ['alice'] },
  transited: { trType: 1, contents: new Uint8Array(0) },
  authtime: new Date(Date.UTC(2026, 2, 2, 8)),
  endtime: new Date(Date.UTC(2026, 2, 2, 18)),
  authorizationData: wrapPac(bomb),
};

const find = (n: KrbNode, name: string): KrbNode[] =>
  (n.name === name ? [n] : []).concat((n.children ?? []).flatMap((c) => find(c, name)));

function pacLeaves(m: DecodedMessage): KrbNode[] {
  return [m.tree, ...m.encParts.flatMap((p) => (p.plain ? [p.plain] : []))].flatMap((t) => find(t, 'PAC'));
}

describe('overlapping PAC descriptors in the decoder', () => {
  test('an EncTicketPart in the clear decodes; its PAC is one line saying the buffers overlap', () => {
    const m = decodeMessage(encodeEncTicketPart(part), new KeyRing());
    expect(m.type).toBe('EncTicketPart');
    const pacs = pacLeaves(m);
    expect(pacs).toHaveLength(1);
    expect(pacs[0]!.value).toBe(OVERLAP);
    expect(pacs[0]!.children).toBeUndefined();
  });

  test('a ticket opened with a keytab key: the same line in its plaintext', () => {
    const serviceKey = { etype: 18, bytes: new Uint8Array(32).fill(3) };
    const ticket = encodeTicket({
      tktVno: 5,
      realm: 'EXAMPLE.TEST',
      sname: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.TEST'] },
      encPart: {
        etype: 18,
        kvno: 1,
        cipher: encrypt(serviceKey, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(part), seededRandom(1)),
      },
    });
    const ring = new KeyRing().addKeytab([
      {
        principal: parsePrincipal('krbtgt/EXAMPLE.TEST@EXAMPLE.TEST', undefined, 2),
        timestamp: 0,
        kvno: 1,
        key: serviceKey,
      },
    ]);
    const m = decodeMessage(ticket, ring);
    expect(m.encParts[0]).toMatchObject({ path: 'enc-part', decrypted: true });
    expect(pacLeaves(m).map((n) => n.value)).toEqual([OVERLAP]);
  });

  test("a PAC given alone: the PAC reader's error, not a DER one", () => {
    let err: unknown;
    try {
      decodeMessage(bomb, new KeyRing());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toBe(OVERLAP.replace('not a readable PAC: ', ''));
  });
});
