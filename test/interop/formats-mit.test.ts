// MIT krb5 as the judge nobody here wrote: keytabs and credential caches written by src/formats are
// listed by MIT `klist` with exactly the entries we list, and a keytab written by MIT `ktutil` is read
// by us with the keys string-to-key makes from the same passwords.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { principalSalt, stringToKey } from '../../src/crypto';
import {
  ccacheToListJson,
  decodeCcache,
  decodeKeytab,
  encodeCcache,
  encodeKeytab,
  keytabToListJson,
  ticketFlagLetters,
  type Ccache,
  type CcacheCredential,
  type KeytabEntry,
} from '../../src/formats';
import { parsePrincipal } from '../../src/asn1/principal';
import { fromHex, toHex, utf8 } from '../../src/util/bytes';
import { hasPackages } from '../setup/needs';
import ccacheVectors from '../fixtures/vectors/ccache.json';

const dir = mkdtempSync(join(tmpdir(), 'krbplay-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** MIT tools in the C locale and UTC, so that their dates are MM/DD/YY HH:MM:SS in UTC. */
function mit(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, {
    env: { ...process.env, LC_ALL: 'C', TZ: 'UTC', KRB5_CONFIG: '/dev/null' },
    input,
    encoding: 'utf8',
  });
}

/** "11/25/26 01:49:28" or "11/25/2026 01:49:28" (klist picks by width) → ISO "2026-11-25T01:49:28Z". */
function klistTime(text: string): string {
  const m = /^(\d\d)\/(\d\d)\/(\d\d(?:\d\d)?) (\d\d:\d\d:\d\d)$/.exec(text.trim());
  if (!m) throw new Error(`not a klist time: ${text}`);
  const year = m[3]!.length === 2 ? `20${m[3]}` : m[3];
  return `${year}-${m[1]}-${m[2]}T${m[4]}Z`;
}

/** MIT's names for enctypes where they differ from the RFC names we print. */
const MIT_ETYPE: Record<number, string> = { 23: 'arcfour-hmac' };
const mitEtype = (etype: number, ours: string) => MIT_ETYPE[etype] ?? ours;

/** Parses `klist -k -t -e -K`: "KVNO TIME TIME principal (etype)  (0xkey)". */
function parseKlistKeytab(out: string) {
  const rows = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+) (\S+ \S+) (\S+) \((?:DEPRECATED:)?([^)]+)\)\s+\(0x([0-9a-f]*)\)\s*$/.exec(line);
    if (m)
      rows.push({
        kvno: Number(m[1]),
        timestamp: klistTime(m[2]!),
        principal: m[3]!,
        etypeName: m[4]!,
        key: m[5]!,
      });
  }
  return rows;
}

/** Parses `klist -c -e -f`: the default principal and, per ticket, times, server, flags and skey etype. */
function parseKlistCache(out: string) {
  const lines = out.split('\n');
  const def = /^Default principal: (\S+)/m.exec(out)?.[1];
  const creds: {
    starttime: string;
    endtime: string;
    server: string;
    renewTill: string | null;
    flags: string;
    etype: string;
  }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m =
      /^(\d\d\/\d\d\/\d\d(?:\d\d)? \d\d:\d\d:\d\d)\s+(\d\d\/\d\d\/\d\d(?:\d\d)? \d\d:\d\d:\d\d)\s+(\S+)/.exec(
        lines[i]!,
      );
    if (!m) continue;
    const cred = {
      starttime: klistTime(m[1]!),
      endtime: klistTime(m[2]!),
      server: m[3]!,
      renewTill: null as string | null,
      flags: '',
      etype: '',
    };
    for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]!) && lines[j]!.trim() !== ''; j++) {
      const l = lines[j]!;
      const renew = /renew until (\d\d\/\d\d\/\d\d(?:\d\d)? \d\d:\d\d:\d\d)/.exec(l);
      if (renew) cred.renewTill = klistTime(renew[1]!);
      const flags = /Flags: (\w*)/.exec(l);
      if (flags) cred.flags = flags[1]!;
      const et = /Etype \(skey, tkt\): (?:DEPRECATED:)?([^,]+),/.exec(l);
      if (et) cred.etype = et[1]!.trim();
    }
    creds.push(cred);
  }
  return { defaultPrincipal: def, credentials: creds };
}

