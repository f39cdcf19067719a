// The KDC, specified by behaviour: each test drives it with requests built as real clients build them
// (test/unit/kdc/helper.ts) and checks the reply bytes, decoded with the wire layer.
import { describe, expect, test } from 'vitest';
import {
  decodeKerberos,
  encodeAuthorizationData,
  encodeEncTicketPart,
  encodePaPacRequest,
  type KdcReqBody,
} from '../../../src/asn1';
import { ErrorCode, KdcOption, TicketFlag } from '../../../src/asn1/registry';
import { encrypt, KeyUsage, stringToKey } from '../../../src/crypto';
import { decodePac, findPacBuffer, verifyPac } from '../../../src/formats';
import { findPacIn } from '../../../src/protocol/authdata';
import { buildKdcState, Kdc, KdcConfigError, type KdcConfig } from '../../../src/kdc';
import { krbtgtName } from '../../../src/asn1/principal';
import { fromUtf8 } from '../../../src/util/bytes';
import {
  asReq,
  encTimestamp,
  etypeInfoFromError,
  expectError,
  expectRep,
  HOUR,
  hostName,
  makeKdc,
  name,
  openAsRep,
  openTgsRep,
  openTicket,
  randomKey,
  seededRandom,
  signIn,
  T0,
  tgsReq,
} from './helper';

const MIN = 60_000;
const REALM = 'EXAMPLE.TEST';

const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      krbtgtPassword: 'krbtgt-secret',
      principals: [
        { name: 'alice', password: 'alice-pw', sid: 'S-1-5-21-1-2-3-1104', groups: ['S-1-5-21-1-2-3-513'] },
        { name: 'bob', password: 'bob-pw', requiresPreauth: false },
        { name: 'old', password: 'old-pw', etypes: [23] },
        { name: 'gone', password: 'gone-pw', disabled: true },
        { name: 'cifs/fs1.example.test', password: 'fs1-pw' },
        { name: 'http/web.example.test', password: 'web-pw', etypes: [17] },
      ],
      hostRealm: { '.other.test': 'OTHER.TEST', '.third.test': 'THIRD.TEST' },
    },
    { name: 'OTHER.TEST', principals: [{ name: 'cifs/fs2.other.test', password: 'fs2-pw' }] },
    { name: 'THIRD.TEST', principals: [{ name: 'cifs/fs3.third.test', password: 'fs3-pw' }] },
  ],
  trusts: [
    { from: REALM, to: 'OTHER.TEST', password: 'trust-1' },
    { from: 'OTHER.TEST', to: 'THIRD.TEST', password: 'trust-2' },
  ],
};

const aliceKey = stringToKey(18, 'alice-pw', `${REALM}alice`);
const fs1Key = stringToKey(18, 'fs1-pw', `${REALM}cifsfs1.example.test`);

function fresh(seed = 1) {
  return { kdc: makeKdc(config, seed), random: seededRandom(seed + 100) };
}

