// src/smb2 on its own: what each message says in its header and body, the preauth hash and the keys of
// a session, signing and sealing both ways, and the typed errors for bytes that are not what they claim.
// (tshark reads the same bytes in test/interop/smb2-capture.test.ts.)
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  Command,
  decodeHeader,
  decryptMessage,
  deriveSessionKeys,
  encryptMessage,
  exchange,
  negotiate,
  NtStatus,
  preauthNext,
  PREAUTH_START,
  sessionKeyFromGss,
  sessionSetup,
  signMessage,
  Smb2Error,
  smb2Kdf,
  SigningAlgorithm,
  treeConnect,
  verifySignature,
  connectionSeed,
  createRequest,
  Access,
  Disposition,
  CreateOption,
} from '../../../src/smb2';
import { encodeKrb5GssToken, TOK_ID } from '../../../src/asn1/gssapi';

const seed = connectionSeed('ws1', 'files', '14');
const apReq = encodeKrb5GssToken({ tokId: TOK_ID.KRB_AP_REQ, krbMessage: new Uint8Array([0x6e, 0x00]) });
const apRep = new Uint8Array([0x6f, 0x00]);
const gssKey = new Uint8Array(32).map((_, i) => i + 1);

function opened(encrypt: boolean) {
  const { state, exchange: neg } = negotiate(seed, Date.UTC(2026, 2, 2, 8));
  const setup = sessionSetup(state, apReq, { ok: true, apRep, gssKey, encrypt });
  return { state, neg, setup };
}

describe('NEGOTIATE and SESSION_SETUP', () => {
  test('headers: commands, message ids, the response flag and the session id the server gives', () => {
    const { neg, setup } = opened(true);
    const h = [neg.request, neg.response, setup.request, setup.response].map(decodeHeader);
    expect(h.map((x) => [x.command, Number(x.messageId), x.flags & 1])).toEqual([
      [Command.NEGOTIATE, 0, 0],
      [Command.NEGOTIATE, 0, 1],
      [Command.SESSION_SETUP, 1, 0],
      [Command.SESSION_SETUP, 1, 1],
    ]);
    expect(h[2]!.sessionId).toBe(0n);
    expect(h[3]!.sessionId.toString(16).padStart(16, '0')).toBe(setup.sessionId);
    // the request offers 3.1.1 among five dialects; the response chose it
    const view = new DataView(neg.response.buffer);
    expect(view.getUint16(64 + 4, true)).toBe(0x0311);
    expect(view.getUint16(64 + 2, true) & 1).toBe(1); // signing enabled
  });

  test('the session key is the GSS key cut to 16 bytes; the keys come from the preauth hash over NEGOTIATE and the SESSION_SETUP request', () => {
    const { neg, setup } = opened(false);
    expect(setup.sessionKey).toEqual(gssKey.subarray(0, 16));
    expect(sessionKeyFromGss(new Uint8Array([1, 2]))).toEqual(
      new Uint8Array([1, 2, ...new Array(14).fill(0)]),
    );
    // the preauth hash, computed here with node's SHA-512: H(H(H(0, neg req), neg resp), setup req)
    let h = new Uint8Array(64);
    for (const m of [neg.request, neg.response, setup.request]) {
      h = new Uint8Array(createHash('sha512').update(h).update(m).digest());
    }
    expect(
      preauthNext(preauthNext(preauthNext(PREAUTH_START, neg.request), neg.response), setup.request),
    ).toEqual(h);
    // SP800-108 counter mode with HMAC-SHA256, computed here with node's HMAC
    const label = 'SMBSigningKey\0';
    const input = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      Buffer.from(label),
      Buffer.from([0]),
      h,
      Buffer.from([0, 0, 0, 128]),
    ]);
    const expected = new Uint8Array(
      createHmac('sha256', setup.sessionKey!).update(input).digest().subarray(0, 16),
    );
    const keys = deriveSessionKeys(setup.sessionKey!, h);
    expect(keys.signingKey).toEqual(expected);
    expect(smb2Kdf(setup.sessionKey!, label, h)).toEqual(expected);
    expect(
      new Set(
        [keys.signingKey, keys.encryptionKey, keys.decryptionKey].map((k) => Buffer.from(k).toString('hex')),
      ).size,
    ).toBe(3);
    // the final response is signed with that key (CMAC: the server's choice)
    expect(decodeHeader(setup.response).flags & 0x8).toBe(8);
    expect(verifySignature(setup.response, SigningAlgorithm.AES_CMAC, keys.signingKey)).toBe(true);
  });

  test('a refused AP-REQ: STATUS_LOGON_FAILURE in an ERROR response, no session key', () => {
    const { state } = negotiate(seed, 0);
    const out = sessionSetup(state, apReq, { ok: false, status: NtStatus.LOGON_FAILURE });
    expect(decodeHeader(out.response).status).toBe(NtStatus.LOGON_FAILURE);
    expect(out.response.length).toBe(64 + 9);
    expect(out.sessionKey).toBeUndefined();
    expect(() => exchange(state, Command.TREE_CONNECT, new Uint8Array(9), { status: 0 })).toThrow(
      /no SMB2 session is set up on this connection/,
    );
  });
});

