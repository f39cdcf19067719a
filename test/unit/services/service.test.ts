// The generic Kerberized service (RFC 4120 §3.2), driven with real service tickets from the KDC.
import { describe, expect, test } from 'vitest';
import {
  decodeApRep,
  decodeEncApRepPart,
  decodeKrbError,
  encodeAuthorizationData,
  encodeEncTicketPart,
  encodeKrb5GssToken,
  encodeSpnego,
  TOK_ID,
} from '../../../src/asn1';
import { ErrorCode } from '../../../src/asn1/registry';
import { decrypt, encrypt, KeyUsage, stringToKey } from '../../../src/crypto';
import type { KdcConfig } from '../../../src/kdc';
import { findPacIn } from '../../../src/protocol/authdata';
import { KerberizedService, type ServiceState } from '../../../src/services';
import {
  apReq,
  hostName,
  makeKdc,
  name,
  openTgsRep,
  openTicket,
  randomKey,
  seededRandom,
  signIn,
  T0,
  tgsReq,
} from '../kdc/helper';
import { signRaw, withExtraDescriptor } from '../formats/pac-craft';

const REALM = 'CORP.CONTOSO.COM';
const MIN = 60_000;
const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      domainSid: 'S-1-5-21-10-20-30',
      principals: [
        {
          name: 'alice',
          password: 'alice-pw',
          sid: 'S-1-5-21-10-20-30-1104',
          groups: ['S-1-5-21-10-20-30-513', 'S-1-5-21-10-20-30-1200', 'S-1-5-21-99-98-97-1300'],
          upn: 'alice@corp.contoso.com',
        },
        { name: 'cifs/fs1.corp.contoso.com', password: 'fs1-pw', kvno: 3 },
      ],
    },
  ],
};
const fs1Key = stringToKey(18, 'fs1-pw', `${REALM}cifsfs1.corp.contoso.com`);

function setup(seed = 1) {
  const kdc = makeKdc(config, seed);
  const random = seededRandom(seed + 50);
  const tgt = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
  const svc = openTgsRep(
    kdc.handle(
      tgsReq({
        realm: REALM,
        sname: hostName('cifs', 'fs1.corp.contoso.com'),
        tgt: tgt.ticket,
        sessionKey: tgt.sessionKey,
        crealm: REALM,
        cname: name('alice'),
        now: T0,
        random,
      }),
      { now: T0, random },
    ).reply,
    tgt.sessionKey,
  );
  const state: ServiceState = {
    realm: REALM,
    name: hostName('cifs', 'fs1.corp.contoso.com'),
    keys: [{ etype: 18, kvno: 3, key: fs1Key.bytes }],
    maxSkew: 5 * MIN,
    replayCache: [],
  };
  const service = new KerberizedService(state);
  const request = (now: number, extra: Partial<Parameters<typeof apReq>[0]> = {}) =>
    apReq({
      ticket: svc.ticket,
      sessionKey: svc.sessionKey,
      crealm: REALM,
      cname: name('alice'),
      now,
      random,
      ...extra,
    });
  return { service, svc, random, request, state };
}

describe('accepting an AP-REQ', () => {
  test('authenticates alice and hands over her SIDs from the verified PAC', () => {
    const { service, request, random } = setup();
    const r = service.accept(request(T0 + MIN), { now: T0 + MIN, random });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.identity.principal).toBe('alice@CORP.CONTOSO.COM');
    expect(r.identity.userSid).toBe('S-1-5-21-10-20-30-1104');
    expect(r.identity.groupSids).toEqual([
      'S-1-5-21-10-20-30-513',
      'S-1-5-21-10-20-30-1200',
      'S-1-5-21-99-98-97-1300',
    ]);
    expect(r.identity.upn).toBe('alice@corp.contoso.com');
    expect(r.apRep).toBeUndefined();
    expect(r.events.map((e) => e.stage)).toEqual(['decode', 'ticket', 'authenticator', 'pac', 'issue']);
  });

  test('mutual authentication: the AP-REP echoes the authenticator time and carries a service subkey', () => {
    const { service, request, svc, random } = setup();
    const now = T0 + 2 * MIN + 345;
    const r = service.accept(request(now, { mutual: true, seqNumber: 99 }), { now, random });
    if (!r.ok) throw new Error(r.message);
    const rep = decodeApRep(r.apRep!);
    const part = decodeEncApRepPart(decrypt(svc.sessionKey, KeyUsage.AP_REP_ENCPART, rep.encPart.cipher));
    expect(part.ctime.getTime() + part.cusec / 1000).toBe(now);
    expect(part.subkey!.keyvalue).toEqual(r.sessionSubkey.bytes);
    expect(r.clientSeqNumber).toBe(99);
  });

  test('accepts the AP-REQ inside a GSS-API token and inside SPNEGO, as SMB sends it', () => {
    const { service, request, random } = setup();
    const gss = encodeKrb5GssToken({ tokId: TOK_ID.KRB_AP_REQ, krbMessage: request(T0 + 1000) });
    expect(service.accept(gss, { now: T0 + 1000, random }).ok).toBe(true);
    const spnego = encodeSpnego({
      negTokenInit: {
        mechTypes: ['1.2.840.48018.1.2.2', '1.2.840.113554.1.2.2'],
        mechToken: encodeKrb5GssToken({ tokId: TOK_ID.KRB_AP_REQ, krbMessage: request(T0 + 2000) }),
      },
    });
    const r = service.accept(spnego, { now: T0 + 2000, random });
    expect(r.ok ? 'ok' : r.message).toBe('ok');
  });
});

