// The client state machine, specified by behaviour, against the real KDC (src/kdc) over an in-memory
// network: every byte it sends is read by the KDC, every reply it checks was made by the KDC.
import { describe, expect, test } from 'vitest';
import { decodeAsReq, decodeTgsReq, encodeKrbError } from '../../../src/asn1';
import { ErrorCode, KdcOption, PaType, TicketFlag } from '../../../src/asn1/registry';
import {
  AT_REST,
  CredentialError,
  KdcError,
  KerberosClient,
  ReferralError,
  TRANSITIONS,
  TransportError,
  WINDOWS_AS_OPTIONS,
  ClientInputError,
  edge,
  findCredential,
  runClient,
  runClientAsync,
  stepClient,
  type ClientEvent,
  type ClientResult,
  type ClientState,
  type Run,
} from '../../../src/client';
import { formatPrincipal } from '../../../src/asn1/principal';
import { config, loopConfig, REALM } from './config';
import { HOUR, Host, MIN, Net, seededRandom, T0 } from './net';

function ok(r: ClientResult) {
  if (!r.ok) throw new Error(`expected success, got ${r.error.constructor.name}: ${r.error.message}`);
  return r;
}
function failed(r: ClientResult) {
  if (r.ok) throw new Error(`expected a failure, got ${r.outcome}`);
  return r.error;
}
const texts = (events: { text: string }[]) => events.map((e) => e.text).join('\n');

function signedIn(extra: Partial<Parameters<typeof newHost>[1]> = {}, seed = 1) {
  const h = newHost(new Net(config, seed), extra);
  ok(h.run({ kind: 'sign-in', password: 'alice-pw' }).result);
  return h;
}
function newHost(net: Net, extra: Partial<import('../../../src/client').ClientConfig> = {}) {
  return new Host(net, { principal: `alice@${REALM}`, ...extra });
}

describe('sign-in (AS exchange with pre-authentication)', () => {
  test('asks without preauth, learns the salt from ETYPE-INFO2, answers with PA-ENC-TIMESTAMP, caches the TGT', () => {
    const h = newHost(new Net(config));
    const run = h.run({ kind: 'sign-in', password: 'alice-pw' });
    const r = ok(run.result);
    expect(run.steps.map((s) => s.state)).toEqual(['AS_INITIAL', 'AS_PREAUTH', 'DONE']);
    const [first, second] = run.exchanges.map((x) => decodeAsReq(x.send.bytes));
    expect(first!.reqBody.kdcOptions).toBe(WINDOWS_AS_OPTIONS);
    expect(first!.padata!.map((p) => p.padataType)).toEqual([
      PaType.PA_PAC_REQUEST,
      PaType.PA_REQ_ENC_PA_REP,
    ]);
    expect(second!.padata!.map((p) => p.padataType)).toEqual([
      PaType.PA_ENC_TIMESTAMP,
      PaType.PA_PAC_REQUEST,
      PaType.PA_REQ_ENC_PA_REP,
    ]);
    expect(second!.reqBody.nonce).not.toBe(first!.reqBody.nonce);
    expect(texts(run.events)).toMatch(
      /the KDC wants pre-authentication; the salt for aes256-cts-hmac-sha1-96 is EXAMPLE.TESTalice/,
    );
    expect(texts(run.events)).toMatch(/checksum of our AS-REQ inside it matches \(RFC 6806 §11\)/);
    expect(r.outcome).toBe('signed-in');
    const tgt = r.credential;
    expect(formatPrincipal(tgt.server)).toBe('krbtgt/EXAMPLE.TEST@EXAMPLE.TEST');
    expect(tgt.flags >>> 0).toBe(0x40e10000);
    expect(tgt.endtime - tgt.starttime).toBe(10 * HOUR);
    expect(tgt.renewTill! - T0).toBe(7 * 24 * HOUR);
    expect(h.client.cache.defaultPrincipal && formatPrincipal(h.client.cache.defaultPrincipal)).toBe(
      'alice@EXAMPLE.TEST',
    );
    expect(h.client.state).toBe('DONE');
  });

  test('uses the s2kparams the KDC sends (iteration count) and a non-default salt', () => {
    const h = new Host(new Net(config), { principal: `dave@${REALM}` });
    const run = h.run({ kind: 'sign-in', password: 'dave-pw' });
    ok(run.result);
    expect(texts(run.events)).toMatch(
      /salt for aes256-cts-hmac-sha1-96 is EXAMPLE.TESTdave-custom and the s2kparams ask for 5000 iterations/,
    );
  });

  test('a client that needs no pre-authentication gets its TGT from the first AS-REQ', () => {
    const h = new Host(new Net(config), { principal: `bob@${REALM}` });
    const run = h.run({ kind: 'sign-in', password: 'bob-pw' });
    expect(ok(run.result).credential.flags & TicketFlag.PRE_AUTHENT).toBe(0);
    expect(run.steps.map((s) => s.state)).toEqual(['AS_INITIAL', 'DONE']);
  });

  test('sign-in with keys (a keytab) instead of a password', async () => {
    const { stringToKey } = await import('../../../src/crypto');
    const k = stringToKey(18, 'alice-pw', 'EXAMPLE.TESTalice');
    const h = newHost(new Net(config));
    ok(h.run({ kind: 'sign-in', keys: [{ etype: 18, bytes: k.bytes }] }).result);
  });
});

