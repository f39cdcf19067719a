// What `npm run bench -- kdc` found slow, and the fixes kept honest: the replay cache was scanned and
// copied on every request (O(n) per request, O(n²) under load: five minutes of a busy KDC is a million
// authenticators), and every TGS exchange decrypted and decoded the same TGT again. Behaviour must not
// change: a replay is still caught, expired entries still go, and a TGT changed by one byte is refused.
import { describe, expect, test } from 'vitest';
import { ErrorCode } from '../../../src/asn1/registry';
import { buildKdcState, Kdc, type KdcConfig, type KdcState } from '../../../src/kdc';
import { expireReplays, rememberAuthenticator, seenAuthenticator } from '../../../src/protocol/replay';
import { decodePac, findPacBuffer, verifyPac } from '../../../src/formats';
import { stringToKey, type Key } from '../../../src/crypto';
import { cachesOf } from '../../../src/kdc/caches';
import { KdcAdmin } from '../../../src/world/kdc-admin';
import { findPacIn, wrapPac } from '../../../src/protocol/authdata';
import type { PrincipalName } from '../../../src/asn1';
import { sealTicket } from '../../../src/kdc/issue';
import { krbtgtName } from '../../../src/asn1/principal';
import {
  expectError,
  hostName,
  name,
  openTgsRep,
  openTicket,
  seededRandom,
  signIn,
  T0,
  tgsReq,
} from './helper';

const REALM = 'EXAMPLE.TEST';
const MIN = 60_000;
const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      krbtgtPassword: 'krbtgt-secret',
      principals: [
        { name: 'alice', password: 'alice-pw' },
        { name: 'cifs/fs1.example.test', password: 'fs1-pw' },
      ],
    },
  ],
};

const emptyState = (): KdcState => ({ realms: [], trusts: [], replayCache: [] });

