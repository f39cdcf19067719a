// Windows' realm choice for an SPN (PROTOCOL-NOTES.md): an explicit mapping first, then the cloud realm's
// top-level names, then the home realm; and the Kerberos client's table gives the same answer.
import { describe, expect, test } from 'vitest';
import { chooseRealm, hostRealmTableFor } from '../../../src/azure';
import { realmForHost } from '../../../src/client';

const HOME = 'CORP.CONTOSO.COM';
const CLOUD = { realm: 'KERBEROS.MICROSOFTONLINE.COM', topLevelNames: ['.windows.net'] };

describe('realm choice precedence', () => {
  test('no mapping: a top-level name sends the host to the cloud realm; anything else goes home', () => {
    expect(chooseRealm('contosofiles.file.core.windows.net', { cloud: CLOUD, home: HOME })).toEqual({
      realm: CLOUD.realm,
      how: 'cloud-top-level-name',
      rule: '.windows.net',
    });
    expect(chooseRealm('fs1.corp.contoso.com', { cloud: CLOUD, home: HOME })).toEqual({
      realm: HOME,
      how: 'home',
    });
    expect(chooseRealm('contosofiles.file.core.windows.net', { home: HOME }).how).toBe('home');
  });

  test('an explicit mapping wins over a top-level name, even as the shorter suffix', () => {
    const mapping = { '.net': HOME };
    expect(chooseRealm('x.file.core.windows.net', { mapping, cloud: CLOUD, home: HOME })).toEqual({
      realm: HOME,
      how: 'mapping',
      rule: '.net',
    });
  });

  test("the seed's coexistence mapping: the exact cloud host to the cloud, the rest of the namespace on-prem", () => {
    const mapping = {
      '.file.core.windows.net': HOME,
      'contosofiles.file.core.windows.net': CLOUD.realm,
    };
    const opts = { mapping, cloud: CLOUD, home: HOME };
    expect(chooseRealm('contosofiles.file.core.windows.net', opts)).toMatchObject({
      realm: CLOUD.realm,
      how: 'mapping',
    });
    expect(chooseRealm('contosoadds.file.core.windows.net', opts)).toMatchObject({
      realm: HOME,
      how: 'mapping',
    });
    expect(chooseRealm('vault.vault.azure.windows.net', opts)).toMatchObject({
      realm: CLOUD.realm,
      how: 'cloud-top-level-name',
    });
  });

  test("the client's longest-match over hostRealmTableFor agrees with chooseRealm on every host", () => {
    const mappings: Record<string, string>[] = [
      {},
      { '.net': HOME },
      { '.windows.net': HOME },
      { '.file.core.windows.net': HOME, 'contosofiles.file.core.windows.net': CLOUD.realm },
      { 'fs1.corp.contoso.com': 'OTHER.TEST', '.core.windows.net': 'OTHER.TEST' },
    ];
    const hosts = [
      'contosofiles.file.core.windows.net',
      'contosoadds.file.core.windows.net',
      'x.blob.core.windows.net',
      'a.windows.net',
      'example.net',
      'fs1.corp.contoso.com',
    ];
    for (const mapping of mappings) {
      for (const cloud of [CLOUD, undefined]) {
        const table = hostRealmTableFor(mapping, cloud);
        for (const host of hosts) {
          expect(realmForHost(host, table, HOME).realm, `${host} with ${JSON.stringify(mapping)}`).toBe(
            chooseRealm(host, { mapping, ...(cloud ? { cloud } : {}), home: HOME }).realm,
          );
        }
      }
    }
  });
});
