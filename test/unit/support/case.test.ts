import { describe, expect, test } from 'vitest';
import { dsregcmdStatus } from '../../../src/azure';
import { listWindows, showWindowsTgt } from '../../../src/client';
import { clientCache, findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import {
  caseFindings,
  caseTickets,
  formatUtcOffset,
  parseUtcOffset,
  PasteError,
  readCase,
  type PastedCase,
} from '../../../src/support';
import { pasteOf } from './paste-of';

const HOUR = 3_600_000;
const MIN = 60_000;

describe('a pasted case: several outputs in one paste', () => {
  const run = runScenario(findScenario('happy-path') as Scenario);
  const now = run.world.hostNow('ws1');
  const cache = clientCache(run, 'ws1');
  const klist = listWindows(cache, { now });
  const dsreg = dsregcmdStatus(run.world, 'ws1');
  const tgt = showWindowsTgt(cache.credentials[0]!, { now }).join('\n');

  test("the playground's klist, klist tgt and dsregcmd one after the other: each read, nothing unread", () => {
    const c = readCase(['C:\\> klist', klist, tgt, dsreg].join('\n'));
    expect(c.sections.map((s) => s.kind)).toEqual(['windows-klist', 'klist-tgt', 'dsregcmd']);
    expect(c.windowsKlists[0]!.tickets).toHaveLength(cache.credentials.length);
    expect(c.klistTgts[0]!.clientName).toBe('alice');
    expect(c.dsregcmds[0]!.sso.cloudTgt).toBe(true);
    expect(c.unread).toEqual([{ line: 1, text: 'C:\\> klist' }]);
  });

  test('the LogonId line goes with the output it heads, a klist tgt error included', () => {
    const c = readCase(
      'Current LogonId is 0:0x3e7\nError calling API LsaCallAuthenticationPackage (ShowTgt substatus): 0x8009030e\n' +
        'Ticket cache: FILE:/tmp/krb5cc_0\nDefault principal: a@R\n\nRegistered ServicePrincipalNames for CN=X:\n\tcifs/x\n' +
        'Registered ServicePrincipalNames for CN=Y:\n\tcifs/y\n',
    );
    expect(c.sections).toEqual([
      { kind: 'klist-tgt', from: 1, to: 2 },
      { kind: 'mit-klist', from: 3, to: 4 },
      { kind: 'setspn', from: 6, to: 9 },
    ]);
    expect(c.klistTgts[0]!.logonId).toBe('0:0x3e7');
    expect(c.setspns[0]!.accounts.map((a) => a.dn)).toEqual(['CN=X', 'CN=Y']);
    expect(c.unread).toEqual([]);
  });

  test('text that is none of the commands is all unread, numbered', () => {
    const c = readCase('hello\n\nworld');
    expect(c.sections).toEqual([]);
    expect(c.unread).toEqual([
      { line: 1, text: 'hello' },
      { line: 3, text: 'world' },
    ]);
  });
});

describe("the customer's time zone: klist prints local time, dsregcmd UTC", () => {
  const paste = pasteOf('tgt-expiry-10h', (start) => start + 10 * HOUR + 5 * MIN);
  const at = Date.parse('2026-03-02T18:05:00Z');
  const cloudEnd = (c: PastedCase) =>
    caseTickets(c).find((k) => k.server.startsWith('krbtgt/KERBEROS.MICROSOFTONLINE.COM'))!.end!;

  test('at UTC+02:00 the klist times are 2 h earlier in UTC; dsregcmd keeps its UTC; the rules use the converted times', () => {
    const utc = readCase(paste.text);
    const east = readCase(paste.text, undefined, 120);
    expect(utc.utcOffset).toBe(0);
    expect(east.utcOffset).toBe(120);
    expect(cloudEnd(east)).toBe(cloudEnd(utc) - 2 * HOUR);
    expect(east.dsregcmds[0]!.sso.prtUpdateTime).toBe(utc.dsregcmds[0]!.sso.prtUpdateTime);
    const expired = (c: PastedCase) => caseFindings(c, at).findings.find((f) => f.id === 'cloud-tgt-expired');
    expect(expired(utc)?.title).toMatch(/expired 5m ago/);
    expect(expired(east)?.title).toMatch(/expired 2h ?5m ago/);
    // at UTC-02:00 klist's cloud TGT would end at 20:00 UTC, but dsregcmd (UTC) says CloudTgt NO and its
    // PRT, updated at 08:00 UTC, is 10 h old: expired 5 m ago still
    const west = readCase(paste.text, undefined, -120);
    expect(cloudEnd(west)).toBe(cloudEnd(utc) + 2 * HOUR);
    expect(expired(west)?.title).toMatch(/expired 5m ago \(at 2026-03-02 18:00:00\)/);
  });

  test('an offset is given as ±HH:MM within UTC-12:00..UTC+14:00; anything else is a PasteError', () => {
    expect(parseUtcOffset('+02:00')).toBe(120);
    expect(parseUtcOffset('-05:30')).toBe(-330);
    expect(parseUtcOffset('UTC+05:45')).toBe(345);
    expect(parseUtcOffset('+14:00')).toBe(840);
    expect(parseUtcOffset('0')).toBe(0);
    expect(formatUtcOffset(-330)).toBe('UTC-05:30');
    for (const bad of ['+15:00', '-13:00', '2', '+02:75', 'CET', ''])
      expect(() => parseUtcOffset(bad)).toThrow(PasteError);
    expect(() => parseUtcOffset('+15:00')).toThrow(/UTC\+15:00 is beyond the time zones there are/);
    expect(() => readCase(paste.text, undefined, 15 * 60)).toThrow(PasteError);
  });
});
