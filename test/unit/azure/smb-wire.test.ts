// SET_INFO on the wire carries the descriptor the client sent, whatever the server answers: a refused
// SET_INFO still shows the DACL icacls wrote, not the empty one of a reply that carries none. A malformed
// NTLMSSP AUTHENTICATE is answered STATUS_INVALID_PARAMETER, as Windows answers it, not thrown through.
import { describe, expect, test } from 'vitest';
import { smbFileRequest, smbListener } from '../../../src/azure/smb';
import { wireNtlmSessionSetup } from '../../../src/azure/smb-wire';
import { sessionFor } from '../../../src/azure/files-server';
import { READ } from '../../../src/azure/files-authz';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import {
  decodeHeader,
  decryptMessage,
  ntlmClientAuthenticate,
  ntlmNegotiate,
  NtStatus,
} from '../../../src/smb2';
import { encodeBinarySid } from '../../../src/formats';
import { toHex } from '../../../src/util';

/** The self-relative descriptor of a SET_INFO request (MS-SMB2 §2.2.39: its buffer at offset 96). */
function setInfoDescriptor(message: Uint8Array): { aces: number; bytes: Uint8Array } {
  const v = new DataView(message.buffer, message.byteOffset, message.byteLength);
  expect(v.getUint16(12, true)).toBe(0x11); // SMB2 SET_INFO
  const sd = message.subarray(
    v.getUint16(64 + 8, true),
    v.getUint16(64 + 8, true) + v.getUint32(64 + 4, true),
  );
  const acl = new DataView(
    sd.buffer,
    sd.byteOffset + new DataView(sd.buffer, sd.byteOffset).getUint32(16, true),
  );
  return { aces: acl.getUint16(4, true), bytes: sd };
}

describe('SET_INFO on the wire', () => {
  test("a refused SET_INFO carries the object's DACL with icacls' ACE, as an accepted one does", () => {
    const { world } = runScenario(findScenario('ntfs-deny') as Scenario);
    const svc = world.services.find((s) => s.id === 'contosofiles')!;
    const session = sessionFor(svc, 'adm1', 'profiles')!;
    const at = { share: 'profiles', path: 'report.docx' };
    const held = smbFileRequest(
      world,
      'adm1',
      svc,
      { op: 'query-info', session: session.id, ...at },
      'query',
    );
    expect(held?.acl?.length).toBeGreaterThan(0);
    const ace = { type: 'allow' as const, sid: 'S-1-1-0', mask: READ, inherit: false };
    // a session id the server does not hold: STATUS_USER_SESSION_DELETED, no descriptor in the reply
    const refused = smbFileRequest(world, 'adm1', svc, { op: 'set-info', session: 999, ...at, ace }, 'set');
    expect(refused?.status).toBe('STATUS_USER_SESSION_DELETED');
    const keys = world.smbConnection('adm1', svc.id)!.session!.keys!;
    const sealed = world.trace.filter((e) => e.smb2).at(-2)!.smb2!;
    const sent = setInfoDescriptor(decryptMessage(sealed, keys.encryptionKey));
    expect(sent.aces).toBe(held!.acl!.length + 1);
    expect(toHex(sent.bytes)).toContain(toHex(encodeBinarySid('S-1-1-0')));
  });
});

describe('SESSION_SETUP with a malformed NTLMSSP AUTHENTICATE', () => {
  /**
   * ntfs-deny's admin signs in with the storage account key over the listener, the AUTHENTICATE altered
   * by `spoil` before it is sent; the server's answer is put on the wire as the client's sign-in does.
   */
  function signIn(spoil: (authenticate: Uint8Array) => Uint8Array) {
    const { world } = runScenario(findScenario('ntfs-deny') as Scenario);
    const svc = world.services.find((s) => s.id === 'contosofiles')!;
    const at = { host: svc.host, port: svc.port, transport: 'smb' as const };
    const opts = { timeout: 1000, connected: true, modelled: true };
    const step = { type: 'SMB2 SESSION_SETUP', result: 'NTLMSSP' };
    const negotiate = ntlmNegotiate();
    const first = world.roundTrip(
      'adm1',
      at,
      smbListener,
      { op: 'ntlm-challenge', host: 'adm1' },
      step,
      opts,
    );
    if (!first.ok) throw new Error(`no CHALLENGE: ${first.failure.text}`);
    const challenge = first.value.challenge!;
    const authenticate = spoil(
      ntlmClientAuthenticate({
        password: svc.smb!.azure!.accountKey!,
        user: 'contosofiles',
        domain: 'localhost',
        workstation: 'ADM1',
        negotiate,
        challenge,
        clientChallenge: new Uint8Array(8).fill(1),
        exportedSessionKey: new Uint8Array(16).fill(2),
        now: world.now,
      }),
    );
    const req = { op: 'account-key' as const, host: 'adm1', negotiate, authenticate };
    const trip = world.roundTrip('adm1', at, smbListener, req, step, opts);
    if (!trip.ok) throw new Error(`no answer to AUTHENTICATE: ${trip.failure.text}`);
    wireNtlmSessionSetup(world, 'adm1', svc, { negotiate, challenge, authenticate }, trip.value, [
      first,
      trip,
    ]);
    return { world, trip };
  }

  /** The server refused with STATUS_INVALID_PARAMETER for `why`: traced, System error 87, on the wire. */
  function invalidParameter({ world, trip }: ReturnType<typeof signIn>, why: RegExp) {
    expect(trip.value).toMatchObject({ ok: false, windowsError: 87, status: NtStatus.INVALID_PARAMETER });
    expect(trip.reply.type).toBe('SMB2 SESSION_SETUP');
    const result = trip.reply.result ?? '';
    expect(result.slice(0, 39)).toBe('STATUS_INVALID_PARAMETER (0xC000000D): ');
    expect(result.slice(39)).toMatch(why);
    expect(world.noteOf(trip.reply.seq)?.windowsError).toBe(87);
    const response = world.trace.find((e) => e.seq === trip.reply.seq)!.smb2!;
    expect(decodeHeader(response).status).toBe(0xc000000d);
  }

  test('NEGOTIATE_KEY_EXCH with an EncryptedRandomSessionKey of 5 bytes: STATUS_INVALID_PARAMETER', () => {
    const run = signIn((authenticate) => {
      const v = new DataView(authenticate.buffer, authenticate.byteOffset);
      v.setUint16(52, 5, true);
      v.setUint16(54, 5, true);
      return authenticate;
    });
    invalidParameter(
      run,
      /^NTLMSSP AUTHENTICATE: NEGOTIATE_KEY_EXCH is set but the EncryptedRandomSessionKey has 5 bytes, not 16 \(MS-NLMP §2\.2\.1\.3\)$/,
    );
  });

  test('an AUTHENTICATE cut short: STATUS_INVALID_PARAMETER, not an error thrown through the server', () => {
    const run = signIn((authenticate) => authenticate.slice(0, 40));
    invalidParameter(
      run,
      /^NTLMSSP AUTHENTICATE: NtChallengeResponse at offset \d+ needs \d+ bytes, but the message has 40$/,
    );
  });

  test('a well-formed AUTHENTICATE still signs in', () => {
    const { trip } = signIn((authenticate) => authenticate);
    expect(trip.value.ok).toBe(true);
    expect(trip.reply.result).toMatch(/^NTLMv2: the NTProofStr matches the storage account key/);
  });
});