describe('AS exchange (RFC 4120 §3.1)', () => {
  test('asks for pre-authentication with the salt, then issues a TGT for the right password', () => {
    const { kdc, random } = fresh();
    const first = kdc.handle(asReq({ realm: REALM, cname: name('alice') }), { now: T0, random });
    const err = expectError(first.reply);
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_PREAUTH_REQUIRED);
    expect(err.stime.getTime()).toBe(T0);
    expect(etypeInfoFromError(err)[0]).toMatchObject({ etype: 18, salt: 'EXAMPLE.TESTalice' });
    expect(first.events.some((e) => e.stage === 'preauth' && !e.ok)).toBe(true);

    const second = kdc.handle(
      asReq({ realm: REALM, cname: name('alice'), padata: [encTimestamp(aliceKey, T0 + 12_000, random)] }),
      {
        now: T0,
        random,
      },
    );
    const creds = openAsRep(second.reply, aliceKey);
    expect(creds.rep.cname.nameString).toEqual(['alice']);
    expect(creds.part.sname.nameString).toEqual(['krbtgt', REALM]);
    expect(creds.part.nonce).toBe(12345);
    expect(creds.part.flags & TicketFlag.INITIAL).toBeTruthy();
    expect(creds.part.flags & TicketFlag.PRE_AUTHENT).toBeTruthy();
    expect(creds.part.flags & TicketFlag.FORWARDABLE).toBeTruthy();
    expect(creds.part.endtime.getTime() - creds.part.authtime.getTime()).toBe(10 * HOUR);
    expect(creds.part.renewTill!.getTime() - T0).toBe(7 * 24 * HOUR);
    // the TGT opens with the krbtgt key and carries the same session key
    const krbtgt = stringToKey(18, 'krbtgt-secret', `${REALM}krbtgt${REALM}`);
    const tkt = openTicket(creds.ticket, krbtgt);
    expect(tkt.key.keyvalue).toEqual(creds.sessionKey.bytes);
    expect(tkt.cname.nameString).toEqual(['alice']);
    expect(second.events.map((e) => e.text).join('\n')).toMatch(
      /timestamp decrypts with alice@EXAMPLE.TEST's aes256-cts-hmac-sha1-96 key and is 12s off, within 5m/,
    );
  });

  test('a wrong password is KDC_ERR_PREAUTH_FAILED (24)', () => {
    const { kdc, random } = fresh();
    const wrong = stringToKey(18, 'not-the-password', `${REALM}alice`);
    const r = kdc.handle(
      asReq({ realm: REALM, cname: name('alice'), padata: [encTimestamp(wrong, T0, random)] }),
      { now: T0, random },
    );
    const err = expectError(r.reply);
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_PREAUTH_FAILED);
    expect(err.eText).toMatch(/wrong password/);
  });

  test('the result says what the request asked and which ticket it issued, so no one decodes them again', () => {
    const { kdc, random } = fresh();
    const options = KdcOption.FORWARDABLE | KdcOption.RENEWABLE;
    const padata = [encTimestamp(aliceKey, T0, random)];
    const ok = kdc.handle(asReq({ realm: REALM, cname: name('alice'), options, padata }), {
      now: T0,
      random,
    });
    expect(ok.request).toEqual({
      type: 'AS-REQ',
      realm: REALM,
      cname: name('alice'),
      sname: krbtgtName(REALM),
      kdcOptions: options,
      encTimestamp: true,
    });
    expect(ok.ticket).toEqual(expectRep(ok.reply).ticket);
    // a refusal still says what was asked, and carries no ticket
    const bare = kdc.handle(asReq({ realm: REALM, cname: name('alice') }), { now: T0, random });
    expect(bare.replyType).toBe('KRB-ERROR');
    expect(bare.request).toMatchObject({ type: 'AS-REQ', encTimestamp: false });
    expect(bare.ticket).toBeUndefined();
    // bytes that are no request: nothing to say
    expect(kdc.handle(new Uint8Array([0x30, 0x00]), { now: T0, random }).request).toBeUndefined();
  });

  test('an unknown client is KDC_ERR_C_PRINCIPAL_UNKNOWN (6); an unknown server KDC_ERR_S_PRINCIPAL_UNKNOWN (7)', () => {
    const { kdc, random } = fresh();
    expect(
      expectError(kdc.handle(asReq({ realm: REALM, cname: name('mallory') }), { now: T0, random }).reply)
        .errorCode,
    ).toBe(6);
    const r = kdc.handle(asReq({ realm: REALM, cname: name('bob'), sname: name('nosuch', 'service') }), {
      now: T0,
      random,
    });
    expect(expectError(r.reply).errorCode).toBe(7);
  });

  test('a disabled account is KDC_ERR_CLIENT_REVOKED (18)', () => {
    const { kdc, random } = fresh();
    expect(
      expectError(kdc.handle(asReq({ realm: REALM, cname: name('gone') }), { now: T0, random }).reply)
        .errorCode,
    ).toBe(18);
  });

  test('no common enctype is KDC_ERR_ETYPE_NOSUPP (14), naming what each side has', () => {
    const { kdc, random } = fresh();
    const r = kdc.handle(asReq({ realm: REALM, cname: name('old'), etypes: [18, 17] }), { now: T0, random });
    const err = expectError(r.reply);
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_ETYPE_NOSUPP);
    expect(err.eText).toMatch(/old@EXAMPLE.TEST has keys for rc4-hmac/);
  });

  test.each([17, 18, 19, 20, 23])(
    'signs in and gets a service ticket with enctype %i end to end',
    (etype) => {
      const { kdc, random } = fresh();
      const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random, { etypes: [etype] });
      expect(creds.rep.encPart.etype).toBe(etype);
      expect(creds.sessionKey.etype).toBe(etype);
      const svc = openTgsRep(
        kdc.handle(
          tgsReq({
            realm: REALM,
            sname: hostName('cifs', 'fs1.example.test'),
            tgt: creds.ticket,
            sessionKey: creds.sessionKey,
            crealm: REALM,
            cname: name('alice'),
            now: T0 + 1000,
            random,
            etypes: [etype],
          }),
          { now: T0 + 1000, random },
        ).reply,
        creds.sessionKey,
      );
      expect(svc.sessionKey.etype).toBe(etype);
      const fs1 = stringToKey(18, 'fs1-pw', `${REALM}cifsfs1.example.test`);
      expect(openTicket(svc.ticket, fs1).key.keyvalue).toEqual(svc.sessionKey.bytes);
    },
  );

  test('a client that needs no pre-authentication gets its TGT at once', () => {
    const { kdc, random } = fresh();
    const bobKey = stringToKey(18, 'bob-pw', `${REALM}bob`);
    const creds = openAsRep(
      kdc.handle(asReq({ realm: REALM, cname: name('bob') }), { now: T0, random }).reply,
      bobKey,
    );
    expect(creds.part.flags & TicketFlag.PRE_AUTHENT).toBe(0);
  });

  test('pre-authentication outside the 5-minute skew is KRB_AP_ERR_SKEW (37) with the KDC time', () => {
    const { kdc, random } = fresh();
    const r = kdc.handle(
      asReq({ realm: REALM, cname: name('alice'), padata: [encTimestamp(aliceKey, T0 + 6 * MIN, random)] }),
      {
        now: T0,
        random,
      },
    );
    const err = expectError(r.reply);
    expect(err.errorCode).toBe(ErrorCode.KRB_AP_ERR_SKEW);
    expect(err.stime.getTime()).toBe(T0);
    expect(err.eText).toMatch(/6m ahead of the KDC's/);
  });

  test('lifetimes are clipped to till and to policy; renew-till to the maximum renewable life', () => {
    const { kdc, random } = fresh();
    const short = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random, {
      till: new Date(T0 + 2 * HOUR),
      options: KdcOption.RENEWABLE,
      rtime: new Date(T0 + 30 * 24 * HOUR),
    });
    expect(short.part.endtime.getTime()).toBe(T0 + 2 * HOUR);
    expect(short.part.renewTill!.getTime()).toBe(T0 + 7 * 24 * HOUR);
    const long = signIn(kdc, REALM, 'alice', 'alice-pw', T0 + 1000, random, {
      till: new Date(T0 + 48 * HOUR),
      options: 0,
    });
    expect(long.part.endtime.getTime()).toBe(T0 + 1000 + 10 * HOUR);
    expect(long.part.renewTill).toBeUndefined();
    // renewable-ok: asked-for end beyond policy → renewable up to it
    const ok = signIn(kdc, REALM, 'alice', 'alice-pw', T0 + 2000, random, {
      till: new Date(T0 + 48 * HOUR),
      options: KdcOption.RENEWABLE_OK,
    });
    expect(ok.part.flags & TicketFlag.RENEWABLE).toBeTruthy();
    expect(ok.part.renewTill!.getTime()).toBe(T0 + 48 * HOUR);
  });

  test('a till in the past can never be valid: KDC_ERR_NEVER_VALID (11)', () => {
    const { kdc, random } = fresh();
    const r = kdc.handle(asReq({ realm: REALM, cname: name('bob'), till: new Date(T0 - HOUR) }), {
      now: T0,
      random,
    });
    expect(expectError(r.reply).errorCode).toBe(ErrorCode.KDC_ERR_NEVER_VALID);
  });

  test('canonicalize returns the stored spelling of the client name', () => {
    const { kdc, random } = fresh();
    const bobKey = stringToKey(18, 'bob-pw', `${REALM}bob`);
    const rep = openAsRep(
      kdc.handle(asReq({ realm: REALM, cname: name('BOB') }), { now: T0, random }).reply,
      bobKey,
    );
    expect(rep.rep.cname.nameString).toEqual(['bob']);
  });
});

