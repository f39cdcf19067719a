// The AP exchange from the client's side: the test plays the service with its long-term key, opens the
// AP-REQ the client built, and answers with AP-REPs, good and bad.
import { describe, expect, test } from 'vitest';
import {
  decodeApReq,
  decodeAuthenticator,
  decodeEncTicketPart,
  decodeKrb5GssToken,
  encodeApRep,
  encodeEncApRepPart,
  encodeKrb5GssToken,
  encodeKrbError,
  TOK_ID,
  type Authenticator,
  type EncTicketPart,
} from '../../../src/asn1';
import { ApOption, MessageType } from '../../../src/asn1/registry';
import {
  decrypt,
  encrypt,
  KeyUsage,
  randomKey,
  stringToKey,
  verifyChecksum,
  type Key,
} from '../../../src/crypto';
import {
  acceptApRep,
  ApError,
  buildApReq,
  GSS_CHECKSUM_TYPE,
  GssFlag,
  sessionWithoutApRep,
  type CachedCredential,
} from '../../../src/client';
import { toHex } from '../../../src/util/bytes';
import { config, REALM } from './config';
import { Host, Net, seededRandom, T0 } from './net';

const fs1Key = stringToKey(18, 'fs1-pw', `${REALM}cifsfs1.example.test`);

function serviceTicket(): CachedCredential {
  const h = new Host(new Net(config), { principal: `alice@${REALM}` });
  const a = h.run({ kind: 'sign-in', password: 'alice-pw' }).result;
  if (!a.ok) throw a.error;
  const r = h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' }).result;
  if (!r.ok) throw r.error;
  return r.credential;
}

/** What the service does with its key (RFC 4120 §3.2.3): open the ticket, then the authenticator. */
function accept(
  apReqBytes: Uint8Array,
  serviceKey: Key,
): { ticket: EncTicketPart; auth: Authenticator; session: Key } {
  const apReq = decodeApReq(apReqBytes);
  const ticket = decodeEncTicketPart(
    decrypt(serviceKey, KeyUsage.KDC_REP_TICKET, apReq.ticket.encPart.cipher),
  );
  const session = { etype: ticket.key.keytype, bytes: ticket.key.keyvalue };
  const auth = decodeAuthenticator(decrypt(session, KeyUsage.AP_REQ_AUTH, apReq.authenticator.cipher));
  return { ticket, auth, session };
}

function apRep(
  session: Key,
  echo: { ctime: Date; cusec: number },
  subkey?: Key,
  seqNumber?: number,
): Uint8Array {
  const part = encodeEncApRepPart({
    ctime: echo.ctime,
    cusec: echo.cusec,
    ...(subkey ? { subkey: { keytype: subkey.etype, keyvalue: subkey.bytes } } : {}),
    ...(seqNumber !== undefined ? { seqNumber } : {}),
  });
  const cipher = encrypt(session, KeyUsage.AP_REP_ENCPART, part, seededRandom(77));
  return encodeApRep({ pvno: 5, msgType: MessageType.AP_REP, encPart: { etype: session.etype, cipher } });
}