describe('after SESSION_SETUP: sealed or signed', () => {
  test('Azure Files: TREE_CONNECT both ways in a TRANSFORM_HEADER that opens with the direction’s key', () => {
    const { state, setup } = opened(true);
    const keys = state.session!.keys!;
    const out = treeConnect(state, '\\\\contosofiles.file.core.windows.net\\profiles', true);
    expect(Array.from(out.request.subarray(0, 4))).toEqual([0xfd, 0x53, 0x4d, 0x42]);
    const req = decryptMessage(out.request, keys.encryptionKey);
    const resp = decryptMessage(out.response, keys.decryptionKey);
    expect(decodeHeader(req).command).toBe(Command.TREE_CONNECT);
    expect(decodeHeader(resp).treeId).toBe(1);
    expect(decodeHeader(resp).sessionId.toString(16).padStart(16, '0')).toBe(setup.sessionId);
    expect(() => decryptMessage(out.request, keys.decryptionKey)).toThrow(/AES-128-GCM tag does not match/);
    const flipped = out.response.slice();
    flipped[60]! ^= 1;
    expect(() => decryptMessage(flipped, keys.decryptionKey)).toThrow(Smb2Error);
    // every sealed message has its own nonce
    expect(Buffer.from(out.request.subarray(20, 32)).equals(Buffer.from(out.response.subarray(20, 32)))).toBe(
      false,
    );
  });

  test('a share on-prem: messages signed, an unknown share is STATUS_BAD_NETWORK_NAME', () => {
    const { state } = opened(false);
    const keys = state.session!.keys!;
    const out = treeConnect(state, '\\\\fs1\\nope', false);
    expect(decodeHeader(out.response).status).toBe(NtStatus.BAD_NETWORK_NAME);
    expect(verifySignature(out.request, SigningAlgorithm.AES_CMAC, keys.signingKey)).toBe(true);
    expect(verifySignature(out.response, SigningAlgorithm.AES_CMAC, keys.signingKey)).toBe(true);
    const create = exchange(
      state,
      Command.CREATE,
      createRequest({
        name: 'a.txt',
        desiredAccess: Access.GENERIC_READ,
        disposition: Disposition.OPEN,
        createOptions: CreateOption.NON_DIRECTORY_FILE,
      }),
      { status: NtStatus.ACCESS_DENIED },
    );
    expect(decodeHeader(create.response).status).toBe(NtStatus.ACCESS_DENIED);
    expect(decodeHeader(create.request).messageId).toBe(3n);
  });

  test('GMAC signs and verifies too; a changed byte fails either algorithm', () => {
    const msg = new Uint8Array(80).fill(7);
    msg.set([0xfe, 0x53, 0x4d, 0x42]);
    const key = new Uint8Array(16).fill(9);
    for (const alg of [SigningAlgorithm.AES_CMAC, SigningAlgorithm.AES_GMAC]) {
      const signed = signMessage(msg, alg, key);
      expect(verifySignature(signed, alg, key)).toBe(true);
      const bad = signed.slice();
      bad[70]! ^= 1;
      expect(verifySignature(bad, alg, key)).toBe(false);
    }
    expect(() => signMessage(msg, 0, key)).toThrow(
      /signing algorithm 0 is not one this playground signs with/,
    );
  });
});

describe('bytes that are not what they claim: typed errors, never a crash', () => {
  test('not SMB2, cut short, a wrong key length, a bad nonce', () => {
    expect(() => decodeHeader(new Uint8Array([0x30, 0x82, 0, 0]))).toThrow(
      /not an SMB2 message: it starts 30 82 00 00/,
    );
    expect(() => decodeHeader(new Uint8Array([0xfe, 0x53, 0x4d, 0x42, 64]))).toThrow(
      /needs 2 bytes, but the message has 5/,
    );
    expect(() => smb2Kdf(new Uint8Array(32), 'SMBSigningKey\0', new Uint8Array(64))).toThrow(
      /16 bytes, not 32/,
    );
    expect(() => encryptMessage(new Uint8Array(64), new Uint8Array(16), new Uint8Array(11), 1n)).toThrow(
      /12 bytes, not 11/,
    );
    expect(() => decryptMessage(new Uint8Array([0xfd, 0x53, 0x4d, 0x42, 1, 2]), new Uint8Array(16))).toThrow(
      Smb2Error,
    );
    expect(() => decryptMessage(new Uint8Array(60), new Uint8Array(16))).toThrow(
      /not an SMB2 TRANSFORM_HEADER/,
    );
  });
});