describe('TGS exchange (RFC 4120 §3.3)', () => {
  function tgt(kdc: Kdc, random: ReturnType<typeof seededRandom>, now = T0) {
    return signIn(kdc, REALM, 'alice', 'alice-pw', now, random);
  }
  const base = (creds: ReturnType<typeof tgt>, random: ReturnType<typeof seededRandom>, now: number) => ({
    realm: REALM,
    sname: hostName('cifs', 'fs1.example.test'),
    tgt: creds.ticket,
    sessionKey: creds.sessionKey,
    crealm: REALM,
    cname: name('alice'),
    now,
    random,
  });

  test('a service ticket for a known SPN, with the reply in the subkey when one is sent', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const subkey = randomKey(18, random);
    const r = kdc.handle(tgsReq({ ...base(creds, random, T0 + MIN), subkey }), { now: T0 + MIN, random });
    const svc = openTgsRep(r.reply, subkey, KeyUsage.TGS_REP_ENCPART_SUBKEY);
    expect(svc.part.sname.nameString).toEqual(['cifs', 'fs1.example.test']);
    expect(svc.part.authtime.getTime()).toBe(T0);
    expect(svc.part.endtime.getTime()).toBe(creds.part.endtime.getTime()); // capped by the TGT
    const inTicket = openTicket(svc.ticket, fs1Key);
    expect(inTicket.cname.nameString).toEqual(['alice']);
    expect(inTicket.flags & TicketFlag.PRE_AUTHENT).toBeTruthy();
  });

  test('an unknown server is KDC_ERR_S_PRINCIPAL_UNKNOWN (7)', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const r = kdc.handle(
      tgsReq({ ...base(creds, random, T0), sname: hostName('cifs', 'nowhere.example.test') }),
      { now: T0, random },
    );
    expect(expectError(r.reply).errorCode).toBe(7);
  });

  test('an expired TGT is KRB_AP_ERR_TKT_EXPIRED (32), with the clock-skew allowance explained', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const before = T0 + 10 * HOUR - 2 * MIN;
    expectRep(kdc.handle(tgsReq(base(creds, random, before)), { now: before, random }).reply);
    const within = T0 + 10 * HOUR + 4 * MIN;
    const soft = expectError(kdc.handle(tgsReq(base(creds, random, within)), { now: within, random }).reply);
    expect(soft.errorCode).toBe(ErrorCode.KRB_AP_ERR_TKT_EXPIRED);
    expect(soft.eText).toMatch(
      /4m ago; within the 5m clock-skew allowance it is still read, but no new ticket can outlive it/,
    );
    const later = T0 + 10 * HOUR + 6 * MIN;
    const err = expectError(kdc.handle(tgsReq(base(creds, random, later)), { now: later, random }).reply);
    expect(err.errorCode).toBe(ErrorCode.KRB_AP_ERR_TKT_EXPIRED);
    expect(err.eText).toMatch(/ticket expired 6m ago/);
  });

  test('an authenticator more than 5 minutes off is KRB_AP_ERR_SKEW (37)', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const r = kdc.handle(tgsReq({ ...base(creds, random, T0), ctime: T0 + 7 * MIN }), { now: T0, random });
    expect(expectError(r.reply).errorCode).toBe(ErrorCode.KRB_AP_ERR_SKEW);
  });

  test('a replayed authenticator is KRB_AP_ERR_REPEAT (34)', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const req = tgsReq(base(creds, random, T0 + 1234));
    expectRep(kdc.handle(req, { now: T0 + 2000, random }).reply);
    expect(expectError(kdc.handle(req, { now: T0 + 3000, random }).reply).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_REPEAT,
    );
  });

  test('a tampered ticket byte is refused with an integrity error (31 or 41)', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const cipher = creds.ticket.encPart.cipher.slice();
    cipher[20]! ^= 0x01;
    const tampered = { ...creds.ticket, encPart: { ...creds.ticket.encPart, cipher } };
    const err = expectError(
      kdc.handle(tgsReq({ ...base(creds, random, T0), tgt: tampered }), { now: T0, random }).reply,
    );
    expect([ErrorCode.KRB_AP_ERR_BAD_INTEGRITY, ErrorCode.KRB_AP_ERR_MODIFIED]).toContain(err.errorCode);
  });

  test('a request body changed after the checksum was made is KRB_AP_ERR_BAD_INTEGRITY (31), as MIT says', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const tamperBody = (b: KdcReqBody): KdcReqBody => ({
      ...b,
      sname: hostName('cifs', 'other.example.test'),
    });
    const err = expectError(
      kdc.handle(tgsReq({ ...base(creds, random, T0), tamperBody }), { now: T0, random }).reply,
    );
    expect(err.errorCode).toBe(ErrorCode.KRB_AP_ERR_BAD_INTEGRITY);
  });

  test('renewal before renew-till extends the ticket; after it, KRB_AP_ERR_TKT_EXPIRED (32)', () => {
    const { kdc, random } = fresh();
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random, {
      till: new Date(T0 + 2 * HOUR),
      rtime: new Date(T0 + 5 * HOUR),
    });
    expect(creds.part.renewTill!.getTime()).toBe(T0 + 5 * HOUR);
    const renewAt = T0 + 90 * MIN;
    const renewed = openTgsRep(
      kdc.handle(
        tgsReq({ ...base(creds, random, renewAt), sname: krbtgtName(REALM), options: KdcOption.RENEW }),
        { now: renewAt, random },
      ).reply,
      creds.sessionKey,
    );
    expect(renewed.part.starttime!.getTime()).toBe(renewAt);
    expect(renewed.part.endtime.getTime()).toBe(renewAt + 2 * HOUR);
    expect(renewed.part.renewTill!.getTime()).toBe(T0 + 5 * HOUR);
    // renew the renewed ticket near its renew-till: the end is capped at renew-till
    const again = T0 + 3 * HOUR + 20 * MIN;
    const capped = openTgsRep(
      kdc.handle(
        tgsReq({ ...base(renewed, random, again), sname: krbtgtName(REALM), options: KdcOption.RENEW }),
        { now: again, random },
      ).reply,
      renewed.sessionKey,
    );
    expect(capped.part.endtime.getTime()).toBe(T0 + 5 * HOUR);
    const tooLate = T0 + 5 * HOUR + 1 * MIN;
    const err = expectError(
      kdc.handle(
        tgsReq({ ...base(capped, random, tooLate), sname: krbtgtName(REALM), options: KdcOption.RENEW }),
        { now: tooLate, random },
      ).reply,
    );
    expect(err.errorCode).toBe(ErrorCode.KRB_AP_ERR_TKT_EXPIRED);
  });

  test('a non-renewable ticket cannot be renewed: KDC_ERR_BADOPTION (13)', () => {
    const { kdc, random } = fresh();
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random, { options: KdcOption.FORWARDABLE });
    const err = expectError(
      kdc.handle(
        tgsReq({ ...base(creds, random, T0 + MIN), sname: krbtgtName(REALM), options: KdcOption.RENEW }),
        { now: T0 + MIN, random },
      ).reply,
    );
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_BADOPTION);
  });

  test('a referral: with canonicalize, an SPN of another realm gets a cross-realm TGT (RFC 6806 §8)', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const r = kdc.handle(tgsReq({ ...base(creds, random, T0), sname: hostName('cifs', 'fs2.other.test') }), {
      now: T0,
      random,
    });
    const ref = openTgsRep(r.reply, creds.sessionKey);
    expect(ref.part.sname.nameString).toEqual(['krbtgt', 'OTHER.TEST']);
    expect(ref.ticket.sname.nameString).toEqual(['krbtgt', 'OTHER.TEST']);
    expect(ref.ticket.realm).toBe(REALM);
    expect(
      r.events.some(
        (e) => e.stage === 'referral' && /host-to-realm table maps fs2.other.test to OTHER.TEST/.test(e.text),
      ),
    ).toBe(true);
    // without canonicalize: no referral, and the error says why
    const plain = kdc.handle(
      tgsReq({
        ...base(creds, random, T0 + 1000),
        sname: hostName('cifs', 'fs2.other.test'),
        options: KdcOption.FORWARDABLE,
      }),
      { now: T0 + 1000, random },
    );
    const err = expectError(plain.reply);
    expect(err.errorCode).toBe(7);
    expect(err.eText).toMatch(/did not set canonicalize/);
  });

  test('a cross-realm path over two trusts: EXAMPLE → OTHER → THIRD, with transited realms recorded', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    // EXAMPLE.TEST refers toward THIRD.TEST via its only trust, OTHER.TEST
    const hop1 = openTgsRep(
      kdc.handle(tgsReq({ ...base(creds, random, T0), sname: hostName('cifs', 'fs3.third.test') }), {
        now: T0,
        random,
      }).reply,
      creds.sessionKey,
    );
    expect(hop1.part.sname.nameString).toEqual(['krbtgt', 'OTHER.TEST']);
    // OTHER.TEST, asked for krbtgt/THIRD.TEST, issues the next cross-realm TGT
    const hop2 = openTgsRep(
      kdc.handle(
        tgsReq({ ...base(hop1, random, T0 + 1000), realm: 'OTHER.TEST', sname: krbtgtName('THIRD.TEST') }),
        { now: T0 + 1000, random },
      ).reply,
      hop1.sessionKey,
    );
    expect(hop2.ticket.realm).toBe('OTHER.TEST');
    expect(hop2.part.sname.nameString).toEqual(['krbtgt', 'THIRD.TEST']);
    // THIRD.TEST issues the service ticket
    const svc = openTgsRep(
      kdc.handle(
        tgsReq({
          ...base(hop2, random, T0 + 2000),
          realm: 'THIRD.TEST',
          sname: hostName('cifs', 'fs3.third.test'),
        }),
        { now: T0 + 2000, random },
      ).reply,
      hop2.sessionKey,
    );
    expect(svc.rep.crealm).toBe(REALM);
    const fs3 = stringToKey(18, 'fs3-pw', 'THIRD.TESTcifsfs3.third.test');
    const part = openTicket(svc.ticket, fs3);
    expect(part.crealm).toBe(REALM);
    expect(fromUtf8(part.transited.contents)).toBe('OTHER.TEST');
    expect(part.flags & TicketFlag.TRANSITED_POLICY_CHECKED).toBeTruthy();
  });

  test('a FAST-armored TGS-REQ built as MIT builds it is answered (from the outer request), never refused for the armor', () => {
    const { kdc, random } = fresh();
    const creds = tgt(kdc, random);
    const subkey = randomKey(18, random);
    const bytes = tgsReq({ ...base(creds, random, T0), subkey, fast: true });
    // it really is armored: PA-TGS-REQ, then PA-FX-FAST whose enc-fast-req opens with the CF2 armor key
    const decoded = decodeKerberos(bytes);
    expect(decoded.type === 'TGS-REQ' && decoded.value.padata?.map((p) => p.padataType)).toEqual([1, 136]);
    const r = kdc.handle(bytes, { now: T0, random });
    const svc = openTgsRep(r.reply, subkey, KeyUsage.TGS_REP_ENCPART_SUBKEY);
    expect(svc.part.sname.nameString).toEqual(['cifs', 'fs1.example.test']);
    expect(r.events.some((e) => e.stage === 'fast')).toBe(true);
  });
});

