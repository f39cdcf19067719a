// What the world panel's policy editor shows: each policy as the world holds it after the actions played,
// read from the world the step left (and so from a snapshot restored at an earlier step).
import { describe, expect, test } from 'vitest';
import { findScenario, runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import { policyView } from '../../../src/ui/engine/policy-view';

type Json = Record<string, unknown>;
const CIFS = 'cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM';

function kerberos101(timeline: Json[]): Scenario {
  const s = structuredClone(findScenario('kerberos-101')) as unknown as Json;
  s.timeline = timeline;
  s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'first' }] }];
  return validateScenario(s) as Scenario;
}

describe('policyView', () => {
  test('an AD-joined client: no cloud GPOs, the own enctype list, nothing set at the KDC', () => {
    const view = policyView(runScenario(kerberos101([{ do: 'logon', host: 'ws1', id: 'first' }])).world);
    expect(view.hosts).toEqual([
      expect.objectContaining({ host: 'ws1', device: false, hostRealm: {}, offers: [18, 17, 23] }),
    ]);
    expect(view.hosts[0]!.allowedEtypes).toBeUndefined();
    const realm = view.realms.find((r) => r.realm === 'CORP.CONTOSO.COM')!;
    expect(realm.defaultEtypes).toBeUndefined();
    expect(realm.accounts.find((a) => a.principal === CIFS)).toMatchObject({ keys: expect.any(Array) });
  });

  test('after the policy actions, each shows its new value', () => {
    const run = runScenario(
      kerberos101([
        { do: 'set-allowed-enctypes', host: 'ws1', etypes: [23, 17], id: 'first' },
        { do: 'set-host-realm', host: 'ws1', mapping: { '.corp.contoso.com': 'CORP.CONTOSO.COM' } },
        { do: 'set-default-domain-enctypes', realm: 'CORP.CONTOSO.COM', etypes: [17] },
        { do: 'set-supported-enctypes', principal: CIFS, etypes: [18] },
      ]),
    );
    const view = policyView(run.world);
    expect(view.hosts[0]).toMatchObject({
      allowedEtypes: [17, 23],
      offers: [17, 23],
      hostRealm: { '.corp.contoso.com': 'CORP.CONTOSO.COM' },
    });
    const realm = view.realms.find((r) => r.realm === 'CORP.CONTOSO.COM')!;
    expect(realm.defaultEtypes).toEqual([17]);
    expect(realm.accounts.find((a) => a.principal === CIFS)!.supportedEtypes).toEqual([18]);
  });

  test('a hybrid device shows its cloud GPOs and the KDC proxy the GPO names; the cloud realm is not listed', () => {
    const run = runScenario(findScenario('cached-logon-4h-gap') as Scenario);
    const view = policyView(run.world);
    const ws1 = view.hosts.find((h) => h.host === 'ws1')!;
    expect(ws1).toMatchObject({ device: true, cloudTicket: true, kdcProxy: false });
    expect(ws1.kdcProxyServer?.realm).toBe('KERBEROS.MICROSOFTONLINE.COM');
    expect(view.realms.map((r) => r.realm)).not.toContain('KERBEROS.MICROSOFTONLINE.COM');
  });

  test('Conditional Access on the storage app: off at first, then as mfa-ca-not-excluded sets it step by step', () => {
    const APP = 'cifs/contosofiles.file.core.windows.net';
    expect(policyView(runScenario(findScenario('happy-path') as Scenario).world).apps).toEqual([
      { app: APP, mfa: false, assignmentRequired: false, assigned: [] },
    ]);
    const s = findScenario('mfa-ca-not-excluded') as Scenario;
    const at = (until: string) => {
      const json = structuredClone(s) as unknown as Json & { timeline: Json[] };
      json.timeline = json.timeline.slice(0, json.timeline.findIndex((a) => a.id === until) + 1);
      json.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: until }] }];
      return policyView(runScenario(validateScenario(json) as Scenario).world).apps[0];
    };
    expect(at('mfa-on')).toEqual({ app: APP, mfa: true, assignmentRequired: false, assigned: [] });
    expect(at('exclude')).toMatchObject({ mfa: false });
    expect(at('assignment')).toEqual({ app: APP, mfa: false, assignmentRequired: true, assigned: [] });
    expect(at('assign-alice')!.assigned).toEqual(['alice@corp.contoso.com']);
    expect(at('assignment-off')).toEqual({ app: APP, mfa: false, assignmentRequired: false, assigned: [] });
    // an AD-only world has no Entra and no apps
    expect(
      policyView(runScenario(kerberos101([{ do: 'logon', host: 'ws1', id: 'first' }])).world).apps,
    ).toEqual([]);
  });
});

