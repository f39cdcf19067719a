// `krbplay kinit` and `krbplay kvno` against MIT's krb5kdc: two MIT realms with a trust (MIT.TEST ->
// OTHER.TEST), our client over real sockets. Pre-authentication for each enctype 17, 18, 19, 20, 23 with
// principals that hold only that key; MIT's klist reads the ccache we wrote (enctypes, flags, renewal);
// MIT's own kvno uses the TGT we wrote to get a ticket from MIT's KDC; kvno in the realm, across the
// trust (cross-realm TGT) and by a referral from MIT's KDC; MIT's words for a wrong password, an unknown
// client or service, and no KDC; TCP (tcp://, and UDP that answers "too big"); MS-KKDCP over HTTPS.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeTicket } from '../../src/asn1';
import { decodeCcache as readCcache } from '../../src/formats';
import { hasPackages } from '../setup/needs';
import { freePort, MIT_ENCTYPE_NAMES, MitLab, run } from './harness';
import {
  assertCliBuilt,
  KkdcpRelay,
  klistTickets,
  krbplay,
  krbplayOnTerminal,
  mitKlist,
  reconfigureKdc,
  TooBigRelay,
} from './kinit-helpers';
import { makeTestCa } from './krbplay-kdc';

const HOME = 'MIT.TEST';
const OTHER = 'OTHER.TEST';
const ETYPES = [17, 18, 19, 20, 23];
const PW = (name: string) => `${name}-Secret-1`;