describe('the replay cache index (src/protocol/replay.ts)', () => {
  test('200,000 authenticators: a lookup or a new entry reads no entry of the cache (an index, not a scan)', () => {
    const state = emptyState();
    for (let i = 0; i < 200_000; i++) {
      rememberAuthenticator(state, { id: `alice|svc|${i}`, expires: T0 + 5 * MIN + i });
      expireReplays(state, T0 + i / 100, 1000);
    }
    expect(state.replayCache).toHaveLength(200_000);
    // Count the entries read from the array: the old code scanned it on every request (2·10^10 reads
    // here); the index reads none. No clock is involved, so a loaded machine cannot change the answer.
    let reads = 0;
    state.replayCache = new Proxy(state.replayCache, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    expect(seenAuthenticator(state, 'alice|svc|0')).toBe(true); // a new array object: indexed once
    reads = 0;
    for (let i = 0; i < 1000; i++) {
      expect(seenAuthenticator(state, `alice|svc|${i * 199}`)).toBe(true);
      expect(seenAuthenticator(state, `bob|svc|${i}`)).toBe(false);
      rememberAuthenticator(state, { id: `carol|svc|${i}`, expires: T0 + 6 * MIN });
      expireReplays(state, T0 + 2_000, 1000); // swept less than a second of KDC time ago: nothing to do
    }
    expect(reads).toBe(0);
    expect(seenAuthenticator(state, 'carol|svc|999')).toBe(true);
    expect(seenAuthenticator(state, 'alice|svc|200000')).toBe(false);
  });

  test('expired entries go, at most once a second of KDC time; the survivors stay indexed', () => {
    const state = emptyState();
    for (let i = 0; i < 10; i++) rememberAuthenticator(state, { id: `a${i}`, expires: T0 + i * 1000 });
    expireReplays(state, T0 + 4500, 1000); // a0…a4 have expired
    expect(state.replayCache.map((e) => e.id)).toEqual(['a5', 'a6', 'a7', 'a8', 'a9']);
    expect(seenAuthenticator(state, 'a4')).toBe(false);
    expect(seenAuthenticator(state, 'a5')).toBe(true);
    expireReplays(state, T0 + 5200, 1000); // within a second of the last sweep: nothing yet
    expect(state.replayCache).toHaveLength(5);
    expireReplays(state, T0 + 5600, 1000);
    expect(state.replayCache.map((e) => e.id)).toEqual(['a6', 'a7', 'a8', 'a9']);
  });

  test('entries added to the array by someone else (a restored snapshot, the world) are seen', () => {
    const state = emptyState();
    rememberAuthenticator(state, { id: 'mine', expires: T0 + MIN });
    state.replayCache.push({ id: 'theirs', expires: T0 + MIN });
    expect(seenAuthenticator(state, 'theirs')).toBe(true);
    state.replayCache = [{ id: 'restored', expires: T0 + MIN }];
    expect(seenAuthenticator(state, 'restored')).toBe(true);
    expect(seenAuthenticator(state, 'mine')).toBe(false);
  });
});

describe('the KDC with the index and the TGT memo', () => {
  const setup = () => {
    const random = seededRandom(9);
    const kdc = new Kdc(buildKdcState(config, random));
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
    const ask = (now: number, ctime = now, tgt = creds.ticket) =>
      kdc.handle(
        tgsReq({
          realm: REALM,
          sname: hostName('cifs', 'fs1.example.test'),
          tgt,
          sessionKey: creds.sessionKey,
          crealm: REALM,
          cname: name('alice'),
          now,
          ctime,
          random,
        }),
        { now, random },
      );
    return { kdc, creds, ask };
  };

  test('many service tickets from one TGT; a replay among them is still KRB_AP_ERR_REPEAT (34)', () => {
    const { creds, ask } = setup();
    for (let i = 0; i < 50; i++) {
      const st = openTgsRep(ask(T0 + i * 10).reply, creds.sessionKey);
      expect(st.part.sname.nameString).toEqual(['cifs', 'fs1.example.test']);
    }
    expect(expectError(ask(T0 + 600, T0 + 200).reply).errorCode).toBe(ErrorCode.KRB_AP_ERR_REPEAT);
  });

  test('after the skew window the cache is emptied; an old authenticator is refused for skew, not replay', () => {
    const { kdc, ask } = setup();
    ask(T0);
    expect(kdc.database.replayCache).toHaveLength(1);
    const later = T0 + 6 * MIN;
    expect(expectError(ask(later, T0).reply).errorCode).toBe(ErrorCode.KRB_AP_ERR_SKEW);
    expect(kdc.database.replayCache).toHaveLength(0);
  });

  test('a TGT already opened once, then changed by one byte, is refused with an integrity error', () => {
    const { creds, ask } = setup();
    expect(ask(T0).replyType).toBe('TGS-REP'); // the TGT is now in the memo
    const cipher = creds.ticket.encPart.cipher.slice();
    cipher[cipher.length >> 1]! ^= 0x01;
    const tampered = { ...creds.ticket, encPart: { ...creds.ticket.encPart, cipher } };
    const err = expectError(ask(T0 + 10, T0 + 10, tampered).reply);
    expect([ErrorCode.KRB_AP_ERR_BAD_INTEGRITY, ErrorCode.KRB_AP_ERR_MODIFIED]).toContain(err.errorCode);
  });

  test('the PAC buffers a TGT passes on are remembered: every service ticket carries the same PAC, re-signed; a TGT also the TGT-only buffers', () => {
    const { creds, ask } = setup();
    const fs1 = stringToKey(18, 'fs1-pw', `${REALM}cifsfs1.example.test`);
    const krbtgt = stringToKey(18, 'krbtgt-secret', `${REALM}krbtgt${REALM}`);
    const tgtPac = findPacIn(openTicket(creds.ticket, krbtgt).authorizationData)!;
    const pacs = [0, 10, 20].map((dt) => {
      const st = openTgsRep(ask(T0 + dt).reply, creds.sessionKey);
      return findPacIn(openTicket(st.ticket, fs1).authorizationData)!;
    });
    expect(pacs[1]).toEqual(pacs[0]);
    expect(pacs[2]).toEqual(pacs[0]);
    expect(verifyPac(pacs[2]!, { serverKey: fs1, kdcKey: krbtgt }).ok).toBe(true);
    const logon = (pac: Uint8Array) => findPacBuffer(decodePac(pac), 'logonInfo')!.logonInfo;
    expect(logon(pacs[2]!)).toEqual(logon(tgtPac));
    expect(findPacBuffer(decodePac(pacs[2]!), 'requestor')).toBeUndefined();

    // The same TGT's PAC for a TGT (renewed into krbtgt/REALM) keeps PAC_REQUESTOR: not the service's entry.
    const random = seededRandom(11);
    const r = setup().kdc.handle(
      tgsReq({
        realm: REALM,
        sname: krbtgtName(REALM),
        tgt: creds.ticket,
        sessionKey: creds.sessionKey,
        crealm: REALM,
        cname: name('alice'),
        now: T0 + 30,
        random,
      }),
      { now: T0 + 30, random },
    );
    expect(r.replyType).toBe('TGS-REP');
    const tgt2 = openTgsRep(r.reply, creds.sessionKey);
    const pac2 = findPacIn(openTicket(tgt2.ticket, krbtgt).authorizationData)!;
    expect(findPacBuffer(decodePac(pac2), 'requestor')!.requestor.sid).toBe(
      findPacBuffer(decodePac(tgtPac), 'requestor')!.requestor.sid,
    );
  });

  test("the KDC's caches ride on its state, not in it: a snapshot carries none, and a restored KDC answers the same", () => {
    const { kdc, creds, ask } = setup();
    expect(ask(T0).replyType).toBe('TGS-REP'); // the TGT and its PAC are now remembered
    const state = kdc.database;
    expect(Object.keys(state).sort()).toEqual(['realms', 'replayCache', 'trusts']);
    expect(Object.getOwnPropertySymbols(structuredClone(state))).toEqual([]);
    expect(JSON.parse(JSON.stringify({ ...state, realms: [] }))).toEqual({
      realms: [],
      trusts: [],
      replayCache: [{ id: state.replayCache[0]!.id, expires: state.replayCache[0]!.expires }],
    });
    const request = (now: number) =>
      tgsReq({
        realm: REALM,
        sname: hostName('cifs', 'fs1.example.test'),
        tgt: creds.ticket,
        sessionKey: creds.sessionKey,
        crealm: REALM,
        cname: name('alice'),
        now,
        random: seededRandom(5),
      });
    const restored = Kdc.restore(kdc.snapshot());
    const a = kdc.handle(request(T0 + 40), { now: T0 + 40, random: seededRandom(6) });
    const b = restored.handle(request(T0 + 40), { now: T0 + 40, random: seededRandom(6) });
    expect(b.replyType).toBe('TGS-REP');
    expect(b.reply).toEqual(a.reply);
    expect(b.events).toEqual(a.events);
  });

  test('the TGT memo never leaks between KDCs with different keys', () => {
    const a = setup();
    expect(a.ask(T0).replyType).toBe('TGS-REP');
    const other = new Kdc(
      buildKdcState(
        { realms: [{ ...config.realms[0]!, krbtgtPassword: 'another-secret' }] },
        seededRandom(9),
      ),
    );
    const r = other.handle(
      tgsReq({
        realm: REALM,
        sname: hostName('cifs', 'fs1.example.test'),
        tgt: a.creds.ticket,
        sessionKey: a.creds.sessionKey,
        crealm: REALM,
        cname: name('alice'),
        now: T0 + 20,
        random: seededRandom(3),
      }),
      { now: T0 + 20, random: seededRandom(3) },
    );
    expect([ErrorCode.KRB_AP_ERR_BAD_INTEGRITY, ErrorCode.KRB_AP_ERR_MODIFIED]).toContain(
      expectError(r.reply).errorCode,
    );
  });

  test("the checked-PAC memo: a TGT's PAC is checked once for all its service tickets, and a changed PAC in a TGT sealed anew is still refused", () => {
    const { kdc, creds, ask } = setup();
    for (let i = 0; i < 3; i++) expect(ask(T0 + i * 10).replyType).toBe('TGS-REP');
    expect(cachesOf(kdc.database).checkedPac.size).toBe(1);

    // The same TGT with one byte of its LOGON_INFO changed, sealed again in the krbtgt key: the ticket
    // itself opens, but the PAC no longer matches its server signature.
    const krbtgt = stringToKey(18, 'krbtgt-secret', `${REALM}krbtgt${REALM}`);
    const part = openTicket(creds.ticket, krbtgt);
    const pac = findPacIn(part.authorizationData)!.slice();
    const view = new DataView(pac.buffer, pac.byteOffset);
    expect(view.getUint32(8, true)).toBe(1); // the first buffer is LOGON_INFO
    pac[Number(view.getBigUint64(16, true)) + 40]! ^= 0x01;
    const kvno = creds.ticket.encPart.kvno ?? 1;
    const changed = sealTicket(
      { ...part, authorizationData: wrapPac(pac) },
      REALM,
      creds.ticket.sname,
      { etype: 18, kvno, key: krbtgt.bytes },
      seededRandom(4),
    );
    const r = ask(T0 + 40, T0 + 40, changed);
    expect(expectError(r.reply).errorCode).toBe(ErrorCode.KRB_AP_ERR_MODIFIED);
    expect(cachesOf(kdc.database).checkedPac.size).toBe(2);
    expect(expectError(ask(T0 + 50, T0 + 50, changed).reply).errorCode).toBe(ErrorCode.KRB_AP_ERR_MODIFIED);
    expect(ask(T0 + 60).replyType).toBe('TGS-REP');
  });

  test('the re-signed PAC memo: every service ticket verifies with the key the service has now, even right after its password changed', () => {
    const { kdc, creds, ask } = setup();
    const krbtgt = stringToKey(18, 'krbtgt-secret', `${REALM}krbtgt${REALM}`);
    const pacOf = (reply: Uint8Array, key: Key) =>
      findPacIn(openTicket(openTgsRep(reply, creds.sessionKey).ticket, key).authorizationData)!;
    const oldKey = stringToKey(18, 'fs1-pw', `${REALM}cifsfs1.example.test`);
    const before = pacOf(ask(T0).reply, oldKey);
    expect(verifyPac(before, { serverKey: oldKey, kdcKey: krbtgt }).ok).toBe(true);
    expect(cachesOf(kdc.database).resignedPac.size).toBe(1);

    const admin = new KdcAdmin({ id: 'kdc', host: 'dc1', state: kdc.database });
    admin.rotateKey(`cifs/fs1.example.test@${REALM}`, 'fs1-new-pw', { keepOld: false });
    const newKey = stringToKey(18, 'fs1-new-pw', `${REALM}cifsfs1.example.test`);
    const after = pacOf(ask(T0 + 10).reply, newKey);
    expect(verifyPac(after, { serverKey: newKey, kdcKey: krbtgt }).ok).toBe(true);
    expect(verifyPac(after, { serverKey: oldKey, kdcKey: krbtgt }).server.status).not.toBe('valid');
    expect(after).not.toEqual(before);
    expect(cachesOf(kdc.database).resignedPac.size).toBe(2);
  });

  test('the re-signed PAC memo is bounded: tickets for 300 services keep at most its capacity', () => {
    const services = Array.from({ length: 300 }, (_, i) => ({
      name: `host/s${i}.example.test`,
      // a raw key, not a password: 300 string-to-keys would cost minutes for nothing this test looks at
      key: { etype: 18, hex: i.toString(16).padStart(4, '0').repeat(16) },
    }));
    const random = seededRandom(21);
    const kdc = new Kdc(
      buildKdcState(
        {
          realms: [
            { ...config.realms[0]!, principals: [...(config.realms[0]!.principals ?? []), ...services] },
          ],
        },
        random,
      ),
    );
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
    const memo = cachesOf(kdc.database).resignedPac;
    services.forEach((_, i) => {
      const now = T0 + i;
      const r = kdc.handle(
        tgsReq({
          realm: REALM,
          sname: hostName('host', `s${i}.example.test`),
          tgt: creds.ticket,
          sessionKey: creds.sessionKey,
          crealm: REALM,
          cname: name('alice'),
          now,
          random,
        }),
        { now, random },
      );
      expect(r.replyType).toBe('TGS-REP');
      expect(memo.size).toBe(Math.min(i + 1, memo.capacity));
    });
    expect(memo.capacity).toBe(256);
  });

  test("one KDC's re-signed PACs are not another's, nor a restored copy's", () => {
    const a = setup();
    expect(a.ask(T0).replyType).toBe('TGS-REP');
    expect(cachesOf(a.kdc.database).resignedPac.size).toBe(1);
    const b = setup();
    expect(cachesOf(b.kdc.database).resignedPac.size).toBe(0);
    expect(cachesOf(Kdc.restore(a.kdc.snapshot()).database).resignedPac.size).toBe(0);
  });
});

describe('the principal index (src/kdc/lookup.ts)', () => {
  const USERS = 10_000;
  const hex = (i: number) => i.toString(16).padStart(8, '0').repeat(8);
  const big: KdcConfig = {
    realms: [
      {
        name: REALM,
        krbtgtPassword: 'krbtgt-secret',
        principals: [
          ...Array.from({ length: USERS }, (_, i) => ({ name: `user${i}`, key: { etype: 18, hex: hex(i) } })),
          { name: 'alice', password: 'alice-pw' },
          { name: 'cifs/fs1.example.test', password: 'fs1-pw' },
        ],
      },
    ],
  };

  test('with 10,000 accounts a service ticket reads a few entries of the list, not all of them; an account added later is found', () => {
    const random = seededRandom(9);
    const kdc = new Kdc(buildKdcState(big, random));
    const creds = signIn(kdc, REALM, 'alice', 'alice-pw', T0, random);
    const db = kdc.database.realms[0]!;
    let reads = 0;
    db.principals = new Proxy(db.principals, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const ask = (sname: PrincipalName, now: number) =>
      kdc.handle(
        tgsReq({
          realm: REALM,
          sname,
          tgt: creds.ticket,
          sessionKey: creds.sessionKey,
          crealm: REALM,
          cname: name('alice'),
          now,
          random,
        }),
        { now, random },
      );
    expect(ask(hostName('cifs', 'fs1.example.test'), T0).replyType).toBe('TGS-REP'); // a new list: indexed once
    reads = 0;
    for (let i = 1; i <= 20; i++)
      expect(ask(hostName('cifs', 'fs1.example.test'), T0 + i * 10).replyType).toBe('TGS-REP');
    // A scan reads up to 10,002 entries for each of the lookups of a request (the server, the krbtgt).
    expect(reads).toBeLessThan(20 * 20);

    const unknown = ask(hostName('cifs', 'fs2.example.test'), T0 + 300);
    expect(expectError(unknown.reply).errorCode).toBe(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
    const admin = new KdcAdmin({ id: 'kdc', host: 'dc1', state: kdc.database });
    const fs1 = db.principals.find((p) => p.name.nameString[1] === 'fs1.example.test')!;
    admin.addPrincipal(REALM, { ...fs1, name: { nameType: 2, nameString: ['cifs', 'fs2.example.test'] } });
    expect(ask(hostName('cifs', 'fs2.example.test'), T0 + 310).replyType).toBe('TGS-REP');
    expect(ask(hostName('cifs', 'fs1.example.test'), T0 + 320).replyType).toBe('TGS-REP');
  });
});
