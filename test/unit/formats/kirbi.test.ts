// KRB-CRED / .kirbi: MIT's reference encoding, round trips, encrypted parts, and conversion to and from
// MIT ccache credentials (so a ticket can move between Rubeus/mimikatz and MIT tools).
import { describe, expect, test } from 'vitest';
import { decodeKrbCred } from '../../../src/asn1';
import { randomKey } from '../../../src/crypto';
import {
  ccacheCredentialToKirbi,
  decodeCcache,
  decodeKirbi,
  encodeCcache,
  encodeKirbi,
  FormatError,
  kirbiCredentialToCcache,
} from '../../../src/formats';
import { fromHex } from '../../../src/util/bytes';
import ccaches from '../../fixtures/vectors/ccache.json';
import messages from '../../fixtures/vectors/messages.json';

function seeded(seed = 3) {
  let x = seed;
  return (n: number) => Uint8Array.from({ length: n }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
}

describe('KRB-CRED as a .kirbi file', () => {
  test('MIT’s reference KRB-CRED: two tickets, the enc-part in the clear (etype 0)', () => {
    const sample = messages.samples.find((s) => s.name === 'mit-ref-krb_cred')!;
    const cred = decodeKrbCred(fromHex(sample.hex));
    expect(cred.tickets.map((t) => t.sname.nameString)).toEqual([
      ['hftsai', 'extra'],
      ['hftsai', 'extra'],
    ]);
    expect(cred.encPart.etype).toBe(0);
    // its "enc-part" is a test string, not an EncKrbCredPart: reading it as a .kirbi says so, clearly
    expect(() => decodeKirbi(fromHex(sample.hex))).toThrow(FormatError);
    expect(() => decodeKirbi(fromHex(sample.hex))).toThrow(/kirbi: the EncKrbCredPart does not decode/);
  });

  test('every credential of a real MIT ccache goes to a .kirbi and back unchanged', () => {
    for (const c of ccaches.ccaches) {
      const cc = decodeCcache(fromHex(c.hex));
      const kirbi = encodeKirbi(cc.credentials.map(ccacheCredentialToKirbi));
      const back = decodeKirbi(kirbi);
      expect(back.encrypted).toBe(false);
      expect(back.credentials).toHaveLength(cc.credentials.length);
      back.credentials.forEach((k, i) => {
        const orig = cc.credentials[i]!;
        const again = kirbiCredentialToCcache(k);
        expect(again.ticket).toEqual(orig.ticket);
        expect(again.key).toEqual(orig.key);
        expect(again.client).toEqual(orig.client);
        expect(again.server).toEqual(orig.server);
        expect(again.ticketFlags).toBe(orig.ticketFlags);
        expect([again.authtime, again.endtime, again.renewTill]).toEqual([
          orig.authtime,
          orig.endtime,
          orig.renewTill,
        ]);
      });
      // and the converted credentials make a ccache that reads back
      const rebuilt = encodeCcache({ ...cc, credentials: back.credentials.map(kirbiCredentialToCcache) });
      expect(decodeCcache(rebuilt).credentials).toHaveLength(cc.credentials.length);
    }
  });

  test('a forwarded credential is encrypted in a session key (usage 14); the wrong key says so', () => {
    const cc = decodeCcache(fromHex(ccaches.ccaches[0]!.hex));
    const key = randomKey(18, seeded());
    const bytes = encodeKirbi(cc.credentials.map(ccacheCredentialToKirbi), { key, random: seeded(9) });
    expect(decodeKrbCred(bytes).encPart.etype).toBe(18);
    expect(() => decodeKirbi(bytes)).toThrow(/a key is needed/);
    expect(decodeKirbi(bytes, key).credentials[0]!.info.key.keyvalue).toEqual(cc.credentials[0]!.key.bytes);
    const wrong = randomKey(18, seeded(77));
    expect(() => decodeKirbi(bytes, wrong)).toThrow(FormatError);
    expect(() => decodeKirbi(bytes, wrong)).toThrow(/integrity check failed .*key usage 14/);
  });

  test('garbage is a FormatError naming the format', () => {
    expect(() => decodeKirbi(new Uint8Array([0x76, 0x02, 0x30, 0x00]))).toThrow(/^kirbi: not a KRB-CRED/);
  });
});
