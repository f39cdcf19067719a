import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { findScenario } from '../../../src/scenarios';
import { caseFindings, readCase, type Finding } from '../../../src/support';
import { pasteOf } from './paste-of';
import { readModelledDoc } from '../../../src/ui/lib/modelled-doc';

const HOUR = 3_600_000;
const MIN = 60_000;

const ids = (f: Finding[]) => f.map((x) => x.id);

/** A Windows klist of one ticket, as a customer's machine prints it. */
function windowsTicket(server: string, start: string, end: string, etype = 'AES-256-CTS-HMAC-SHA1-96') {
  return [
    'Current LogonId is 0:0x5c3e1',
    'Cached Tickets: (1)',
    `#0>     Client: bob @ CONTOSO.COM`,
    `        Server: ${server}`,
    `        KerbTicket Encryption Type: ${etype}`,
    '        Ticket Flags 0x40a50000 -> forwardable renewable pre_authent ok_as_delegate name_canonicalize',
    `        Start Time: ${start}`,
    `        End Time:   ${end}`,
    '        Renew Time: 0',
    `        Session Key Type: ${etype}`,
    '        Cache Flags: 0',
    '        Kdc Called: DC01.contoso.com',
  ].join('\n');
}

describe('the rules, checked against pasted cases', () => {
  const happy = pasteOf('happy-path');
  const expiry = pasteOf('tgt-expiry-10h', (start) => start + 10 * HOUR + 5 * MIN);

  test('the happy-path end state: nothing to report', () => {
    const { findings, clock } = caseFindings(readCase(happy.klist + happy.dsreg), happy.now);
    expect(findings).toEqual([]);
    expect(clock).toEqual({ now: happy.now, given: true });
  });

  test('tgt-expiry-10h at 18:05: the cloud TGT expired 5 minutes ago, lock and unlock', () => {
    const { findings } = caseFindings(readCase(expiry.klist + expiry.dsreg), expiry.now);
    expect(ids(findings)).toEqual(['cloud-tgt-expired', 'prt-older-than-4h']);
    expect(findings[0]!.title).toMatch(/^The cloud TGT expired 5m ago \(at 2026-03-02 18:00:00\)/);
    expect(findings[0]!.reason).toMatch(/Lock and unlock/);
    expect(findings[0]!.scenario).toBe('tgt-expiry-10h');
  });

  test('the dsregcmd alone says it too: CloudTgt NO with KerbTopLevelNames, 10 h after the PRT update', () => {
    const { findings } = caseFindings(readCase(expiry.dsreg), expiry.now);
    expect(ids(findings)).toContain('cloud-tgt-expired');
    expect(findings[0]!.title).toMatch(/expired 5m ago/);
  });

  test('without the paste time, the latest time the paste shows stands for it', () => {
    const { clock } = caseFindings(readCase(expiry.dsreg));
    expect(clock).toEqual({ now: expiry.start, given: false });
  });

  test('an unlock less than 4 h after the PRT update brings no new cloud TGT: the advice says RefreshPrt', () => {
    const text = expiry.dsreg.replace(
      /AzureAdPrtUpdateTime : .*/,
      'AzureAdPrtUpdateTime : 2026-03-02 16:00:00.000 UTC',
    );
    const { findings } = caseFindings(readCase(expiry.klist + text), expiry.now);
    expect(findings[0]!.reason).toMatch(/dsregcmd \/RefreshPrt/);
  });

  test('policy-off: CloudTgt NO and no KerbTopLevelNames name the policy', () => {
    const off = pasteOf('policy-off');
    const { findings } = caseFindings(readCase(off.dsreg), off.now);
    expect(ids(findings)).toEqual(['cloud-tgt-policy-off']);
    expect(findings[0]!.reason).toMatch(/Allow retrieving the cloud kerberos ticket during the logon/);
  });

  test('the PRT 5 h old at the paste time is a note', () => {
    const { findings } = caseFindings(readCase(happy.dsreg), happy.start + 5 * HOUR);
    expect(ids(findings)).toEqual(['prt-older-than-4h']);
    expect(findings[0]!.severity).toBe('note');
    expect(findings[0]!.title).toMatch(/5h ago/);
  });

  test('an RC4 ticket after April 2026 is a problem, after January a warning, before none', () => {
    const rc4 = (start: string) =>
      caseFindings(
        readCase(windowsTicket('cifs/fs1 @ CONTOSO.COM', start, '12/31/2026 0:00:00', 'RSADSI RC4-HMAC(NT)')),
      ).findings;
    expect(rc4('5/6/2026 9:00:00')).toMatchObject([{ id: 'rc4-ticket', severity: 'problem' }]);
    expect(rc4('2/6/2026 9:00:00')).toMatchObject([{ id: 'rc4-ticket', severity: 'warning' }]);
    expect(rc4('12/6/2025 9:00:00')).toEqual([]);
    expect(
      caseFindings(readCase(windowsTicket('cifs/fs1 @ CONTOSO.COM', '5/6/2026 9:00:00', '5/6/2026 19:00:00')))
        .findings,
    ).toEqual([]);
  });

  test('clock skew: a ticket starting after the paste time, or klist tgt showing a skew over 5 minutes', () => {
    const c = readCase(windowsTicket('cifs/fs1 @ CONTOSO.COM', '5/6/2026 9:20:00', '5/6/2026 19:00:00'));
    expect(ids(caseFindings(c, Date.UTC(2026, 4, 6, 9, 0)).findings)).toEqual(['clock-skew']);
    expect(ids(caseFindings(c, Date.UTC(2026, 4, 6, 9, 17)).findings)).toEqual([]);
    expect(ids(caseFindings(c).findings)).toEqual([]);
    const tgt = readCase(
      'Current LogonId is 0:0x1\nCached TGT:\nServiceName : krbtgt\nTimeSkew : - 7:30 minute(s)\n',
    );
    expect(caseFindings(tgt).findings).toMatchObject([{ id: 'clock-skew', title: /-450 minutes/ }]);
  });

  test('a cloud TGT and no storage ticket in the klist: the mount got none', () => {
    const cloud = windowsTicket(
      'krbtgt/KERBEROS.MICROSOFTONLINE.COM @ KERBEROS.MICROSOFTONLINE.COM',
      '5/6/2026 9:00:00',
      '5/6/2026 19:00:00',
    );
    expect(ids(caseFindings(readCase(cloud), Date.UTC(2026, 4, 6, 10)).findings)).toEqual([
      'no-storage-ticket',
    ]);
    const files = windowsTicket(
      'cifs/contosofiles.file.core.windows.net @ KERBEROS.MICROSOFTONLINE.COM',
      '5/6/2026 9:00:00',
      '5/6/2026 10:00:00',
    );
    expect(caseFindings(readCase(cloud + '\n' + files), Date.UTC(2026, 4, 6, 9, 30)).findings).toEqual([]);
  });

  test("every finding's modelled entry is one docs/modelled.md has, and its scenario one the catalogue has", () => {
    const slugs = new Set(readModelledDoc(readFileSync('docs/modelled.md', 'utf8')).map((e) => e.slug));
    const all = [
      ...caseFindings(readCase(expiry.klist + expiry.dsreg), expiry.now).findings,
      ...caseFindings(readCase(pasteOf('policy-off').dsreg)).findings,
      ...caseFindings(
        readCase(
          windowsTicket(
            'krbtgt/KERBEROS.MICROSOFTONLINE.COM @ K',
            '5/6/2026 9:00:00',
            '5/6/2026 19:00:00',
            'RSADSI RC4-HMAC(NT)',
          ),
        ),
      ).findings,
    ];
    expect(new Set(ids(all)).size).toBeGreaterThanOrEqual(4);
    for (const f of all) {
      if (f.modelled) expect(slugs).toContain(f.modelled);
      if (f.scenario) expect(findScenario(f.scenario)).toBeDefined();
      expect(f.sources.length).toBeGreaterThan(0);
    }
  });
});
