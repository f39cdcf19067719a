// Asking the world above Kerberos for something it does not have (Windows on a Linux host, CloudAP on a
// domain-joined one, Entra ID where there is none) is refused with a WorldError whose message says what is
// missing and where it would come from, never with a bare Error.
import { describe, expect, test } from 'vitest';
import { setMfaPolicy, setUpEntra, windowsHost } from '../../../src/azure';
import { device } from '../../../src/azure/windows-host';
import { buildWorld, findScenario, type Scenario } from '../../../src/scenarios';
import { WorldError, type World } from '../../../src/world';
import { linuxHost } from '../../../src/world/linux-host';

const world = (id: string): World => buildWorld(findScenario(id) as Scenario);

const refused = (run: () => unknown, message: string) =>
  expect(run).toThrow(expect.objectContaining({ constructor: WorldError, message }));

describe('what a host does not run', () => {
  test('Windows on a Linux host', () => {
    refused(
      () => windowsHost(world('kerberos-101'), 'linux1'),
      'linux1 does not run Windows: only a Windows client host has a logon session, a console and mapped drives',
    );
  });

  test('CloudAP on a domain-joined Windows host', () => {
    refused(
      () => device(world('kerberos-101'), 'ws1'),
      'ws1 is not an Entra-joined or hybrid-joined Windows device: only such a device has CloudAP and a Primary Refresh Token',
    );
  });

  test("MIT's tools on a Windows host", () => {
    refused(
      () => linuxHost(world('kerberos-101'), 'ws1'),
      `ws1 is not a Linux host: MIT's kinit, klist, kvno and kdestroy run only on a client with "os": "linux"`,
    );
  });
});

describe('Entra ID', () => {
  test('Conditional Access in a world without Entra ID', () => {
    refused(
      () => setMfaPolicy(world('kerberos-101'), 'contosofiles', true),
      'Conditional Access is a policy of Entra ID, and this world has no Entra ID: add an "entra" block (host, tenantId, realm)',
    );
  });

  test("Entra's host runs no KDC for the cloud realm", () => {
    const config = {
      host: 'dc1',
      tenantId: 'tenant',
      realm: 'KERBEROS.MICROSOFTONLINE.COM',
      topLevelNames: [],
    };
    refused(
      () => setUpEntra(world('kerberos-101'), config, []),
      "Entra ID runs the KDC of its cloud realm KERBEROS.MICROSOFTONLINE.COM on its own host, dc1, but no KDC there serves KERBEROS.MICROSOFTONLINE.COM: add it to that KDC's realms",
    );
  });

  test('a user with no on-premises account to sync', () => {
    const w = world('happy-path');
    const config = { ...w.entra!, topLevelNames: [...w.entra!.topLevelNames] };
    refused(
      () => setUpEntra(w, config, ['nobody@CORP.CONTOSO.COM']),
      "nobody@CORP.CONTOSO.COM has no account in CORP.CONTOSO.COM's database, so Entra Connect has nothing to sync to Entra ID: add the user to a KDC of CORP.CONTOSO.COM",
    );
  });
});
