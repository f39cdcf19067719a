// MIT krb5's clients (kinit, kvno, klist) against `krbplay kdc` on loopback: pre-authentication and a
// service ticket for each enctype, MIT's own error wording for a wrong password and an unknown client,
// a service across a trust, a referral MIT chases, a reply too big for UDP, clock skew, and kinit
// through our KDC proxy over HTTPS (a CA the test makes, and the certificate the KDC makes itself).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KdcConfig } from '../../src/kdc';
import { hasPackages } from '../setup/needs';
import { stringToKey } from '../../src/crypto';
import { encodeKeytab } from '../../src/formats';
import { LoopbackCapture, tsharkKerberos, tsharkMalformedFrames } from './harness/capture';
import { KrbplayKdc, makeTestCa, MitClient, MIT_NAMES, writeKrb5Conf } from './krbplay-kdc';

const REALM = 'EXAMPLE.TEST';
const OTHER = 'OTHER.TEST';
const ENCTYPES = [17, 18, 19, 20, 23] as const;
const pw = (name: string) => `pw-${name.replace(/\//g, '-')}`;
const SID = 'S-1-5-21-1004336348-1177238915-682003330';

const config: KdcConfig = {
  realms: [
    {
      name: REALM,
      // A known krbtgt key, so that the capture test can give tshark a keytab that opens the TGT.
      krbtgtPassword: 'krbtgt-password',
      principals: [
        ...ENCTYPES.flatMap((e) => [
          { name: `user${e}`, password: pw(`user${e}`), etypes: [e] },
          { name: `host/svc${e}.example.test`, password: pw(`host/svc${e}.example.test`), etypes: [e] },
        ]),
        { name: 'alice', password: pw('alice') },
        // Hundreds of groups make a PAC, and so an AS-REP, far bigger than a UDP reply may be.
        {
          name: 'big',
          password: pw('big'),
          sid: `${SID}-1200`,
          groups: Array.from({ length: 400 }, (_, i) => `${SID}-${5000 + i}`),
        },
      ],
      hostRealm: { '.other.test': OTHER },
    },
    {
      name: OTHER,
      principals: [
        { name: 'host/svc.other.test', password: pw('host/svc.other.test') },
        { name: 'host/web.other.test', password: pw('host/web.other.test') },
      ],
    },
  ],
  trusts: [{ from: REALM, to: OTHER, password: 'trust-password', etypes: [18, 17] }],
};

/** The lines klist -e -f prints for one ticket: its row and the indented lines under it. */
function ticketBlock(klist: string, principal: string): string {
  const rows = klist.split('\n');
  const at = rows.findIndex((l) => /^\d/.test(l) && l.trimEnd().endsWith(principal));
  if (at < 0) throw new Error(`no ticket for ${principal} in:\n${klist}`);
  const block = [rows[at]!];
  for (const l of rows.slice(at + 1)) {
    if (!/^\s/.test(l) || l.trim() === '') break;
    block.push(l);
  }
  return block.join('\n');
}

