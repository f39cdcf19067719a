/**
 * Strict DER: what BER allows and DER forbids is refused, with a message that names the byte and says
 * what is wrong in words a learner can follow. The inputs are real reference messages with one change.
 */
import { describe, expect, test } from 'vitest';
import fixture from '../../fixtures/vectors/messages.json';
import {
  DecodeError,
  decodeApRep,
  decodeAsRep,
  decodeEncApRepPart,
  decodeKerberos,
  decodeKrbError,
  decodePaEncTimestamp,
  decodePaPacRequest,
  encodeApRep,
} from '../../../src/asn1';
import { KrbPlayError } from '../../../src/util/errors';
import { concatBytes, fromHex, toHex } from '../../../src/util/bytes';

const sampleHex = (name: string) =>
  (fixture as unknown as { samples: { name: string; hex: string }[] }).samples.find((s) => s.name === name)!
    .hex;
const AP_REP = sampleHex('mit-ref-ap_rep');
const AS_REP = sampleHex('mit-ref-as_rep');
const KRB_ERROR = sampleHex('mit-ref-error');

/** A DER element with a minimal definite length (the test's own tiny encoder). */
function tlv(tag: number, ...parts: (string | Uint8Array)[]): string {
  const body = concatBytes(...parts.map((p) => (typeof p === 'string' ? fromHex(p) : p)));
  const n = body.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return toHex(new Uint8Array([tag, ...len])) + toHex(body);
}
const ascii = (s: string) => toHex(new TextEncoder().encode(s));
const int = (hex: string) => tlv(0x02, hex);

/** Decodes and returns the DecodeError, checking it is the playground's typed 'decode' error. */
function rejection(hex: string, decode: (b: Uint8Array) => unknown = decodeKerberos): DecodeError {
  try {
    decode(fromHex(hex));
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    expect(e).toBeInstanceOf(KrbPlayError);
    const err = e as DecodeError;
    expect(err.category).toBe('decode');
    expect(err.message.startsWith(`byte ${err.offset}: `)).toBe(true);
    return err;
  }
  throw new Error('decoded without complaint');
}

describe('lengths', () => {
  test('an indefinite length (BER) is refused where it appears', () => {
    const hex = '6f80' + AP_REP.slice(4) + '0000';
    expect(rejection(hex).message).toBe(
      'byte 1: [APPLICATION 15] has an indefinite length (0x80): BER allows it, DER does not',
    );
  });

  test('a long-form length for a value under 128 is refused', () => {
    const hex = '6f8133' + AP_REP.slice(4);
    expect(rejection(hex).message).toBe(
      'byte 1: [APPLICATION 15] has a non-minimal length: 51 written in the long form (DER uses one byte below 128)',
    );
  });

  test('a long-form length with a leading zero byte is refused', () => {
    const hex = '6f820033' + AP_REP.slice(4);
    expect(rejection(hex).message).toBe(
      'byte 1: [APPLICATION 15] has a non-minimal length: a leading 0x00 length byte (not DER)',
    );
  });

  test('a non-minimal length deep inside is found at its own byte', () => {
    // The SEQUENCE inside [APPLICATION 15] at byte 2, its length byte at 3.
    const hex = '6f34' + '308131' + AP_REP.slice(8);
    expect(rejection(hex).message).toBe(
      'byte 3: SEQUENCE has a non-minimal length: 49 written in the long form (DER uses one byte below 128)',
    );
  });

  test('a length that runs past the end says how much is missing', () => {
    const hex = AP_REP.slice(0, 40);
    expect(rejection(hex).message).toBe(
      'byte 0: [APPLICATION 15] says its content is 51 bytes, but only 18 remain',
    );
  });
});

