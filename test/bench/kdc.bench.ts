// npm run bench -- kdc: AS exchanges with PA-ENC-TIMESTAMP and TGS exchanges per second, enctype 18, from
// one load generator with several requests in flight over UDP loopback, against `krbplay kdc` and MIT's
// krb5kdc in the same run; and the rate of the pure KDC in this process (no sockets). Every request is
// distinct (MIT's KDC answers a repeated packet from its lookaside cache; ours refuses a repeated
// authenticator), made before the clock starts, and every reply is checked to be an AS-REP or TGS-REP.
// Before anything is timed, one exchange with each KDC is opened and checked end to end.
//
// KRBPLAY_BENCH_N=20000 sets requests per measurement; KRBPLAY_BENCH_INFLIGHT=32 the requests in flight;
// KRBPLAY_BENCH_PROFILE=DIR runs krbplay kdc under `node --cpu-prof` and writes its profile to DIR.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringToKey, type Key } from '../../src/crypto';
import { buildKdcState, Kdc, type KdcConfig } from '../../src/kdc';
import { cryptoRandom } from '../../src/node';
import { krbtgtName } from '../../src/asn1/principal';
import { MitLab } from '../interop/harness';
import { KrbplayKdc } from '../interop/krbplay-kdc';
import { hasPackages } from '../setup/needs';
import {
  asReq,
  encTimestamp,
  hostName,
  name,
  openAsRep,
  openTgsRep,
  tgsReq,
  type Credentials,
} from '../unit/kdc/helper';

const REALM = 'BENCH.TEST';
const USER = 'alice';
const PASSWORD = 'bench-password-alice';
const SERVICE = ['host', 'svc.bench.test'] as const;
const N = Number(process.env.KRBPLAY_BENCH_N ?? 20_000);
const INFLIGHT = Number(process.env.KRBPLAY_BENCH_INFLIGHT ?? 32);
const AS_REP = 0x6b;
const TGS_REP = 0x6d;

const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      etypes: [18],
      principals: [
        { name: USER, password: PASSWORD, etypes: [18] },
        { name: SERVICE.join('/'), password: 'bench-password-svc', etypes: [18] },
      ],
    },
  ],
};

const userKey: Key = stringToKey(18, PASSWORD, `${REALM}${USER}`);
const random = cryptoRandom;

/** N distinct AS-REQs with PA-ENC-TIMESTAMP (distinct nonces and microseconds), valid for 5 minutes. */
function asPool(n: number): Uint8Array[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) =>
    asReq({
      realm: REALM,
      cname: name(USER),
      etypes: [18],
      nonce: i + 1,
      padata: [encTimestamp(userKey, now + (i % 997), random)],
    }),
  );
}

/**
 * N distinct TGS-REQs for the service with one TGT (distinct authenticator times and nonces), their
 * authenticator times from `now` back, one millisecond apart.
 */
function tgsPool(n: number, tgt: Credentials, now = Date.now()): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    tgsReq({
      realm: REALM,
      sname: hostName(...SERVICE),
      tgt: tgt.ticket,
      sessionKey: tgt.sessionKey,
      crealm: REALM,
      cname: name(USER),
      now: now - 1000 * Math.floor(i / 1000) - (i % 1000), // distinct (ctime, cusec) for every request
      random,
      etypes: [18],
      nonce: i + 1,
    }),
  );
}

