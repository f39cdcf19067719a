// Our client against a Samba Active Directory domain controller (Samba 4's KDC is Heimdal's, with an AD
// directory behind it), on loopback inside a network namespace of its own so that the DC's ports (88, 389,
// 445, …) meet nothing else on the machine:
// - the keys we derive from alice's password are the keys the DC stored (samba-tool's keytab export);
// - `krbplay kinit` and `krbplay kvno` get a TGT and a cifs ticket from the DC; our decoder opens both with
//   the exported keytab, reads the PAC the DC wrote (alice's SID, her groups) and finds every PAC signature
//   valid: server, KDC, ticket and full checksums, the krbtgt key named as AD names it (`krbtgt@REALM`);
// - Samba's own SMB client (Heimdal's GSS-API) takes the credential cache we wrote and mounts NETLOGON;
// - a wrong password gets MIT's words from the DC's pre-authentication refusal.
// And the other way: Samba's Heimdal client (its Python bindings, as samba-tool uses them) signs in at
// `krbplay kdc`, gets a service ticket, and makes an AP-REQ that our Kerberized service accepts.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringToKey } from '../../src/crypto';
import { decodeCcache, decodeKeytab } from '../../src/formats';
import { decodeMessage, KeyRing } from '../../src/formats/decoder';
import { cryptoRandom } from '../../src/node/random';
import { KerberizedService } from '../../src/services';
import { toHex } from '../../src/util/bytes';
import { hasPackages } from '../setup/needs';
import { Daemon, run, runOk, waitFor, type RunResult } from './harness';
import { assertCliBuilt } from './kinit-helpers';
import { KrbplayKdc, writeKrb5Conf } from './krbplay-kdc';