describe('the KDC as a pure function', () => {
  test('same state, same inputs, same randomness: byte-identical replies', () => {
    const a = fresh(7);
    const b = fresh(7);
    const req = asReq({ realm: REALM, cname: name('bob') });
    expect(a.kdc.handle(req, { now: T0, random: a.random }).reply).toEqual(
      b.kdc.handle(req, { now: T0, random: b.random }).reply,
    );
  });

  test('a snapshot restores the replay cache exactly', () => {
    const { kdc, random } = fresh();
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
    const snap = kdc.snapshot();
    const req = tgsReq({
      realm: REALM,
      sname: hostName('cifs', 'fs1.example.test'),
      tgt: creds.ticket,
      sessionKey: creds.sessionKey,
      crealm: REALM,
      cname: name('alice'),
      now: T0,
      random,
    });
    expectRep(kdc.handle(req, { now: T0, random }).reply);
    expect(expectError(kdc.handle(req, { now: T0, random }).reply).errorCode).toBe(34);
    const back = Kdc.restore(snap);
    expectRep(back.handle(req, { now: T0, random }).reply);
  });

  test('everything it emits decodes with the wire decoder; garbage gets a KRB-ERROR, never an exception', () => {
    const { kdc, random } = fresh();
    const replies = [
      kdc.handle(asReq({ realm: REALM, cname: name('alice') }), { now: T0, random }).reply,
      kdc.handle(asReq({ realm: REALM, cname: name('bob') }), { now: T0, random }).reply,
      kdc.handle(new Uint8Array([1, 2, 3]), { now: T0, random }).reply,
      kdc.handle(new Uint8Array([0x6a, 0x03, 0x30, 0x01, 0x00]), { now: T0, random }).reply,
      kdc.handle(asReq({ realm: 'NOWHERE.TEST', cname: name('bob') }), { now: T0, random }).reply,
    ];
    const types = replies.map((r) => decodeKerberos(r).type);
    expect(types).toEqual(['KRB-ERROR', 'AS-REP', 'KRB-ERROR', 'KRB-ERROR', 'KRB-ERROR']);
    expect(expectError(replies[2]!).errorCode).toBe(ErrorCode.KRB_AP_ERR_MSG_TYPE);
    expect(expectError(replies[4]!).errorCode).toBe(ErrorCode.KDC_ERR_WRONG_REALM);
  });
});