/** One request over UDP and its reply. */
async function exchange(port: number, request: Uint8Array): Promise<Uint8Array> {
  const s = createSocket('udp4');
  try {
    return await new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply from port ${port}`)), 10_000);
      s.once('message', (m) => {
        clearTimeout(timer);
        resolve(new Uint8Array(m));
      });
      s.send(request, port, '127.0.0.1');
    });
  } finally {
    s.close();
  }
}

interface Run {
  perSecond: number;
  /** CPU time the KDC process spent per exchange (user + system), µs: steadier than rates on a busy box. */
  cpuMicros: number;
  ok: number;
  wrong: number;
  lost: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields, in clock ticks (USER_HZ, 100).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Sends the pool over INFLIGHT sockets, each one request at a time; counts replies of the expected kind,
 * and the CPU time the KDC process `pid` spent meanwhile.
 */
async function drive(port: number, pid: number, pool: Uint8Array[], expectTag: number): Promise<Run> {
  const cpu0 = cpuSeconds(pid);
  const run = await driveOnly(port, pool, expectTag);
  return { ...run, cpuMicros: ((cpuSeconds(pid) - cpu0) * 1e6) / pool.length };
}

function driveOnly(port: number, pool: Uint8Array[], expectTag: number): Promise<Omit<Run, 'cpuMicros'>> {
  return new Promise((resolve) => {
    let next = 0;
    let finished = 0;
    let ok = 0;
    let wrong = 0;
    let lost = 0;
    const sockets: { s: Socket; sentAt: number }[] = [];
    const t0 = performance.now();
    const send = (slot: { s: Socket; sentAt: number }) => {
      if (next >= pool.length) return;
      slot.sentAt = performance.now();
      slot.s.send(pool[next++]!, port, '127.0.0.1');
    };
    const finish = () => {
      if (++finished < pool.length) return;
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(watchdog);
      for (const { s } of sockets) s.close();
      resolve({ perSecond: ok / seconds, ok, wrong, lost });
    };
    for (let k = 0; k < INFLIGHT; k++) {
      const slot = { s: createSocket('udp4'), sentAt: 0 };
      slot.s.on('message', (m) => {
        if (m[0] === expectTag) ok++;
        else wrong++;
        slot.sentAt = 0;
        finish();
        send(slot);
      });
      sockets.push(slot);
    }
    // A datagram lost (a full receive buffer) is counted and replaced after 2 s.
    const watchdog = setInterval(() => {
      const now = performance.now();
      for (const slot of sockets) {
        if (slot.sentAt !== 0 && now - slot.sentAt > 2000) {
          lost++;
          slot.sentAt = 0;
          finish();
          send(slot);
        }
      }
    }, 250);
    for (const slot of sockets) send(slot);
  });
}

/** The same pools through the pure KDC in this process: the ceiling the sockets add to. */
function inProcess(kdc: Kdc, pool: Uint8Array[], replyType: string): Run {
  let ok = 0;
  let wrong = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const req of pool) {
    const r = kdc.handle(req, { now: Date.now(), random });
    if (r.replyType === replyType) ok++;
    else wrong++;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMicros = (cpu.user + cpu.system) / pool.length;
  return { perSecond: ok / ((performance.now() - t0) / 1000), cpuMicros, ok, wrong, lost: 0 };
}

const results = new Map<string, { as?: Run; tgs?: Run }>();
const record = (who: string, kind: 'as' | 'tgs', run: Run) => {
  results.set(who, { ...results.get(who), [kind]: run });
  console.log(
    `${who} ${kind.toUpperCase()}: ${run.perSecond.toFixed(0)}/s (${run.ok} ok, ${run.wrong} wrong, ${run.lost} lost)`,
  );
};

describe.runIf(hasPackages('krb5-kdc', 'krb5-user'))('KDC exchanges per second, enctype 18', () => {
  let lab: MitLab;
  let ours: KrbplayKdc;
  let dir: string;
  const mitPort = () => lab.realm(REALM).port;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-bench-kdc-'));
    lab = await MitLab.start({
      realms: [
        {
          name: REALM,
          principals: [
            { name: USER, password: PASSWORD, enctypes: [18], requiresPreauth: true },
            { name: SERVICE.join('/'), password: 'bench-password-svc', enctypes: [18] },
          ],
        },
      ],
    });
    const profileDir = process.env.KRBPLAY_BENCH_PROFILE;
    ours = await KrbplayKdc.start({
      config,
      dir,
      ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
    });
  }, 180_000);

  afterAll(async () => {
    await ours?.stop('SIGINT');
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log('\n' + table() + '\n');
  });

  /** One checked AS exchange: the reply opens with the user's key and holds a TGT. */
  async function tgtFrom(port: number): Promise<Credentials> {
    const [req] = asPool(1);
    const creds = openAsRep(await exchange(port, req!), userKey);
    expect(creds.part.sname.nameString).toEqual(krbtgtName(REALM).nameString);
    return creds;
  }

  /**
   * One checked TGS exchange, its authenticator dated `at`. The pool that follows reaches back from a
   * second before `at` at the latest (poolStart), so this authenticator is never one of its own, which the
   * KDC's replay cache would refuse (34) however long the AS measurement took in between.
   */
  async function checkedTgs(port: number, tgt: Credentials, at: number): Promise<void> {
    const [req] = tgsPool(1, tgt, at);
    const st = openTgsRep(await exchange(port, req!), tgt.sessionKey);
    expect(st.part.sname.nameString).toEqual([...SERVICE]);
    expect(st.ticket.encPart.etype).toBe(18);
  }

  for (const [who, port, pid] of [
    ['MIT krb5kdc', () => mitPort(), () => lab.realm(REALM).kdc!.child.pid!],
    ['krbplay kdc', () => ours.port, () => ours.pid],
  ] as const) {
    test(`${who} over UDP: AS with PA-ENC-TIMESTAMP, then TGS`, async () => {
      const tgt = await tgtFrom(port());
      const checkedAt = Date.now() + 60_000; // a minute ahead: within the 5-minute skew
      await checkedTgs(port(), tgt, checkedAt);
      const as = await drive(port(), pid(), asPool(N), AS_REP);
      expect(as.wrong).toBe(0);
      record(who, 'as', as);
      const poolStart = Math.min(Date.now(), checkedAt - 1000);
      const tgs = await drive(port(), pid(), tgsPool(N, tgt, poolStart), TGS_REP);
      expect(tgs.wrong).toBe(0);
      record(who, 'tgs', tgs);
    });
  }

  test('the pure KDC in this process (no sockets)', () => {
    const kdc = new Kdc(buildKdcState(config, random));
    const first = kdc.handle(asPool(1)[0]!, { now: Date.now(), random });
    const tgt = openAsRep(first.reply, userKey);
    const as = inProcess(kdc, asPool(N), 'AS-REP');
    expect(as.wrong).toBe(0);
    record('pure KDC in-process', 'as', as);
    const tgs = inProcess(kdc, tgsPool(N, tgt), 'TGS-REP');
    expect(tgs.wrong).toBe(0);
    record('pure KDC in-process', 'tgs', tgs);
  });
});

function table(): string {
  const mit = results.get('MIT krb5kdc');
  const ratio = (x: number) => `${x.toFixed(2)}× MIT`;
  const rate = (r: Run | undefined, ref: Run | undefined) =>
    r === undefined
      ? '—'
      : `${r.perSecond.toFixed(0)}/s${ref && ref !== r ? ` (${ratio(r.perSecond / ref.perSecond)})` : ''}`;
  const cpu = (r: Run | undefined, ref: Run | undefined) =>
    r === undefined
      ? '—'
      : `${r.cpuMicros.toFixed(0)} µs${ref && ref !== r ? ` (${ratio(ref.cpuMicros / r.cpuMicros)})` : ''}`;
  const rows: string[][] = [['', 'AS/s (PA-ENC-TIMESTAMP)', 'TGS/s', 'AS CPU each', 'TGS CPU each']];
  for (const [who, r] of results) {
    rows.push([who, rate(r.as, mit?.as), rate(r.tgs, mit?.tgs), cpu(r.as, mit?.as), cpu(r.tgs, mit?.tgs)]);
  }
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((x, c) => x.padEnd(w[c]!)).join('  ');
  return [
    `KDC exchanges per second, enctype 18, ${N} requests each, ${INFLIGHT} in flight over UDP loopback`,
    '(rates are wall-clock; "CPU each" is the KDC process\'s own CPU time per exchange, ratios as speed vs MIT):',
    ...rows.map(line),
  ].join('\n');
}