describe.runIf(hasPackages('krb5-user', 'krb5-k5tls'))('MIT krb5 clients against krbplay kdc', () => {
  let dir: string;
  let kdc: KrbplayKdc;
  let mit: MitClient;
  let ca: { caCert: string; cert: string; key: string };
  const cc = (name: string) => join(dir, `cc-${name}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-kdc-mit-'));
    ca = await makeTestCa(join(dir, 'ca'));
    kdc = await KrbplayKdc.start({ config, dir, kkdcp: { cert: ca.cert, key: ca.key } });
    const at = `127.0.0.1:${kdc.port}`;
    mit = new MitClient(
      writeKrb5Conf(join(dir, 'krb5.conf'), {
        defaultRealm: REALM,
        realms: { [REALM]: [at], [OTHER]: [at] },
        capaths: [[REALM, OTHER]],
      }),
    );
  });
  afterAll(async () => {
    const code = await kdc?.stop();
    expect(code).toBe(0);
    if (dir && !process.env.KRBPLAY_KEEP_INTEROP) rmSync(dir, { recursive: true, force: true });
  });

  const kinitOk = async (name: string, ccache = cc(name)) => {
    const r = await mit.kinit(`${name}@${REALM}`, pw(name), ccache);
    expect(r.stderr + r.stdout, `kinit ${name}`).not.toMatch(/error|while/i);
    expect(r.ok).toBe(true);
    return ccache;
  };

  describe.each(ENCTYPES)('enctype %i', (etype) => {
    test('kinit with PA-ENC-TIMESTAMP, kvno, and klist shows the enctype', async () => {
      const user = `user${etype}`;
      const service = `host/svc${etype}.example.test@${REALM}`;
      const ccache = await kinitOk(user);
      // Pre-authentication happened: first PREAUTH_REQUIRED, then the AS-REP.
      const lines = (await kdc.log()).filter((l) => l.includes(` AS-REQ ${user}@${REALM} `));
      expect(lines.some((l) => l.endsWith('KDC_ERR_PREAUTH_REQUIRED (25)'))).toBe(true);
      expect(lines.at(-1)).toMatch(/ISSUE AS-REP$/);

      const kvno = await mit.kvno([service], ccache);
      expect(kvno.stderr).toBe('');
      expect(kvno.stdout).toContain(`${service}: kvno = 1`);

      const klist = await mit.klist(ccache);
      expect(ticketBlock(klist.stdout, service)).toMatch(
        new RegExp(`Etype \\(skey, tkt\\): \\S+, (DEPRECATED:)?${MIT_NAMES[etype]}\\b`),
      );
      expect(ticketBlock(klist.stdout, `krbtgt/${REALM}@${REALM}`)).toMatch(/Flags: \S*A/); // pre-authenticated
    });
  });

  test.runIf(hasPackages('tshark'))(
    "tshark reads MIT's exchange with our KDC (UDP and TCP) as well-formed and decrypts it with a keytab",
    async () => {
      const pcap = join(dir, 'krbplay-kdc.pcapng');
      const capture = await LoopbackCapture.start(pcap, [kdc.port]);
      const ccache = cc('alice-capture');
      try {
        await kinitOk('alice', ccache);
        const r = await mit.kvno([`host/svc18.example.test@${REALM}`], ccache); // over TCP: the TGS-REQ is big
        expect(r.ok).toBe(true);
      } finally {
        await capture.stop();
      }
      const key = (name: string[], password: string) => ({
        principal: { realm: REALM, name: { nameType: 1, nameString: name } },
        timestamp: 0,
        kvno: 1,
        key: stringToKey(18, password, `${REALM}${name.join('')}`),
      });
      const keytab = join(dir, 'capture.keytab');
      writeFileSync(
        keytab,
        encodeKeytab({
          entries: [
            key(['alice'], pw('alice')),
            key(['krbtgt', REALM], 'krbtgt-password'),
            key(['host', 'svc18.example.test'], pw('host/svc18.example.test')),
          ],
        }),
      );
      const opts = { keytab, kerberosPorts: [kdc.port] };
      expect(await tsharkMalformedFrames(pcap, opts)).toEqual([]);
      const frames = (await tsharkKerberos(pcap, opts)).filter((f) => f.cnames.includes('alice'));
      // AS-REQ, PREAUTH_REQUIRED, AS-REQ, AS-REP over UDP; TGS-REQ, TGS-REP over TCP.
      expect(frames.map((f) => [f.transport, f.msgTypes[0]])).toEqual([
        ['udp', 10],
        ['udp', 30],
        ['udp', 10],
        ['udp', 11],
        ['tcp', 12],
        ['tcp', 13],
      ]);
      // tshark opened the encrypted parts with the keytab (it shows their keytypes only when it did).
      expect(frames[3]!.decryptedKeytypes).toContain(18);
      expect(frames[5]!.decryptedKeytypes).toContain(18);
    },
  );

  test('a wrong password: MIT says "Password incorrect"', async () => {
    const r = await mit.kinit(`alice@${REALM}`, 'not-the-password', cc('wrong'));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain('Password incorrect while getting initial credentials');
    expect((await kdc.log()).at(-1)).toMatch(/alice@EXAMPLE\.TEST .*KDC_ERR_PREAUTH_FAILED \(24\)$/);
  });

  test('an unknown client: MIT says "not found in Kerberos database"', async () => {
    const r = await mit.kinit(`nobody@${REALM}`, 'whatever', cc('nobody'));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain(
      `Client 'nobody@${REALM}' not found in Kerberos database while getting initial credentials`,
    );
  });

  test('an unknown service: MIT says "Server not found in Kerberos database"', async () => {
    const ccache = await kinitOk('alice', cc('alice-unknown'));
    const r = await mit.kvno([`host/nowhere.example.test@${REALM}`], ccache);
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain(`Server host/nowhere.example.test@${REALM} not found in Kerberos database`);
  });

  test('a service across a trust: a cross-realm TGT, then the service ticket from the other realm', async () => {
    const ccache = await kinitOk('alice', cc('alice-trust'));
    const service = `host/svc.other.test@${OTHER}`;
    const r = await mit.kvno([service], ccache);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${service}: kvno = 1`);
    const klist = await mit.klist(ccache);
    expect(klist.stdout).toContain(`krbtgt/${OTHER}@${REALM}`);
    expect(klist.stdout).toContain(service);
  });

  test('a referral MIT chases: a host-based name with no realm, mapped to OTHER.TEST by the KDC', async () => {
    const ccache = await kinitOk('alice', cc('alice-referral'));
    // kvno -S turns (service, host) into a principal with MIT's referral (empty) realm: the client asks
    // its own realm with canonicalize, and follows the cross-realm TGT the KDC answers with.
    const r = await mit.kvno(['-S', 'host', 'web.other.test'], ccache);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/host\/web\.other\.test@(OTHER\.TEST)?: kvno = 1/);
    // MIT files the ticket under the name it asked for, and notes the name the KDC answered with.
    const klist = await mit.klist(ccache);
    expect(ticketBlock(klist.stdout, 'host/web.other.test@')).toContain(
      `Ticket server: host/web.other.test@${OTHER}`,
    );
    // Two TGS exchanges: EXAMPLE.TEST answers with the referral (a cross-realm TGT), OTHER.TEST with the ticket.
    const lines = (await kdc.log()).filter((l) =>
      l.includes(`TGS-REQ alice@${REALM} for host/web.other.test@`),
    );
    expect(lines.map((l) => l.replace(/^.* for /, ''))).toEqual([
      `host/web.other.test@${REALM}: ISSUE TGS-REP`,
      `host/web.other.test@${OTHER}: ISSUE TGS-REP`,
    ]);
  });

  test('a reply too big for UDP: KRB_ERR_RESPONSE_TOO_BIG, and MIT gets it over TCP', async () => {
    await kinitOk('big');
    const lines = await kdc.log();
    expect(lines.some((l) => / udp .*KRB_ERR_RESPONSE_TOO_BIG \(52\)/.test(l))).toBe(true);
    expect(lines.some((l) => / tcp .*AS-REQ big@EXAMPLE\.TEST .*ISSUE AS-REP$/.test(l))).toBe(true);
  });

  test('kinit and kvno through the KDC proxy over HTTPS, trusting a test CA (http_anchors)', async () => {
    expect(kdc.proxyUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/KdcProxy$/);
    const overProxy = new MitClient(
      writeKrb5Conf(join(dir, 'krb5-kkdcp.conf'), {
        defaultRealm: REALM,
        realms: { [REALM]: [kdc.proxyUrl!] },
        realmRelations: { [REALM]: { http_anchors: `FILE:${ca.caCert}` } },
      }),
    );
    const ccache = cc('alice-kkdcp');
    const before = (await kdc.log()).length;
    const r = await overProxy.kinit(`alice@${REALM}`, pw('alice'), ccache);
    expect(r.stderr).toBe('');
    expect(r.ok).toBe(true);
    const k = await overProxy.kvno([`host/svc18.example.test@${REALM}`], ccache);
    expect(k.stdout).toContain('kvno = 1');
    const mine = (await kdc.log()).slice(before);
    expect(mine.filter((l) => / kkdcp /.test(l) && /ISSUE (AS|TGS)-REP$/.test(l))).toHaveLength(2);
  });
});