describe('configuration', () => {
  test('a bad field is named with the reason, and nothing is built', () => {
    const bad = (c: unknown) => () => buildKdcState(c as KdcConfig, seededRandom());
    expect(bad({ realms: [] })).toThrow(KdcConfigError);
    expect(bad({ realms: [{ name: 'A.TEST', principals: [{ name: 'x' }] }] })).toThrow(
      'realms[0].principals[0]: principal "x" needs a password or a key',
    );
    expect(bad({ realms: [{ name: 'A.TEST', maxLife: 'forever' }] })).toThrow(
      'realms[0].maxLife: "forever" is not a duration',
    );
    expect(bad({ realms: [{ name: 'A.TEST', etypes: ['des-cbc-md5'] }] })).toThrow(
      /realms\[0\].etypes\[0\]: des-cbc-md5 \(3\) cannot be used/,
    );
    expect(
      bad({ realms: [{ name: 'A.TEST', principals: [{ name: 's', key: { etype: 18, hex: 'abcd' } }] }] }),
    ).toThrow('realms[0].principals[0].key.hex: a aes256-cts-hmac-sha1-96 key is 32 bytes, this one is 2');
    expect(
      bad({ realms: [{ name: 'A.TEST' }], trusts: [{ from: 'A.TEST', to: 'A.TEST', password: 'x' }] }),
    ).toThrow('trusts[0]: a realm cannot trust itself');
  });
});

