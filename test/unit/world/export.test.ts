// Exports read the trace: a pcapng that our own reader reads back as exactly the trace's Kerberos
// messages, a keytab with the KDCs' keys, the client's ccache, and the trace as JSON.
import { describe, expect, test } from 'vitest';
import { ErrorCode } from '../../../src/asn1/registry';
import { stringToKey } from '../../../src/crypto';
import { formatPrincipal } from '../../../src/asn1/principal';
import { decodeCcache, decodeKeytab } from '../../../src/formats';
import { readCapture } from '../../../src/formats/pcap';
import { buildKdcState, type KdcConfig } from '../../../src/kdc';
import { toHex } from '../../../src/util';
import {
  accessService,
  addClient,
  exportCcache,
  exportKeytab,
  exportPcap,
  exportPcapng,
  exportTraceJson,
  hostAddresses,
  planPcapExport,
  runOperation,
  serviceStateFromKdc,
  traceToJson,
  World,
  type TraceEvent,
} from '../../../src/world';
import { seededRandom, T0 } from '../kdc/helper';
import { keyOf } from '../../../src/protocol/long-term-key';

const kdcConfig: KdcConfig = {
  realms: [
    {
      name: 'CORP.TEST',
      principals: [
        { name: 'alice', password: 'alice-pw', sid: 'S-1-5-21-1-2-3-1104' },
        { name: 'cifs/fs1.corp.test', password: 'fs1-pw' },
      ],
      hostRealm: { '.other.test': 'OTHER.TEST', '.third.test': 'THIRD.TEST' },
    },
    {
      name: 'OTHER.TEST',
      principals: [{ name: 'cifs/fs2.other.test', password: 'fs2-pw' }],
      hostRealm: { '.third.test': 'THIRD.TEST' },
    },
    { name: 'THIRD.TEST', principals: [{ name: 'cifs/fs3.third.test', password: 'fs3-pw' }] },
  ],
  trusts: [
    { from: 'CORP.TEST', to: 'OTHER.TEST', password: 't1' },
    { from: 'OTHER.TEST', to: 'THIRD.TEST', password: 't2' },
  ],
};

// CORP.TEST over TCP, OTHER.TEST over UDP, THIRD.TEST behind a KDC proxy: one run shows all three.
function makeWorld(seed = 5): World {
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
      host('ws2', 'ws2.corp.test'),
      host('dc1', 'dc1.corp.test'),
      host('fs1', 'fs1.corp.test'),
      host('fs3', 'fs3.third.test'),
    ],
    network: { latency: 1, links: [], blocked: [] },
    locator: {
      'CORP.TEST': { host: 'dc1', transport: 'tcp' },
      'OTHER.TEST': { host: 'dc1', transport: 'udp' },
      'THIRD.TEST': { host: 'dc1', transport: 'kkdcp', proxyPath: '/third/kerberos' },
    },
    kdcs: [{ id: 'kdc', host: 'dc1', state: kdcState }],
    services: [
      service('fs1', 'CORP.TEST', 'cifs/fs1.corp.test'),
      service('fs3', 'THIRD.TEST', 'cifs/fs3.third.test'),
    ],
  });
  addClient(w, 'ws1', { principal: 'alice@CORP.TEST' });
  addClient(w, 'ws2', { principal: 'alice@CORP.TEST' });
  return w;
}

