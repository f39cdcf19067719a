// npm run bench -- kkdcp: what hostile peers do to `krbplay kdc`'s KDC proxy (MS-KKDCP over HTTPS), measured
// with MIT's kinit as the legitimate client. It prints figures and never fails on them:
//  - slow headers from one address: 1,030 connections from 127.0.0.2, each sending one header line every
//    5 s, each one the proxy closes or refuses opened again a second later; meanwhile a kinit from 127.0.0.1 every 2 s: how many are
//    served, and the longest stretch during which none was;
//  - the same from 16 addresses (127.0.0.2–127.0.0.17), 65 connections each;
//  - slow bodies: 1,024 connections from 16 addresses, each announcing a 131,000-byte body and sending all
//    of it but the last byte: the proxy's peak resident memory.
// KRBPLAY_BENCH_SECONDS=60 sets how long each flood lasts.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KdcConfig } from '../../src/kdc';
import { KrbplayKdc, MitClient, SlowHeaders, writeKrb5Conf } from '../interop/krbplay-kdc';
import { hasPackages } from '../setup/needs';

const REALM = 'BENCH.TEST';
const SECONDS = Number(process.env.KRBPLAY_BENCH_SECONDS ?? 60);
const config: KdcConfig = {
  realms: [{ name: REALM, principals: [{ name: 'alice', password: 'pw-alice' }] }],
};
const addresses = (n: number) => Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(hasPackages('krb5-user', 'krb5-k5tls'))('the KDC proxy under hostile peers', () => {
  let dir: string;
  let kdc: KrbplayKdc;
  let client: MitClient;
  let runs = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-bench-kkdcp-'));
    kdc = await KrbplayKdc.start({ config, dir, kkdcp: 'self-signed' });
    client = new MitClient(
      writeKrb5Conf(join(dir, 'krb5.conf'), {
        defaultRealm: REALM,
        realms: { [REALM]: [kdc.proxyUrl!] },
        realmRelations: { [REALM]: { http_anchors: `FILE:${kdc.certFile}` } },
      }),
    );
  });
  afterAll(async () => {
    await kdc?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A kinit every 2 s while `flood` runs for SECONDS; prints how many were served, the slowest that was,
   * and the longest stretch (from the flood's start) in which none was.
   */
  async function kinitsDuring(what: string, flood: SlowHeaders): Promise<void> {
    const started = performance.now();
    let served = 0;
    let failed = 0;
    let slowest = 0;
    let lastServed = started;
    let longestOutage = 0;
    const messages = new Set<string>();
    while (performance.now() - started < SECONDS * 1000) {
      const t0 = performance.now();
      const r = await client.kinit(`alice@${REALM}`, 'pw-alice', join(dir, `cc-${runs++}`));
      const now = performance.now();
      if (r.ok) {
        served++;
        slowest = Math.max(slowest, now - t0);
        longestOutage = Math.max(longestOutage, now - lastServed);
        lastServed = now;
      } else {
        failed++;
        messages.add(r.stderr.trim().replace(/^Password for \S+: /, ''));
      }
      await sleep(2000);
    }
    longestOutage = Math.max(longestOutage, performance.now() - lastServed);
    const { opened, closed, refused } = flood;
    flood.stop();
    console.log(
      `${what}: ${served} of ${served + failed} kinits served over ${SECONDS} s (one every 2 s), the slowest ` +
        `in ${(slowest / 1000).toFixed(1)} s; longest stretch without one served: ${(longestOutage / 1000).toFixed(1)} s` +
        `${served === 0 ? ' (the whole run)' : ''}; flood: ${opened} connections opened, ${closed} of them ` +
        `closed by the proxy, ${refused} refused before TLS` +
        (messages.size ? `; kinit said: ${[...messages].join(' | ')}` : ''),
    );
    expect(served + failed).toBeGreaterThan(0);
  }

  test('slow headers, 1,030 connections from one address', async () => {
    const flood = await SlowHeaders.start({
      port: kdc.proxyPort!,
      tls: true,
      count: 1030,
      from: addresses(1),
      everyMs: 5000,
      reconnectAfterMs: 1000,
    });
    await kinitsDuring('slow headers, 1 address', flood);
    await sleep(3000);
  });

  test('slow headers, 1,040 connections from 16 addresses', async () => {
    const flood = await SlowHeaders.start({
      port: kdc.proxyPort!,
      tls: true,
      count: 1040,
      from: addresses(16),
      everyMs: 5000,
      reconnectAfterMs: 1000,
    });
    await kinitsDuring('slow headers, 16 addresses', flood);
    await sleep(3000);
  });

  test('slow bodies: 1,024 connections announcing 131,000 bytes and sending all but one', async () => {
    const before = kdc.rss();
    const body = Buffer.alloc(131_000 - 1, 0x30);
    const sockets: TLSSocket[] = [];
    let peak = before;
    const poll = setInterval(() => (peak = Math.max(peak, kdc.rss())), 100);
    const from = addresses(16);
    for (let i = 0; i < 1024; i++) {
      const tcp = connect({ host: '127.0.0.1', port: kdc.proxyPort!, localAddress: from[i % from.length]! });
      const s = connectTls({ socket: tcp, rejectUnauthorized: false });
      s.on('error', () => {});
      s.once('secureConnect', () => {
        s.write(
          `POST /KdcProxy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/kerberos\r\n` +
            `Content-Length: 131000\r\n\r\n`,
        );
        s.write(body);
      });
      sockets.push(s);
      if (i % 64 === 63) await sleep(50);
    }
    await sleep(Math.min(SECONDS, 15) * 1000);
    clearInterval(poll);
    const open = sockets.filter((s) => !s.destroyed).length;
    sockets.forEach((s) => s.destroy());
    console.log(
      `slow bodies: the proxy's resident memory ${(before / 2 ** 20).toFixed(0)} MiB before, peak ` +
        `${(peak / 2 ** 20).toFixed(0)} MiB (${open} of 1024 connections still open at the end)`,
    );
    expect(peak).toBeGreaterThan(0);
    const log = kdc.logLines;
    console.log(`log lines so far: ${log.length}; the last: ${log.at(-1) ?? '(none)'}`);
  });
});