describe('AP-REQ and AP-REP (RFC 4120 §3.2, RFC 4121 §4.1)', () => {
  test('the AP-REQ asks for mutual authentication, with a subkey, a sequence number and the 0x8003 checksum', () => {
    const cred = serviceTicket();
    const built = buildApReq(cred, {}, { now: T0 + 5000, random: seededRandom(21) });
    const gss = decodeKrb5GssToken(built.token);
    expect(gss.tokId).toBe(TOK_ID.KRB_AP_REQ);
    expect(gss.krbMessage).toEqual(built.apReq);
    expect(decodeApReq(built.apReq).apOptions & ApOption.MUTUAL_REQUIRED).toBeTruthy();

    const { ticket, auth, session } = accept(built.apReq, fs1Key);
    expect(ticket.cname.nameString).toEqual(['alice']);
    expect(session.bytes).toEqual(cred.sessionKey.bytes);
    expect(auth.cname.nameString).toEqual(['alice']);
    expect(auth.crealm).toBe(REALM);
    expect(auth.ctime.getTime()).toBe(T0 + 5000);
    expect(auth.cksum!.cksumtype).toBe(GSS_CHECKSUM_TYPE);
    // Lgth 16 (LE), Bnd: 16 zero bytes (no channel bindings), Flags 0x3e (LE): mutual replay sequence conf integ
    expect(toHex(auth.cksum!.checksum)).toBe('10000000' + '00'.repeat(16) + '3e000000');
    expect(auth.subkey!.keyvalue).toEqual(built.context.subkey!.bytes);
    expect(auth.seqNumber).toBe(built.context.seqNumber);
    expect(built.events[0]!.text).toMatch(
      /GSS-API checksum 0x8003 \(flags 0x3e\); mutual authentication required/,
    );

    // The service answers with its own subkey and sequence number.
    const serverSubkey = randomKey(18, seededRandom(5));
    const rep = apRep(session, auth, serverSubkey, 4242);
    const { session: s, events } = acceptApRep(built.context, rep);
    expect(s.mutual).toBe(true);
    expect(s.acceptorSubkey!.bytes).toEqual(serverSubkey.bytes);
    expect(s.key.bytes).toEqual(serverSubkey.bytes);
    expect(s.initiatorSubkey!.bytes).toEqual(built.context.subkey!.bytes);
    expect(s.recvSeq).toBe(4242);
    expect(s.sendSeq).toBe(built.context.seqNumber);
    expect(events[0]!.text).toMatch(/proved it holds its key/);
    // The same AP-REP inside a GSS-API token is accepted as well.
    const wrapped = encodeKrb5GssToken({ tokId: TOK_ID.KRB_AP_REP, krbMessage: rep });
    expect(acceptApRep(built.context, wrapped).session.recvSeq).toBe(4242);
  });

  test('a wrong AP-REP is refused: another time echoed, another key, or a KRB-ERROR from the service', () => {
    const cred = serviceTicket();
    const built = buildApReq(cred, {}, { now: T0 + 5000, random: seededRandom(22) });
    const { auth, session } = accept(built.apReq, fs1Key);
    const later = { ctime: new Date(auth.ctime.getTime() + 1000), cusec: auth.cusec };
    expect(() => acceptApRep(built.context, apRep(session, later))).toThrow(/mutual authentication failed/);
    const impostor = randomKey(18, seededRandom(8));
    const err = (() => {
      try {
        acceptApRep(built.context, apRep(impostor, auth));
      } catch (e) {
        return e as ApError;
      }
    })();
    expect(err).toBeInstanceOf(ApError);
    expect(err!.code).toBe(31);
    expect(err!.message).toMatch(/does not decrypt with the session key \(key usage 12\)/);
    const refusal = encodeKrbError({
      pvno: 5,
      msgType: MessageType.KRB_ERROR,
      stime: new Date(T0),
      susec: 0,
      errorCode: 37,
      realm: REALM,
      sname: { nameType: 3, nameString: ['cifs', 'fs1.example.test'] },
      eText: 'clock skew too great',
    });
    expect(() => acceptApRep(built.context, refusal)).toThrow(
      /refused our AP-REQ: "clock skew too great" \(KRB_AP_ERR_SKEW, 37\)/,
    );
  });

  test('a plain authenticator checksum is a keyed checksum of the application data (key usage 10)', () => {
    const cred = serviceTicket();
    const data = new TextEncoder().encode('channel data');
    const built = buildApReq(
      cred,
      { checksum: { type: 'plain', data }, mutual: false, subkey: false, sequenceNumber: false },
      { now: T0 + 5000, random: seededRandom(23) },
    );
    expect(built.token).toEqual(built.apReq);
    expect(decodeApReq(built.apReq).apOptions).toBe(0);
    const { auth, session } = accept(built.apReq, fs1Key);
    expect(auth.subkey).toBeUndefined();
    expect(auth.seqNumber).toBeUndefined();
    expect(
      verifyChecksum(auth.cksum!.cksumtype, session, KeyUsage.AP_REQ_AUTH_CKSUM, data, auth.cksum!.checksum),
    ).toBe(true);
    const s = sessionWithoutApRep(built.context);
    expect(s.mutual).toBe(false);
    expect(s.key.bytes).toEqual(cred.sessionKey.bytes);
  });

  test('GSS flags and channel bindings go into the 0x8003 checksum as given', () => {
    const cred = serviceTicket();
    const bnd = new Uint8Array(16).fill(0xab);
    const built = buildApReq(
      cred,
      { checksum: { type: 'gss', flags: GssFlag.MUTUAL | GssFlag.INTEG, channelBindings: bnd } },
      { now: T0, random: seededRandom(24) },
    );
    const { auth } = accept(built.apReq, fs1Key);
    expect(toHex(auth.cksum!.checksum)).toBe('10000000' + 'ab'.repeat(16) + '22000000');
  });
});
