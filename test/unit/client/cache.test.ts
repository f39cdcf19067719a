// The credential cache: listed as MIT klist and Windows klist list it, exported as an MIT ccache that
// src/formats reads back, and plain data that snapshots with structuredClone.
import { describe, expect, test } from 'vitest';
import { decodeCcache, ccacheToListJson } from '../../../src/formats';
import {
  exportMitCcache,
  findTgt,
  isExpired,
  listMit,
  listWindows,
  newCredentialCache,
  realmForHost,
  CredentialError,
} from '../../../src/client';
import { decodeTicket } from '../../../src/asn1';
import { config, REALM } from './config';
import { HOUR, Host, MIN, Net, T0 } from './net';
import { aliceWithTicket } from './alice';

describe('klist', () => {
  test('Windows klist: numbered entries, names with " @ ", flags in hex and words, Kdc Called', () => {
    const h = aliceWithTicket();
    expect(listWindows(h.client.cache, { now: T0 + MIN, logonId: '0:0x5a1f3' })).toBe(
      [
        '',
        'Current LogonId is 0:0x5a1f3',
        '',
        'Cached Tickets: (2)',
        '',
        '#0>\tClient: alice @ EXAMPLE.TEST',
        '\tServer: krbtgt/EXAMPLE.TEST @ EXAMPLE.TEST',
        '\tKerbTicket Encryption Type: AES-256-CTS-HMAC-SHA1-96',
        '\tTicket Flags 0x40e10000 -> forwardable renewable initial pre_authent name_canonicalize',
        '\tStart Time: 3/2/2026 8:00:00 (local)',
        '\tEnd Time:   3/2/2026 18:00:00 (local)',
        '\tRenew Time: 3/9/2026 8:00:00 (local)',
        '\tSession Key Type: AES-256-CTS-HMAC-SHA1-96',
        '\tCache Flags: 0x1 -> PRIMARY',
        '\tKdc Called: dc1.example.test',
        '',
        '#1>\tClient: alice @ EXAMPLE.TEST',
        '\tServer: cifs/fs1.example.test @ EXAMPLE.TEST',
        '\tKerbTicket Encryption Type: AES-256-CTS-HMAC-SHA1-96',
        '\tTicket Flags 0x40a00000 -> forwardable renewable pre_authent',
        '\tStart Time: 3/2/2026 8:00:00 (local)',
        '\tEnd Time:   3/2/2026 18:00:00 (local)',
        '\tRenew Time: 3/9/2026 8:00:00 (local)',
        '\tSession Key Type: AES-256-CTS-HMAC-SHA1-96',
        '\tCache Flags: 0',
        '\tKdc Called: dc1.example.test',
        '',
      ].join('\n'),
    );
  });

  test('MIT klist -e -f: times, renew-till, flag letters, enctypes', () => {
    const h = aliceWithTicket();
    expect(listMit(h.client.cache, { now: T0 + MIN, cacheName: 'FILE:/tmp/krb5cc_1000' })).toBe(
      [
        'Ticket cache: FILE:/tmp/krb5cc_1000',
        'Default principal: alice@EXAMPLE.TEST',
        '',
        'Valid starting     Expires            Service principal',
        '03/02/26 08:00:00  03/02/26 18:00:00  krbtgt/EXAMPLE.TEST@EXAMPLE.TEST',
        '\trenew until 03/09/26 08:00:00, Flags: FRIA',
        '\tEtype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96 ',
        '03/02/26 08:00:00  03/02/26 18:00:00  cifs/fs1.example.test@EXAMPLE.TEST',
        '\trenew until 03/09/26 08:00:00, Flags: FRA',
        '\tEtype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96 ',
        '',
      ].join('\n'),
    );
  });

  test('entries that ended before the listing time are shown as expired', () => {
    const h = aliceWithTicket();
    const at = T0 + 10 * HOUR + 1000;
    expect(listMit(h.client.cache, { now: at }).match(/\(expired\)/g)).toHaveLength(2);
    expect(listWindows(h.client.cache, { now: at })).toMatch(
      /End Time: {3}3\/2\/2026 18:00:00 \(local\) \(expired\)/,
    );
    expect(listWindows(h.client.cache, { now: T0 + 10 * HOUR - 1000 })).not.toMatch(/expired/);
    expect(isExpired(h.client.cache.credentials[0]!, T0 + 10 * HOUR)).toBe(true);
  });

  test('an empty cache lists as such', () => {
    expect(listMit(newCredentialCache(), { now: T0 })).toMatch(/No credentials cache found/);
    expect(listWindows(newCredentialCache(), { now: T0 })).toMatch(/Cached Tickets: \(0\)/);
  });
});

