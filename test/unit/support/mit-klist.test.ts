import { describe, expect, test } from 'vitest';
import { ticketFlagsToKlistString } from '../../../src/asn1/registry';
import { listMit } from '../../../src/client';
import { mitKlistTime, parseMitKlist } from '../../../src/support';
import { aliceWithTicket } from '../client/alice';
import { HOUR, MIN, T0 } from '../client/net';

describe('MIT klist pasted back', () => {
  const h = aliceWithTicket();
  const cache = h.client.cache;
  const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

  test.each([
    ['-e -f, C locale', { flags: true, etypes: true, dates: 'C' as const }],
    ['-e -f, en_US dates', { flags: true, etypes: true, dates: 'en_US' as const }],
    ['-f only', { flags: true, etypes: false }],
    ['-e only', { flags: false, etypes: true }],
    ['plain', { flags: false, etypes: false }],
  ])("the playground's own klist (%s) reads back to the cache's tickets", (_, opts) => {
    const k = parseMitKlist(listMit(cache, { now: T0 + MIN, cacheName: 'FILE:/tmp/krb5cc_1000', ...opts }));
    expect(k.unread).toEqual([]);
    expect(k.cache).toBe('FILE:/tmp/krb5cc_1000');
    expect(k.defaultPrincipal).toBe(`alice@${cache.defaultPrincipal!.realm}`);
    expect(k.tickets).toHaveLength(cache.credentials.length);
    cache.credentials.forEach((c, i) => {
      const t = k.tickets[i]!;
      expect(t.server).toBe(`${c.server.name.nameString.join('/')}@${c.server.realm}`);
      expect(t.start.ms).toBe(seconds(c.starttime));
      expect(t.end.ms).toBe(seconds(c.endtime));
      expect(t.renewUntil?.ms).toBe(c.renewTill !== undefined ? seconds(c.renewTill) : undefined);
      if (opts.flags) expect(ticketFlagsToKlistString(t.flags!)).toBe(ticketFlagsToKlistString(c.flags));
      else expect(t.flags).toBeUndefined();
      expect(t.ticketEtype).toBe(opts.etypes ? 'aes256-cts-hmac-sha1-96' : undefined);
    });
  });

  test("the flag letters read back to the bits MIT's letters stand for", () => {
    const k = parseMitKlist(listMit(cache, { now: T0 + MIN }));
    expect(k.tickets[0]!.flagLetters).toMatch(/^F.*I/);
    expect(k.tickets[0]!.flags! & 0x40000000).toBe(0x40000000);
    expect(k.tickets[0]!.flags! & 0x00400000).toBe(0x00400000);
  });

  test('expired tickets, marked by the playground, read as expired', () => {
    const k = parseMitKlist(listMit(cache, { now: T0 + 11 * HOUR }));
    expect(k.tickets.every((t) => t.expired)).toBe(true);
  });

  test('a real-shaped listing with a for-client line, ISO dates and lines it does not know', () => {
    const text = [
      'Ticket cache: KCM:1000:41232',
      'Default principal: bob@EXAMPLE.ORG',
      '',
      'Valid starting       Expires              Service principal',
      '2026-12-06 21:05:12  2026-12-07 07:05:12  krbtgt/EXAMPLE.ORG@EXAMPLE.ORG',
      '\trenew until 2026-12-13 21:05:10, Flags: FRIA',
      '\tEtype (skey, tkt): aes256-cts-hmac-sha1-96, arcfour-hmac ',
      '12/06/26 21:06:00  12/07/26 07:05:12  HTTP/web.example.org@EXAMPLE.ORG',
      '\tfor client bob@EXAMPLE.ORG, Flags: FAT',
      '\tAddresses: (none)',
      'klist: a warning from a future klist',
    ].join('\n');
    const k = parseMitKlist(text);
    expect(k.cache).toBe('KCM:1000:41232');
    expect(k.tickets).toHaveLength(2);
    const [tgt, web] = k.tickets;
    expect(tgt!.start.ms).toBe(Date.UTC(2026, 11, 6, 21, 5, 12));
    expect(tgt!.renewUntil?.ms).toBe(Date.UTC(2026, 11, 13, 21, 5, 10));
    expect(tgt!.flags).toBe(0x40e00000);
    expect(tgt!.skeyEtype).toBe('aes256-cts-hmac-sha1-96');
    expect(tgt!.ticketEtype).toBe('arcfour-hmac');
    expect(web!.client).toBe('bob@EXAMPLE.ORG');
    expect(web!.start.ms).toBe(Date.UTC(2026, 11, 6, 21, 6, 0));
    expect(k.error).toBe('klist: a warning from a future klist');
    expect(k.unread).toEqual([{ line: 10, text: '\tAddresses: (none)' }]);
  });

  test('a weak enctype as MIT krb5 prints it, DEPRECATED:arcfour-hmac, reads as arcfour-hmac', () => {
    const k = parseMitKlist(
      [
        'Ticket cache: FILE:/tmp/krb5cc_1000',
        'Default principal: bob@EXAMPLE.ORG',
        '',
        'Valid starting       Expires              Service principal',
        '2026-12-06 21:05:12  2026-12-07 07:05:12  krbtgt/EXAMPLE.ORG@EXAMPLE.ORG',
        '\tEtype (skey, tkt): DEPRECATED:arcfour-hmac, DEPRECATED:arcfour-hmac',
      ].join('\n'),
    );
    expect(k.tickets[0]!.skeyEtype).toBe('arcfour-hmac');
    expect(k.tickets[0]!.ticketEtype).toBe('arcfour-hmac');
    expect(k.unread).toEqual([]);
  });

  test('a time that is no date reads as none', () => {
    expect(mitKlistTime('13/45/26 08:00:00')).toBeUndefined();
    expect(mitKlistTime('02/30/2026 08:00:00')).toBeUndefined();
    expect(mitKlistTime('03/02/26 08:00:00')).toBe(Date.UTC(2026, 2, 2, 8));
  });
});
