import { describe, expect, test } from 'vitest';
import { listWindows } from '../../../src/client';
import { parseWindowsKlist, PasteError, pastedLines, windowsKlistTime } from '../../../src/support';
import { aliceWithTicket } from '../client/alice';
import { HOUR, MIN, T0 } from '../client/net';

describe('Windows klist pasted back', () => {
  test("the playground's own klist reads back to the cache's tickets, every line understood", () => {
    const h = aliceWithTicket();
    const text = listWindows(h.client.cache, { now: T0 + MIN, logonId: '0:0x3e7' });
    const k = parseWindowsKlist(text);
    expect(k.unread).toEqual([]);
    expect(k.logonId).toBe('0:0x3e7');
    expect(k.count).toBe(2);
    expect(k.tickets).toHaveLength(2);
    h.client.cache.credentials.forEach((c, i) => {
      const t = k.tickets[i]!;
      expect(t.index).toBe(i);
      expect(t.client).toBe(`${c.client.name.nameString.join('/')} @ ${c.client.realm}`);
      expect(t.server).toBe(`${c.server.name.nameString.join('/')} @ ${c.server.realm}`);
      expect(t.flags).toBe(c.flags >>> 0);
      expect(t.start?.ms).toBe(Math.floor(c.starttime / 1000) * 1000);
      expect(t.end?.ms).toBe(Math.floor(c.endtime / 1000) * 1000);
      expect(t.renew?.ms).toBe(c.renewTill);
      expect(t.kdcCalled).toBe(c.kdcCalled);
      expect(t.expired).toBe(false);
    });
    expect(k.tickets[0]!.cacheFlags).toBe('0x1 -> PRIMARY');
    expect(k.tickets[1]!.cacheFlags).toBe('0');
    expect(k.tickets[0]!.flagNames).toContain('initial');
    expect(k.tickets[0]!.ticketEtype).toBe('AES-256-CTS-HMAC-SHA1-96');
  });

  test('an expired ticket reads as expired, with its end time still read', () => {
    const h = aliceWithTicket();
    const k = parseWindowsKlist(listWindows(h.client.cache, { now: T0 + 10 * HOUR + 1000 }));
    expect(k.tickets.map((t) => t.expired)).toEqual([true, true]);
    expect(k.tickets[0]!.end?.ms).toBe(T0 + 10 * HOUR);
  });

  test('a real Windows listing with AM/PM times, CRLF and lines it does not know: those are kept, numbered', () => {
    const text = [
      '',
      'Current LogonId is 0:0x3e7',
      '',
      'Cached Tickets: (1)',
      '',
      '#0>     Client: WS01$ @ CONTOSO.COM',
      '        Server: krbtgt/CONTOSO.COM @ CONTOSO.COM',
      '        KerbTicket Encryption Type: RSADSI RC4-HMAC(NT)',
      '        Ticket Flags 0x60a10000 -> forwardable forwarded renewable pre_authent name_canonicalize',
      '        Start Time: 12/6/2026 9:05:12 PM (local)',
      '        End Time:   12/7/2026 7:05:12 AM (local)',
      '        Renew Time: 12/13/2026 9:05:12 PM (local)',
      '        Session Key Type: AES-256-CTS-HMAC-SHA1-96',
      '        Cache Flags: 0x2 -> DELEGATION',
      '        Kdc Called: DC01.contoso.com',
      '        Something New: 42',
      'The future holds more lines',
    ].join('\r\n');
    const k = parseWindowsKlist(text);
    const t = k.tickets[0]!;
    expect(t.client).toBe('WS01$ @ CONTOSO.COM');
    expect(t.ticketEtype).toBe('RSADSI RC4-HMAC(NT)');
    expect(t.flags).toBe(0x60a10000);
    expect(t.start?.ms).toBe(Date.UTC(2026, 11, 6, 21, 5, 12));
    expect(t.end?.ms).toBe(Date.UTC(2026, 11, 7, 7, 5, 12));
    expect(t.cacheFlags).toBe('0x2 -> DELEGATION');
    expect(t.kdcCalled).toBe('DC01.contoso.com');
    expect(k.unread).toEqual([
      { line: 16, text: '        Something New: 42' },
      { line: 17, text: 'The future holds more lines' },
    ]);
  });

  test('Renew Time 0 is kept as text with no time; a field before any ticket is unread', () => {
    const k = parseWindowsKlist('Kdc Called: dc1\n#0>\tClient: a @ R\n\tRenew Time: 0\n');
    expect(k.unread).toEqual([{ line: 1, text: 'Kdc Called: dc1' }]);
    expect(k.tickets[0]!.renew).toEqual({ text: '0', ms: undefined });
  });
});

describe('paste bounds', () => {
  test('too many characters, lines, or a line too long: a PasteError naming the bound', () => {
    const limits = { maxChars: 100, maxLines: 3, maxLineLength: 10 };
    expect(() => pastedLines('x'.repeat(101), limits)).toThrow(PasteError);
    expect(() => pastedLines('a\nb\nc\nd', limits)).toThrow(/4 lines pasted, at most 3/);
    expect(() => pastedLines('ok\n' + 'y'.repeat(11), limits)).toThrow(/line 2 has 11 characters/);
    expect(pastedLines('a\r\nb', limits)).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
    ]);
  });

  test('times that are not dates read as none', () => {
    expect(windowsKlistTime('2/30/2026 8:00:00 (local)')).toBeUndefined();
    expect(windowsKlistTime('0')).toBeUndefined();
    expect(windowsKlistTime('3/2/2026 12:00:00 AM (local)')).toBe(Date.UTC(2026, 2, 2, 0, 0, 0));
  });
});
