// The iteration count of AES string-to-key (RFC 3962 §4, RFC 8009 §4) is bounded as MIT krb5 bounds it:
// 2^24 or more is refused before any hashing, with a typed error a learner can read; 2^24 - 1 is accepted.
// And the string-to-key cache: a key made once (sync or async) is handed back, never made again.
import { describe, expect, test } from 'vitest';
import {
  clearStringToKeyCache,
  CryptoInputError,
  isStringToKeyRemembered,
  ITERATIONS_REFUSED_FROM,
  iterationCount,
  IterationCountError,
  MAX_ITERATIONS,
  s2kparamsOf,
  stringToKey,
  stringToKeyAsync,
  stringToKeyCacheSize,
} from '../../../src/crypto';
import { KrbPlayError } from '../../../src/util/errors';

const AES = [17, 18, 19, 20] as const;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
}

describe('the bound: 2^24 refused, 2^24 - 1 accepted (MIT krb5 s2k_pbkdf2.c)', () => {
  test('the constants are MIT’s: refused from 0x1000000, at most 0xffffff', () => {
    expect(ITERATIONS_REFUSED_FROM).toBe(2 ** 24);
    expect(MAX_ITERATIONS).toBe(2 ** 24 - 1);
  });

  test.each(AES)('enctype %i: 2^24 - 1 is the count that would run, given or in s2kparams', (etype) => {
    // the parameter check only: 2^24 - 1 rounds would take about a minute
    expect(iterationCount(etype, { iterations: 2 ** 24 - 1 }, 4096)).toBe(2 ** 24 - 1);
    expect(iterationCount(etype, { s2kparams: s2kparamsOf(2 ** 24 - 1) }, 4096)).toBe(2 ** 24 - 1);
    expect(iterationCount(etype, { s2kparams: Uint8Array.of(0, 0xff, 0xff, 0xff) }, 4096)).toBe(0xffffff);
  });

  test.each(AES)('enctype %i: 2^24 from s2kparams is an IterationCountError, before any hashing', (etype) => {
    const e = thrown(() =>
      stringToKey(etype, 'password', 'EXAMPLE.TESTalice', { s2kparams: s2kparamsOf(2 ** 24) }),
    );
    expect(e).toBeInstanceOf(IterationCountError);
    expect(e).toBeInstanceOf(CryptoInputError);
    expect(e).toBeInstanceOf(KrbPlayError);
    expect(e).toMatchObject({ etype, iterations: 2 ** 24, fromS2kparams: true, category: 'crypto' });
    expect((e as Error).message).toMatch(
      /^string-to-key refused: 16777216 PBKDF2 iterations for the aes\S+ \(\d+\) key \(as the s2kparams ask\) are too many; the most accepted is 16777215 \(2\^24 - 1\), as in MIT krb5, which refuses more as "Invalid key generation parameters"/,
    );
  });

  test('given directly (a KDC configuration, the string2key command) it is refused the same way', () => {
    const e = thrown(() => stringToKey(18, 'p', 's', { iterations: 2 ** 24 }));
    expect(e).toMatchObject({ iterations: 2 ** 24, fromS2kparams: false });
    expect((e as Error).message).toMatch(
      /^string-to-key refused: 16777216 PBKDF2 iterations for the aes256-cts-hmac-sha1-96 \(18\) key are too many/,
    );
  });

  test('s2kparams 00 00 00 00 stands for 2^32 (RFC 3962 §4): refused, never "0 iterations"', () => {
    const e = thrown(() => stringToKey(17, 'p', 's', { s2kparams: new Uint8Array(4) }));
    expect(e).toMatchObject({ iterations: 2 ** 32, fromS2kparams: true });
  });

  test('the async variant refuses too, at once', async () => {
    let yields = 0;
    await expect(
      stringToKeyAsync(20, 'p', 's', { s2kparams: s2kparamsOf(0xffffffff) }, async () => {
        yields++;
      }),
    ).rejects.toBeInstanceOf(IterationCountError);
    expect(yields).toBe(0);
  });

  test('2^24 - 1 starts deriving (its progress reported), and a yielder that throws stops it', async () => {
    const seen: [number, number][] = [];
    const stop = new Error('stopped by the test');
    await expect(
      stringToKeyAsync(18, 'p', 'salt', { iterations: MAX_ITERATIONS }, async (done, total) => {
        seen.push([done, total]);
        if (seen.length === 3) throw stop;
      }),
    ).rejects.toBe(stop);
    // aes256 with SHA-1 takes two PBKDF2 blocks of 2^24 - 1 rounds each
    expect(seen.map(([, total]) => total)).toEqual([
      2 * MAX_ITERATIONS,
      2 * MAX_ITERATIONS,
      2 * MAX_ITERATIONS,
    ]);
    expect(seen[1]![0] - seen[0]![0]).toBe(seen[2]![0] - seen[1]![0]);
    expect(isStringToKeyRemembered(18, 'p', 'salt', { iterations: MAX_ITERATIONS })).toBe(false);
  });

  test('a host PBKDF2 is only called for a count that passed the check, and its output length is checked', async () => {
    let calls = 0;
    const host = async (_h: string, _p: Uint8Array, _s: Uint8Array, _c: number, dkLen: number) => {
      calls++;
      return new Uint8Array(dkLen === 32 ? 5 : dkLen);
    };
    await expect(
      stringToKeyAsync(18, 'p', 's', { iterations: 2 ** 24 }, undefined, host),
    ).rejects.toBeInstanceOf(IterationCountError);
    expect(calls).toBe(0);
    await expect(stringToKeyAsync(18, 'p', 's', {}, undefined, host)).rejects.toThrow(
      "the host's PBKDF2 gave 5 bytes, 32 were asked for",
    );
    expect(calls).toBe(1);
  });

  test('a count below 1 or not whole is still out of range', () => {
    expect(() => stringToKey(18, 'p', 's', { iterations: 0 })).toThrow(
      /iteration count 0 is out of range \(1 to 16777215\)/,
    );
    expect(() => stringToKey(18, 'p', 's', { iterations: 1.5 })).toThrow(/out of range/);
  });
});

