// The whole engine through the world: clients on hosts with their own clocks, KDCs for three realms with
// trusts, file servers, and the trace that records it all. Each test is one scenario a learner can play.
import { describe, expect, test } from 'vitest';
import { ErrorCode } from '../../../src/asn1/registry';
import { listMit } from '../../../src/client';
import { buildKdcState, type KdcConfig } from '../../../src/kdc';
import {
  accessService,
  addClient,
  clientOf,
  formatTrace,
  runOperation,
  serviceStateFromKdc,
  World,
} from '../../../src/world';
import { seededRandom, T0 } from '../kdc/helper';

const HOUR = 3_600_000;
const MIN = 60_000;

const kdcConfig: KdcConfig = {
  realms: [
    {
      name: 'CORP.TEST',
      principals: [
        { name: 'alice', password: 'alice-pw', sid: 'S-1-5-21-1-2-3-1104', groups: ['S-1-5-21-1-2-3-513'] },
        { name: 'old', password: 'old-pw', etypes: [23] },
        { name: 'cifs/fs1.corp.test', password: 'fs1-pw' },
        {
          name: 'bigpac',
          password: 'big-pw',
          groups: Array.from(
            { length: 150 },
            (_, i) => `S-1-5-21-1004336348-1177238915-682003330-${4000 + i}`,
          ),
        },
      ],
      hostRealm: { '.other.test': 'OTHER.TEST', '.third.test': 'THIRD.TEST' },
    },
    {
      name: 'OTHER.TEST',
      principals: [{ name: 'cifs/fs2.other.test', password: 'fs2-pw' }],
      hostRealm: { '.third.test': 'THIRD.TEST' },
    },
    { name: 'THIRD.TEST', principals: [{ name: 'cifs/fs3.third.test', password: 'fs3-pw' }] },
    { name: 'AES.TEST', etypes: [18, 17], principals: [{ name: 'svc', password: 'x' }] },
  ],
  trusts: [
    { from: 'CORP.TEST', to: 'OTHER.TEST', password: 't1' },
    { from: 'OTHER.TEST', to: 'THIRD.TEST', password: 't2' },
  ],
};

// Windows sends Kerberos over TCP from the start (MaxPacketSize 1 since Windows 7): a reply with a PAC
// rarely fits a datagram. The UDP test below shows why.
function makeWorld(seed = 11, transport: 'udp' | 'tcp' = 'tcp'): World {
  const kdcState = buildKdcState(kdcConfig, seededRandom(seed));
  const host = (id: string, name: string) => ({ id, name, clockOffset: 0, up: true });
  const service = (id: string, realm: string, spn: string) => ({
    id,
    host: id,
    port: 445,
    transport: 'smb' as const,
    state: serviceStateFromKdc(kdcState, realm, spn),
  });
  const w = World.create({
    seed,
    now: T0,
    hosts: [
      host('ws1', 'ws1.corp.test'),
      host('dc1', 'dc1.corp.test'),
      host('fs1', 'fs1.corp.test'),
      host('fs2', 'fs2.other.test'),
      host('fs3', 'fs3.third.test'),
    ],
    network: { latency: 1, links: [], blocked: [] },
    locator: {
      'CORP.TEST': { host: 'dc1', transport },
      'OTHER.TEST': { host: 'dc1', transport },
      'THIRD.TEST': { host: 'dc1', transport },
    },
    // one KDC process serves the three realms (as a lab would); the locator could put them apart
    kdcs: [{ id: 'kdc', host: 'dc1', state: kdcState }],
    services: [
      service('fs1', 'CORP.TEST', 'cifs/fs1.corp.test'),
      service('fs2', 'OTHER.TEST', 'cifs/fs2.other.test'),
      service('fs3', 'THIRD.TEST', 'cifs/fs3.third.test'),
    ],
  });
  addClient(w, 'ws1', { principal: 'alice@CORP.TEST' });
  return w;
}

