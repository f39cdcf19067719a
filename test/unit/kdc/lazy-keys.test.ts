// A world is built without making any key from a password: the KDC's database and the services' keytabs
// hold each password key unmade until a step needs it (protocol/long-term-key.ts), so the page's first
// paint waits for no PBKDF2. Made later, each key is the one string-to-key gives.
import { describe, expect, test } from 'vitest';
import { catalogue, buildWorld, type Scenario } from '../../../src/scenarios';
import { stringToKey, stringToKeyRuns } from '../../../src/crypto';
import { copyKey, deriveKey, keyOf, type LongTermKey } from '../../../src/protocol/long-term-key';
import { buildKdcState } from '../../../src/kdc';
import { toHex } from '../../../src/util/bytes';

const fixedRandom = (n: number) => new Uint8Array(n).fill(7);

describe('long-term keys are made when first used', () => {
  test('building every catalogue scenario’s world runs no string-to-key', () => {
    const before = stringToKeyRuns();
    let built = 0;
    for (const s of catalogue()) {
      if (!s.available) continue;
      buildWorld(s as Scenario);
      built++;
    }
    expect(built).toBeGreaterThan(20);
    expect(stringToKeyRuns()).toBe(before);
  });

  test('a KDC entry’s key, made on first use, is string-to-key’s, and is kept in the entry', () => {
    const state = buildKdcState(
      {
        realms: [
          {
            name: 'LAZY.TEST',
            principals: [{ name: 'lazy-user', password: 'p4ss-lazy', etypes: [18, 23], iterations: 5000 }],
          },
        ],
      },
      fixedRandom,
    );
    const entry = state.realms[0]!.principals.find((p) => p.name.nameString[0] === 'lazy-user')!;
    expect(entry.keys.map((k) => k.key)).toEqual([undefined, undefined]);
    const runs = stringToKeyRuns();
    const aes = keyOf(entry.keys[0]!);
    expect(stringToKeyRuns()).toBe(runs + 1);
    expect(toHex(aes)).toBe(
      toHex(stringToKey(18, 'p4ss-lazy', 'LAZY.TESTlazy-user', { iterations: 5000 }).bytes),
    );
    expect(entry.keys[0]!.key).toBe(aes);
    expect(entry.keys[0]!.from).toBeUndefined();
    expect(toHex(keyOf(entry.keys[1]!))).toBe(toHex(stringToKey(23, 'p4ss-lazy', '').bytes));
    // ETYPE-INFO2's salt and s2kparams are there from the start
    expect(entry.keys[0]!.salt).toBe('LAZY.TESTlazy-user');
    expect(entry.keys[0]!.s2kparams).toBeDefined();
    expect(entry.keys[1]!.salt).toBeUndefined();
  });

  test('a copy of an unmade key stays unmade and owns its recipe; a made key’s copy owns its bytes', () => {
    const k: LongTermKey = { etype: 17, kvno: 2, from: { password: 'copy-me', salt: 'C.TESTcopy' } };
    const c = copyKey(k);
    expect(c.key).toBeUndefined();
    expect(c.from).toEqual(k.from);
    expect(c.from).not.toBe(k.from);
    const made = keyOf(c);
    expect(k.key).toBeUndefined();
    const d = copyKey(c);
    expect(d.key).toEqual(made);
    expect(d.key).not.toBe(made);
  });

  test('a bad iteration count is refused when the KDC is built, not when the key is first used', () => {
    expect(() =>
      buildKdcState(
        { realms: [{ name: 'BAD.TEST', principals: [{ name: 'u', password: 'x', iterations: 2 ** 24 }] }] },
        fixedRandom,
      ),
    ).toThrow(/iteration/i);
  });
});

describe('the remembered keys', () => {
  test('a password and a salt that share characters across their boundary are different keys', () => {
    // "a\0b" + "S" and "a" + "b\0S" once made the same remembered id
    const first = deriveKey(18, 'a\u0000b', 'S', undefined);
    const second = deriveKey(18, 'a', 'b\u0000S', undefined);
    expect(toHex(second)).toBe(toHex(stringToKey(18, 'a', 'b\u0000S').bytes));
    expect(toHex(second)).not.toBe(toHex(first));
  });
});
