import { describe, expect, test } from 'vitest';
import { showWindowsTgt } from '../../../src/client';
import { parseKlistTgt } from '../../../src/support';
import { aliceWithTicket } from '../client/alice';
import { HOUR, MIN, T0 } from '../client/net';

describe('Windows klist tgt pasted back', () => {
  test("the playground's own klist tgt reads back to the TGT, every line understood", () => {
    const h = aliceWithTicket();
    const c = h.client.cache.credentials[0]!;
    const k = parseKlistTgt(showWindowsTgt(c, { now: T0 + MIN, logonId: '0:0x3e7' }).join('\n'));
    expect(k.unread).toEqual([]);
    expect(k.logonId).toBe('0:0x3e7');
    expect(k.serviceName).toBe('krbtgt');
    expect(k.clientName).toBe(c.client.name.nameString.join('/'));
    expect(k.domainName).toBe(c.server.realm);
    expect(k.targetDomainName).toBe(c.server.name.nameString[1]);
    expect(k.altTargetDomainName).toBe(c.client.realm);
    expect(k.flags).toBe(c.flags >>> 0);
    expect(k.flagNames).toContain('initial');
    expect(k.sessionKeyType).toBe('AES-256-CTS-HMAC-SHA1-96');
    expect(k.keyLength).toBe(c.sessionKey.bytes.length);
    expect(k.start?.ms).toBe(Math.floor(c.starttime / 1000) * 1000);
    expect(k.end?.ms).toBe(Math.floor(c.endtime / 1000) * 1000);
    expect(k.renew?.ms).toBe(c.renewTill);
    expect(k.expired).toBe(false);
    expect(k.timeSkewMinutes).toBe(0);
    expect(k.encodedTicketSize).toBe(c.ticket.length);
  });

  test('an expired TGT reads as expired', () => {
    const c = aliceWithTicket().client.cache.credentials[0]!;
    const k = parseKlistTgt(showWindowsTgt(c, { now: T0 + 11 * HOUR }).join('\n'));
    expect(k.expired).toBe(true);
    expect(k.end?.ms).toBe(T0 + 10 * HOUR);
  });

  test('a real listing with a skew, AM/PM times and a line it does not know: that line is kept', () => {
    const text = [
      'Current LogonId is 0:0x5c3e1',
      'Cached TGT:',
      '',
      'ServiceName        : krbtgt',
      'TargetName (SPN)   : krbtgt',
      'ClientName         : bob',
      'DomainName         : CONTOSO.COM',
      'TargetDomainName   : CONTOSO.COM',
      'AltTargetDomainName: CONTOSO.COM',
      'Ticket Flags       : 0x40e10000 -> forwardable renewable initial pre_authent name_canonicalize',
      'Session Key        : KeyType 0x12 - AES-256-CTS-HMAC-SHA1-96',
      '                   : KeyLength 32 - 4f 1a 00 00',
      'StartTime          : 12/6/2026 9:05:12 PM (local)',
      'EndTime            : 12/7/2026 7:05:12 AM (local)',
      'RenewUntil         : 12/13/2026 9:05:12 PM (local)',
      'TimeSkew           :  - 7:30 minute(s)',
      'EncodedTicket      : (size: 1234)',
      '0000  61 82 04 ce 30 82 04 ca  a0 03 02 01 05 a1 0d 1b   a...0...........',
    ].join('\r\n');
    const k = parseKlistTgt(text);
    expect(k.clientName).toBe('bob');
    expect(k.flags).toBe(0x40e10000);
    expect(k.sessionKeyType).toBe('AES-256-CTS-HMAC-SHA1-96');
    expect(k.start?.ms).toBe(Date.UTC(2026, 11, 6, 21, 5, 12));
    expect(k.end?.ms).toBe(Date.UTC(2026, 11, 7, 7, 5, 12));
    expect(k.timeSkewMinutes).toBe(-450);
    expect(k.encodedTicketSize).toBe(1234);
    expect(k.unread.map((l) => l.line)).toEqual([12, 18]);
  });

  test('the error Windows prints when the session has no TGT is read as that error', () => {
    const k = parseKlistTgt(
      'Current LogonId is 0:0x3e7\nError calling API LsaCallAuthenticationPackage (ShowTgt substatus): 0x8009030e\n',
    );
    expect(k.error).toMatch(/0x8009030e/);
    expect(k.clientName).toBeUndefined();
    expect(k.unread).toEqual([]);
  });

  test('a label named like an object property (__proto__, hasOwnProperty) is a line not understood, not a crash', () => {
    const t = parseKlistTgt(['Cached TGT:', '__proto__: x', 'hasOwnProperty: x'].join('\n'));
    expect(t.unread.map((l) => l.text)).toEqual(['__proto__: x', 'hasOwnProperty: x']);
  });
});