describe.runIf(hasPackages('krb5-kdc', 'krb5-user', 'krb5-admin-server'))(
  'krbplay kinit/kvno against MIT krb5kdc',
  () => {
    let lab: MitLab;
    let home: string;
    let other: string;
    const cc = (name: string) => lab.ccache(`ours-${name}`);
    const realmKdc = () => ['--realm-kdc', `${OTHER}=${other}`];

    beforeAll(async () => {
      assertCliBuilt();
      lab = await MitLab.start({
        realms: [
          {
            name: HOME,
            principals: [
              ...ETYPES.map((e) => ({ name: `u${e}`, password: PW(`u${e}`), enctypes: [e] })),
              { name: 'alice', password: PW('alice') },
              { name: 'host/svc.mit.test', password: PW('svc') },
            ],
          },
          {
            name: OTHER,
            principals: [
              { name: 'host/svc.other.test', password: PW('svc-other') },
              { name: 'HTTP/web.other.test', password: PW('web-other') },
            ],
          },
        ],
        trusts: [{ from: HOME, to: OTHER, password: 'trust-Secret-1' }],
      });
      // A principal whose salt is not the default (MIT's "special": random): only ETYPE-INFO2 tells it.
      await lab.kadmin(HOME, [
        `addprinc -pw ${PW('salty')} -e aes256-cts-hmac-sha1-96:special,aes128-cts-hmac-sha256-128:special +requires_preauth salty`,
      ]);
      // MIT.TEST's KDC refers *.other.test to OTHER.TEST (only the KDC knows it), and makes rc4 session
      // keys when asked for them (MIT 1.20's KDC skips rc4 as a session key without allow_rc4).
      await reconfigureKdc(lab, HOME, {
        domainRealm: { '.other.test': OTHER, 'other.test': OTHER },
        libdefaults: { allow_rc4: 'true' },
      });
      home = `127.0.0.1:${lab.realm(HOME).port}`;
      other = `127.0.0.1:${lab.realm(OTHER).port}`;
    });
    afterAll(async () => {
      await lab?.stop();
    });

    const kinit = (principal: string, password: string, args: string[]) =>
      krbplay(['kinit', principal, '--password-stdin', ...args], { input: password + '\n' });

    test.each(ETYPES)(
      'kinit with pre-authentication for a principal with only enctype %i; MIT klist reads the ccache',
      async (etype) => {
        const file = cc(`u${etype}`);
        const r = await kinit(`u${etype}@${HOME}`, PW(`u${etype}`), [
          '--kdc',
          home,
          '--ccache',
          file,
          '--etypes',
          String(etype),
        ]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`FILE:${file}`);
        const k = await mitKlist(lab, file);
        expect(k.code).toBe(0);
        expect(k.stdout).toContain(`Default principal: u${etype}@${HOME}`);
        const t = klistTickets(k.stdout);
        expect(t).toHaveLength(1);
        expect(t[0]!.server).toBe(`krbtgt/${HOME}@${HOME}`);
        // The session key is the one enctype offered; the TGT is in the krbtgt key (aes256 first in MIT).
        // (MIT's klist marks rc4 "DEPRECATED:".)
        expect(t[0]!.skey).toBe(`${etype === 23 ? 'DEPRECATED:' : ''}${MIT_ENCTYPE_NAMES[etype]}`);
        expect(t[0]!.tkt).toBe(MIT_ENCTYPE_NAMES[18]);
        // Initial and pre-authenticated; nothing asked that kinit was not told to ask.
        expect(t[0]!.flags).toBe('IA');
        // MIT's KDC log: the AS exchange that issued it answered the encrypted timestamp.
        const log = readFileSync(lab.realm(HOME).log, 'utf8');
        expect(log).toMatch(new RegExp(`AS_REQ .*ISSUE: .*u${etype}@${HOME} for krbtgt/${HOME}@${HOME}`));
      },
    );

    test('kinit with the default enctypes, --lifetime and --renewable: MIT klist shows R and renew until', async () => {
      const file = cc('alice');
      const r = await kinit(`alice@${HOME}`, PW('alice'), [
        '--kdc',
        home,
        '--ccache',
        file,
        '--lifetime',
        '2h',
        '--renewable',
        '2d',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/renewable until /);
      const t = klistTickets((await mitKlist(lab, file)).stdout);
      expect(t).toHaveLength(1);
      expect(t[0]!.flags).toBe('RIA');
      expect(t[0]!.skey).toBe(MIT_ENCTYPE_NAMES[18]);
      expect(t[0]!.renewUntil).toBeDefined();
      const cred = readCcache(new Uint8Array(readFileSync(file))).credentials[0]!;
      expect(cred.endtime - cred.starttime).toBeGreaterThan(2 * 3600 - 120);
      expect(cred.endtime - cred.starttime).toBeLessThanOrEqual(2 * 3600);
      expect(cred.renewTill - cred.starttime).toBeGreaterThan(2 * 86400 - 120);
      expect(cred.renewTill - cred.starttime).toBeLessThanOrEqual(2 * 86400);
    });

    test('a salt that is not the default: the client takes it from ETYPE-INFO2', async () => {
      for (const etype of ['18', '19']) {
        const file = cc(`salty-${etype}`);
        const r = await kinit(`salty@${HOME}`, PW('salty'), [
          '--kdc',
          home,
          '--ccache',
          file,
          '--etypes',
          etype,
        ]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(klistTickets((await mitKlist(lab, file)).stdout)[0]!.skey).toBe(
          MIT_ENCTYPE_NAMES[Number(etype)],
        );
      }
    });

    test('a principal without +requires_preauth: the AS-REP comes at once and must decrypt', async () => {
      const file = cc('no-preauth');
      const ok = await kinit(`host/svc.mit.test@${HOME}`, PW('svc'), ['--kdc', home, '--ccache', file]);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      const t = klistTickets((await mitKlist(lab, file)).stdout);
      expect(t[0]!.flags).toBe('I'); // initial, not pre-authenticated
      const wrong = await kinit(`host/svc.mit.test@${HOME}`, 'wrong', ['--kdc', home, '--ccache', cc('np2')]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toBe('krbplay kinit: Password incorrect while getting initial credentials\n');
    });

    test.runIf(existsSync('/usr/bin/script'))(
      'on a terminal: kinit prompts, the password is not echoed, MIT klist reads the cache',
      async () => {
        const file = cc('tty');
        const r = await krbplayOnTerminal(
          ['kinit', `alice@${HOME}`, '--kdc', home, '--ccache', file],
          PW('alice'),
        );
        expect(r.stdout).toContain(`Password for alice@${HOME}: `);
        expect(r.stdout).not.toContain(PW('alice'));
        expect(r.stdout).toContain(`in FILE:${file}`);
        expect(r.code).toBe(0);
        expect((await mitKlist(lab, file)).stdout).toContain(`Default principal: alice@${HOME}`);
      },
    );

    test('a clock 20 minutes fast: KRB_AP_ERR_SKEW, then the KDC time (kdc_timesync) kept in the ccache', async () => {
      const file = cc('skew');
      const r = await krbplay(
        [
          'kinit',
          `alice@${HOME}`,
          '--password-stdin',
          '--kdc',
          home,
          '--ccache',
          file,
          '--time-offset',
          '+20m',
        ],
        { input: PW('alice') + '\n', env: { KRBPLAY_VERBOSE: '1' } },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/skew: KRB_AP_ERR_SKEW: .*adopt the KDC's time/);
      const log = readFileSync(lab.realm(HOME).log, 'utf8');
      expect(log).toMatch(
        new RegExp(`AS_REQ .*alice@${HOME} for krbtgt/${HOME}@${HOME}, Clock skew too great`),
      );
      // The ccache header's KDC time offset (tag 1) is what MIT's libraries add to their clock.
      const offset = readCcache(new Uint8Array(readFileSync(file))).kdcOffset!;
      expect(Math.abs(offset.seconds + 20 * 60)).toBeLessThan(30);
      // The same fast clock asks for a service ticket with that offset, without a second skew error.
      const k = await krbplay(
        ['kvno', `host/svc.mit.test@${HOME}`, '--ccache', file, '--kdc', home, '--time-offset', '+20m'],
        { env: { KRBPLAY_VERBOSE: '1' } },
      );
      expect(k.code, k.stderr).toBe(0);
      expect(k.stderr).not.toMatch(/KRB_AP_ERR_SKEW/);
      expect(k.stdout).toBe(`host/svc.mit.test@${HOME}: kvno = 1\n`);
    });

    test('a clock 20 minutes slow at kvno only: the TGS exchange retries with the KDC time', async () => {
      const file = cc('skew-tgs');
      expect((await kinit(`alice@${HOME}`, PW('alice'), ['--kdc', home, '--ccache', file])).code).toBe(0);
      expect(readCcache(new Uint8Array(readFileSync(file))).kdcOffset).toBeUndefined();
      const k = await krbplay(
        ['kvno', `host/svc.mit.test@${HOME}`, '--ccache', file, '--kdc', home, '--time-offset=-20m'],
        { env: { KRBPLAY_VERBOSE: '1' } },
      );
      expect(k.code, k.stderr).toBe(0);
      expect(k.stderr).toMatch(/skew: KRB_AP_ERR_SKEW: .*adopt the KDC's time/);
      expect(k.stdout).toBe(`host/svc.mit.test@${HOME}: kvno = 1\n`);
      const offset = readCcache(new Uint8Array(readFileSync(file))).kdcOffset!;
      expect(Math.abs(offset.seconds - 20 * 60)).toBeLessThan(30);
    });

    test('MIT kvno uses the TGT we wrote: in the realm and across the trust', async () => {
      const file = cc('for-mit-kvno');
      expect((await kinit(`alice@${HOME}`, PW('alice'), ['--kdc', home, '--ccache', file])).code).toBe(0);
      for (const spn of [`host/svc.mit.test@${HOME}`, `host/svc.other.test@${OTHER}`]) {
        const r = await lab.kvno(spn, { ccache: file });
        expect(r.stderr).toBe('');
        expect(r.stdout.trim()).toBe(`${spn}: kvno = 1`);
      }
      const t = klistTickets((await mitKlist(lab, file)).stdout).map((x) => x.server);
      expect(t).toEqual(
        expect.arrayContaining([
          `krbtgt/${HOME}@${HOME}`,
          `host/svc.mit.test@${HOME}`,
          `krbtgt/${OTHER}@${HOME}`,
          `host/svc.other.test@${OTHER}`,
        ]),
      );
    });

    test('krbplay kvno in the realm: the ticket is added to the ccache and MIT klist lists it', async () => {
      const file = cc('kvno-home');
      expect((await kinit(`alice@${HOME}`, PW('alice'), ['--kdc', home, '--ccache', file])).code).toBe(0);
      const r = await krbplay(['kvno', `host/svc.mit.test@${HOME}`, '--ccache', file, '--kdc', home]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`host/svc.mit.test@${HOME}: kvno = 1\n`);
      // MIT's kvno says the same of the same service.
      const mit = await lab.kvno(`host/svc.mit.test@${HOME}`, { ccache: file });
      expect(mit.stdout).toBe(r.stdout);
      const t = klistTickets((await mitKlist(lab, file)).stdout);
      expect(t.map((x) => x.server)).toEqual([`krbtgt/${HOME}@${HOME}`, `host/svc.mit.test@${HOME}`]);
      expect(t[1]!.skey).toBe(MIT_ENCTYPE_NAMES[18]);
    });

    test('krbplay kvno across the trust: a cross-realm TGT from MIT.TEST, then the ticket from OTHER.TEST', async () => {
      const file = cc('kvno-other');
      expect((await kinit(`alice@${HOME}`, PW('alice'), ['--kdc', home, '--ccache', file])).code).toBe(0);
      const r = await krbplay([
        'kvno',
        `host/svc.other.test@${OTHER}`,
        '--ccache',
        file,
        '--kdc',
        home,
        ...realmKdc(),
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`host/svc.other.test@${OTHER}: kvno = 1\n`);
      const t = klistTickets((await mitKlist(lab, file)).stdout).map((x) => x.server);
      expect(t).toEqual([
        `krbtgt/${HOME}@${HOME}`,
        `krbtgt/${OTHER}@${HOME}`,
        `host/svc.other.test@${OTHER}`,
      ]);
      // The OTHER.TEST KDC issued the service ticket to alice@MIT.TEST.
      const log = readFileSync(lab.realm(OTHER).log, 'utf8');
      expect(log).toMatch(new RegExp(`TGS_REQ .*ISSUE: .*alice@${HOME} for host/svc.other.test@${OTHER}`));
      // And a second kvno finds it in the cache, without asking anyone.
      const again = await krbplay([
        'kvno',
        `host/svc.other.test@${OTHER}`,
        '--ccache',
        file,
        '--kdc',
        '127.0.0.1:9',
      ]);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(r.stdout);
    });

    test('krbplay kvno by referral: no realm given, MIT.TEST refers the host-based name to OTHER.TEST', async () => {
      const file = cc('kvno-referral');
      expect((await kinit(`alice@${HOME}`, PW('alice'), ['--kdc', home, '--ccache', file])).code).toBe(0);
      const r = await krbplay(
        ['kvno', 'HTTP/web.other.test', '--ccache', file, '--kdc', home, ...realmKdc()],
        {
          env: { KRBPLAY_VERBOSE: '1' },
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`HTTP/web.other.test@${OTHER}: kvno = 1\n`);
      // The client narrates the referral it followed (KRBPLAY_VERBOSE).
      expect(r.stderr).toMatch(/referral: .*referred us to OTHER\.TEST/);
      // MIT.TEST's KDC answered the request for the service with krbtgt/OTHER.TEST: its log says so.
      const log = readFileSync(lab.realm(HOME).log, 'utf8');
      expect(log).toMatch(new RegExp(`TGS_REQ .*ISSUE: .*alice@${HOME} for krbtgt/${OTHER}@${HOME}`));
      const t = klistTickets((await mitKlist(lab, file)).stdout).map((x) => x.server);
      expect(t).toEqual([
        `krbtgt/${HOME}@${HOME}`,
        `krbtgt/${OTHER}@${HOME}`,
        `HTTP/web.other.test@${OTHER}`,
      ]);
    });

    test('a wrong password: MIT words, exit 1', async () => {
      const file = cc('wrong');
      const r = await kinit(`u18@${HOME}`, 'not-the-password', ['--kdc', home, '--ccache', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('krbplay kinit: Password incorrect while getting initial credentials\n');
      expect(existsSync(file)).toBe(false);
    });

    test('an unknown client: MIT words, exit 1', async () => {
      const r = await kinit(`nobody@${HOME}`, 'whatever', ['--kdc', home, '--ccache', cc('nobody')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `krbplay kinit: Client 'nobody@${HOME}' not found in Kerberos database while getting initial credentials\n`,
      );
    });

    test('an unknown service: MIT words, exit 1, the ccache keeps what it had', async () => {
      const file = cc('unknown-service');
      expect((await kinit(`alice@${HOME}`, PW('alice'), ['--kdc', home, '--ccache', file])).code).toBe(0);
      const before = readFileSync(file);
      const r = await krbplay(['kvno', `host/nowhere.mit.test@${HOME}`, '--ccache', file, '--kdc', home]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `krbplay kvno: Server not found in Kerberos database while getting credentials for host/nowhere.mit.test@${HOME}\n`,
      );
      expect(readFileSync(file).equals(before)).toBe(true);
    });

    test('no KDC listening: "Cannot contact any KDC", exit 1', async () => {
      const port = await freePort();
      for (const kdc of [`127.0.0.1:${port}`, `tcp://127.0.0.1:${port}`]) {
        const r = await kinit(`alice@${HOME}`, PW('alice'), ['--kdc', kdc, '--ccache', cc('nokdc')]);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(
          `krbplay kinit: Cannot contact any KDC for realm '${HOME}' while getting initial credentials\n`,
        );
      }
    });

    test('over TCP (tcp://): kinit and kvno across the trust', async () => {
      const file = cc('tcp');
      const tcpHome = `tcp://${home}`;
      const r = await kinit(`u20@${HOME}`, PW('u20'), ['--kdc', tcpHome, '--ccache', file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const k = await krbplay([
        'kvno',
        `host/svc.other.test@${OTHER}`,
        '--ccache',
        file,
        '--kdc',
        tcpHome,
        '--realm-kdc',
        `${OTHER}=tcp://${other}`,
      ]);
      expect(k.stderr).toBe('');
      expect(k.stdout).toBe(`host/svc.other.test@${OTHER}: kvno = 1\n`);
      const t = klistTickets((await mitKlist(lab, file)).stdout);
      expect(t.map((x) => x.server)).toEqual([
        `krbtgt/${HOME}@${HOME}`,
        `krbtgt/${OTHER}@${HOME}`,
        `host/svc.other.test@${OTHER}`,
      ]);
    });

    test('KRB_ERR_RESPONSE_TOO_BIG over UDP: the client asks again over TCP', async () => {
      const relay = await TooBigRelay.start(lab.realm(HOME).port, HOME);
      try {
        const file = cc('too-big');
        const r = await kinit(`alice@${HOME}`, PW('alice'), [
          '--kdc',
          `127.0.0.1:${relay.port}`,
          '--ccache',
          file,
        ]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        // Each AS-REQ (without, then with pre-authentication) went out over UDP first, then over TCP.
        // (More than one datagram per request only if a loaded machine let a wait of 1 s pass.)
        expect(relay.udpDatagrams).toBeGreaterThanOrEqual(2);
        expect(relay.tcpRecords).toBe(2);
        expect(klistTickets((await mitKlist(lab, file)).stdout)[0]!.server).toBe(`krbtgt/${HOME}@${HOME}`);
      } finally {
        await relay.stop();
      }
    });

    test('MS-KKDCP over HTTPS (a proxy in front of the MIT KDCs, its CA given with --ca)', async () => {
      const caDir = join(lab.dir, 'ca');
      mkdirSync(caDir, { recursive: true });
      const ca = await makeTestCa(caDir);
      const proxy = await KkdcpRelay.start(
        { [HOME]: lab.realm(HOME).port, [OTHER]: lab.realm(OTHER).port },
        { cert: ca.cert, key: ca.key },
      );
      try {
        const file = cc('kkdcp');
        const r = await kinit(`u19@${HOME}`, PW('u19'), [
          '--kdc',
          proxy.url,
          '--ca',
          ca.caCert,
          '--ccache',
          file,
        ]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const k = await krbplay([
          'kvno',
          `host/svc.other.test@${OTHER}`,
          '--ccache',
          file,
          '--kdc',
          proxy.url,
          '--ca',
          ca.caCert,
        ]);
        expect(k.stderr).toBe('');
        expect(k.stdout).toBe(`host/svc.other.test@${OTHER}: kvno = 1\n`);
        expect(proxy.requests.map((q) => q.targetDomain)).toEqual([HOME, HOME, HOME, OTHER]);
        expect(proxy.requests.every((q) => q.contentType === 'application/kerberos')).toBe(true);
        // Without the CA the certificate is not trusted: no KDC reached.
        const untrusted = await kinit(`u19@${HOME}`, PW('u19'), ['--kdc', proxy.url, '--ccache', file]);
        expect(untrusted.code).toBe(1);
        expect(untrusted.stderr).toContain(`Cannot contact any KDC for realm '${HOME}'`);
      } finally {
        await proxy.stop();
      }
    });

    test('the ccache we wrote is a ccache MIT writes on: kvno, then kinit -R renews it', async () => {
      const file = cc('renew');
      expect(
        (await kinit(`alice@${HOME}`, PW('alice'), ['--kdc', home, '--ccache', file, '--renewable', '1d']))
          .code,
      ).toBe(0);
      const copy = `${file}-copy`;
      copyFileSync(file, copy);
      const renew = await run('kinit', ['-R', '-c', `FILE:${copy}`], { env: lab.env({ ccache: copy }) });
      expect(renew.stderr).toBe('');
      expect(renew.code).toBe(0);
      const t = klistTickets((await mitKlist(lab, copy)).stdout);
      expect(t[0]!.server).toBe(`krbtgt/${HOME}@${HOME}`);
      expect(t[0]!.flags).toContain('R');
      // Our ticket's bytes decode as a Ticket for krbtgt/MIT.TEST.
      const ticket = decodeTicket(readCcache(new Uint8Array(readFileSync(file))).credentials[0]!.ticket);
      expect(ticket.sname.nameString).toEqual(['krbtgt', HOME]);
    });
  },
);