describe.runIf(hasPackages('krb5-user'))('MIT krb5 reads what we write, and we read what it writes', () => {
  test('a keytab written by us is listed by MIT klist -k -t -e -K with the same entries', () => {
    const when = Date.UTC(2026, 2, 2, 8, 0, 0) / 1000;
    const specs: [string, number, number, number][] = [
      ['alice@EXAMPLE.TEST', 1, 18, 0],
      ['alice@EXAMPLE.TEST', 1, 17, 0],
      ['cifs/fs1.example.test@EXAMPLE.TEST', 3, 19, 3600],
      ['cifs/fs1.example.test@EXAMPLE.TEST', 3, 20, 3600],
      ['HTTP/web.example.test@EXAMPLE.TEST', 300, 23, 86400], // kvno above 255: only the 32-bit field holds it
    ];
    const entries: KeytabEntry[] = specs.map(([name, kvno, etype, dt]) => {
      const principal = parsePrincipal(name, undefined, name.includes('/') ? 3 : 1);
      const key = stringToKey(
        etype,
        `pw-${name}`,
        principalSalt(principal.realm, principal.name.nameString),
        {
          iterations: 1,
        },
      );
      return { principal, timestamp: when + dt, kvno, key };
    });
    const file = join(dir, 'ours.keytab');
    writeFileSync(file, encodeKeytab({ entries }));

    const theirs = parseKlistKeytab(mit('klist', ['-k', '-t', '-e', '-K', file]));
    const ours = keytabToListJson(decodeKeytab(readFileSync(file))).entries.map((e) => ({
      kvno: e.kvno,
      timestamp: e.timestamp,
      principal: e.principal,
      etypeName: mitEtype(e.etype, e.etypeName),
      key: e.key,
    }));
    expect(theirs).toHaveLength(specs.length);
    expect(theirs).toEqual(ours);
  });

  test('a keytab written by MIT ktutil is read with the keys our string-to-key makes', () => {
    const file = join(dir, 'mit.keytab');
    const adds: [string, number, string, string][] = [
      ['alice@EXAMPLE.TEST', 1, 'aes256-cts-hmac-sha1-96', 'Secret-123'],
      ['alice@EXAMPLE.TEST', 1, 'aes128-cts-hmac-sha1-96', 'Secret-123'],
      ['HTTP/web.example.test@EXAMPLE.TEST', 300, 'aes256-cts-hmac-sha384-192', 'web pass'],
      ['HTTP/web.example.test@EXAMPLE.TEST', 300, 'arcfour-hmac', 'web pass'],
    ];
    const script =
      adds.map(([p, k, e, pw]) => `addent -password -p ${p} -k ${k} -e ${e}\n${pw}\n`).join('') +
      `wkt ${file}\nquit\n`;
    mit('ktutil', [], script);

    const kt = decodeKeytab(readFileSync(file));
    expect(kt.version).toBe(2);
    expect(kt.entries).toHaveLength(adds.length);
    const etypes = [18, 17, 20, 23];
    kt.entries.forEach((e, i) => {
      const [name, kvno, , password] = adds[i]!;
      const want = parsePrincipal(name);
      expect(e.principal.name.nameString).toEqual(want.name.nameString);
      expect(e.principal.realm).toBe(want.realm);
      expect(e.kvno).toBe(kvno);
      expect(e.key.etype).toBe(etypes[i]);
      const key = stringToKey(
        e.key.etype,
        password,
        principalSalt(e.principal.realm, e.principal.name.nameString),
      );
      expect(toHex(e.key.bytes)).toBe(toHex(key.bytes));
    });
    // And what MIT wrote, we write back byte for byte.
    expect(toHex(encodeKeytab(kt))).toBe(toHex(readFileSync(file)));
    // The same entries as klist lists them.
    const theirs = parseKlistKeytab(mit('klist', ['-k', '-t', '-e', '-K', file]));
    expect(theirs.map((t) => t.key)).toEqual(kt.entries.map((e) => toHex(e.key.bytes)));
  });

  test('a ccache written by us is listed by MIT klist -c -e -f with the same credentials; config stays hidden', () => {
    // Real DER tickets (enc-part aes256) from the gokrb5 cache, so that klist can read their enctype.
    const sample = decodeCcache(fromHex(ccacheVectors.ccaches[0]!.hex));
    const [tgtTicket, httpTicket] = sample.credentials.map((c) => c.ticket);
    const alice = parsePrincipal('alice@EXAMPLE.TEST');
    const t0 = Date.UTC(2026, 2, 2, 8, 0, 0) / 1000;
    const base = {
      client: alice,
      isSkey: false,
      addresses: [],
      authData: [],
      secondTicket: new Uint8Array(0),
    };
    const creds: CcacheCredential[] = [
      {
        ...base,
        server: parsePrincipal('krbtgt/EXAMPLE.TEST@EXAMPLE.TEST', undefined, 2),
        key: { etype: 18, bytes: new Uint8Array(32).fill(0x11) },
        authtime: t0,
        starttime: t0,
        endtime: t0 + 10 * 3600,
        renewTill: t0 + 7 * 86400,
        ticketFlags: 0x40e10000,
        ticket: tgtTicket!,
      },
      {
        ...base,
        server: parsePrincipal('cifs/fs1.example.test@EXAMPLE.TEST', undefined, 3),
        key: { etype: 23, bytes: new Uint8Array(16).fill(0x22) },
        authtime: t0,
        starttime: 0, // as klist does, we show the authtime
        endtime: t0 + 3600,
        renewTill: 0,
        ticketFlags: 0x40a50000,
        ticket: httpTicket!,
      },
    ];
    const cc: Ccache = {
      version: 4,
      kdcOffset: { seconds: 0, microseconds: 0 },
      defaultPrincipal: alice,
      credentials: creds,
      config: [
        { key: 'fast_avail', principal: 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST', value: utf8('yes') },
        { key: 'pa_type', principal: 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST', value: utf8('2') },
      ],
    };
    const file = join(dir, 'ours.ccache');
    writeFileSync(file, encodeCcache(cc));

    const theirs = parseKlistCache(mit('klist', ['-c', file, '-e', '-f']));
    const json = ccacheToListJson(decodeCcache(readFileSync(file)));
    expect(theirs.defaultPrincipal).toBe(json.defaultPrincipal);
    expect(theirs.credentials).toEqual(
      json.credentials.map((c, i) => ({
        starttime: c.starttime,
        endtime: c.endtime,
        server: c.server,
        renewTill: c.renewTill,
        flags: ticketFlagLetters(creds[i]!.ticketFlags),
        etype: mitEtype(c.etype, c.etypeName),
      })),
    );
    expect(json.config.map((c) => c.key)).toEqual(['fast_avail', 'pa_type']);
  });

  test('the real MIT caches, rewritten by us, list in klist as they did before', () => {
    for (const c of ccacheVectors.ccaches) {
      const original = join(dir, `${c.name}.orig`);
      const rewritten = join(dir, `${c.name}.ours`);
      writeFileSync(original, fromHex(c.hex));
      writeFileSync(rewritten, encodeCcache(decodeCcache(fromHex(c.hex))));
      const strip = (s: string) => s.replace(/^Ticket cache: .*$/m, '');
      expect(strip(mit('klist', ['-c', rewritten, '-e', '-f']))).toBe(
        strip(mit('klist', ['-c', original, '-e', '-f'])),
      );
    }
  });
});
