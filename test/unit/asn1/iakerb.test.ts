// The IAKERB token layout (draft-ietf-kitten-iakerb-03 §3.1; MIT krb5's iakerb.c), byte for byte.
import { describe, expect, test } from 'vitest';
import {
  DecodeError,
  decodeIakerbToken,
  decodeKerberos,
  encodeIakerbHeader,
  encodeIakerbToken,
  isIakerbProxyToken,
} from '../../../src/asn1';
import { KerberosClient } from '../../../src/client';
import { fromHex, toHex } from '../../../src/util/bytes';
import { seededRandom, T0 } from '../kdc/helper';

const realm = 'A.B';
// A real AS-REQ, as our client's first step writes it.
const asReq = new KerberosClient({ principal: 'alice@A.B' }).step(
  { type: 'start', request: { kind: 'sign-in', password: 'pw' } },
  { now: T0, random: seededRandom(1) },
).send!.bytes;

describe('IAKERB tokens', () => {
  test('IAKERB-HEADER: target-realm [1] as UTF8String (draft) or OCTET STRING (MIT before 1.22), cookie [2]', () => {
    expect(toHex(encodeIakerbHeader({ targetRealm: realm }, 'draft'))).toBe('3007a1050c03412e42');
    expect(toHex(encodeIakerbHeader({ targetRealm: realm }, 'mit-1.20'))).toBe('3007a1050403412e42');
    expect(toHex(encodeIakerbHeader({ targetRealm: realm, cookie: new Uint8Array([9]) }))).toBe(
      '300ca1050c03412e42a2030401' + '09',
    );
  });

  test('a framed token is [APPLICATION 0], the IAKERB OID 1.3.6.1.5.2.5, TOK_ID 05 01, the header, the message', () => {
    const t = encodeIakerbToken({ header: { targetRealm: realm }, message: new Uint8Array(0), framed: true });
    expect(toHex(t)).toBe('6013' + '06062b0601050205' + '0501' + '3007a1050c03412e42');
    const bare = encodeIakerbToken(
      { header: { targetRealm: realm }, message: new Uint8Array(0), framed: false },
      'mit-1.20',
    );
    expect(toHex(bare)).toBe('0501' + '3007a1050403412e42');
    expect(isIakerbProxyToken(t) && isIakerbProxyToken(bare)).toBe(true);
    // An empty realm and message: realm discovery (draft §3.1), decoded as the token alone.
    const discovery = decodeKerberos(
      encodeIakerbToken({ header: { targetRealm: '' }, message: new Uint8Array(0), framed: true }),
    );
    expect(discovery.type).toBe('GSS-API');
    expect(discovery.iakerb?.header.targetRealm).toBe('');
  });

  test('the decoder shows the relayed message inside the token, and reads both dialects', () => {
    const framed = encodeIakerbToken({ header: { targetRealm: realm }, message: asReq, framed: true });
    const d = decodeKerberos(framed);
    expect(d.type).toBe('AS-REQ');
    expect(d.framing).toEqual(['gssapi', 'iakerb']);
    expect(d.tree.children!.map((c) => c.name)).toEqual(['thisMech', 'tok-id', 'IAKERB-HEADER', 'AS-REQ']);
    expect(d.tree.children![2]!.children![0]).toMatchObject({
      name: 'target-realm',
      value: realm,
    });
    const bare = decodeKerberos(
      encodeIakerbToken({ header: { targetRealm: realm }, message: asReq, framed: false }, 'mit-1.20'),
    );
    expect(bare.type).toBe('AS-REQ');
    expect(bare.framing).toEqual(['iakerb']);
    expect(bare.iakerb).toMatchObject({ dialect: 'mit-1.20', framed: false, messageType: 'AS-REQ' });
    expect(bare.tree.children![1]!.children![0]).toMatchObject({ value: realm });
  });

  test('what is not an IAKERB token is a clear DecodeError', () => {
    const notKdc = encodeIakerbToken({
      header: { targetRealm: realm },
      message: fromHex('3000'),
      framed: true,
    });
    expect(() => decodeIakerbToken(notKdc)).toThrow(DecodeError);
    expect(() => decodeIakerbToken(notKdc)).toThrow(
      /carries an AS-REQ, AS-REP, TGS-REQ, TGS-REP or KRB-ERROR/,
    );
    expect(() => decodeIakerbToken(fromHex('0501'))).toThrow(DecodeError);
    expect(() => decodeKerberos(fromHex('05013000'))).toThrow(/target-realm|IAKERB-HEADER|missing/i);
  });
});