const types = (w: World) =>
  w.trace
    .filter((e) => e.kind === 'message')
    .map((e) => (e.errorCode !== undefined ? `${e.type} ${e.errorCode}` : e.type));

describe('in one realm', () => {
  test('sign in, then open a file share: AS with preauth, TGS, AP with mutual authentication', () => {
    const w = makeWorld();
    const signIn = runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    expect(signIn.ok).toBe(true);
    const access = accessService(w, 'ws1', 'fs1', 'cifs/fs1.corp.test');
    expect(access.ok).toBe(true);
    expect(access.identity?.userSid).toBe('S-1-5-21-1-2-3-1104');
    expect(access.session?.mutual).toBe(true);
    expect(types(w)).toEqual([
      'AS-REQ',
      'KRB-ERROR 25',
      'AS-REQ',
      'AS-REP',
      'TGS-REQ',
      'TGS-REP',
      'AP-REQ',
      'AP-REP',
    ]);
    const klist = listMit(clientOf(w, 'ws1').cache, { now: w.hostNow('ws1') });
    expect(klist).toMatch(/krbtgt\/CORP.TEST@CORP.TEST/);
    expect(klist).toMatch(/cifs\/fs1.corp.test@CORP.TEST/);
    // every request carries the narration of the side that made it and the side that judged it
    const asReq = w.trace.find(
      (e) => e.type === 'AS-REQ' && e.narration.some((n) => n.stage === 'preauth' && n.ok),
    )!;
    expect(asReq.narration.some((n) => n.actor.startsWith('ws1'))).toBe(true);
    expect(asReq.narration.some((n) => n.actor === 'KDC CORP.TEST')).toBe(true);
  });

  test.each([
    ['a wrong password', 'alice@CORP.TEST', 'nope', ErrorCode.KDC_ERR_PREAUTH_FAILED],
    ['an unknown user', 'mallory@CORP.TEST', 'x', ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN],
  ])('%s: the sign-in fails with the KDC’s code', (_what, principal, password, code) => {
    const w = makeWorld();
    addClient(w, 'ws1', { principal });
    const r = runOperation(w, 'ws1', { kind: 'sign-in', password });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  test('an unknown service: KDC_ERR_S_PRINCIPAL_UNKNOWN (7)', () => {
    const w = makeWorld();
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    const r = accessService(w, 'ws1', 'fs1', 'cifs/nothere.corp.test');
    expect(r.errorCode).toBe(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN);
  });

  test('no common enctype: KDC_ERR_ETYPE_NOSUPP (14)', () => {
    const w = makeWorld();
    addClient(w, 'ws1', { principal: 'old@CORP.TEST', etypes: [18, 17] });
    const r = runOperation(w, 'ws1', { kind: 'sign-in', password: 'old-pw' });
    expect(!r.ok && r.error.code).toBe(ErrorCode.KDC_ERR_ETYPE_NOSUPP);
  });

  test('a workstation clock 6 minutes fast: KRB_AP_ERR_SKEW (37) — and fixed when the clock is', () => {
    const w = makeWorld();
    w.setClockOffset('ws1', 6 * MIN);
    const r = runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    expect(!r.ok && r.error.code).toBe(ErrorCode.KRB_AP_ERR_SKEW);
    w.setClockOffset('ws1', 0);
    expect(runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' }).ok).toBe(true);
  });

  test('an expired TGT: KRB_AP_ERR_TKT_EXPIRED (32) from the KDC, at the right virtual time', () => {
    const w = makeWorld();
    addClient(w, 'ws1', { principal: 'alice@CORP.TEST', checkTgtExpiry: false });
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    w.elapse(10 * HOUR + 6 * MIN);
    const r = accessService(w, 'ws1', 'fs1', 'cifs/fs1.corp.test');
    expect(r.errorCode).toBe(ErrorCode.KRB_AP_ERR_TKT_EXPIRED);
  });

  test('renewal at the right virtual time extends the TGT, up to its renew-till', () => {
    const w = makeWorld();
    addClient(w, 'ws1', { principal: 'alice@CORP.TEST', renewLifetime: 7 * 24 * HOUR });
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    const before = clientOf(w, 'ws1').cache.credentials[0]!;
    w.elapse(9 * HOUR);
    const r = runOperation(w, 'ws1', { kind: 'renew' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // renewed when the KDC saw it (KerberosTime has whole seconds): 9 h after sign-in, for another 10 h
    expect(r.credential.endtime).toBe(T0 + 19 * HOUR);
    expect(r.credential.endtime).toBeGreaterThan(before.endtime);
    expect(r.credential.renewTill).toBe(before.renewTill);
  });
});

describe('across realms', () => {
  test('a referral: CORP.TEST does not hold cifs/fs2.other.test and refers the client to OTHER.TEST', () => {
    const w = makeWorld();
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    const access = accessService(w, 'ws1', 'fs2', 'cifs/fs2.other.test');
    expect(access.ok).toBe(true);
    expect(access.ticket?.ok && access.ticket.path).toEqual(['CORP.TEST', 'OTHER.TEST']);
    expect(
      w.trace.some((e) => e.narration.some((n) => n.stage === 'referral' && /RFC 6806/.test(n.text))),
    ).toBe(true);
    expect(access.identity?.userSid).toBe('S-1-5-21-1-2-3-1104');
  });

  test('a path over two trusts: CORP.TEST → OTHER.TEST → THIRD.TEST', () => {
    const w = makeWorld();
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    const access = accessService(w, 'ws1', 'fs3', 'cifs/fs3.third.test');
    expect(access.ok).toBe(true);
    expect(access.ticket?.ok && access.ticket.path).toEqual(['CORP.TEST', 'OTHER.TEST', 'THIRD.TEST']);
    expect(access.identity?.principal).toBe('alice@CORP.TEST');
  });

  test('the hop limit stops a referral chase that would not end', () => {
    const w = makeWorld();
    addClient(w, 'ws1', { principal: 'alice@CORP.TEST', maxReferralHops: 1 });
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    const r = accessService(w, 'ws1', 'fs3', 'cifs/fs3.third.test');
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/hop/);
  });
});

describe('the network', () => {
  test('a reply too big for UDP: the KDC says so and the client asks again over TCP', () => {
    const w = makeWorld(11, 'udp');
    addClient(w, 'ws1', { principal: 'bigpac@CORP.TEST' });
    expect(runOperation(w, 'ws1', { kind: 'sign-in', password: 'big-pw' }).ok).toBe(true);
    const msgs = w.trace
      .filter((e) => e.kind === 'message')
      .map((e) => `${e.transport} ${e.type}${e.errorCode ? ` ${e.errorCode}` : ''}`);
    expect(msgs).toContain(`udp KRB-ERROR ${ErrorCode.KRB_ERR_RESPONSE_TOO_BIG}`);
    expect(msgs.at(-1)).toBe('tcp AS-REP');
  });

  test('an unreachable KDC: UDP tries on the virtual clock (1 s, 2 s, 4 s), then a transport error', () => {
    const w = makeWorld(11, 'udp');
    w.setHostUp('dc1', false);
    const start = w.now;
    const r = runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('transport');
    expect(w.now - start).toBe(7000);
  });

  test('port 445 blocked: tickets are fine, the share is not', () => {
    const w = makeWorld();
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    w.blockPort('fs1', 445);
    const r = accessService(w, 'ws1', 'fs1', 'cifs/fs1.corp.test');
    expect(r.ok).toBe(false);
    expect(r.ticket?.ok).toBe(true);
    expect(r.error).toMatch(/port 445/);
  });
});

describe('time travel and determinism', () => {
  test('stepping back restores exactly the same state, and replaying gives the same bytes', () => {
    const w = makeWorld();
    const snaps = [w.snapshot()];
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    snaps.push(w.snapshot());
    accessService(w, 'ws1', 'fs1', 'cifs/fs1.corp.test');
    snaps.push(w.snapshot());
    const finalTrace = w.trace.map((e) => e.bytes);

    // back to after sign-in: the cache holds only the TGT
    const back = World.restore(snaps[1]!);
    expect(clientOf(back, 'ws1').cache.credentials).toHaveLength(1);
    expect(back.trace).toHaveLength(snaps[1]!.trace.length);
    // forward again
    accessService(back, 'ws1', 'fs1', 'cifs/fs1.corp.test');
    expect(back.trace.map((e) => e.bytes)).toEqual(finalTrace);
    expect(back.snapshot()).toEqual(snaps[2]);
  });

  test('same seed and same actions: byte-identical trace', () => {
    const run = () => {
      const w = makeWorld(21);
      runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
      accessService(w, 'ws1', 'fs2', 'cifs/fs2.other.test');
      return w.trace;
    };
    const a = run();
    const b = run();
    expect(a.map((e) => [e.t, e.type, e.bytes])).toEqual(b.map((e) => [e.t, e.type, e.bytes]));
  });
});

describe('the trace as text', () => {
  test('one line per event: time, from -> to, transport, type, result; narration underneath on request', () => {
    const w = makeWorld();
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    accessService(w, 'ws1', 'fs2', 'cifs/fs2.other.test');
    const text = formatTrace(w.trace);
    const lines = text.split('\n');
    expect(lines[0]).toBe('# 2026-03-02T08:00:00Z (times below are UTC)');
    expect(lines.slice(1, 7)).toEqual([
      '08:00:00.000  ws1                 sign-in            ws1: sign in',
      '08:00:00.000  ws1 -> dc1    tcp   AS-REQ             alice@CORP.TEST asks for krbtgt/CORP.TEST@CORP.TEST',
      '08:00:00.001  dc1 -> ws1    tcp   KRB-ERROR          KDC_ERR_PREAUTH_REQUIRED (25)',
      '08:00:00.002  ws1 -> dc1    tcp   AS-REQ             alice@CORP.TEST asks for krbtgt/CORP.TEST@CORP.TEST, with PA-ENC-TIMESTAMP',
      '08:00:00.003  dc1 -> ws1    tcp   AS-REP             ticket for krbtgt/CORP.TEST@CORP.TEST',
      '08:00:00.004  ws1                 result             ws1: signed in krbtgt/CORP.TEST@CORP.TEST',
    ]);
    expect(lines).toContain(
      '08:00:00.005  dc1 -> ws1    tcp   TGS-REP            referral: krbtgt/OTHER.TEST@CORP.TEST (the service is in OTHER.TEST)',
    );
    expect(lines.some((l) => / fs2 -> ws1 {4}smb {3}AP-REP {13}accepted alice@CORP.TEST$/.test(l))).toBe(
      true,
    );
    const narrated = formatTrace(w.trace, { narration: true });
    expect(narrated).toMatch(
      /· KDC CORP.TEST: .*refers the client with a cross-realm TGT krbtgt\/OTHER.TEST@CORP.TEST/,
    );
  });
});

describe('what the cache remembers', () => {
  test('a ticket that came through a KDC proxy says "Kdc Called: KdcProxy:<proxy>", as Windows klist does', () => {
    const w = makeWorld();
    w.setRealmLocator('CORP.TEST', { host: 'dc1', transport: 'kkdcp', proxyPath: '/KdcProxy' });
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    expect(clientOf(w, 'ws1').cache.credentials[0]!.kdcCalled).toBe('KdcProxy:dc1.corp.test');
    // and over plain TCP, the KDC host
    const direct = makeWorld();
    runOperation(direct, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    expect(clientOf(direct, 'ws1').cache.credentials[0]!.kdcCalled).toBe('dc1');
  });
});