const REALM = 'SAMBA.TEST';
const HOST = 'dc1.samba.test';
const ALICE_PW = 'Alice-Secret-1';
const BIN = new URL('../../bin/krbplay.js', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;
if (!isRoot)
  console.warn('!!! SKIPPED: the Samba DC suite needs root (it makes a network namespace for the DC)');

interface Node {
  name: string;
  value?: unknown;
  children?: Node[];
}
function collect(n: Node | undefined, want: (n: Node) => boolean, out: Node[] = []): Node[] {
  if (!n) return out;
  if (want(n)) out.push(n);
  n.children?.forEach((c) => collect(c, want, out));
  return out;
}

describe.runIf(hasPackages('samba', 'samba-ad-provision', 'smbclient', 'iproute2') && isRoot)(
  'our client against a Samba AD DC',
  () => {
    const ns = `krbplay-samba-${process.pid}`;
    let dir: string;
    let samba: Daemon | undefined;
    let conf: string;
    let keytab: string;
    let aliceSid: string;
    let groupSid: string;
    const inNs = (cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
      run('ip', ['netns', 'exec', ns, cmd, ...args], { ...opts, timeoutMs: 90_000 });
    const krbplay = (args: string[], input = ''): Promise<RunResult> =>
      inNs(process.execPath, [BIN, ...args], { input });
    const tool = (args: string[]) => runOk('samba-tool', [...args, '-s', conf], { timeoutMs: 120_000 });
    const sidOf = async (name: string) =>
      /objectSid: (S-1-5-21-[\d-]+)/.exec(
        (await tool([kindOf(name), 'show', name, '--attributes=objectSid'])).stdout,
      )![1]!;
    const kindOf = (name: string) => (name === 'alice' ? 'user' : 'group');

    beforeAll(async () => {
      assertCliBuilt();
      dir = mkdtempSync(join(tmpdir(), 'krbplay-samba-'));
      // smbd opens a share's files as the signed-in user: the folders above the shares must let them in.
      chmodSync(dir, 0o755);
      await runOk('ip', ['netns', 'add', ns]);
      await runOk('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
      // `ip netns exec` shows /etc/netns/NS/hosts as the namespace's /etc/hosts: the DC's name resolves.
      mkdirSync(`/etc/netns/${ns}`, { recursive: true });
      writeFileSync(`/etc/netns/${ns}/hosts`, `127.0.0.1 localhost ${HOST} dc1\n`);
      await runOk(
        'samba-tool',
        [
          'domain',
          'provision',
          `--targetdir=${join(dir, 'dc')}`,
          `--realm=${REALM}`,
          '--domain=SAMBA',
          '--server-role=dc',
          '--dns-backend=NONE',
          '--host-name=dc1',
          '--adminpass=Adm1n-Secret-1',
          '--option=interfaces=lo',
          '--option=bind interfaces only=yes',
          `--option=log file=${join(dir, 'log.%m')}`,
        ],
        { timeoutMs: 180_000 },
      );
      conf = join(dir, 'dc/etc/smb.conf');
      await tool(['user', 'add', 'alice', ALICE_PW]);
      await tool(['group', 'add', 'Payroll']);
      await tool(['group', 'addmembers', 'Payroll', 'alice']);
      aliceSid = await sidOf('alice');
      groupSid = await sidOf('Payroll');
      keytab = join(dir, 'dc.keytab');
      await tool(['domain', 'exportkeytab', keytab]);
      samba = new Daemon(
        'samba',
        'ip',
        ['netns', 'exec', ns, 'samba', '-s', conf, '--foreground', '--no-process-group'],
        process.env,
      );
      // Ready when its KDC answers: a sign-in attempt that reaches it (any answer but "cannot contact").
      await waitFor(
        'the Samba DC’s KDC',
        async () => {
          const r = await krbplay(
            ['kinit', `nobody@${REALM}`, '--kdc', '127.0.0.1:88', '--password-stdin'],
            'x\n',
          );
          return !/Cannot contact any KDC/.test(r.stderr) && r;
        },
        { timeoutMs: 120_000, intervalMs: 500, explain: () => samba!.output },
      );
    }, 400_000);

    afterAll(async () => {
      await samba?.stop();
      await run('sh', ['-c', `ip netns pids ${ns} | xargs -r kill -9`]);
      await run('ip', ['netns', 'del', ns]);
      rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the keys we derive from alice’s password are the ones the DC stored', () => {
      const entries = decodeKeytab(new Uint8Array(readFileSync(keytab))).entries.filter(
        (e) => e.principal.name.nameString.join('/') === 'alice',
      );
      expect(entries.map((e) => e.key.etype).sort()).toEqual([17, 18, 23]);
      for (const e of entries) {
        // AD's salt for a user is REALM + sAMAccountName (MS-KILE §3.1.1.2); etype 23's key is the NT hash.
        expect(toHex(stringToKey(e.key.etype, ALICE_PW, `${REALM}alice`).bytes)).toBe(toHex(e.key.bytes));
      }
    });

    test('kinit and kvno get tickets whose PAC carries alice’s SIDs, every signature valid', async () => {
      const cc = join(dir, 'alice.cc');
      const kinit = await krbplay(
        ['kinit', `alice@${REALM}`, '--kdc', '127.0.0.1:88', '--password-stdin', '--ccache', cc],
        `${ALICE_PW}\n`,
      );
      expect(kinit.stderr).toBe('');
      expect(kinit.code).toBe(0);
      const kvno = await krbplay(['kvno', `cifs/${HOST}`, '--ccache', cc, '--kdc', '127.0.0.1:88']);
      expect(kvno.code).toBe(0);
      expect(kvno.stdout).toMatch(new RegExp(`cifs/${HOST}@${REALM}: kvno = \\d+`));

      const creds = decodeCcache(new Uint8Array(readFileSync(cc))).credentials;
      expect(creds.map((c) => c.server.name.nameString.join('/'))).toEqual([
        `krbtgt/${REALM}`,
        `cifs/${HOST}`,
      ]);
      const ring = new KeyRing().addKeytab(decodeKeytab(new Uint8Array(readFileSync(keytab))).entries);
      for (const cred of creds) {
        const m = decodeMessage(cred.ticket, ring, { frame: 1 });
        const part = m.encParts.find((p) => p.path === 'enc-part');
        expect(part?.decrypted).toBe(true);
        const sids = collect(
          part!.plain as Node,
          (n) => typeof n.value === 'string' && /^S-1-5-21-/.test(n.value),
        );
        expect(sids.find((n) => n.name === 'userSid')?.value).toBe(aliceSid);
        expect(sids.map((n) => n.value)).toContain(groupSid);
        const checks = collect(part!.plain as Node, (n) => n.name === 'verified').map((n) => String(n.value));
        // The TGT carries the server and KDC signatures at least; a service ticket also the ticket one.
        expect(checks.length).toBeGreaterThanOrEqual(cred === creds[0] ? 2 : 3);
        expect(checks.filter((c) => !c.startsWith('valid'))).toEqual([]);
      }
    });

    test('Samba’s SMB client signs in to NETLOGON with the credential cache we wrote', async () => {
      const cc = join(dir, 'smb.cc');
      const kinit = await krbplay(
        ['kinit', `alice@${REALM}`, '--kdc', '127.0.0.1:88', '--password-stdin', '--ccache', cc],
        `${ALICE_PW}\n`,
      );
      expect(kinit.code).toBe(0);
      const krb5conf = join(dir, 'krb5.conf');
      writeFileSync(
        krb5conf,
        `[libdefaults]\n default_realm = ${REALM}\n dns_lookup_kdc = false\n dns_lookup_realm = false\n` +
          `[realms]\n ${REALM} = {\n  kdc = 127.0.0.1\n }\n[domain_realm]\n .samba.test = ${REALM}\n`,
      );
      const smb = await inNs(
        'smbclient',
        [`//${HOST}/netlogon`, '--use-kerberos=required', '-N', '-c', 'ls'],
        {
          env: { ...process.env, KRB5CCNAME: `FILE:${cc}`, KRB5_CONFIG: krb5conf },
        },
      );
      expect(smb.stdout + smb.stderr).not.toMatch(/NT_STATUS_|failed/i);
      expect(smb.code).toBe(0);
      expect(smb.stdout).toMatch(/blocks of size/);
      // The client asked the DC for its own cifs ticket with our TGT: the cache now holds it.
      const held = decodeCcache(new Uint8Array(readFileSync(cc))).credentials.map((c) =>
        c.server.name.nameString.join('/'),
      );
      expect(held).toContain(`cifs/${HOST}`);
    });

    test('a wrong password: the DC refuses pre-authentication, said in MIT’s words', async () => {
      const r = await krbplay(
        [
          'kinit',
          `alice@${REALM}`,
          '--kdc',
          '127.0.0.1:88',
          '--password-stdin',
          '--ccache',
          join(dir, 'x.cc'),
        ],
        'not-her-password\n',
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/Password incorrect while getting initial credentials/);
    });
  },
);

// Heimdal's client as Samba builds it: kinit with a password into a named ccache, then the raw krb5 GENSEC
// mechanism's first token (an AP-REQ) for a service, which makes it ask the KDC for the service ticket.
const HEIMDAL_CLIENT = `
import sys
from samba import param, gensec
from samba.credentials import Credentials, MUST_USE_KERBEROS
realm, user, password, ccache, service, host = sys.argv[1:7]
lp = param.LoadParm()
lp.set('realm', realm)
creds = Credentials()
creds.guess(lp)
creds.set_username(user)
creds.set_password(password)
creds.set_realm(realm)
creds.set_kerberos_state(MUST_USE_KERBEROS)
creds.get_named_ccache(lp, 'FILE:' + ccache)
client = gensec.Security.start_client({'lp_ctx': lp, 'target_hostname': host})
client.set_credentials(creds)
client.set_target_service(service)
client.set_target_hostname(host)
client.start_mech_by_name('krb5')
finished, token = client.update(b'')
print(bytes(token).hex())
`;

describe.runIf(hasPackages('samba'))('Samba’s Heimdal client against our KDC', () => {
  const REALM2 = 'EXAMPLE.TEST';
  const SID = 'S-1-5-21-1004336348-1177238915-682003330';
  let dir: string;
  let kdc: KrbplayKdc;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'krbplay-heimdal-'));
    kdc = await KrbplayKdc.start({
      dir,
      config: {
        realms: [
          {
            name: REALM2,
            domainSid: SID,
            principals: [
              { name: 'alice', password: 'alice-pw', requiresPreauth: true, sid: `${SID}-1104` },
              { name: 'cifs/fs1.example.test', password: 'fs1-pw' },
            ],
          },
        ],
      },
    });
    writeKrb5Conf(join(dir, 'krb5.conf'), {
      defaultRealm: REALM2,
      realms: { [REALM2]: [`127.0.0.1:${kdc.port}`] },
    });
  }, 120_000);

  afterAll(async () => {
    await kdc?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('Heimdal signs in, gets a cifs ticket, and our service accepts its AP-REQ', async () => {
    writeFileSync(join(dir, 'client.py'), HEIMDAL_CLIENT);
    const ccache = join(dir, 'heimdal.cc');
    // Debian's Python, which has Samba's bindings (not any other python3 first on the PATH).
    const r = await runOk(
      '/usr/bin/python3',
      [join(dir, 'client.py'), REALM2, 'alice', 'alice-pw', ccache, 'cifs', 'fs1.example.test'],
      { env: { ...process.env, KRB5_CONFIG: join(dir, 'krb5.conf') }, timeoutMs: 90_000 },
    );
    const log = await kdc.log();
    expect(log.some((l) => /AS-REQ alice@EXAMPLE\.TEST .*PREAUTH_REQUIRED \(25\)/.test(l))).toBe(true);
    expect(log.some((l) => /AS-REQ alice@EXAMPLE\.TEST .*ISSUE/.test(l))).toBe(true);
    expect(
      log.some((l) =>
        /TGS-REQ alice@EXAMPLE\.TEST for cifs\/fs1\.example\.test@EXAMPLE\.TEST: ISSUE/.test(l),
      ),
    ).toBe(true);
    // Heimdal's credential cache, read by ours.
    const held = decodeCcache(new Uint8Array(readFileSync(ccache)));
    expect(held.credentials.map((c) => c.server.name.nameString.join('/'))).toContain(`krbtgt/${REALM2}`);

    const apReq = Uint8Array.from(Buffer.from(r.stdout.trim(), 'hex'));
    const service = new KerberizedService({
      realm: REALM2,
      name: { nameType: 3, nameString: ['cifs', 'fs1.example.test'] },
      keys: [18, 17].map((etype) => ({
        etype,
        kvno: 1,
        key: stringToKey(etype, 'fs1-pw', `${REALM2}cifsfs1.example.test`).bytes,
      })),
      maxSkew: 5 * 60_000,
      replayCache: [],
    });
    const accepted = service.accept(apReq, { now: Date.now(), random: cryptoRandom });
    expect(accepted.ok ? accepted.identity.principal : accepted.message).toBe(`alice@${REALM2}`);
    expect(accepted.ok && accepted.identity.userSid).toBe(`${SID}-1104`);
  });
});