describe('refusals, each a KRB-ERROR from the service', () => {
  const refused = (r: ReturnType<KerberizedService['accept']>) => {
    if (r.ok) throw new Error('expected a refusal');
    const err = decodeKrbError(r.error);
    expect(err.errorCode).toBe(r.errorCode);
    expect(err.realm).toBe(REALM);
    return r;
  };

  test('a replayed AP-REQ: KRB_AP_ERR_REPEAT (34)', () => {
    const { service, request, random } = setup();
    const req = request(T0 + 1000);
    expect(service.accept(req, { now: T0 + 1000, random }).ok).toBe(true);
    expect(refused(service.accept(req, { now: T0 + 2000, random })).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_REPEAT,
    );
  });

  test('a client clock 6 minutes off: KRB_AP_ERR_SKEW (37)', () => {
    const { service, request, random } = setup();
    expect(refused(service.accept(request(T0 + 6 * MIN), { now: T0, random })).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_SKEW,
    );
  });

  test('an expired service ticket: KRB_AP_ERR_TKT_EXPIRED (32)', () => {
    const { service, request, random } = setup();
    const late = T0 + 11 * 60 * MIN;
    expect(refused(service.accept(request(late), { now: late, random })).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
    );
  });

  test('keys out of step (the service rotated to kvno 4): KRB_AP_ERR_BADKEYVER (44)', () => {
    const { service, request, random } = setup();
    service.setKeys([{ etype: 18, kvno: 4, key: stringToKey(18, 'new-pw', 'x').bytes }]);
    const r = refused(service.accept(request(T0), { now: T0, random }));
    expect(r.errorCode).toBe(ErrorCode.KRB_AP_ERR_BADKEYVER);
    expect(r.message).toMatch(/key version 3 .* holds version 4/);
  });

  test('the same kvno with a different key: KRB_AP_ERR_BAD_INTEGRITY (31)', () => {
    const { service, request, random } = setup();
    service.setKeys([{ etype: 18, kvno: 3, key: stringToKey(18, 'other', 'x').bytes }]);
    expect(refused(service.accept(request(T0), { now: T0, random })).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
    );
  });

  test('a ticket for another service: KRB_AP_ERR_NOT_US (35)', () => {
    const { request, random, state } = setup();
    const other = new KerberizedService({ ...state, name: hostName('cifs', 'fs9.corp.contoso.com') });
    expect(refused(other.accept(request(T0), { now: T0, random })).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_NOT_US,
    );
  });

  test('a PAC changed in a ticket re-encrypted with the service key: KRB_AP_ERR_MODIFIED (41)', () => {
    const { service, svc, random } = setup();
    const part = openTicket(svc.ticket, fs1Key);
    const pac = findPacIn(part.authorizationData)!.slice();
    pac[60]! ^= 1;
    const forged = {
      ...part,
      authorizationData: [{ adType: 1, adData: encodeAuthorizationData([{ adType: 128, adData: pac }]) }],
    };
    const ticket = {
      ...svc.ticket,
      encPart: {
        ...svc.ticket.encPart,
        cipher: encrypt(fs1Key, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(forged), random),
      },
    };
    const r = refused(
      service.accept(
        apReq({ ticket, sessionKey: svc.sessionKey, crealm: REALM, cname: name('alice'), now: T0, random }),
        { now: T0, random },
      ),
    );
    expect(r.errorCode).toBe(ErrorCode.KRB_AP_ERR_MODIFIED);
  });

  test('a PAC whose buffers overlap, though signed with the service key: KRB_AP_ERR_MODIFIED (41), saying why', () => {
    const { service, svc, random } = setup();
    const part = openTicket(svc.ticket, fs1Key);
    const pac = signRaw(
      withExtraDescriptor(findPacIn(part.authorizationData)!, (moved) => ({ ...moved[0]!, type: 99 })),
      fs1Key,
      fs1Key,
    );
    const forged = {
      ...part,
      authorizationData: [{ adType: 1, adData: encodeAuthorizationData([{ adType: 128, adData: pac }]) }],
    };
    const ticket = {
      ...svc.ticket,
      encPart: {
        ...svc.ticket.encPart,
        cipher: encrypt(fs1Key, KeyUsage.KDC_REP_TICKET, encodeEncTicketPart(forged), random),
      },
    };
    const r = refused(
      service.accept(
        apReq({ ticket, sessionKey: svc.sessionKey, crealm: REALM, cname: name('alice'), now: T0, random }),
        { now: T0, random },
      ),
    );
    expect(r.errorCode).toBe(ErrorCode.KRB_AP_ERR_MODIFIED);
    expect(!r.ok && r.message).toMatch(
      /^the PAC cannot be read: pac: buffer 1 .* and buffer \d+ \(type 99\) overlap/,
    );
  });

  test('an authenticator not made with the session key: KRB_AP_ERR_BAD_INTEGRITY (31); garbage: KRB_AP_ERR_MSG_TYPE (40)', () => {
    const { service, svc, random } = setup();
    const wrong = apReq({
      ticket: svc.ticket,
      sessionKey: randomKey(18, random),
      crealm: REALM,
      cname: name('alice'),
      now: T0,
      random,
    });
    expect(refused(service.accept(wrong, { now: T0, random })).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
    );
    expect(refused(service.accept(new Uint8Array([9, 9, 9]), { now: T0, random })).errorCode).toBe(
      ErrorCode.KRB_AP_ERR_MSG_TYPE,
    );
  });

  test('a snapshot restores the replay cache', () => {
    const { service, request, random } = setup();
    const snap = service.snapshot();
    const req = request(T0 + 500);
    expect(service.accept(req, { now: T0 + 500, random }).ok).toBe(true);
    expect(service.accept(req, { now: T0 + 600, random }).ok).toBe(false);
    expect(KerberizedService.restore(snap).accept(req, { now: T0 + 600, random }).ok).toBe(true);
  });
});