describe('the cache as data', () => {
  test('an MIT ccache export reads back through src/formats with the same credentials', () => {
    const h = aliceWithTicket();
    const cache = h.client.cache;
    const cc = decodeCcache(exportMitCcache(cache));
    expect(cc.version).toBe(4);
    const list = ccacheToListJson(cc);
    expect(list.defaultPrincipal).toBe('alice@EXAMPLE.TEST');
    expect(list.credentials.map((c) => [c.server, c.flagsHex, c.starttime, c.endtime, c.renewTill])).toEqual([
      [
        'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST',
        '40e10000',
        '2026-03-02T08:00:00Z',
        '2026-03-02T18:00:00Z',
        '2026-03-09T08:00:00Z',
      ],
      [
        'cifs/fs1.example.test@EXAMPLE.TEST',
        '40a00000',
        '2026-03-02T08:00:00Z',
        '2026-03-02T18:00:00Z',
        '2026-03-09T08:00:00Z',
      ],
    ]);
    cc.credentials.forEach((c, i) => {
      expect(c.key.bytes).toEqual(cache.credentials[i]!.sessionKey.bytes);
      expect(c.ticket).toEqual(cache.credentials[i]!.ticket);
      expect(decodeTicket(c.ticket).realm).toBe(REALM);
    });
    expect(cc.kdcOffset).toBeUndefined();
  });

  test('the KDC time offset learned by kdc_timesync goes into the ccache header (tag 1)', () => {
    const h = new Host(new Net(config), { principal: `alice@${REALM}`, kdcTimesync: true });
    h.skew = -(7 * MIN + 250);
    const r = h.run({ kind: 'sign-in', password: 'alice-pw' }).result;
    expect(r.ok).toBe(true);
    const cc = decodeCcache(exportMitCcache(h.client.cache));
    expect(cc.kdcOffset).toEqual({ seconds: 420, microseconds: 250_000 });
  });

  test('exporting an empty cache is a CredentialError', () => {
    expect(() => exportMitCcache(newCredentialCache())).toThrow(CredentialError);
  });

  test('the cache survives structuredClone unchanged (snapshots)', () => {
    const h = aliceWithTicket();
    const copy = structuredClone(h.client.cache);
    expect(copy).toEqual(h.client.cache);
    expect(findTgt(copy, REALM)?.server.name.nameString).toEqual(['krbtgt', REALM]);
    const snap = h.client.snapshot();
    expect(snap.cache).toEqual(h.client.cache);
  });
});

describe('host-to-realm mapping', () => {
  const table = {
    'fs1.contoso.com': 'CORP.CONTOSO.COM',
    '.contoso.com': 'CONTOSO.COM',
    '.file.core.windows.net': 'KERBEROS.MICROSOFTONLINE.COM',
    '.core.windows.net': 'SOMEWHERE.ELSE',
  };
  test.each([
    ['fs1.contoso.com', 'CORP.CONTOSO.COM', 'exact'],
    ['FS2.Contoso.com', 'CONTOSO.COM', 'suffix'],
    ['acct.file.core.windows.net', 'KERBEROS.MICROSOFTONLINE.COM', 'suffix'],
    ['contoso.com', 'HOME.TEST', 'home'],
    ['web.example.test', 'HOME.TEST', 'home'],
  ])('%s → %s (%s)', (host, realm, how) => {
    expect(realmForHost(host, table, 'HOME.TEST')).toMatchObject({ realm, how });
  });
});
