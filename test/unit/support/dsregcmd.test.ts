import { describe, expect, test } from 'vitest';
import { dsregcmdStatus, windowsDevice } from '../../../src/azure';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import { dsregcmdTime, parseDsregcmd } from '../../../src/support';

describe('dsregcmd /status pasted back', () => {
  test("the playground's own dsregcmd at the end of happy-path reads back to the device's state", () => {
    const run = runScenario(findScenario('happy-path') as Scenario);
    const d = parseDsregcmd(dsregcmdStatus(run.world, 'ws1'));
    expect(d.unread).toEqual([]);
    expect(d.sections).toEqual(['Device State', 'SSO State']);
    expect(d.join).toEqual({
      azureAdJoined: true,
      enterpriseJoined: false,
      domainJoined: true,
      domainName: 'CORP',
      deviceName: 'ws1.corp.contoso.com',
      tenantId: '3c4e9b1d-5a8f-4e2b-9d6c-1f0a7e8b2c4d',
    });
    const prt = windowsDevice(run.world, 'ws1')!.cloudAp!.prt!;
    expect(d.sso).toMatchObject({
      azureAdPrt: true,
      prtUpdateTime: Math.floor(prt.updateTime / 1000) * 1000,
      prtExpiryTime: Math.floor(prt.expiresAt / 1000) * 1000,
      enterprisePrt: false,
      onPremTgt: true,
      cloudTgt: true,
      kerbTopLevelNames: ['.windows.net'],
    });
  });

  test('with the policy off, CloudTgt is NO and KerbTopLevelNames is empty', () => {
    const run = runScenario(findScenario('policy-off') as Scenario);
    const d = parseDsregcmd(dsregcmdStatus(run.world, 'ws1'));
    expect(d.unread).toEqual([]);
    expect(d.sso.cloudTgt).toBe(false);
    expect(d.sso.kerbTopLevelNames).toEqual([]);
  });

  test('a real-shaped report: known rows read, rows and lines of other shapes kept', () => {
    const text = [
      '+----------------------------------------------------------------------+',
      '| Device State                                                         |',
      '+----------------------------------------------------------------------+',
      '',
      '             AzureAdJoined : YES',
      '          EnterpriseJoined : NO',
      '              DomainJoined : NO',
      '               Device Name : LAPTOP-7',
      '',
      '+----------------------------------------------------------------------+',
      '| Tenant Details                                                       |',
      '+----------------------------------------------------------------------+',
      '',
      '                TenantName : Fabrikam',
      '                  TenantId : 0b5f4e3c-1d2a-4b6c-8e9f-a1b2c3d4e5f6',
      '',
      '+----------------------------------------------------------------------+',
      '| SSO State                                                            |',
      '+----------------------------------------------------------------------+',
      '',
      '                AzureAdPrt : YES',
      '      AzureAdPrtUpdateTime : 2026-12-06 09:15:02.000 UTC',
      '      AzureAdPrtExpiryTime : 2026-12-20 09:15:01.000 UTC',
      '                 OnPremTgt : NO',
      '                  CloudTgt : YES',
      '         KerbTopLevelNames : .windows.net,.windows.net:1433,.windows.net:3342,.azure.net',
      '          SomeFutureField : 7',
      'For more information, please visit https://www.microsoft.com/aadjerrors',
    ].join('\r\n');
    const d = parseDsregcmd(text);
    expect(d.sections).toEqual(['Device State', 'Tenant Details', 'SSO State']);
    expect(d.join).toEqual({
      azureAdJoined: true,
      enterpriseJoined: false,
      domainJoined: false,
      deviceName: 'LAPTOP-7',
      tenantName: 'Fabrikam',
      tenantId: '0b5f4e3c-1d2a-4b6c-8e9f-a1b2c3d4e5f6',
    });
    expect(d.sso.prtUpdateTime).toBe(Date.UTC(2026, 11, 6, 9, 15, 2));
    expect(d.sso.kerbTopLevelNames).toEqual([
      '.windows.net',
      '.windows.net:1433',
      '.windows.net:3342',
      '.azure.net',
    ]);
    expect(d.unread.map((l) => l.line)).toEqual([27, 28]);
  });

  test('a YES/NO row with another value, and a time of another shape, are kept unread', () => {
    const d = parseDsregcmd('CloudTgt : MAYBE\nAzureAdPrtUpdateTime : yesterday\n');
    expect(d.sso.cloudTgt).toBeUndefined();
    expect(d.unread.map((l) => l.line)).toEqual([1, 2]);
    expect(dsregcmdTime('2026-02-30 08:00:00.000 UTC')).toBeUndefined();
  });

  test('a row named like an object property (__proto__, hasOwnProperty) is a line not understood, not a crash', () => {
    const d = parseDsregcmd(
      ['| SSO State |', '__proto__ : x', 'hasOwnProperty : x', 'CloudTgt : YES'].join('\n'),
    );
    expect(d.sso.cloudTgt).toBe(true);
    expect(d.unread.map((l) => l.text)).toEqual(['__proto__ : x', 'hasOwnProperty : x']);
  });
});
