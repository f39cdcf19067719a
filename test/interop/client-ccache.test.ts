// MIT krb5 as the judge: the credential cache our client filled (sign-in, a cross-realm path, a service
// ticket) is exported through src/formats, and MIT `klist -c -e -f` lists the same tickets, times, flags
// and enctypes, and the same as our own MIT-style listing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { exportMitCcache, listMit } from '../../src/client';
import { decodeCcache } from '../../src/formats';
import { hasPackages } from '../setup/needs';
import { config, REALM } from '../unit/client/config';
import { Host, MIN, Net, T0 } from '../unit/client/net';

const dir = mkdtempSync(join(tmpdir(), 'krbplay-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ticket lines of klist -e -f, reduced to what both listings must agree on. */
function tickets(out: string) {
  const rows: string[] = [];
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m =
      /^(\d\d\/\d\d\/\d\d(?:\d\d)? \d\d:\d\d:\d\d)\s+(\d\d\/\d\d\/\d\d(?:\d\d)? \d\d:\d\d:\d\d)\s+(\S+)/.exec(
        lines[i]!,
      );
    if (!m) continue;
    const detail = [];
    for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]!) && lines[j]!.trim() !== ''; j++)
      detail.push(lines[j]!.trim());
    const text = detail.join(' ');
    rows.push(
      [
        m[1],
        m[2],
        m[3],
        /renew until (\S+ \S+),/.exec(text)?.[1] ?? '-',
        /Flags: (\w*)/.exec(text)?.[1] ?? '',
        /Etype \(skey, tkt\): ([^,]+), (\S+)/.exec(text)?.slice(1).join(' ') ?? '',
      ].join(' | '),
    );
  }
  return rows;
}

describe.runIf(hasPackages('krb5-user'))('the client cache as MIT klist sees it', () => {
  test('klist -c -e -f lists what our client stored, as our own listing does', () => {
    const h = new Host(new Net(config), {
      principal: `alice@${REALM}`,
      hostRealm: { '.third.test': 'THIRD.TEST' },
    });
    for (const request of [
      { kind: 'sign-in', password: 'alice-pw' } as const,
      { kind: 'service-ticket', service: 'cifs/fs1.example.test' } as const,
      { kind: 'service-ticket', service: 'cifs/fs3.third.test' } as const,
    ]) {
      const r = h.run(request).result;
      if (!r.ok) throw r.error;
    }
    const file = join(dir, 'alice.ccache');
    const bytes = exportMitCcache(h.client.cache);
    writeFileSync(file, bytes);
    expect(decodeCcache(bytes).credentials).toHaveLength(5);

    const out = execFileSync('klist', ['-c', file, '-e', '-f'], {
      env: { ...process.env, LC_ALL: 'C', TZ: 'UTC', KRB5_CONFIG: '/dev/null' },
      encoding: 'utf8',
    });
    expect(out).toMatch(/Default principal: alice@EXAMPLE.TEST/);
    const theirs = tickets(out);
    expect(theirs).toHaveLength(5);
    expect(theirs[0]).toBe(
      '03/02/26 08:00:00 | 03/02/26 18:00:00 | krbtgt/EXAMPLE.TEST@EXAMPLE.TEST | 03/09/26 08:00:00 | FRIA | aes256-cts-hmac-sha1-96 aes256-cts-hmac-sha1-96',
    );
    expect(theirs.map((t) => t.split(' | ')[2])).toEqual([
      'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST',
      'cifs/fs1.example.test@EXAMPLE.TEST',
      'krbtgt/OTHER.TEST@EXAMPLE.TEST',
      'krbtgt/THIRD.TEST@OTHER.TEST',
      'cifs/fs3.third.test@THIRD.TEST',
    ]);
    // Our MIT-style listing is MIT's, byte for byte.
    expect(listMit(h.client.cache, { now: T0 + MIN, cacheName: `FILE:${file}` })).toBe(out);
    // and so without -f, or without both: MIT's detail line ("renew until", "Flags", "Etype") field by field
    const mit = (...flags: string[]) =>
      execFileSync('klist', ['-c', file, ...flags], {
        env: { ...process.env, LC_ALL: 'C', TZ: 'UTC', KRB5_CONFIG: '/dev/null' },
        encoding: 'utf8',
      });
    const ours = (o: { flags: boolean; etypes: boolean }) =>
      listMit(h.client.cache, { now: T0 + MIN, cacheName: `FILE:${file}`, ...o });
    expect(ours({ flags: false, etypes: true })).toBe(mit('-e'));
    expect(ours({ flags: false, etypes: false })).toBe(mit());
    expect(mit()).toMatch(/^\trenew until 03\/09\/26 08:00:00$/m);
  });
});