describe('the string-to-key cache', () => {
  test('a key made by stringToKeyAsync is handed back by stringToKey, equal to one made anew', async () => {
    clearStringToKeyCache();
    expect(isStringToKeyRemembered(19, 'pw', 'EXAMPLE.TESTbob', { iterations: 5000 })).toBe(false);
    const made = await stringToKeyAsync(19, 'pw', 'EXAMPLE.TESTbob', { iterations: 5000 });
    // the same count written as s2kparams is the same key
    expect(isStringToKeyRemembered(19, 'pw', 'EXAMPLE.TESTbob', { s2kparams: s2kparamsOf(5000) })).toBe(true);
    expect(stringToKey(19, 'pw', 'EXAMPLE.TESTbob', { s2kparams: s2kparamsOf(5000) }).bytes).toEqual(
      made.bytes,
    );
    clearStringToKeyCache();
    expect(stringToKey(19, 'pw', 'EXAMPLE.TESTbob', { iterations: 5000 }).bytes).toEqual(made.bytes);
  });

  test('the password, salt, enctype and count all tell keys apart', () => {
    clearStringToKeyCache();
    const base = stringToKey(17, 'pw', 'salt', { iterations: 2 }).bytes;
    expect(stringToKey(17, 'pw2', 'salt', { iterations: 2 }).bytes).not.toEqual(base);
    expect(stringToKey(17, 'pw', 'salt2', { iterations: 2 }).bytes).not.toEqual(base);
    expect(stringToKey(17, 'pw', 'salt', { iterations: 3 }).bytes).not.toEqual(base);
    expect(stringToKey(18, 'pw', 'salt', { iterations: 2 }).bytes.length).toBe(32);
    expect(stringToKeyCacheSize().size).toBe(5);
  });

  test('a caller that changes the key it got does not change the remembered one', () => {
    clearStringToKeyCache();
    const a = stringToKey(17, 'pw', 'salt', { iterations: 2 });
    const copy = a.bytes.slice();
    a.bytes.fill(0);
    expect(stringToKey(17, 'pw', 'salt', { iterations: 2 }).bytes).toEqual(copy);
  });

  test('bounded: never more entries than its capacity', () => {
    clearStringToKeyCache();
    const { capacity } = stringToKeyCacheSize();
    for (let i = 0; i < capacity + 10; i++) stringToKey(23, `pw${i}`, '');
    expect(stringToKeyCacheSize().size).toBe(capacity);
  });
});
