// NTLMv2 against MS-NLMP §4.2.4's published example (User / Domain / Password, server challenge
// 0123456789abcdef, client challenge aa…, time 0, target info Domain and Server).
import { describe, expect, test } from 'vitest';
import { hmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import {
  avPairs,
  AvId,
  ntlmAuthenticate,
  ntlmChallenge,
  ntlmNegotiate,
  ntlmV2Response,
  ntowfv2,
  ntlmClientAuthenticate,
  ntlmServerChallenge,
  ntlmVerify,
  NtlmFormatError,
  readAuthenticate,
  readChallenge,
  STATUS_INVALID_PARAMETER,
  withMic,
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

describe('the storage account key sign-in: client and server', () => {
  const negotiate = ntlmNegotiate();
  const challenge = ntlmServerChallenge(
    'CONTOSOFILES',
    'contosofiles.file.core.windows.net',
    serverChallenge,
    0,
  );
  const exportedSessionKey = fromHex('00112233445566778899aabbccddeeff');
  const authenticate = (password: string) =>
    ntlmClientAuthenticate({
      password,
      user: 'contosofiles',
      domain: 'localhost',
      workstation: 'ADM1',
      negotiate,
      challenge,
      clientChallenge,
      exportedSessionKey,
      now: 0,
    });
  const verify = (auth: Uint8Array, password = 'K3y') =>
    ntlmVerify(password, serverChallenge, { negotiate, challenge, authenticate: auth });

  test('the server finds the NTProofStr and the MIC right and recovers the exported session key', () => {
    const auth = authenticate('K3y');
    expect(readChallenge(challenge).challenge).toEqual(serverChallenge);
    expect(readAuthenticate(auth)).toMatchObject({ user: 'contosofiles', domain: 'localhost' });
    expect(verify(auth)).toEqual({ exportedSessionKey, user: 'contosofiles', domain: 'localhost' });
  });

  test('the NTLMv2 blob carries MsvAvFlags (MIC) and the server timestamp; no LMv2 response with a timestamp', () => {
    const a = readAuthenticate(authenticate('K3y'));
    const blob = a.ntChallengeResponse.subarray(16);
    // the timestamp is the server's (FILETIME of time 0: 1970-01-01), then the client challenge
    expect(toHex(blob.subarray(8, 16))).toBe('00803ed5deb19d01');
    expect(toHex(blob.subarray(16, 24))).toBe(toHex(clientChallenge));
    // MsvAvFlags = 2 (a MIC follows) among the pairs
    expect(toHex(blob)).toContain('0600040002000000');
    const auth = authenticate('K3y');
    const view = new DataView(auth.buffer);
    const lm = auth.subarray(view.getUint32(16, true), view.getUint32(16, true) + view.getUint16(12, true));
    expect(lm).toEqual(new Uint8Array(24));
  });

  test('without NEGOTIATE_KEY_EXCH the exported session key is the session base key, whatever key was sent', () => {
    const auth = authenticate('K3y');
    const view = new DataView(auth.buffer);
    view.setUint32(60, view.getUint32(60, true) & ~0x40000000, true); // NegotiateFlags, §2.2.1.3
    const nt = readAuthenticate(auth).ntChallengeResponse;
    const sessionBaseKey = hmac(md5, ntowfv2('K3y', 'contosofiles', 'localhost'), nt.subarray(0, 16));
    const signed = withMic(sessionBaseKey, negotiate, challenge, auth);
    expect(verify(signed)).toEqual({
      exportedSessionKey: sessionBaseKey,
      user: 'contosofiles',
      domain: 'localhost',
    });
    expect(sessionBaseKey).not.toEqual(exportedSessionKey);
  });

  test('a wrong key, a changed byte of the proof, or a changed MIC is refused', () => {
    expect(verify(authenticate('not the key'))).toBeUndefined();
    const auth = authenticate('K3y');
    const ntAt = new DataView(auth.buffer).getUint32(24, true);
    const proof = auth.slice();
    proof[ntAt] = proof[ntAt]! ^ 1;
    expect(verify(proof)).toBeUndefined();
    const mic = auth.slice();
    mic[72] = mic[72]! ^ 1;
    expect(verify(mic)).toBeUndefined();
  });

  /** An AUTHENTICATE for the account key over this target info, with this sealed session key. */
  const crafted = (info: Uint8Array, encryptedSessionKey: Uint8Array) => {
    const key = ntowfv2('K3y', 'contosofiles', 'localhost');
    const response = ntlmV2Response(key, serverChallenge, clientChallenge, 0n, info);
    return ntlmAuthenticate({
      domain: 'localhost',
      user: 'contosofiles',
      workstation: 'ADM1',
      response,
      encryptedSessionKey,
    });
  };

  /** A typed refusal a server answers with STATUS_INVALID_PARAMETER (a malformed message, not a wrong key). */
  const invalidParameter = (f: () => unknown, words: RegExp) => {
    let thrown: unknown;
    try {
      f();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(NtlmFormatError);
    expect((thrown as NtlmFormatError).status).toBe(STATUS_INVALID_PARAMETER);
    expect((thrown as Error).message).toMatch(words);
  };

  test('with NEGOTIATE_KEY_EXCH set, an EncryptedRandomSessionKey that is not 16 bytes is refused as malformed', () => {
    for (const size of [0, 15, 17, 32]) {
      const auth = crafted(targetInfo, new Uint8Array(size));
      const signed = withMic(new Uint8Array(16), negotiate, challenge, auth);
      invalidParameter(
        () => verify(signed),
        new RegExp(`EncryptedRandomSessionKey has ${size} bytes, not 16`),
      );
    }
  });

  test('an MsvAvTimestamp that is not 8 bytes is refused: by the client in a CHALLENGE, by the server in the NTLMv2 blob', () => {
    const badInfo = avPairs([
      [AvId.NB_COMPUTER, utf16le('CONTOSOFILES')],
      [AvId.TIMESTAMP, new Uint8Array(4)],
    ]);
    const badChallenge = ntlmChallenge('CONTOSOFILES', serverChallenge, badInfo);
    const client = () =>
      ntlmClientAuthenticate({
        password: 'K3y',
        user: 'contosofiles',
        domain: 'localhost',
        workstation: 'ADM1',
        negotiate,
        challenge: badChallenge,
        clientChallenge,
        exportedSessionKey,
        now: 0,
      });
    invalidParameter(client, /MsvAvTimestamp pair at offset 28 has 4 bytes; a FILETIME is 8/);
    // a client that echoes it anyway: the server reads its blob's pairs before the proof
    const auth = crafted(badInfo, new Uint8Array(16));
    invalidParameter(() => verify(auth), /MsvAvTimestamp pair at offset 28 has 4 bytes/);
  });
});