describe('policyView: Azure Files share-level permissions', () => {
  const CONTRIBUTOR = 'Storage File Data SMB Share Contributor';
  /** share-reader-cannot-write with a 30-minute propagation and this timeline. */
  function shareReader(timeline: Json[]): Scenario {
    const s = structuredClone(findScenario('share-reader-cannot-write')) as unknown as Json;
    const svc = (s.services as Json[]).find((x) => x.azureFiles)!;
    (svc.azureFiles as Json).propagation = '30m';
    s.timeline = timeline;
    s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'first' }] }];
    return validateScenario(s) as Scenario;
  }
  const assign = { do: 'assign-share-role', account: 'contosofiles', principal: 'alice@CORP.CONTOSO.COM' };

  test("the account's roles and default as the scenario sets them, with the SMB roles and users to pick", () => {
    const [share] = policyView(
      runScenario(shareReader([{ do: 'logon', host: 'ws1', id: 'first' }])).world,
    ).shares;
    expect(share).toMatchObject({
      account: 'contosofiles',
      propagationMs: 30 * 60_000,
      defaultPermission: 'None',
      roles: [
        { principal: 'alice@CORP.CONTOSO.COM', role: 'Storage File Data SMB Share Reader', inForce: true },
      ],
      users: expect.arrayContaining(['alice@CORP.CONTOSO.COM']),
    });
    expect(share!.roleNames[0]).toBe('Storage File Data SMB Share Reader');
    expect(share!.roleNames).not.toContain('Storage File Data Privileged Reader');
    expect(share!.defaultNames).toEqual([
      'None',
      'StorageFileDataSmbShareReader',
      'StorageFileDataSmbShareContributor',
      'StorageFileDataSmbShareElevatedContributor',
    ]);
    expect(share!.pendingDefault).toBeUndefined();
  });

  test('a role assigned and a default set wait for the propagation delay, then are in force', () => {
    const steps = [
      { ...assign, role: CONTRIBUTOR, id: 'first' },
      {
        do: 'set-default-share-permission',
        account: 'contosofiles',
        permission: 'StorageFileDataSmbShareReader',
      },
    ];
    const before = policyView(runScenario(shareReader(steps)).world).shares[0]!;
    const start = Date.parse('2026-03-02T08:00:00Z');
    expect(before.roles.find((r) => r.role === CONTRIBUTOR)).toMatchObject({ inForce: false });
    expect(before.roles.find((r) => r.role === CONTRIBUTOR)!.effectiveAt).toBeGreaterThanOrEqual(
      start + 30 * 60_000,
    );
    expect(before.pendingDefault).toMatchObject({ value: 'StorageFileDataSmbShareReader' });
    expect(before.defaultPermission).toBe('None');
    const after = policyView(runScenario(shareReader([...steps, { do: 'advance', by: '31m' }])).world)
      .shares[0]!;
    expect(after.roles.find((r) => r.role === CONTRIBUTOR)).toMatchObject({ inForce: true });
    expect(after.defaultPermission).toBe('StorageFileDataSmbShareReader');
    expect(after.pendingDefault).toBeUndefined();
  });

  test("a role is in force in the view when the file server's own clock says so (its skew counts)", () => {
    const steps = [
      { ...assign, role: CONTRIBUTOR, id: 'first' },
      { do: 'set-skew', host: 'contosofiles', offset: '+31m' },
    ];
    const share = policyView(runScenario(shareReader(steps)).world).shares[0]!;
    expect(share.roles.find((r) => r.role === CONTRIBUTOR)).toMatchObject({ inForce: true });
    const slow = [
      steps[0]!,
      { do: 'set-skew', host: 'contosofiles', offset: '-1h' },
      { do: 'advance', by: '31m' },
    ];
    const behind = policyView(runScenario(shareReader(slow)).world).shares[0]!;
    expect(behind.roles.find((r) => r.role === CONTRIBUTOR)).toMatchObject({ inForce: false });
  });

  test('a removed role stays listed until its removal reaches the file service', () => {
    const remove = {
      ...assign,
      do: 'remove-share-role',
      role: 'Storage File Data SMB Share Reader',
      id: 'first',
    };
    const waiting = policyView(runScenario(shareReader([remove])).world).shares[0]!;
    expect(waiting.roles).toEqual([
      expect.objectContaining({ inForce: true, removedAt: expect.any(Number) }),
    ]);
    const gone = policyView(runScenario(shareReader([remove, { do: 'advance', by: '31m' }])).world)
      .shares[0]!;
    expect(gone.roles).toEqual([]);
  });
});