describe('the PAC (MS-PAC), carried and verified end to end', () => {
  const krbtgt = stringToKey(18, 'krbtgt-secret', `${REALM}krbtgt${REALM}`);

  test('the TGT carries alice’s SIDs, signed with the krbtgt key; the service ticket carries it re-signed for the service', () => {
    const { kdc, random } = fresh();
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
    const tgtPart = openTicket(creds.ticket, krbtgt);
    const tgtPac = findPacIn(tgtPart.authorizationData)!;
    expect(verifyPac(tgtPac, { serverKey: krbtgt, kdcKey: krbtgt }).ok).toBe(true);
    const logon = findPacBuffer(decodePac(tgtPac), 'logonInfo')!;
    expect(logon.sids!.userSid).toBe('S-1-5-21-1-2-3-1104');
    expect(logon.sids!.groupSids).toEqual(['S-1-5-21-1-2-3-513']);
    expect(findPacBuffer(decodePac(tgtPac), 'requestor')!.requestor.sid).toBe('S-1-5-21-1-2-3-1104');

    const r = kdc.handle(
      tgsReq({
        realm: REALM,
        sname: hostName('cifs', 'fs1.example.test'),
        tgt: creds.ticket,
        sessionKey: creds.sessionKey,
        crealm: REALM,
        cname: name('alice'),
        now: T0,
        random,
      }),
      { now: T0, random },
    );
    const svc = openTgsRep(r.reply, creds.sessionKey);
    const svcPac = findPacIn(openTicket(svc.ticket, fs1Key).authorizationData)!;
    const check = verifyPac(svcPac, { serverKey: fs1Key, kdcKey: krbtgt });
    expect(check.server.status).toBe('valid');
    expect(check.kdc.status).toBe('valid');
    // a service ticket does not carry the TGT-only buffers
    expect(findPacBuffer(decodePac(svcPac), 'requestor')).toBeUndefined();
    expect(findPacBuffer(decodePac(svcPac), 'logonInfo')!.sids!.userSid).toBe('S-1-5-21-1-2-3-1104');
    expect(
      r.events.some(
        (e) => e.stage === 'pac' && /verified the PAC's signatures \(server and KDC\)/.test(e.text),
      ),
    ).toBe(true);
  });

  test('a PAC changed inside a TGT (re-encrypted by someone holding the krbtgt key) fails its signature: KRB_AP_ERR_MODIFIED', () => {
    const { kdc, random } = fresh();
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
    const part = openTicket(creds.ticket, krbtgt);
    const pac = findPacIn(part.authorizationData)!.slice();
    pac[pac.length - 40]! ^= 0x01; // inside the signed content, not the signatures
    const forged = {
      ...part,
      authorizationData: [{ adType: 1, adData: encodeAuthorizationData([{ adType: 128, adData: pac }]) }],
    };
    const ticket = {
      ...creds.ticket,
      encPart: {
        ...creds.ticket.encPart,
        cipher: encrypt(krbtgt, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(forged), random),
      },
    };
    const err = expectError(
      kdc.handle(
        tgsReq({
          realm: REALM,
          sname: hostName('cifs', 'fs1.example.test'),
          tgt: ticket,
          sessionKey: creds.sessionKey,
          crealm: REALM,
          cname: name('alice'),
          now: T0,
          random,
        }),
        { now: T0, random },
      ).reply,
    );
    expect(err.errorCode).toBe(ErrorCode.KRB_AP_ERR_MODIFIED);
    expect(err.eText).toMatch(/PAC/);
  });

  test('PA-PAC-REQUEST false gets a ticket without a PAC', () => {
    const { kdc, random } = fresh();
    const noPac = { padataType: 128, padataValue: encodePaPacRequest({ includePac: false }) };
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random, { padata: [noPac] });
    expect(openTicket(creds.ticket, krbtgt).authorizationData).toBeUndefined();
  });

  test('across a trust, the server signature is checked with the cross-realm key and the PAC re-signed by the target realm', () => {
    const { kdc, random } = fresh();
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
    const ref = openTgsRep(
      kdc.handle(
        tgsReq({
          realm: REALM,
          sname: hostName('cifs', 'fs2.other.test'),
          tgt: creds.ticket,
          sessionKey: creds.sessionKey,
          crealm: REALM,
          cname: name('alice'),
          now: T0,
          random,
        }),
        { now: T0, random },
      ).reply,
      creds.sessionKey,
    );
    const r = kdc.handle(
      tgsReq({
        realm: 'OTHER.TEST',
        sname: hostName('cifs', 'fs2.other.test'),
        tgt: ref.ticket,
        sessionKey: ref.sessionKey,
        crealm: REALM,
        cname: name('alice'),
        now: T0 + 1000,
        random,
      }),
      { now: T0 + 1000, random },
    );
    const svc = openTgsRep(r.reply, ref.sessionKey);
    const fs2 = stringToKey(18, 'fs2-pw', 'OTHER.TESTcifsfs2.other.test');
    const pac = findPacIn(openTicket(svc.ticket, fs2).authorizationData)!;
    expect(verifyPac(pac, { serverKey: fs2 }).server.status).toBe('valid');
    expect(findPacBuffer(decodePac(pac), 'logonInfo')!.sids!.userSid).toBe('S-1-5-21-1-2-3-1104');
    expect(r.events.some((e) => /the KDC signature was made by EXAMPLE.TEST/.test(e.text))).toBe(true);
  });
});
