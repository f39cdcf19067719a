// The scenario's kdc block is read through its description (src/scenarios/kdc-shape.ts): a bad value in
// any part of it (realm, principal, key, trust) is refused when the file is read, its field named, where
// the block was once cast and its faults found (if at all) only when the world was built.
import { describe, expect, test } from 'vitest';
import { buildWorld, ScenarioError, validateScenario, type Scenario } from '../../../src/scenarios';
import { kdcShape } from '../../../src/scenarios/kdc-shape';
import type { Shape } from '../../../src/scenarios/shape';
import trustReferral from '../../../src/scenarios/catalogue/trust-referral.json';
import { keyOf } from '../../../src/protocol/long-term-key';

type Json = Record<string, unknown>;
const base = (): Json => structuredClone(trustReferral) as Json;
const kdc = (s: Json) => s.kdc as Json;
const realm = (s: Json, i = 0) => (kdc(s).realms as Json[])[i]!;
/** alice@CORP.CONTOSO.COM */
const alice = (s: Json) => (realm(s).principals as Json[])[0]!;
const trust = (s: Json) => (kdc(s).trusts as Json[])[0]!;

function errorOf(s: Json): ScenarioError {
  try {
    validateScenario(s);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('the scenario was accepted');
}

const DURATION = 'is not a duration (write it like 10h, 7d, 5m, 30s)';

/** [what, the field it names, how the file is spoiled, the reason]. */
const cases: [string, string, (s: Json) => void, string][] = [
  ['the block', 'kdc', (s) => delete s.kdc, 'is missing'],
  ['the block', 'kdc', (s) => (s.kdc = []), 'must be an object, not a list'],
  ['realms', 'kdc.realms', (s) => (kdc(s).realms = {}), 'must be a list, not an object'],
  ['realms', 'kdc.realms', (s) => (kdc(s).realms = []), 'must not be empty'],
  [
    'a realm',
    'kdc.realms[1]',
    (s) => ((kdc(s).realms as unknown[])[1] = 'X'),
    'must be an object, not the string "X"',
  ],
  [
    'unknown',
    'kdc.realms[0].Principals',
    (s) => (realm(s).Principals = []),
    'unknown field (did you mean "principals"?)',
  ],
  [
    'name',
    'kdc.realms[0].name',
    (s) => (realm(s).name = 'corp contoso'),
    '"corp contoso" must be a realm name like EXAMPLE.TEST',
  ],
  [
    'name',
    'kdc.realms[1].name',
    (s) => (realm(s, 1).name = 'CORP.CONTOSO.COM'),
    'realm "CORP.CONTOSO.COM" is listed twice',
  ],
  [
    'maxLife',
    'kdc.realms[0].maxLife',
    (s) => (realm(s).maxLife = 'ten hours'),
    `the string "ten hours" ${DURATION}`,
  ],
  ['maxRenew', 'kdc.realms[0].maxRenew', (s) => (realm(s).maxRenew = -1), `number -1 ${DURATION}`],
  ['maxSkew', 'kdc.realms[0].maxSkew', (s) => (realm(s).maxSkew = true), `boolean true ${DURATION}`],
  ['etypes', 'kdc.realms[1].etypes', (s) => (realm(s, 1).etypes = []), 'must not be empty'],
  [
    'etypes',
    'kdc.realms[1].etypes[0]',
    (s) => (realm(s, 1).etypes = [99]),
    'number 99 is not an enctype the playground knows',
  ],
  [
    'etypes',
    'kdc.realms[1].etypes[1]',
    (s) => (realm(s, 1).etypes = [18, 'des-cbc-crc']),
    'des-cbc-crc (1) cannot be used to make keys here',
  ],
  ['pac', 'kdc.realms[0].pac', (s) => (realm(s).pac = 'yes'), 'must be true or false, not the string "yes"'],
  [
    'rc4PhaseOut',
    'kdc.realms[0].rc4PhaseOut',
    (s) => (realm(s).rc4PhaseOut = 1),
    'must be true or false, not number 1',
  ],
  [
    'principals',
    'kdc.realms[0].principals',
    (s) => (realm(s).principals = {}),
    'must be a list, not an object',
  ],
  [
    'hostRealm',
    'kdc.realms[0].hostRealm[".x"]',
    (s) => (realm(s).hostRealm = { '.x': 3 }),
    'must be a non-empty string, not number 3',
  ],
  [
    'domainSid',
    'kdc.realms[1].domainSid',
    (s) => (realm(s, 1).domainSid = 'S-1-12-1'),
    '"S-1-12-1" must look like S-1-5-21-a-b-c',
  ],
  [
    'netbiosName',
    'kdc.realms[0].netbiosName',
    (s) => (realm(s).netbiosName = 5),
    'must be a non-empty string, not number 5',
  ],
  [
    'krbtgtPassword',
    'kdc.realms[0].krbtgtPassword',
    (s) => (realm(s).krbtgtPassword = []),
    'must be a non-empty string, not a list',
  ],
  [
    'a principal',
    'kdc.realms[0].principals[0]',
    (s) => ((realm(s).principals as unknown[])[0] = null),
    'must be an object, not null',
  ],
  [
    'unknown',
    'kdc.realms[0].principals[0].passwd',
    (s) => (alice(s).passwd = 'x'),
    'unknown field (known here: name, password, key, etypes, requiresPreauth, kvno, salt, iterations, disabled, nameType, sid, groups, upn, fullName, noForwardable, maxLife, maxRenew)',
  ],
  [
    'name',
    'kdc.realms[0].principals[0].name',
    (s) => (alice(s).name = 'alice@CORP'),
    '"alice@CORP" must be a name without a realm, like "alice" or "cifs/fs1.example.test"',
  ],
  [
    'name',
    'kdc.realms[0].principals[0].name',
    (s) => (alice(s).name = 'cifs//fs1'),
    '"cifs//fs1" must be a name without a realm, like "alice" or "cifs/fs1.example.test"',
  ],
  [
    'name',
    'kdc.realms[0].principals[1].name',
    (s) => (realm(s).principals as Json[]).push({ name: 'alice', password: 'p' }),
    'principal "alice" is listed twice',
  ],
  [
    'password',
    'kdc.realms[0].principals[0].password',
    (s) => (alice(s).password = 5),
    'must be a string, not number 5',
  ],
  [
    'password or key',
    'kdc.realms[0].principals[0]',
    (s) => delete alice(s).password,
    'principal "alice" needs a password or a key',
  ],
  [
    'key',
    'kdc.realms[0].principals[0].key',
    (s) => (alice(s).key = 'aa'),
    'must be an object, not the string "aa"',
  ],
  ['key', 'kdc.realms[0].principals[0].key.hex', (s) => (alice(s).key = { etype: 18 }), 'is missing'],
  [
    'key',
    'kdc.realms[0].principals[0].key.hex',
    (s) => (alice(s).key = { etype: 18, hex: 'zz' }),
    'not hex: "zz" at digit 0',
  ],
  [
    'key',
    'kdc.realms[0].principals[0].key[1].etype',
    (s) =>
      (alice(s).key = [
        { etype: 23, hex: '00'.repeat(16) },
        { etype: 'rot13', hex: '00' },
      ]),
    'the string "rot13" is not an enctype the playground knows',
  ],
  [
    'key',
    'kdc.realms[0].principals[0].key[0].hex',
    (s) => (alice(s).key = [{ etype: 18, hex: '0011' }]),
    'a aes256-cts-hmac-sha1-96 key is 32 bytes, this one is 2',
  ],
  [
    'key',
    'kdc.realms[0].principals[0].key.kvno',
    (s) => (alice(s).key = { etype: 18, hex: '00'.repeat(32), kvno: 2 }),
    'unknown field (known here: etype, hex)',
  ],
  [
    'etypes',
    'kdc.realms[0].principals[0].etypes[0]',
    (s) => (alice(s).etypes = [{}]),
    'must be an enctype number or name, not an object',
  ],
  [
    'requiresPreauth',
    'kdc.realms[0].principals[0].requiresPreauth',
    (s) => (alice(s).requiresPreauth = 'no'),
    'must be true or false, not the string "no"',
  ],
  ['kvno', 'kdc.realms[0].principals[0].kvno', (s) => (alice(s).kvno = -1), 'must be at least 0, not -1'],
  ['salt', 'kdc.realms[0].principals[0].salt', (s) => (alice(s).salt = 3), 'must be a string, not number 3'],
  [
    'iterations',
    'kdc.realms[0].principals[0].iterations',
    (s) => (alice(s).iterations = 2.5),
    'must be a whole number, not 2.5',
  ],
  [
    'disabled',
    'kdc.realms[0].principals[0].disabled',
    (s) => (alice(s).disabled = 1),
    'must be true or false, not number 1',
  ],
  [
    'nameType',
    'kdc.realms[0].principals[0].nameType',
    (s) => (alice(s).nameType = 1.5),
    'must be a whole number, not 1.5',
  ],
  [
    'sid',
    'kdc.realms[0].principals[0].sid',
    (s) => (alice(s).sid = 'S-1'),
    '"S-1" is not a SID (like "S-1-5-21-1-2-3-1104")',
  ],
  [
    'groups',
    'kdc.realms[0].principals[0].groups[1]',
    (s) => ((alice(s).groups as string[])[1] = 'admins'),
    '"admins" is not a SID (like "S-1-5-21-1-2-3-1104")',
  ],
  [
    'upn',
    'kdc.realms[0].principals[0].upn',
    (s) => (alice(s).upn = ''),
    'must be a non-empty string, not the string ""',
  ],
  [
    'fullName',
    'kdc.realms[0].principals[0].fullName',
    (s) => (alice(s).fullName = null),
    'must be a non-empty string, not null',
  ],
  [
    'noForwardable',
    'kdc.realms[0].principals[0].noForwardable',
    (s) => (alice(s).noForwardable = 'x'),
    'must be true or false, not the string "x"',
  ],
  [
    'maxLife',
    'kdc.realms[1].principals[0].maxLife',
    (s) => ((realm(s, 1).principals as Json[])[0]!.maxLife = '1 hour'),
    `the string "1 hour" ${DURATION}`,
  ],
  [
    'maxRenew',
    'kdc.realms[1].principals[0].maxRenew',
    (s) => ((realm(s, 1).principals as Json[])[0]!.maxRenew = {}),
    `an object ${DURATION}`,
  ],
  ['trusts', 'kdc.trusts', (s) => (kdc(s).trusts = 'both'), 'must be a list, not the string "both"'],
  ['a trust', 'kdc.trusts[0]', (s) => (trust(s).to = 'CORP.CONTOSO.COM'), 'a realm cannot trust itself'],
  [
    'unknown',
    'kdc.trusts[0].kvn',
    (s) => (trust(s).kvn = 2),
    'unknown field (known here: from, to, password, etypes, bidirectional, kvno)',
  ],
  [
    'from',
    'kdc.trusts[0].from',
    (s) => (trust(s).from = 'X.TEST'),
    '"X.TEST" is not one of kdc.realms (CORP.CONTOSO.COM, KERBEROS.MICROSOFTONLINE.COM)',
  ],
  ['to', 'kdc.trusts[0].to', (s) => delete trust(s).to, 'is missing'],
  [
    'password',
    'kdc.trusts[0].password',
    (s) => (trust(s).password = ''),
    'must be a non-empty string, not the string ""',
  ],
  [
    'etypes',
    'kdc.trusts[0].etypes[0]',
    (s) => (trust(s).etypes = ['x']),
    'the string "x" is not an enctype the playground knows',
  ],
  [
    'bidirectional',
    'kdc.trusts[0].bidirectional',
    (s) => (trust(s).bidirectional = 'yes'),
    'must be true or false, not the string "yes"',
  ],
  ['kvno', 'kdc.trusts[0].kvno', (s) => (trust(s).kvno = 1.5), 'must be a whole number, not 1.5'],
];

describe('a bad value anywhere in the kdc block is named when the file is read', () => {
  test.each(cases)('%s: %s', (_what, field, spoil, reason) => {
    const s = base();
    spoil(s);
    const e = errorOf(s);
    expect({ field: e.field, reason: e.reason }).toEqual({ field, reason });
  });

  test('every field of the description has a case above (a new field needs one)', () => {
    const fieldsOf = (shape: Shape<unknown>, into: Set<string>): Set<string> => {
      const inner = shape.inner;
      if (inner?.kind === 'object')
        for (const [name, f] of Object.entries(inner.fields)) {
          into.add(name);
          fieldsOf(f.shape, into);
        }
      if (inner?.kind === 'list') fieldsOf(inner.item, into);
      return into;
    };
    const described = fieldsOf(kdcShape, new Set());
    const named = new Set(cases.flatMap(([, field]) => field.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []));
    expect([...described].filter((f) => !named.has(f))).toEqual([]);
  });
});

describe('a good kdc block reads as written', () => {
  test('keys given as bytes (one, or a list), kept as written, and used by the KDC', () => {
    const s = base();
    const key = { etype: 'aes256-cts-hmac-sha1-96', hex: '01'.repeat(32) };
    alice(s).key = [key, { etype: 23, hex: '02'.repeat(16) }];
    const v = validateScenario(s) as Scenario;
    expect(v.kdc.realms[0]!.principals![0]!.key).toEqual([key, { etype: 23, hex: '02'.repeat(16) }]);
    const world = buildWorld(v);
    const held = world.kdcs[0]!.state.realms[0]!.principals.find((p) => p.name.nameString[0] === 'alice')!;
    const given = held.keys.filter((k) => keyOf(k).every((b) => b === keyOf(k)[0]) && keyOf(k)[0]! <= 2);
    expect(given.map((k) => [k.etype, keyOf(k).length, keyOf(k)[0]])).toEqual([
      [18, 32, 1],
      [23, 16, 2],
    ]);
  });
});
