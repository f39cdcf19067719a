/**
 * decodeValue: the value without the field tree, for callers that use only the value (the KDC, services,
 * clients). It must give exactly what decodeWith gives as its value, and refuse exactly what decodeWith
 * refuses, with the same words and the same byte (a check worded from the tree included).
 * And kdcReqBodyBytes: the req-body bytes a TGS-REQ checksum covers, found from the DER headers.
 */
import { describe, expect, test } from 'vitest';
import fixture from '../../fixtures/vectors/messages.json';
import {
  ApRepCodec,
  ApReqCodec,
  AsRepCodec,
  AsReqCodec,
  AuthenticatorCodec,
  DecodeError,
  EncApRepPartCodec,
  EncAsRepPartCodec,
  EncKrbCredPartCodec,
  EncTgsRepPartCodec,
  EncTicketPartCodec,
  KrbCredCodec,
  KrbErrorCodec,
  TgsRepCodec,
  TgsReqCodec,
  TicketCodec,
  decodeKdcReqBody,
  decodeValue,
  decodeWith,
  encodeKdcReqBody,
  kdcReqBodyBytes,
} from '../../../src/asn1';
import type { Codec } from '../../../src/asn1';
import { fromHex, toHex } from '../../../src/util/bytes';

const samples = (fixture as unknown as { samples: { name: string; hex: string }[] }).samples;
const sampleHex = (name: string) => samples.find((s) => s.name === name)!.hex;

const BY_FIRST_BYTE: Record<number, Codec<unknown>> = {
  0x61: TicketCodec as Codec<unknown>,
  0x62: AuthenticatorCodec as Codec<unknown>,
  0x63: EncTicketPartCodec as Codec<unknown>,
  0x6a: AsReqCodec as Codec<unknown>,
  0x6b: AsRepCodec as Codec<unknown>,
  0x6c: TgsReqCodec as Codec<unknown>,
  0x6d: TgsRepCodec as Codec<unknown>,
  0x6e: ApReqCodec as Codec<unknown>,
  0x6f: ApRepCodec as Codec<unknown>,
  0x76: KrbCredCodec as Codec<unknown>,
  0x79: EncAsRepPartCodec as Codec<unknown>,
  0x7a: EncTgsRepPartCodec as Codec<unknown>,
  0x7b: EncApRepPartCodec as Codec<unknown>,
  0x7d: EncKrbCredPartCodec as Codec<unknown>,
  0x7e: KrbErrorCodec as Codec<unknown>,
};

/** The outcome of a decode: its value, or the DecodeError's message. */
function outcome(decode: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: decode() };
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return { error: (e as Error).message };
  }
}

const plain = samples.filter((s) => BY_FIRST_BYTE[fromHex(s.hex)[0]!] !== undefined);

describe('decodeValue gives what decodeWith gives', () => {
  test('the samples include every kind of plain message here', () => {
    expect(plain.length).toBeGreaterThanOrEqual(15);
  });

  for (const s of plain) {
    test(`${s.name}: the same value`, () => {
      const bytes = fromHex(s.hex);
      const codec = BY_FIRST_BYTE[bytes[0]!]!;
      expect(decodeValue(codec, bytes)).toEqual(decodeWith(codec, bytes).value);
    });
  }

  test('the same refusal, worded from the tree, for a check on the value (pvno, msg-type, tkt-vno)', () => {
    const apRep = sampleHex('mit-ref-ap_rep');
    const asRep = sampleHex('mit-ref-as_rep');
    const ticketAt = asRep.indexOf('a55e615c') / 2 + 2;
    const cases: [string, Codec<unknown>][] = [
      [apRep.replace('a003020105', 'a003020104'), ApRepCodec as Codec<unknown>],
      [apRep.replace('a10302010f', 'a10302010e'), ApRepCodec as Codec<unknown>],
      // The ticket's tkt-vno [0] INTEGER 5 → 4, inside the AS-REP.
      [
        asRep.slice(0, ticketAt * 2) + asRep.slice(ticketAt * 2).replace('a003020105', 'a003020104'),
        AsRepCodec as Codec<unknown>,
      ],
    ];
    const messages = cases.map(([hex, codec]) => {
      const bytes = fromHex(hex);
      const full = outcome(() => decodeWith(codec, bytes).value);
      const bare = outcome(() => decodeValue(codec, bytes));
      expect(bare).toEqual(full);
      return bare.error;
    });
    expect(messages).toEqual([
      'byte 4: AP-REP has pvno 4; Kerberos 5 messages carry 5',
      'byte 9: AP-REP ([APPLICATION 15]) has msg-type 14; it must be 15',
      `byte ${ticketAt + 4}: Ticket has tkt-vno 4; Kerberos 5 tickets carry 5`,
    ]);
  });

  test('the same refusal for every defect a one-byte change makes in a sample', () => {
    let refused = 0;
    for (const s of plain.slice(0, 8)) {
      const bytes = fromHex(s.hex);
      const codec = BY_FIRST_BYTE[bytes[0]!]!;
      for (let at = 0; at < Math.min(bytes.length, 64); at++) {
        for (const flip of [0x01, 0x80]) {
          const changed = bytes.slice();
          changed[at]! ^= flip;
          const full = outcome(() => decodeWith(codec, changed).value);
          const bare = outcome(() => decodeValue(codec, changed));
          expect(bare, `${s.name} byte ${at} ^ ${flip}`).toEqual(full);
          if (full.error) refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  test('limits apply as in decodeWith', () => {
    const bytes = fromHex(sampleHex('mit-ref-ap_rep'));
    const limits = { maxNodes: 5 };
    const full = outcome(() => decodeWith(ApRepCodec, bytes, { limits }).value);
    expect(full.error).toMatch(/^byte \d+: more than 5 DER elements; refusing to go on$/);
    expect(outcome(() => decodeValue(ApRepCodec, bytes, { limits }))).toEqual(full);
  });
});

describe('kdcReqBodyBytes', () => {
  for (const name of ['mit-ref-as_req', 'knet-as-req-pa-enc-timestamp', 'knet-tgs-req-host-app03']) {
    test(`${name}: the content of req-body [4], byte for byte`, () => {
      const bytes = fromHex(sampleHex(name));
      const codec = bytes[0] === 0x6a ? AsReqCodec : TgsReqCodec;
      const tree = decodeWith(codec, bytes).node;
      const node = tree.children!.find((c) => c.name === 'req-body')!;
      const body = kdcReqBodyBytes(bytes)!;
      expect(body.byteOffset - bytes.byteOffset + body.length).toBe(node.offset + node.length);
      expect(toHex(body)).toBe(toHex(encodeKdcReqBody(decodeKdcReqBody(body))));
      expect(decodeKdcReqBody(body)).toEqual(decodeWith(codec, bytes).value.reqBody);
    });
  }

  test('undefined when the request has no req-body', () => {
    // [APPLICATION 10] { SEQUENCE { [1] 5, [2] 10 } }: decodes as far as the headers go.
    expect(kdcReqBodyBytes(fromHex('6a0c300aa103020105a20302010a'))).toBeUndefined();
  });
});
