// The keys over 2^18 PBKDF2 iterations a scenario makes, listed before the world is built so the worker
// can ask the user and derive them ahead (sliced, with progress, stoppable); the world then finds them.
import { describe, expect, test } from 'vitest';
import { clearStringToKeyCache, isStringToKeyRemembered } from '../../../src/crypto';
import { validateScenario, type Scenario } from '../../../src/scenarios';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';
import {
  ASK_ABOVE_ITERATIONS,
  costlyKeys,
  deriveAhead,
  stillToMake,
  type AheadProgress,
  type KeyToMake,
} from '../../../src/ui/engine/costly-keys';
import { Engine } from '../../../src/ui/engine/engine';

type Json = Record<string, unknown>;
/** kerberos-101 with alice's principal changed by `edit` (and the scenario by `more`). */
function scenario(edit: (alice: Json) => void, more: (s: Json) => void = () => {}): Scenario {
  const s = structuredClone(kerberos101) as Json;
  edit((((s.kdc as Json).realms as Json[])[0]!.principals as Json[])[0] as Json);
  more(s);
  return validateScenario(s) as Scenario;
}
const summary = (keys: KeyToMake[]) => keys.map((k) => `${k.etypeNumber} ${k.who} ${k.password}`);

describe('costlyKeys', () => {
  test('above 2^18 iterations: each AES key the KDC holds for the principal, with the field that asks', () => {
    const keys = costlyKeys(scenario((a) => (a.iterations = 300000)));
    expect(summary(keys)).toEqual([
      '18 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!',
      '17 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!',
      '20 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!',
      '19 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!',
    ]);
    expect(keys[0]).toMatchObject({
      principal: 'alice@CORP.CONTOSO.COM',
      field: 'kdc.realms[0].principals[0].iterations',
      etype: 'aes256-cts-hmac-sha1-96 (18)',
      iterations: 300000,
      salt: 'CORP.CONTOSO.COMalice',
    });
  });

  test('2^18 itself and the defaults are cheap enough to derive as the world is built', () => {
    expect(costlyKeys(scenario((a) => (a.iterations = ASK_ABOVE_ITERATIONS)))).toEqual([]);
    expect(costlyKeys(scenario(() => {}))).toEqual([]);
  });

  test('the principal’s own enctypes and salt', () => {
    const keys = costlyKeys(
      scenario((a) => {
        a.iterations = 300000;
        a.etypes = ['aes128-cts', 23];
        a.salt = 'OTHERsalt';
      }),
    );
    expect(keys.map((k) => [k.etypeNumber, k.salt])).toEqual([[17, 'OTHERsalt']]);
  });

  test('a client with another password (and a logon with its own) makes its keys too: the enctypes it offers', () => {
    const keys = costlyKeys(
      scenario(
        (a) => (a.iterations = 300000),
        (s) => {
          (s.clients as Json[])[0]!.password = 'wrong';
          (s.timeline as Json[]).push({ do: 'logon', host: 'ws1', password: 'third' });
        },
      ),
    );
    expect(summary(keys)).toEqual([
      '18 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!',
      '17 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!',
      '20 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!',
      '19 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!',
      '18 the client on ws1 wrong',
      '17 the client on ws1 wrong',
      '18 the client on ws1 third',
      '17 the client on ws1 third',
    ]);
  });
});

describe('deriveAhead', () => {
  const key = (iterations: number, password = 'pw'): KeyToMake => ({
    principal: 'bob@EXAMPLE.TEST',
    field: 'kdc.realms[0].principals[1].iterations',
    etype: 'aes128-cts-hmac-sha1-96 (17)',
    iterations,
    who: 'the KDC of EXAMPLE.TEST',
    etypeNumber: 17,
    password,
    salt: 'EXAMPLE.TESTbob',
  });

  test('makes each key, telling the progress per key; the keys are then remembered', async () => {
    clearStringToKeyCache();
    const keys = [key(3000), key(2000, 'other')];
    expect(stillToMake(keys)).toEqual(keys);
    const seen: AheadProgress[] = [];
    await deriveAhead(keys, async (p) => {
      seen.push(p);
    });
    expect(stillToMake(keys)).toEqual([]);
    expect(seen[0]).toEqual({ key: 0, done: 0, total: 1 });
    expect(seen.filter((p) => p.key === 0 && p.done > 0).map((p) => p.total)).toEqual([
      3000, 3000, 3000, 3000, 3000,
    ]);
    expect(seen.some((p) => p.key === 1 && p.total === 2000)).toBe(true);
    expect(isStringToKeyRemembered(17, 'pw', 'EXAMPLE.TESTbob', { iterations: 3000 })).toBe(true);
  });

  test('a progress callback that throws stops it: the key half-made is not remembered', async () => {
    clearStringToKeyCache();
    const stop = new Error('stopped');
    await expect(
      deriveAhead([key(5000)], async (p) => {
        if (p.done > 1000) throw stop;
      }),
    ).rejects.toBe(stop);
    expect(stillToMake([key(5000)])).toHaveLength(1);
  });
});

describe('the engine', () => {
  test(
    'lists the costly keys of a scenario to load; derived ahead, the world is built without them',
    { timeout: 120_000 },
    async () => {
      clearStringToKeyCache();
      const s = structuredClone(kerberos101) as Json;
      const alice = (((s.kdc as Json).realms as Json[])[0]!.principals as Json[])[0] as Json;
      alice.iterations = ASK_ABOVE_ITERATIONS + 1;
      alice.etypes = [17];
      const source = { kind: 'json' as const, text: JSON.stringify(s) };
      const engine = new Engine({ scope: 'test', script: 'costly-keys.test.ts' });
      const keys = engine.costlyKeys(source);
      expect(summary(keys)).toEqual(['17 the KDC of CORP.CONTOSO.COM Contoso-Alice-2026!']);
      await deriveAhead(keys, () => Promise.resolve());
      expect(stillToMake(engine.costlyKeys(source))).toEqual([]);
      const loaded = engine.load(source);
      expect(loaded.ok).toBe(true);
      // alice signs in with the key made ahead, and mounts the share
      const end = engine.goto(1);
      expect(end.steps[0]!).toMatchObject({ actionId: 'logon', result: 'ok' });
    },
  );

  test('JSON that does not validate has no costly keys: load says what is wrong', () => {
    const engine = new Engine({ scope: 'test', script: 'costly-keys.test.ts' });
    expect(engine.costlyKeys({ kind: 'json', text: '{' })).toEqual([]);
  });
});
