// NTLMv2 against MS-NLMP §4.2.4's published example (User / Domain / Password, server challenge
// 0123456789abcdef, client challenge aa…, time 0, target info Domain and Server).
import { describe, expect, test } from 'vitest';
import {
  avPairs,
  AvId,
  ntlmAuthenticate,
  ntlmChallenge,
  ntlmNegotiate,
  ntlmV2Response,
  ntowfv2,
} from '../../../src/smb2';
import { fromHex, toHex, utf16le } from '../../../src/util';

const serverChallenge = fromHex('0123456789abcdef');
const clientChallenge = fromHex('aaaaaaaaaaaaaaaa');
const targetInfo = avPairs([
  [AvId.NB_DOMAIN, utf16le('Domain')],
  [AvId.NB_COMPUTER, utf16le('Server')],
]);

describe('NTLMv2 (MS-NLMP §4.2.4)', () => {
  test('NTOWFv2, NTProofStr, the session base key and the LMv2 response are the published ones', () => {
    const key = ntowfv2('Password', 'User', 'Domain');
    expect(toHex(key)).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
    const r = ntlmV2Response(key, serverChallenge, clientChallenge, 0n, targetInfo);
    expect(toHex(r.ntProofStr)).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(toHex(r.sessionBaseKey)).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
    expect(toHex(r.lmChallengeResponse)).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
  });

  test('the three messages: signature, type, and fields pointing inside the message', () => {
    const neg = ntlmNegotiate();
    expect(new TextDecoder().decode(neg.subarray(0, 8))).toBe('NTLMSSP\0');
    expect(neg[8]).toBe(1);
    const ch = ntlmChallenge('Domain', serverChallenge, targetInfo);
    expect(ch[8]).toBe(2);
    expect(toHex(ch.subarray(24, 32))).toBe('0123456789abcdef');
    const r = ntlmV2Response(
      ntowfv2('Password', 'User', 'Domain'),
      serverChallenge,
      clientChallenge,
      0n,
      targetInfo,
    );
    const auth = ntlmAuthenticate({
      domain: 'Domain',
      user: 'User',
      workstation: 'COMPUTER',
      response: r,
      encryptedSessionKey: new Uint8Array(16),
    });
    const view = new DataView(auth.buffer);
    const ntLen = view.getUint16(20, true);
    const ntAt = view.getUint32(24, true);
    expect(toHex(auth.subarray(ntAt, ntAt + 16))).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(ntLen).toBe(r.ntChallengeResponse.length);
    const userAt = view.getUint32(40, true);
    expect(new TextDecoder('utf-16le').decode(auth.subarray(userAt, userAt + view.getUint16(36, true)))).toBe(
      'User',
    );
  });
});