describe('tags', () => {
  test('a Ticket with the wrong application tag names both tags', () => {
    // AS-REP's ticket [5] holds [APPLICATION 1]; make it [APPLICATION 3].
    const at = AS_REP.indexOf('a55e615c') / 2 + 2;
    const hex = AS_REP.slice(0, at * 2) + '63' + AS_REP.slice(at * 2 + 2);
    expect(rejection(hex).message).toBe(`byte ${at}: expected [APPLICATION 1] Ticket, found [APPLICATION 3]`);
  });

  test('a primitive where a SEQUENCE belongs is refused', () => {
    const hex = tlv(0x6f, tlv(0x04, '00'));
    expect(rejection(hex).message).toBe('byte 2: expected SEQUENCE AP-REP, found OCTET STRING');
  });

  test('a small tag number in the multi-byte form is refused', () => {
    // bf 05 is [5] written as "tag number follows" (0x1f) and then 5; DER writes a5.
    expect(rejection('6f06' + '3004' + 'bf05' + '0100').message).toBe(
      'byte 4: tag number 5 written in the multi-byte form (not DER)',
    );
  });

  test('a constructed OCTET STRING (BER) is refused', () => {
    const cipher = tlv(0x24, tlv(0x04, ascii('krb')));
    const encData = tlv(0x30, tlv(0xa0, int('00')), tlv(0xa2, cipher));
    const hex = tlv(0x6f, tlv(0x30, tlv(0xa0, int('05')), tlv(0xa1, int('0f')), tlv(0xa2, encData)));
    const at = hex.indexOf('2405') / 2;
    expect(rejection(hex).message).toBe(
      `byte ${at}: OCTET STRING uses the constructed form: BER allows it, DER does not`,
    );
  });

  test('an end-of-contents marker is refused', () => {
    const hex = tlv(0x6f, tlv(0x30, '0000'));
    expect(rejection(hex).message).toBe('byte 4: end-of-contents marker (00 00) found: that is BER, not DER');
  });
});

describe('values', () => {
  test('trailing bytes after a complete message are refused', () => {
    expect(rejection(AP_REP + '00').message).toBe('byte 53: 1 trailing byte(s) after the end of AP-REP');
    expect(rejection(AP_REP + 'a1b2c3', decodeApRep).message).toBe(
      'byte 53: 3 trailing byte(s) after the end of AP-REP',
    );
  });

  test('an INTEGER with a needless leading zero is refused', () => {
    const hex = AP_REP.replace('a003020105', 'a00402020005').replace(/^6f333031/, '6f343032');
    expect(rejection(hex).message).toBe('byte 6: INTEGER has a needless leading 00 byte (not DER)');
  });

  test('msg-type must agree with the application tag', () => {
    const hex = AP_REP.replace('a10302010f', 'a10302010e');
    expect(rejection(hex).message).toBe('byte 9: AP-REP ([APPLICATION 15]) has msg-type 14; it must be 15');
  });

  test('pvno must be 5', () => {
    const hex = AP_REP.replace('a003020105', 'a003020104');
    expect(rejection(hex).message).toBe('byte 4: AP-REP has pvno 4; Kerberos 5 messages carry 5');
  });

  test('a missing required field is named', () => {
    const hex = tlv(0x6f, tlv(0x30, tlv(0xa0, int('05')), tlv(0xa1, int('0f'))));
    expect(rejection(hex).message).toBe('byte 2: AP-REP is missing its required field enc-part [2]');
  });

  test('a field the type does not have is refused', () => {
    const hex = tlv(0x6f, tlv(0x30, tlv(0xa0, int('05')), tlv(0xa1, int('0f')), tlv(0xa5, int('00'))));
    expect(rejection(hex).message).toBe(
      'byte 14: unexpected [5] in AP-REP (its fields are pvno [0], msg-type [1], enc-part [2])',
    );
  });

  test('a required field skipped before a later one is named', () => {
    const hex = tlv(0x6f, tlv(0x30, tlv(0xa1, int('0f')), tlv(0xa0, int('05'))));
    expect(rejection(hex).message).toBe('byte 4: AP-REP is missing its field pvno [0] before [1]');
  });

  test('fields out of order are refused', () => {
    // EncryptedData: etype [0], kvno [1] OPTIONAL, cipher [2]; here kvno comes last.
    const hex = tlv(0x30, tlv(0xa0, int('12')), tlv(0xa2, tlv(0x04, '00')), tlv(0xa1, int('02')));
    expect(rejection(hex, decodePaEncTimestamp).message).toBe(
      'byte 12: field kvno [1] of EncryptedData is out of order or repeated',
    );
  });

  test('KerberosFlags must be 32 bits', () => {
    const body = tlv(0xa2, tlv(0x03, '0080'));
    const hex = tlv(0x6e, tlv(0x30, tlv(0xa0, int('05')), tlv(0xa1, int('0e')), body));
    expect(rejection(hex).message).toBe(
      'byte 16: ap-options: KerberosFlags must be 32 bits (5 bytes with the unused-bits byte 00), found 2 bytes',
    );
  });

  test('a BOOLEAN must be 00 or ff', () => {
    const hex = tlv(0x30, tlv(0xa0, tlv(0x01, '01')));
    expect(rejection(hex, decodePaPacRequest).message).toBe(
      'byte 4: BOOLEAN must be one byte, 00 or ff, in DER',
    );
  });

  test('a KerberosString that is not UTF-8 is refused', () => {
    const hex = KRB_ERROR.replace(ascii('krb5data'), 'ff' + ascii('rb5data'));
    const at = KRB_ERROR.indexOf('ab0a1b08') / 2 + 2;
    expect(rejection(hex, decodeKrbError).message).toBe(
      `byte ${at}: e-text: KerberosString is not valid UTF-8`,
    );
  });
});