function runStory(w: World): void {
  expect(runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' }).ok).toBe(true);
  expect(accessService(w, 'ws1', 'fs3', 'cifs/fs3.third.test').ok).toBe(true);
  const wrong = runOperation(w, 'ws2', { kind: 'sign-in', password: 'not-it' });
  expect(!wrong.ok && wrong.error.code).toBe(ErrorCode.KDC_ERR_PREAUTH_FAILED);
}

const kerberosMessages = (w: World) =>
  w.trace.filter(
    (e): e is TraceEvent & { bytes: Uint8Array } =>
      e.kind === 'message' && ['udp', 'tcp', 'kkdcp'].includes(e.transport) && e.bytes !== undefined,
  );

/** The opt_comment of every Enhanced Packet Block of a little-endian pcapng (our reader skips them). */
function frameComments(file: Uint8Array): (string | undefined)[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: (string | undefined)[] = [];
  for (let at = 0; at < file.length;) {
    const type = dv.getUint32(at, true);
    const total = dv.getUint32(at + 4, true);
    if (type === 6) {
      const captured = dv.getUint32(at + 20, true);
      let o = at + 28 + Math.ceil(captured / 4) * 4;
      let comment: string | undefined;
      while (o < at + total - 4) {
        const code = dv.getUint16(o, true);
        const len = dv.getUint16(o + 2, true);
        if (code === 0) break;
        if (code === 1) comment = new TextDecoder().decode(file.subarray(o + 4, o + 4 + len));
        o += 4 + Math.ceil(len / 4) * 4;
      }
      out.push(comment);
    }
    at += total;
  }
  return out;
}

describe('pcapng', () => {
  const w = makeWorld();
  runStory(w);
  const file = exportPcapng(w);
  const back = readCapture(file);
  const plan = planPcapExport(w);
  const expected = kerberosMessages(w);

  test('the story used all three transports and reached a service', () => {
    expect(new Set(expected.map((e) => e.transport))).toEqual(new Set(['udp', 'tcp', 'kkdcp']));
    expect(w.trace.some((e) => e.transport === 'smb' && e.type === 'AP-REP')).toBe(true);
  });

  test('reads back as exactly the trace’s Kerberos messages: bytes, transports, times, in order', () => {
    expect(back).toHaveLength(expected.length);
    expect(back.map((m) => m.transport)).toEqual(expected.map((e) => e.transport));
    expect(back.map((m) => toHex(m.bytes))).toEqual(expected.map((e) => toHex(e.bytes)));
    expect(back.map((m) => m.time.getTime())).toEqual(expected.map((e) => e.t));
  });

  test('endpoints: each host keeps its address; the KDC on 88, the proxy on 80, a client port per request', () => {
    const ip = (id: string) => plan.addresses[id]!;
    back.forEach((m, i) => {
      const e = expected[i]!;
      const request = e.replyTo === undefined;
      const [client, server] = request ? [m.src, m.dst] : [m.dst, m.src];
      expect(client.split(':')[0]).toBe(ip(request ? e.from : e.to));
      expect(server).toBe(`${ip(request ? e.to : e.from)}:${e.transport === 'kkdcp' ? 80 : 88}`);
      expect(Number(client.split(':')[1])).toBeGreaterThanOrEqual(49152);
    });
    // a reply goes back to the port its request came from
    for (const [i, e] of expected.entries()) {
      if (e.replyTo === undefined) continue;
      const req = expected.findIndex((x) => x.seq === e.replyTo);
      expect(back[i]!.dst).toBe(back[req]!.src);
    }
    const requests = back.filter((_, i) => expected[i]!.replyTo === undefined).map((m) => m.src);
    expect(new Set(requests).size).toBe(requests.length);
  });

  test('service traffic is left out, and a frame comment says so; every message frame names its seq', () => {
    const smb = w.trace.filter((e) => e.kind === 'message' && e.transport === 'smb');
    expect(plan.skipped.map((s) => s.seq)).toEqual(smb.map((e) => e.seq));
    const comments = frameComments(file).filter((c): c is string => c !== undefined);
    expect(comments).toHaveLength(expected.length);
    comments.forEach((c, i) => expect(c.startsWith(`seq ${expected[i]!.seq} `)).toBe(true));
    expect(comments.join('\n')).toMatch(
      /not in this capture: seq \d+ ws1 -> fs3 AP-REQ: an SMB message to port 445 without its SMB2 bytes/,
    );
    const kk = comments.filter((c) => / kkdcp\//.test(c));
    expect(kk.length).toBeGreaterThan(0);
    for (const c of kk)
      expect(c).toMatch(/MS-KKDCP: sent as HTTPS to dc1.corp.test:443; drawn here as plain HTTP/);
    expect(comments.some((c) => c.includes('KDC_ERR_PREAUTH_FAILED (24)'))).toBe(true);
  });

  test('the KDC proxy POSTs go to the locator’s path', () => {
    expect(plan.kdcProxyPath).toBe('/third/kerberos');
    const text = new TextDecoder('latin1').decode(file);
    expect(text).toContain('POST /third/kerberos HTTP/1.1');
  });

  test('deterministic: the same run exports the same bytes; a restored snapshot too', () => {
    const again = makeWorld();
    runStory(again);
    expect(exportPcapng(again)).toEqual(file);
    expect(exportPcapng(World.restore(w.snapshot()))).toEqual(file);
  });

  test('from a bare trace, with hosts given; IPv6; KKDCP unwrapped onto TCP 88; classic pcap', () => {
    const fromTrace = readCapture(exportPcapng(w.trace, w.hosts));
    expect(fromTrace.map((m) => [m.src, m.dst])).toEqual(back.map((m) => [m.src, m.dst]));
    const v6 = readCapture(exportPcapng(w, undefined, { ipv6: true }));
    expect(v6).toHaveLength(expected.length);
    expect(v6[0]!.src).toMatch(/^\[fd6b:7262:706c:6179::[0-9a-f]+:[0-9a-f]+\]:49152$/);
    const unwrapped = readCapture(exportPcapng(w, undefined, { kkdcp: 'unwrap' }));
    expect(unwrapped.map((m) => m.transport)).toEqual(
      expected.map((e) => (e.transport === 'kkdcp' ? 'tcp' : e.transport)),
    );
    expect(unwrapped.map((m) => toHex(m.bytes))).toEqual(expected.map((e) => toHex(e.inner ?? e.bytes)));
    expect(readCapture(exportPcap(w)).map((m) => toHex(m.bytes))).toEqual(back.map((m) => toHex(m.bytes)));
  });

  test('fixed addresses override derived ones', () => {
    const p = planPcapExport(w, undefined, { addresses: { dc1: '192.0.2.88' } });
    expect(p.addresses.dc1).toBe('192.0.2.88');
    expect(p.messages[0]!.dst).toBe('192.0.2.88:88');
  });
});

describe('services', () => {
  test('a service on TCP 8080 is not drawn as Kerberos on 88: its AP exchange is left out with a note', () => {
    const w = makeWorld();
    w.addService({ ...w.services[0]!, id: 'web', host: 'fs1', port: 8080, transport: 'tcp' });
    runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' });
    expect(accessService(w, 'ws1', 'web', 'cifs/fs1.corp.test').ok).toBe(true);
    const plan = planPcapExport(w);
    const ap = w.trace.filter((e) => e.kind === 'message' && e.port === 8080);
    expect(ap.map((e) => e.type)).toEqual(['AP-REQ', 'AP-REP']);
    expect(plan.skipped.map((s) => s.seq)).toEqual(ap.map((e) => e.seq));
    expect(plan.skipped[0]!.reason).toMatch(/a TCP message to port 8080/);
    expect(plan.messages.every((m) => m.dst.endsWith(':88') || m.src.endsWith(':88'))).toBe(true);
  });
});

describe('addresses', () => {
  test('stable per host id, distinct, and the same whatever other hosts are present', () => {
    const a = hostAddresses([{ id: 'ws1' }, { id: 'dc1' }]);
    const b = hostAddresses([{ id: 'dc1' }, { id: 'x' }, { id: 'ws1' }]);
    expect(a.ws1).toBe(b.ws1);
    expect(a.dc1).toBe(b.dc1);
    expect(a.ws1).not.toBe(a.dc1);
    expect(a.ws1).toMatch(/^10\.\d+\.\d+\.\d+$/);
    const many = hostAddresses(Array.from({ length: 2000 }, (_, i) => ({ id: `h${i}` })));
    expect(new Set(Object.values(many)).size).toBe(2000);
  });
});

describe('messages that got no answer', () => {
  const world = (transport: 'udp' | 'tcp') => {
    const w = makeWorld();
    w.setRealmLocator('CORP.TEST', { host: 'dc1', transport });
    w.setHostUp('dc1', false);
    expect(runOperation(w, 'ws1', { kind: 'sign-in', password: 'alice-pw' }).ok).toBe(false);
    return w;
  };

  test('UDP: each try left the host, so each is a datagram, noted as unanswered', () => {
    const w = world('udp');
    const file = exportPcapng(w);
    expect(readCapture(file).map((m) => m.transport)).toEqual(['udp', 'udp', 'udp']);
    const comments = frameComments(file).map((c) => c ?? '');
    expect(comments.every((c) => /no answer: dc1 is down[\s\S]*no reply came back/.test(c))).toBe(true);
  });

  test('TCP: a connection that never opened is no frames; the plan says why', () => {
    const w = world('tcp');
    const plan = planPcapExport(w);
    expect(plan.messages).toHaveLength(0);
    expect(plan.skipped).toHaveLength(1);
    expect(plan.skipped[0]!.reason).toMatch(/connection never opened/);
  });
});

describe('keytab', () => {
  const w = makeWorld();

  test('every key the KDC holds, as stringToKey makes it from the password and salt', () => {
    const kt = decodeKeytab(exportKeytab(w));
    const names = new Set(kt.entries.map((e) => formatPrincipal(e.principal)));
    for (const p of [
      'alice@CORP.TEST',
      'krbtgt/CORP.TEST@CORP.TEST',
      'krbtgt/OTHER.TEST@CORP.TEST',
      'krbtgt/THIRD.TEST@OTHER.TEST',
      'cifs/fs3.third.test@THIRD.TEST',
    ]) {
      expect(names).toContain(p);
    }
    const alice = kt.entries.filter((e) => formatPrincipal(e.principal) === 'alice@CORP.TEST');
    expect(alice.length).toBeGreaterThan(0);
    for (const e of alice) {
      const salt = e.key.etype === 23 ? '' : 'CORP.TESTalice';
      expect(toHex(e.key.bytes)).toBe(toHex(stringToKey(e.key.etype, 'alice-pw', salt).bytes));
      expect(e.kvno).toBe(1);
      expect(e.timestamp).toBe(T0 / 1000);
    }
    // no duplicates
    const ids = kt.entries.map((e) => `${formatPrincipal(e.principal)} ${e.kvno} ${e.key.etype}`);
    expect(new Set(ids).size).toBe(ids.length);
    // the same as the KDC's database, key for key
    const db = w.kdcs[0]!.state.realms.flatMap((r) => r.principals.flatMap((p) => p.keys));
    expect(new Set(kt.entries.map((e) => toHex(e.key.bytes)))).toEqual(
      new Set(db.map((k) => toHex(keyOf(k)))),
    );
  });

  test('only the named principals; an unknown one is an error', () => {
    const kt = decodeKeytab(exportKeytab(w, ['cifs/fs1.corp.test@CORP.TEST']));
    expect(new Set(kt.entries.map((e) => formatPrincipal(e.principal)))).toEqual(
      new Set(['cifs/fs1.corp.test@CORP.TEST']),
    );
    expect(() => exportKeytab(w, ['nobody@CORP.TEST'])).toThrow(/nobody@CORP.TEST/);
  });
});

describe('ccache', () => {
  test('the client’s cache: its TGTs and the service ticket', () => {
    const w = makeWorld();
    runStory(w);
    const cc = decodeCcache(exportCcache(w, 'ws1'));
    expect(formatPrincipal(cc.defaultPrincipal)).toBe('alice@CORP.TEST');
    const servers = cc.credentials.map((c) => formatPrincipal(c.server));
    expect(servers).toContain('krbtgt/CORP.TEST@CORP.TEST');
    expect(servers).toContain('cifs/fs3.third.test@THIRD.TEST');
    expect(() => exportCcache(w, 'dc1')).toThrow(/no Kerberos client/);
  });
});

describe('JSON', () => {
  const w = makeWorld();
  runStory(w);
  const doc = JSON.parse(exportTraceJson(w)) as ReturnType<typeof traceToJson>;

  test('one event per trace event, in the shape of scenario run --json, with hex bytes', () => {
    expect(doc.start).toBe('2026-03-02T08:00:00.000Z');
    expect(doc.hosts).toContainEqual({ id: 'dc1', name: 'dc1.corp.test' });
    expect(doc.events).toHaveLength(w.trace.length);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    doc.events.forEach((j, i) => {
      const e = w.trace[i]!;
      expect(j.seq).toBe(e.seq);
      expect(j.t).toMatch(iso);
      expect(Date.parse(j.t)).toBe(e.t);
      expect([j.from, j.to, j.transport, j.result]).toEqual([e.from, e.to, e.transport, e.result]);
      expect(j.bytes).toBe(e.bytes ? toHex(e.bytes) : undefined);
      expect(j.inner).toBe(e.inner ? toHex(e.inner) : undefined);
      expect(j.errorCode).toBe(e.errorCode);
      expect(j.narration).toHaveLength(e.narration.length);
    });
    const first = doc.events[0]!;
    expect(first).toMatchObject({ type: 'ACTION', action: 'sign-in', kind: 'action', transport: 'local' });
    expect(doc.events[1]).toMatchObject({
      type: 'AS-REQ',
      from: 'ws1',
      to: 'dc1',
      transport: 'tcp',
      port: 88,
    });
    expect(doc.events.find((e) => e.errorCode === 24)).toMatchObject({
      type: 'KRB-ERROR',
      from: 'dc1',
      to: 'ws2',
    });
    expect(doc.events.some((e) => e.transport === 'kkdcp' && /^30/.test(e.bytes ?? '') && e.inner)).toBe(
      true,
    );
    expect(Object.keys(doc.events.find((e) => e.kind === 'message')!)).not.toContain('modelled');
  });

  test('without narration and bytes on request', () => {
    const slim = traceToJson(w, { narration: false, bytes: false });
    expect(slim.events.every((e) => e.narration === undefined && e.bytes === undefined)).toBe(true);
  });
});