describe('every KDC failure, seen from the client, is a typed error with the code and e-text', () => {
  test('wrong password: KDC_ERR_PREAUTH_FAILED (24)', () => {
    const h = newHost(new Net(config));
    const err = failed(h.run({ kind: 'sign-in', password: 'wrong' }).result);
    expect(err).toBeInstanceOf(KdcError);
    expect(err.code).toBe(24);
    expect(err.message).toMatch(
      /^pre-authentication failed: the password is wrong \(KDC_ERR_PREAUTH_FAILED, 24\)/,
    );
    expect((err as KdcError).eText).toMatch(/wrong password/);
    expect(h.client.state).toBe('FAILED');
  });

  test('unknown client: KDC_ERR_C_PRINCIPAL_UNKNOWN (6)', () => {
    const h = new Host(new Net(config), { principal: `mallory@${REALM}` });
    const err = failed(h.run({ kind: 'sign-in', password: 'x' }).result) as KdcError;
    expect(err.code).toBe(6);
    expect(err.realm).toBe(REALM);
    expect(err.message).toMatch(
      /does not know this user .*mallory@EXAMPLE.TEST is not in the EXAMPLE.TEST database/,
    );
  });

  test('unknown server: KDC_ERR_S_PRINCIPAL_UNKNOWN (7)', () => {
    const h = signedIn();
    const err = failed(h.run({ kind: 'service-ticket', service: 'cifs/nowhere.example.test' }).result);
    expect(err).toBeInstanceOf(KdcError);
    expect(err.code).toBe(7);
    expect(err.message).toMatch(/a ticket for cifs\/nowhere.example.test/);
  });

  test('no common enctype: KDC_ERR_ETYPE_NOSUPP (14)', () => {
    const h = new Host(new Net(config), { principal: `old@${REALM}`, etypes: [18, 17] });
    const err = failed(h.run({ kind: 'sign-in', password: 'old-pw' }).result);
    expect(err.code).toBe(14);
    expect(err.message).toMatch(/old@EXAMPLE.TEST has keys for rc4-hmac/);
  });

  test('clock skew: KRB_AP_ERR_SKEW (37), reported without kdc_timesync', () => {
    const h = newHost(new Net(config));
    h.skew = 6 * MIN;
    const run = h.run({ kind: 'sign-in', password: 'alice-pw' });
    const err = failed(run.result) as KdcError;
    expect(err.code).toBe(37);
    expect(err.kdcTime).toBe(T0);
    expect(texts(run.events)).toMatch(
      /our clock \(2026-03-02T08:06:00Z\) is 6m ahead of the KDC's .* fix the clock/,
    );
  });

  test('clock skew with kdc_timesync: the retry with the KDC time succeeds, and later requests use it', () => {
    const h = newHost(new Net(config), { kdcTimesync: true });
    h.skew = -7 * MIN;
    const run = h.run({ kind: 'sign-in', password: 'alice-pw' });
    ok(run.result);
    expect(run.steps.map((s) => s.state)).toEqual(['AS_INITIAL', 'AS_PREAUTH', 'AS_PREAUTH', 'DONE']);
    expect(h.client.clockOffset).toBe(7 * MIN);
    expect(texts(run.events)).toMatch(/adopt the KDC's time \(offset \+7m\) and retry once/);
    const svc = h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' });
    expect(ok(svc.result).outcome).toBe('service-ticket');
    expect(svc.exchanges).toHaveLength(1);
  });

  test('kdc_timesync retries only once', () => {
    const net = new Net(config);
    const h = newHost(net, { kdcTimesync: true });
    ok(h.run({ kind: 'sign-in', password: 'alice-pw' }).result);
    // The KDC's clock jumps after each request: the retry with the learned offset is off again.
    const transport = net.transport;
    let n = 0;
    const run = runClient(
      h.client,
      { kind: 'service-ticket', service: 'cifs/fs1.example.test' },
      (send) => transport(send),
      () => {
        net.kdcOffset[REALM] = ++n * 10 * MIN;
        return { now: net.now, random: h.random };
      },
    );
    expect(failed(run.result).code).toBe(37);
    expect(run.exchanges).toHaveLength(2);
  });

  test('skew at the TGS with kdc_timesync: the KDC clock moved after sign-in, the retry with its time succeeds', () => {
    const h = signedIn({ kdcTimesync: true });
    h.net.kdcOffset[REALM] = 8 * MIN;
    const run = h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' });
    ok(run.result);
    expect(run.steps.map((s) => s.state)).toEqual(['TGS_REFERRALS', 'TGS_REFERRALS', 'DONE']);
    expect(h.client.clockOffset).toBe(8 * MIN);
  });

  test('KRB_ERR_RESPONSE_TOO_BIG (52): the same request again, asking for TCP', () => {
    const net = new Net(config);
    const h = newHost(net);
    let first = true;
    const run = runClient(
      h.client,
      { kind: 'sign-in', password: 'alice-pw' },
      (send) => {
        if (first) {
          first = false;
          return {
            reply: encodeKrbError({
              pvno: 5,
              msgType: 30,
              stime: new Date(T0),
              susec: 0,
              errorCode: ErrorCode.KRB_ERR_RESPONSE_TOO_BIG,
              realm: REALM,
              sname: { nameType: 2, nameString: ['krbtgt', REALM] },
            }),
          };
        }
        return net.transport(send);
      },
      { now: T0, random: h.random },
    );
    ok(run.result);
    expect(run.exchanges[1]!.send.preferTcp).toBe(true);
    expect(run.exchanges[1]!.send.bytes).toEqual(run.exchanges[0]!.send.bytes);
    expect(run.exchanges[2]!.send.preferTcp).toBeUndefined();
  });

  test('expired TGT: the KDC says KRB_AP_ERR_TKT_EXPIRED (32) when only its clock is past the end', () => {
    const h = signedIn({ checkTgtExpiry: true });
    h.net.now = T0 + 10 * HOUR + 2 * MIN; // the KDC's clock: 2 minutes past the end
    h.skew = -3 * MIN; // ours: 1 minute before it, so we still send
    const err = failed(h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' }).result);
    expect(err).toBeInstanceOf(KdcError);
    expect(err.code).toBe(32);
    expect(err.message).toMatch(/^the ticket has expired \(KRB_AP_ERR_TKT_EXPIRED, 32\)/);
  });

  test('expired TGT on our own clock: refused locally with code 32, nothing sent', () => {
    const h = signedIn();
    h.net.now = T0 + 11 * HOUR;
    const run = h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' });
    const err = failed(run.result);
    expect(err).toBeInstanceOf(CredentialError);
    expect(err.code).toBe(32);
    expect(err.message).toMatch(/expired 1h ago, at 2026-03-02T18:00:00Z/);
    expect(run.exchanges).toHaveLength(0);
  });

  test('no TGT: a CredentialError before anything is sent', () => {
    const h = newHost(new Net(config));
    const err = failed(h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' }).result);
    expect(err).toBeInstanceOf(CredentialError);
    expect((err as CredentialError).reason).toBe('no-tgt');
  });

  test('an unreachable KDC is a TransportError', () => {
    const net = new Net(config);
    net.down.add(REALM);
    const err = failed(newHost(net).run({ kind: 'sign-in', password: 'alice-pw' }).result);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/no KDC of EXAMPLE.TEST answered: the request timed out/);
  });
});

describe('service tickets, cross-realm paths and referrals', () => {
  test('a service ticket in one realm, then found in the cache without asking again', () => {
    const h = signedIn();
    const run = h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' });
    const r = ok(run.result);
    expect(run.steps.map((s) => s.state)).toEqual(['TGS_REFERRALS', 'DONE']);
    const req = decodeTgsReq(run.exchanges[0]!.send.bytes);
    expect(req.reqBody.kdcOptions).toBe(0x40810000);
    expect(formatPrincipal(r.credential.server)).toBe('cifs/fs1.example.test@EXAMPLE.TEST');
    expect(r.credential.endtime).toBe(T0 + 10 * HOUR);
    expect(texts(run.events)).toMatch(/decrypts with our subkey \(key usage 9\)/);
    const again = h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' });
    expect(ok(again.result).fromCache).toBe(true);
    expect(again.exchanges).toHaveLength(0);
  });

  test('without a subkey the reply comes in the TGT session key (key usage 8)', () => {
    const h = signedIn({ tgsSubkey: false });
    const run = h.run({ kind: 'service-ticket', service: 'cifs/fs1.example.test' });
    ok(run.result);
    expect(texts(run.events)).toMatch(/the TGT session key \(key usage 8\)/);
  });

  test('a cross-realm path over two trusts: krbtgt/THIRD asked of the home KDC, hop by hop', () => {
    const h = signedIn({ hostRealm: { '.third.test': 'THIRD.TEST' } });
    const run = h.run({ kind: 'service-ticket', service: 'cifs/fs3.third.test' });
    const r = ok(run.result);
    expect(run.steps.map((s) => s.state)).toEqual(['TGS_GET_TGT', 'TGS_GET_TGT', 'TGS_REFERRALS', 'DONE']);
    expect(run.exchanges.map((x) => x.send.realm)).toEqual([REALM, 'OTHER.TEST', 'THIRD.TEST']);
    expect(run.exchanges.map((x) => decodeTgsReq(x.send.bytes).reqBody.sname!.nameString.join('/'))).toEqual([
      'krbtgt/THIRD.TEST',
      'krbtgt/THIRD.TEST',
      'cifs/fs3.third.test',
    ]);
    expect(r.path).toEqual([REALM, 'OTHER.TEST', 'THIRD.TEST']);
    expect(formatPrincipal(r.credential.server)).toBe('cifs/fs3.third.test@THIRD.TEST');
    expect(formatPrincipal(r.credential.client)).toBe('alice@EXAMPLE.TEST');
    expect(texts(run.events)).toMatch(
      /EXAMPLE.TEST has no direct trust to THIRD.TEST: it gave us a TGT for OTHER.TEST/,
    );
    const servers = h.client.cache.credentials.map((c) => formatPrincipal(c.server));
    expect(servers).toEqual([
      'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST',
      'krbtgt/OTHER.TEST@EXAMPLE.TEST',
      'krbtgt/THIRD.TEST@OTHER.TEST',
      'cifs/fs3.third.test@THIRD.TEST',
    ]);
    // A second service in THIRD.TEST goes straight there with the cached cross-realm TGT.
    const next = h.run({ kind: 'service-ticket', service: 'host/fs3.third.test' });
    expect(next.exchanges.map((x) => x.send.realm)).toEqual(['THIRD.TEST']);
  });

  test('a referral chain: canonicalize and a host-based SPN, followed realm by realm', () => {
    const h = signedIn();
    const run = h.run({ kind: 'service-ticket', service: 'cifs/fs3.third.test' });
    const r = ok(run.result);
    expect(run.steps.map((s) => s.state)).toEqual([
      'TGS_REFERRALS',
      'TGS_REFERRALS',
      'TGS_REFERRALS',
      'DONE',
    ]);
    expect(run.exchanges.map((x) => x.send.realm)).toEqual([REALM, 'OTHER.TEST', 'THIRD.TEST']);
    for (const x of run.exchanges) {
      const body = decodeTgsReq(x.send.bytes).reqBody;
      expect(body.sname!.nameString).toEqual(['cifs', 'fs3.third.test']);
      expect(body.sname!.nameType).toBe(3);
      expect(body.kdcOptions & KdcOption.CANONICALIZE).toBeTruthy();
    }
    expect(r.path).toEqual([REALM, 'OTHER.TEST', 'THIRD.TEST']);
    const t = texts(run.events);
    expect(t).toMatch(
      /no host-to-realm mapping for fs3.third.test: asking the home realm EXAMPLE.TEST with canonicalize/,
    );
    expect(t).toMatch(
      /the DC of EXAMPLE.TEST referred us to OTHER.TEST .*; following the referral \(hop 1 of 10\)/,
    );
    expect(t).toMatch(
      /the DC of OTHER.TEST referred us to THIRD.TEST .*; following the referral \(hop 2 of 10\)/,
    );
  });

  test('an explicit realm in the name skips the mapping', () => {
    const h = signedIn();
    const run = h.run({ kind: 'service-ticket', service: 'cifs/fs2.other.test@OTHER.TEST' });
    expect(ok(run.result).path).toEqual([REALM, 'OTHER.TEST']);
    expect(run.steps[0]!.state).toBe('TGS_GET_TGT');
  });

  test('a referral loop (two realms mapping the host to each other) is detected', () => {
    const h = new Host(new Net(loopConfig), { principal: 'alice@H.TEST' });
    ok(h.run({ kind: 'sign-in', password: 'alice-pw' }).result);
    const run = h.run({ kind: 'service-ticket', service: 'cifs/x.loop.test' });
    const err = failed(run.result);
    expect(err).toBeInstanceOf(ReferralError);
    expect((err as ReferralError).reason).toBe('loop');
    expect((err as ReferralError).path).toEqual(['H.TEST', 'A.TEST', 'B.TEST', 'A.TEST']);
    expect(run.exchanges).toHaveLength(3);
  });

  test('the hop limit: without loop detection, the chase stops after maxReferralHops', () => {
    const h = new Host(new Net(loopConfig), {
      principal: 'alice@H.TEST',
      detectReferralLoops: false,
      maxReferralHops: 3,
    });
    ok(h.run({ kind: 'sign-in', password: 'alice-pw' }).result);
    const run = h.run({ kind: 'service-ticket', service: 'cifs/x.loop.test' });
    const err = failed(run.result) as ReferralError;
    expect(err).toBeInstanceOf(ReferralError);
    expect(err.reason).toBe('hop-limit');
    expect(err.limit).toBe(3);
    expect(err.path).toEqual(['H.TEST', 'A.TEST', 'B.TEST', 'A.TEST', 'B.TEST']);
    expect(run.exchanges).toHaveLength(4);
    expect(texts(run.events)).toMatch(/following the referral \(hop 3 of 3\)/);
    expect(texts(run.events)).toMatch(/that would be hop 4, over the limit of 3; stopping/);
    expect(h.client.state).toBe('FAILED');
  });

  test('the default hop limit is 10', () => {
    const h = new Host(new Net(loopConfig), { principal: 'alice@H.TEST', detectReferralLoops: false });
    ok(h.run({ kind: 'sign-in', password: 'alice-pw' }).result);
    const run = h.run({ kind: 'service-ticket', service: 'cifs/x.loop.test' });
    expect((failed(run.result) as ReferralError).reason).toBe('hop-limit');
    expect(run.exchanges).toHaveLength(11);
  });
});

describe('renewal', () => {
  test('renews at the given time up to renew-till; after that, the KDC refuses with 32', () => {
    const h = signedIn({ lifetime: 2 * HOUR, renewLifetime: 5 * HOUR });
    const tgt = findCredential(h.client.cache, { name: { nameType: 2, nameString: ['krbtgt', REALM] } })!;
    expect(tgt.endtime).toBe(T0 + 2 * HOUR);
    expect(tgt.renewTill).toBe(T0 + 5 * HOUR);

    h.net.now = T0 + 90 * MIN;
    const run = h.run({ kind: 'renew' });
    const r = ok(run.result);
    expect(run.steps.map((s) => s.state)).toEqual(['TGS_RENEW', 'DONE']);
    expect(decodeTgsReq(run.exchanges[0]!.send.bytes).reqBody.kdcOptions & KdcOption.RENEW).toBeTruthy();
    expect(r.outcome).toBe('renewed');
    expect(r.credential.starttime).toBe(T0 + 90 * MIN);
    expect(r.credential.endtime).toBe(T0 + 90 * MIN + 2 * HOUR);
    expect(r.credential.renewTill).toBe(T0 + 5 * HOUR);
    expect(h.client.cache.credentials).toHaveLength(1); // replaced, not added
    expect(texts(run.events)).toMatch(
      /renewed krbtgt\/EXAMPLE.TEST@EXAMPLE.TEST: now valid from 2026-03-02T09:30:00Z until 2026-03-02T11:30:00Z/,
    );

    h.net.now = T0 + 3 * HOUR + 20 * MIN;
    expect(ok(h.run({ kind: 'renew' }).result).credential.endtime).toBe(T0 + 5 * HOUR);

    h.net.now = T0 + 5 * HOUR + MIN;
    const late = failed(h.run({ kind: 'renew' }).result);
    expect(late.code).toBe(ErrorCode.KRB_AP_ERR_TKT_EXPIRED);
  });

  test('a ticket that is not renewable: KDC_ERR_BADOPTION (13)', () => {
    const h = signedIn({ asOptions: KdcOption.FORWARDABLE });
    h.net.now = T0 + HOUR;
    expect(failed(h.run({ kind: 'renew' }).result).code).toBe(ErrorCode.KDC_ERR_BADOPTION);
  });
});

describe('the machine itself', () => {
  test('every edge of the table is reachable in principle, and at rest only start edges leave', () => {
    const states = new Set<ClientState>(TRANSITIONS.flatMap((t) => [t.from, t.to]));
    expect([...states].sort()).toEqual(
      [
        'AS_INITIAL',
        'AS_PREAUTH',
        'DONE',
        'FAILED',
        'IDLE',
        'TGS_GET_TGT',
        'TGS_REFERRALS',
        'TGS_RENEW',
      ].sort(),
    );
    for (const t of TRANSITIONS.filter((x) => AT_REST.includes(x.from))) {
      expect([
        'sign-in',
        'get-ticket',
        'get-cross-realm-tgt',
        'found-in-cache',
        'renew',
        'cannot-start',
      ]).toContain(t.on);
    }
    // no two edges leave one state on the same trigger
    const keys = TRANSITIONS.map((t) => `${t.from}/${t.on}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a step with nothing in flight, or a start while busy, is the caller’s mistake', () => {
    const c = new KerberosClient({ principal: 'alice@EXAMPLE.TEST' });
    const ctx = { now: T0, random: seededRandom(3) };
    expect(() => c.step({ type: 'reply', bytes: new Uint8Array([0x7e]) }, ctx)).toThrow(
      /nothing is in flight/,
    );
    c.step({ type: 'start', request: { kind: 'sign-in', password: 'x' } }, ctx);
    expect(() => c.step({ type: 'start', request: { kind: 'sign-in', password: 'x' } }, ctx)).toThrow(/busy/);
  });

  test('garbage from the network fails the exchange with a typed error', () => {
    const c = new KerberosClient({ principal: 'alice@EXAMPLE.TEST' });
    const ctx = { now: T0, random: seededRandom(3) };
    c.step({ type: 'start', request: { kind: 'sign-in', password: 'x' } }, ctx);
    const out = c.step({ type: 'reply', bytes: new Uint8Array([1, 2, 3]) }, ctx);
    expect(out.done && !out.done.ok && out.done.error.kind).toBe('reply');
    expect(out.state).toBe('FAILED');
  });

  test('a reply to another request (wrong nonce) is rejected', () => {
    const net = new Net(config);
    const h = newHost(net, { tgsSubkey: false });
    ok(h.run({ kind: 'sign-in', password: 'alice-pw' }).result);
    const ctx = { now: T0, random: h.random };
    const before = h.client.snapshot();
    const start = {
      type: 'start',
      request: { kind: 'service-ticket', service: 'cifs/fs1.example.test' },
    } as const;
    const first = h.client.step(start, ctx);
    const stale = (net.transport(first.send!) as { reply: Uint8Array }).reply;
    // Another request from the same state (a new nonce), answered with the first request's reply.
    const c2 = KerberosClient.restore(before);
    expect(c2.step(start, { now: T0 + 1000, random: h.random }).send).toBeDefined();
    const out = c2.step({ type: 'reply', bytes: stale }, { now: T0 + 1000, random: h.random });
    expect(out.state).toBe('FAILED');
    const err = out.done && !out.done.ok ? out.done.error : undefined;
    expect(err?.message).toMatch(/the reply's nonce \d+ is not the \d+ we sent/);
  });

  test('a snapshot taken mid-exchange restores to exactly the same continuation', () => {
    const net = new Net(config);
    const h = newHost(net);
    const ctx = { now: T0, random: seededRandom(9) };
    const out = h.client.step({ type: 'start', request: { kind: 'sign-in', password: 'alice-pw' } }, ctx);
    const reply = (net.transport(out.send!) as { reply: Uint8Array }).reply;
    const snap = h.client.snapshot();
    const a = KerberosClient.restore(snap).step(
      { type: 'reply', bytes: reply },
      { now: T0, random: seededRandom(5) },
    );
    const b = KerberosClient.restore(snap).step(
      { type: 'reply', bytes: reply },
      { now: T0, random: seededRandom(5) },
    );
    expect(a.send!.bytes).toEqual(b.send!.bytes);
    expect(a.state).toBe('AS_PREAUTH');
    expect(structuredClone(snap)).toEqual(snap);
  });

  test('determinism: same seeds, same bytes on the wire; another seed, other bytes', () => {
    const wire = (seed: number) => {
      const net = new Net(config, 1);
      const h = new Host(net, { principal: `alice@${REALM}` }, seed);
      const runs = [
        h.run({ kind: 'sign-in', password: 'alice-pw' }),
        h.run({ kind: 'service-ticket', service: 'cifs/fs3.third.test' }),
      ];
      return runs.flatMap((r) =>
        r.exchanges.flatMap((x) => [x.send.bytes, (x.answer as { reply: Uint8Array }).reply]),
      );
    };
    const a = wire(11);
    expect(a).toHaveLength(10);
    expect(wire(11)).toEqual(a);
    expect(wire(12)).not.toEqual(a);
  });

  test('the table drives: every step names the edge it took, and the state after it is that row’s `to`', () => {
    const h = newHost(new Net(config), { renewLifetime: 7 * 24 * HOUR });
    const runs: Run[] = [
      h.run({ kind: 'sign-in', password: 'alice-pw' }),
      h.run({ kind: 'service-ticket', service: 'cifs/fs3.third.test' }), // referrals
      h.run({ kind: 'service-ticket', service: 'cifs/fs3.third.test' }), // from the cache
      h.run({ kind: 'renew' }),
      h.run({ kind: 'service-ticket', service: 'cifs/nowhere.example.test' }), // the KDC refuses
    ];
    const taken: string[] = [];
    let state: ClientState = 'IDLE';
    for (const step of runs.flatMap((r) => r.steps)) {
      expect(edge(state, step.on)?.to).toBe(step.state);
      taken.push(`${state} -${step.on}-> ${step.state}`);
      state = step.state;
    }
    expect(taken).toEqual([
      'IDLE -sign-in-> AS_INITIAL',
      'AS_INITIAL -preauth-required-> AS_PREAUTH',
      'AS_PREAUTH -as-rep-> DONE',
      'DONE -get-ticket-> TGS_REFERRALS',
      'TGS_REFERRALS -referral-> TGS_REFERRALS',
      'TGS_REFERRALS -referral-> TGS_REFERRALS',
      'TGS_REFERRALS -service-ticket-> DONE',
      'DONE -found-in-cache-> DONE',
      'DONE -renew-> TGS_RENEW',
      'TGS_RENEW -renewed-> DONE',
      'DONE -get-ticket-> TGS_REFERRALS',
      'TGS_REFERRALS -krb-error-> FAILED',
    ]);
  });

  test('stepClient returns the next snapshot and what to send, and leaves the snapshot it was given as it was', () => {
    const h = signedIn();
    const given = h.client.snapshot();
    const untouched = structuredClone(given);
    const start = {
      type: 'start',
      request: { kind: 'service-ticket', service: 'cifs/fs1.example.test' },
    } as const;
    const { next, out } = stepClient(given, start, { now: T0, random: seededRandom(4) });
    expect(given).toEqual(untouched);
    expect(next.state).toBe('TGS_REFERRALS');
    expect(next.op?.kind).toBe('tgs');
    expect(out.send?.message).toBe('TGS-REQ');
    expect(next.lastAuthenticatorUs).not.toBe(given.lastAuthenticatorUs);
    // The object facade steps the same way.
    const viaClass = KerberosClient.restore(untouched).step(start, { now: T0, random: seededRandom(4) });
    expect(viaClass.send!.bytes).toEqual(out.send!.bytes);
    // And the reply, fed to the next snapshot, ends it with the ticket stored there only.
    const reply = (h.net.transport(out.send!) as { reply: Uint8Array }).reply;
    const done = stepClient(next, { type: 'reply', bytes: reply }, { now: T0, random: seededRandom(4) });
    expect(done.out.done?.ok).toBe(true);
    expect(done.next.cache.credentials).toHaveLength(2);
    expect(next.cache.credentials).toHaveLength(1);
    expect(done.next.op).toBeUndefined();
  });
});

describe('the drive loop', () => {
  const clockOf = (h: Host) => () => ({ now: h.net.now, random: h.random });

  test('one loop for both kinds of transport: answered later (sockets), the same bytes, states and narration', async () => {
    const a = newHost(new Net(config, 1));
    const b = newHost(new Net(config, 1));
    const requests = [
      { kind: 'sign-in', password: 'alice-pw' },
      { kind: 'service-ticket', service: 'cifs/fs3.third.test' },
    ] as const;
    for (const request of requests) {
      const now = runClient(a.client, request, a.net.transport, clockOf(a));
      const later = await runClientAsync(
        b.client,
        request,
        (send) => new Promise((resolve) => setTimeout(() => resolve(b.net.transport(send)), 1)),
        clockOf(b),
      );
      expect(later.exchanges).toEqual(now.exchanges);
      expect(later.steps).toEqual(now.steps);
      expect(later.result).toEqual(now.result);
    }
  });

  test('the transport is handed what the client said in the step that made each request', () => {
    const h = newHost(new Net(config));
    const heard: (ClientEvent[] | undefined)[] = [];
    const run = runClient(
      h.client,
      { kind: 'sign-in', password: 'alice-pw' },
      (send, narration) => {
        heard.push(narration);
        return h.net.transport(send);
      },
      clockOf(h),
    );
    expect(heard).toHaveLength(2);
    expect(heard).toEqual(run.steps.slice(0, -1).map((s) => s.events));
    expect(texts(heard[0]!)).toMatch(/signing in as alice@EXAMPLE.TEST/);
  });

  test('an operation that keeps sending is stopped at the bound, as the caller’s mistake', async () => {
    const h = newHost(new Net(config));
    const signIn = { kind: 'sign-in', password: 'alice-pw' } as const;
    expect(() => runClient(h.client, signIn, h.net.transport, clockOf(h), 1)).toThrow(ClientInputError);
    const g = newHost(new Net(config));
    await expect(
      runClientAsync(g.client, signIn, async (send) => g.net.transport(send), clockOf(g), 1),
    ).rejects.toThrow(/sent 1 requests without finishing/);
  });
});
