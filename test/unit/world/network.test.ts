// The world's network, clock and trace, exercised with real KDC traffic (requests built as clients build
// them, test/unit/kdc/helper.ts); the client state machine drives the same paths in flows.test.ts.
import { describe, expect, test } from 'vitest';
import { decodeKdcProxyMessage } from '../../../src/asn1';
import { ErrorCode } from '../../../src/asn1/registry';
import { buildKdcState, type KdcConfig } from '../../../src/kdc';
import { sendToKdc, World, UDP_REPLY_LIMIT, type WorldState } from '../../../src/world';
import { asReq, expectError, expectRep, name, seededRandom, T0 } from '../kdc/helper';

const config: KdcConfig = {
  realms: [
    {
      // no PAC here: replies stay small enough for one UDP datagram
      name: 'CORP.TEST',
      pac: false,
      principals: [
        { name: 'alice', password: 'alice-pw' },
        { name: 'carol', password: 'carol-pw', requiresPreauth: false },
      ],
    },
    {
      name: 'BIG.TEST',
      principals: [
        // many groups make a big PAC: a reply too big for one UDP datagram
        {
          name: 'bigbob',
          password: 'bob-pw',
          requiresPreauth: false,
          groups: Array.from(
            { length: 200 },
            (_, i) => `S-1-5-21-1004336348-1177238915-682003330-${3000 + i}`,
          ),
        },
      ],
    },
  ],
};

function world(transport: 'udp' | 'tcp' | 'kkdcp' = 'udp', seed = 5): World {
  return World.create({
    seed,
    now: T0,
    hosts: [
      { id: 'ws1', name: 'ws1.corp.test', clockOffset: 0, up: true },
      { id: 'dc1', name: 'dc1.corp.test', clockOffset: 0, up: true },
    ],
    network: { latency: 2, links: [], blocked: [] },
    locator: {
      'CORP.TEST': { host: 'dc1', transport, ...(transport === 'kkdcp' ? { proxyPath: '/KdcProxy' } : {}) },
      'BIG.TEST': { host: 'dc1', transport },
    },
    kdcs: [{ id: 'kdc', host: 'dc1', state: buildKdcState(config, seededRandom(1)) }],
    services: [],
  });
}

const carolReq = () => asReq({ realm: 'CORP.TEST', cname: name('carol'), nonce: 1 });