describe('KerberosTime', () => {
  const at = KRB_ERROR.indexOf(ascii('19940610060317Z')) / 2 - 2;
  const withTime = (t: string) => KRB_ERROR.replace(ascii('19940610060317Z'), ascii(t));

  test('a lower-case z is not YYYYMMDDHHMMSSZ', () => {
    expect(rejection(withTime('19940610060317z')).message).toBe(
      `byte ${at}: KerberosTime must be written YYYYMMDDHHMMSSZ (RFC 4120 §5.2.3), found "19940610060317z"`,
    );
  });

  test('a local time with an offset is refused', () => {
    expect(rejection(withTime('199406100603+01')).message).toBe(
      `byte ${at}: KerberosTime must be written YYYYMMDDHHMMSSZ (RFC 4120 §5.2.3), found "199406100603+01"`,
    );
  });

  test('month 13 is not a date', () => {
    expect(rejection(withTime('19941310060317Z')).message).toBe(
      `byte ${at}: ctime: KerberosTime 19941310060317Z is not a real date and time`,
    );
  });

  test('30 February is not a date', () => {
    expect(rejection(withTime('19940230060317Z')).message).toBe(
      `byte ${at}: ctime: KerberosTime 19940230060317Z is not a real date and time`,
    );
  });

  test('fractional seconds are refused', () => {
    const hex = tlv(0x7b, tlv(0x30, tlv(0xa0, tlv(0x18, ascii('19940610060317.5Z'))), tlv(0xa1, int('05'))));
    expect(rejection(hex, decodeEncApRepPart).message).toBe(
      'byte 6: KerberosTime must be written YYYYMMDDHHMMSSZ (RFC 4120 §5.2.3), found "19940610060317.5Z"',
    );
  });
});

describe('bounds and recognition', () => {
  test('input larger than the limit is refused before parsing', () => {
    const big = new Uint8Array(2 * 1024 * 1024);
    big[0] = 0x6f;
    expect(() => decodeKerberos(big)).toThrowError('byte 0: input is 2097152 bytes; the limit is 1048576');
  });

  test('nesting deeper than the limit is refused', () => {
    let hex = tlv(0x05, '');
    for (let i = 0; i < 60; i++) hex = tlv(0x30, hex);
    const err = rejection(tlv(0x6f, hex));
    expect(err.message).toMatch(/^byte \d+: DER elements nested more than 48 deep; refusing to go on$/);
  });

  test('more elements than the limit are refused', () => {
    const etypes = Array.from({ length: 25_000 }, () => int('12')).join('');
    const err = rejection(tlv(0x6a, tlv(0x30, tlv(0xa1, int('05')), tlv(0xa2, tlv(0x30, etypes)))));
    expect(err.message).toMatch(/^byte \d+: more than 20000 DER elements; refusing to go on$/);
  });

  test('limits can be tightened per call', () => {
    expect(() => decodeKerberos(fromHex(AP_REP), { limits: { maxNodes: 5 } })).toThrowError(
      /more than 5 DER elements/,
    );
  });

  test('bytes that are no Kerberos message say what they start with', () => {
    expect(rejection('020105').message).toBe(
      'byte 0: not a Kerberos message: it starts with INTEGER (0x02); expected an [APPLICATION n] Kerberos message, a 4-byte TCP length, a KDC-PROXY-MESSAGE, a GSS-API token, a SPNEGO token or an IAKERB token (05 01)',
    );
    expect(rejection('6503020105').message).toMatch(
      /^byte 0: \[APPLICATION 5\] is not a Kerberos message or part \(known: 1 Ticket, 2 Authenticator/,
    );
  });

  test('a TCP record mark must announce the rest exactly', () => {
    expect(rejection('00000040' + AP_REP).message).toBe(
      'byte 0: the TCP record mark announces 64 bytes, but 53 follow',
    );
  });

  test('empty input', () => {
    expect(rejection('').message).toBe('byte 0: there is nothing to decode (no bytes)');
  });

  test('the same message is accepted once the defect is gone', () => {
    expect(toHex(encodeApRep(decodeApRep(fromHex(AP_REP))))).toBe(AP_REP);
    expect(decodeAsRep(fromHex(AS_REP)).ticket.tktVno).toBe(5);
  });
});
