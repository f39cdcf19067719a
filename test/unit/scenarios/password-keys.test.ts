// The password keys of a KDC configuration, listed before the KDC is built and made ahead with a host's
// PBKDF2 (OpenSSL here, as krbplay kdc does): building the KDC then makes none itself. Checked on a
// configuration that uses every rule (own enctypes, salts and counts, krbtgtPassword, trusts both ways)
// and on every catalogue scenario.
import { describe, expect, test } from 'vitest';
import { clearStringToKeyCache, stringToKey, stringToKeyCacheSize } from '../../../src/crypto';
import { buildKdcState, type KdcConfig } from '../../../src/kdc';
import { nodePbkdf2 } from '../../../src/node';
import { catalogue, kdcPasswordKeys, makePasswordKeysAhead, type Scenario } from '../../../src/scenarios';

const counter = () => {
  let n = 0;
  return (len: number) => Uint8Array.from({ length: len }, () => n++ & 0xff);
};

const CONFIG: KdcConfig = {
  realms: [
    {
      name: 'EXAMPLE.TEST',
      krbtgtPassword: 'krbtgt-pw',
      principals: [
        { name: 'alice', password: 'alice-pw' },
        { name: 'bob', password: 'bob-pw', etypes: ['aes128-cts', 23], salt: 'OTHERbob', iterations: 5000 },
        { name: 'cifs/fs1.example.test', password: 'fs1-pw', etypes: [19] },
        { name: 'svc', key: { etype: 18, hex: '00'.repeat(32) } },
      ],
    },
    { name: 'OTHER.TEST', etypes: [18, 23], principals: [{ name: 'carol', password: 'carol-pw' }] },
  ],
  trusts: [
    { from: 'EXAMPLE.TEST', to: 'OTHER.TEST', password: 'trust-pw', bidirectional: true },
    { from: 'OTHER.TEST', to: 'THIRD.TEST', password: 'third-pw', etypes: [20] },
  ],
};

/** After the keys are made ahead, building the KDC adds nothing to the string-to-key cache. */
async function buildMakesNoKey(config: KdcConfig) {
  clearStringToKeyCache();
  await makePasswordKeysAhead(kdcPasswordKeys(config), nodePbkdf2);
  const ahead = stringToKeyCacheSize().size;
  buildKdcState(config, counter());
  expect(stringToKeyCacheSize().size).toBe(ahead);
  return ahead;
}

describe('kdcPasswordKeys', () => {
  test('each rule of the KDC configuration', () => {
    const keys = kdcPasswordKeys(CONFIG).map(
      (k) => `${k.etype} ${k.salt} ${k.password}${k.iterations ? ` ${k.iterations}` : ''}`,
    );
    expect(keys).toEqual([
      '18 EXAMPLE.TESTalice alice-pw',
      '17 EXAMPLE.TESTalice alice-pw',
      '20 EXAMPLE.TESTalice alice-pw',
      '19 EXAMPLE.TESTalice alice-pw',
      '23 EXAMPLE.TESTalice alice-pw',
      '17 OTHERbob bob-pw 5000',
      '23 OTHERbob bob-pw 5000',
      '19 EXAMPLE.TESTcifsfs1.example.test fs1-pw',
      '18 EXAMPLE.TESTkrbtgtEXAMPLE.TEST krbtgt-pw',
      '17 EXAMPLE.TESTkrbtgtEXAMPLE.TEST krbtgt-pw',
      '20 EXAMPLE.TESTkrbtgtEXAMPLE.TEST krbtgt-pw',
      '19 EXAMPLE.TESTkrbtgtEXAMPLE.TEST krbtgt-pw',
      '23 EXAMPLE.TESTkrbtgtEXAMPLE.TEST krbtgt-pw',
      '18 OTHER.TESTcarol carol-pw',
      '23 OTHER.TESTcarol carol-pw',
      '18 EXAMPLE.TESTkrbtgtOTHER.TEST trust-pw',
      '17 EXAMPLE.TESTkrbtgtOTHER.TEST trust-pw',
      '18 OTHER.TESTkrbtgtEXAMPLE.TEST trust-pw',
      '17 OTHER.TESTkrbtgtEXAMPLE.TEST trust-pw',
      '20 OTHER.TESTkrbtgtTHIRD.TEST third-pw',
    ]);
  });

  test('made ahead with OpenSSL, they are the keys the KDC would make, and it makes none itself', async () => {
    expect(await buildMakesNoKey(CONFIG)).toBe(20);
    // the one made ahead equals the one made anew by the pure-JS PBKDF2
    const ahead = stringToKey(17, 'bob-pw', 'OTHERbob', { iterations: 5000 }).bytes;
    clearStringToKeyCache();
    expect(stringToKey(17, 'bob-pw', 'OTHERbob', { iterations: 5000 }).bytes).toEqual(ahead);
  });

  test.each(
    catalogue()
      .filter((s) => s.available)
      .map((s) => [s.id, s] as const),
  )('catalogue %s: every password key is listed', async (_id, s) => {
    await buildMakesNoKey((s as Scenario).kdc);
  });

  test('a malformed configuration lists what it can and leaves the rest to the build to name', async () => {
    const bad = {
      realms: [
        {
          name: 'X.TEST',
          principals: [{ name: 'a', password: 'p', etypes: ['nope', 18] }, 7, { password: 'q' }],
        },
      ],
      trusts: [null],
    } as unknown as KdcConfig;
    expect(kdcPasswordKeys(bad).map((k) => `${k.etype} ${k.salt}`)).toEqual(['18 X.TESTa']);
    expect(kdcPasswordKeys({} as KdcConfig)).toEqual([]);
    // a count string-to-key refuses is not made ahead: the build refuses it, naming the reason
    const refused: KdcConfig = {
      realms: [{ name: 'X.TEST', principals: [{ name: 'a', password: 'p', iterations: 2 ** 24 }] }],
    };
    // (only rc4-hmac's key, which has no count, is made)
    expect(await makePasswordKeysAhead(kdcPasswordKeys(refused), nodePbkdf2)).toBe(1);
    expect(() => buildKdcState(refused, counter())).toThrow(
      /string-to-key refused: 16777216 PBKDF2 iterations/,
    );
  });
});