describe('sending to a KDC', () => {
  test('a UDP exchange: request and reply traced with times, transport and types; the clock moves by the latencies', () => {
    const w = world();
    const out = sendToKdc(w, 'ws1', 'CORP.TEST', carolReq());
    expect(expectRep(out.reply!).cname.nameString).toEqual(['carol']);
    expect(w.trace.map((e) => [e.from, e.to, e.transport, e.type, e.t - T0])).toEqual([
      ['ws1', 'dc1', 'udp', 'AS-REQ', 0],
      ['dc1', 'ws1', 'udp', 'AS-REP', 2],
    ]);
    expect(w.now).toBe(T0 + 4);
    expect(w.trace[0]!.narration.some((n) => n.actor === 'KDC CORP.TEST' && n.stage === 'issue')).toBe(true);
    expect(w.trace[1]!.replyTo).toBe(1);
  });

  test('a reply too big for UDP: KRB_ERR_RESPONSE_TOO_BIG, then the same request over TCP', () => {
    const w = world();
    const out = sendToKdc(w, 'ws1', 'BIG.TEST', asReq({ realm: 'BIG.TEST', cname: name('bigbob') }));
    const rep = out.reply!;
    expect(rep.length).toBeGreaterThan(UDP_REPLY_LIMIT);
    expectRep(rep);
    expect(w.trace.map((e) => `${e.transport} ${e.type}`)).toEqual([
      'udp AS-REQ',
      'udp KRB-ERROR',
      'tcp AS-REQ',
      'tcp AS-REP',
    ]);
    expect(w.trace[1]!.errorCode).toBe(ErrorCode.KRB_ERR_RESPONSE_TOO_BIG);
  });

  test('an unreachable KDC: three UDP tries on the virtual clock (1 s, 2 s, 4 s), then a transport failure', () => {
    const w = world();
    w.setHostUp('dc1', false);
    const start = w.now;
    const out = sendToKdc(w, 'ws1', 'CORP.TEST', carolReq());
    expect(out.failure?.reason).toBe('host-down');
    expect(w.now - start).toBe(7000);
    expect(w.trace.filter((e) => e.kind === 'timeout')).toHaveLength(3);
  });

  test('a blocked port and a down link are told apart in the trace', () => {
    const w = world('tcp');
    w.blockPort('dc1', 88);
    expect(sendToKdc(w, 'ws1', 'CORP.TEST', carolReq()).failure?.reason).toBe('port-blocked');
    w.blockPort('dc1', 88, false);
    w.setLink('ws1', 'dc1', { up: false });
    expect(sendToKdc(w, 'ws1', 'CORP.TEST', carolReq()).failure?.reason).toBe('link-down');
    w.setLink('ws1', 'dc1', { up: true });
    expectRep(sendToKdc(w, 'ws1', 'CORP.TEST', carolReq()).reply!);
  });

  test('a lossy link: lost datagrams are retried, and the seed decides which', () => {
    const runs = [1, 2, 3, 4, 5, 6].map((seed) => {
      const w = world('udp', seed);
      w.setLink('ws1', 'dc1', { up: true, loss: 0.5 });
      const out = sendToKdc(w, 'ws1', 'CORP.TEST', carolReq());
      return { ok: out.reply !== undefined, timeouts: w.trace.filter((e) => e.kind === 'timeout').length };
    });
    expect(runs.some((r) => r.timeouts > 0 && r.ok)).toBe(true);
    // same seed, same losses
    const again = world('udp', 3);
    again.setLink('ws1', 'dc1', { up: true, loss: 0.5 });
    sendToKdc(again, 'ws1', 'CORP.TEST', carolReq());
    expect(again.trace.filter((e) => e.kind === 'timeout').length).toBe(runs[2]!.timeouts);
  });

  test('through a KDC proxy: a KDC-PROXY-MESSAGE over HTTPS carrying the request with its length prefix', () => {
    const w = world('kkdcp');
    const out = sendToKdc(w, 'ws1', 'CORP.TEST', carolReq());
    expectRep(out.reply!);
    const [req, rep] = w.trace;
    expect([req!.transport, req!.port, req!.type, rep!.type]).toEqual(['kkdcp', 443, 'AS-REQ', 'AS-REP']);
    const msg = decodeKdcProxyMessage(req!.bytes!);
    expect(msg.targetDomain).toBe('CORP.TEST');
    expect(msg.kerbMessage.subarray(4)).toEqual(req!.inner);
  });

  test('an unknown realm: no KDC to ask', () => {
    const w = world();
    expect(sendToKdc(w, 'ws1', 'NOWHERE.TEST', carolReq()).failure?.reason).toBe('no-kdc');
  });

  test('clock skew is per host: the KDC judges the client’s timestamp by its own clock', () => {
    const w = world();
    w.setClockOffset('dc1', -6 * 60_000);
    const r = asReq({ realm: 'CORP.TEST', cname: name('alice') });
    const first = expectError(sendToKdc(w, 'ws1', 'CORP.TEST', r).reply!);
    expect(first.errorCode).toBe(ErrorCode.KDC_ERR_PREAUTH_REQUIRED);
    expect(first.stime.getTime()).toBe(Math.floor((w.now - 6 * 60_000 - 2) / 1000) * 1000);
  });
});

describe('snapshots and determinism', () => {
  test('restoring a snapshot and replaying the same actions gives the same trace, byte for byte', () => {
    const w = world();
    sendToKdc(w, 'ws1', 'CORP.TEST', carolReq());
    const snap: WorldState = w.snapshot();
    w.elapse(3_600_000);
    sendToKdc(w, 'ws1', 'CORP.TEST', carolReq());
    const after = w.trace.map((e) => e.bytes);
    const back = World.restore(snap);
    expect(back.trace).toHaveLength(2);
    expect(back.now).toBe(snap.now);
    back.elapse(3_600_000);
    sendToKdc(back, 'ws1', 'CORP.TEST', carolReq());
    expect(back.trace.map((e) => e.bytes)).toEqual(after);
  });

  test('two worlds from the same seed make identical bytes; another seed makes different session keys', () => {
    const a = world('udp', 9);
    const b = world('udp', 9);
    const c = world('udp', 10);
    for (const w of [a, b, c]) sendToKdc(w, 'ws1', 'CORP.TEST', carolReq());
    expect(a.trace[1]!.bytes).toEqual(b.trace[1]!.bytes);
    expect(a.trace[1]!.bytes).not.toEqual(c.trace[1]!.bytes);
  });

  test('time only moves forward', () => {
    expect(() => world().elapse(-1)).toThrow(/time only moves forward/);
  });
});