describe.runIf(hasPackages('krb5-user', 'krb5-k5tls'))('krbplay kdc on its own', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-kdc-own-'));
  });
  afterAll(() => {
    if (dir && !process.env.KRBPLAY_KEEP_INTEROP) rmSync(dir, { recursive: true, force: true });
  });
  const small: KdcConfig = {
    realms: [{ name: REALM, principals: [{ name: 'alice', password: pw('alice') }] }],
  };

  test('a KDC clock 10 minutes ahead: MIT reports the skew with kdc_timesync = 0, and adjusts without', async () => {
    const kdc = await KrbplayKdc.start({
      config: small,
      dir: join(dir, 'skew'),
      args: ['--time-offset', '+10m'],
    });
    try {
      const at = `127.0.0.1:${kdc.port}`;
      const strict = new MitClient(
        writeKrb5Conf(join(dir, 'krb5-skew.conf'), {
          defaultRealm: REALM,
          realms: { [REALM]: [at] },
          libdefaults: { kdc_timesync: '0' },
        }),
      );
      const r = await strict.kinit(`alice@${REALM}`, pw('alice'), join(dir, 'cc-skew'));
      expect(r.ok).toBe(false);
      expect(r.stderr).toContain('Clock skew too great while getting initial credentials');
      expect((await kdc.log()).at(-1)).toMatch(/KRB_AP_ERR_SKEW \(37\)$/);

      const lenient = new MitClient(
        writeKrb5Conf(join(dir, 'krb5-timesync.conf'), {
          defaultRealm: REALM,
          realms: { [REALM]: [at] },
          libdefaults: { kdc_timesync: '1' },
        }),
      );
      const ok = await lenient.kinit(`alice@${REALM}`, pw('alice'), join(dir, 'cc-timesync'));
      expect(ok.stderr).toBe('');
      expect(ok.ok).toBe(true);
    } finally {
      expect(await kdc.stop()).toBe(0);
    }
  });

  test('the KDC proxy with the certificate krbplay kdc makes itself (its path printed, used as the anchor)', async () => {
    const kdc = await KrbplayKdc.start({ config: small, dir: join(dir, 'self'), kkdcp: 'self-signed' });
    try {
      expect(kdc.certFile).toMatch(/\.pem$/);
      const client = new MitClient(
        writeKrb5Conf(join(dir, 'krb5-self.conf'), {
          defaultRealm: REALM,
          realms: { [REALM]: [kdc.proxyUrl!] },
          realmRelations: { [REALM]: { http_anchors: `FILE:${kdc.certFile}` } },
        }),
      );
      const r = await client.kinit(`alice@${REALM}`, pw('alice'), join(dir, 'cc-self'));
      expect(r.stderr).toBe('');
      expect(r.ok).toBe(true);
      expect((await kdc.log()).some((l) => / kkdcp .*ISSUE AS-REP$/.test(l))).toBe(true);
    } finally {
      expect(await kdc.stop('SIGINT')).toBe(0);
    }
  });

  test('the KDC proxy over plain HTTP (--kkdcp-plain) answers a KDC-PROXY-MESSAGE; other requests get HTTP errors', async () => {
    const kdc = await KrbplayKdc.start({ config: small, dir: join(dir, 'plain'), kkdcp: 'plain' });
    try {
      const url = kdc.proxyUrl!;
      expect(url).toMatch(/^http:\/\//);
      const { encodeAsReq, decodeKdcProxyMessage, decodeKrbError, wrapForKdcProxy, stripTcpPrefix } =
        await import('../../src/asn1');
      const asReq = encodeAsReq({
        pvno: 5,
        msgType: 10,
        reqBody: {
          kdcOptions: 0,
          cname: { nameType: 1, nameString: ['alice'] },
          realm: REALM,
          sname: { nameType: 2, nameString: ['krbtgt', REALM] },
          till: new Date(Date.UTC(2037, 8, 13, 2, 48, 5)),
          nonce: 42,
          etype: [18],
        },
      });
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/kerberos' },
        body: Buffer.from(wrapForKdcProxy(asReq, REALM)),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/kerberos');
      const reply = decodeKdcProxyMessage(new Uint8Array(await res.arrayBuffer()));
      expect(decodeKrbError(stripTcpPrefix(reply.kerbMessage)).errorCode).toBe(25); // PREAUTH_REQUIRED
      expect((await fetch(url)).status).toBe(405);
      expect((await fetch(url, { method: 'POST', body: 'hello' })).status).toBe(400);
      const huge = await fetch(url, { method: 'POST', body: new Uint8Array(2 * 1024 * 1024) }).catch(
        () => undefined,
      );
      if (huge) expect(huge.status).toBe(413);
    } finally {
      expect(await kdc.stop()).toBe(0);
    }
  });
});
