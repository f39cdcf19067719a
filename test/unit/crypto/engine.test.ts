// The engine's behaviour beyond the RFC vectors: KRB-FX-CF2, registries and lookups, typed errors a
// learner can read, the bounded derived-key cache, and a string-to-key that does not freeze the page.
import { describe, expect, test } from 'vitest';
import {
  assertChecksum,
  cf2,
  CHECKSUM_TYPES,
  checksum,
  clearDerivedKeyCache,
  clearStringToKeyCache,
  CryptoInputError,
  decrypt,
  derivedKeyCacheStats,
  describeKeyUsage,
  encrypt,
  ENCTYPES,
  ENCTYPE_NAMES,
  enctypeProfile,
  findChecksumType,
  findEnctype,
  findKeyUsage,
  IntegrityError,
  KEY_USAGES,
  KeyUsage,
  PBKDF2_SLICE,
  principalSalt,
  prf,
  prfPlus,
  randomKey,
  stringToKey,
  stringToKeyAsync,
  UnsupportedEnctypeError,
} from '../../../src/crypto';
import { KrbPlayError } from '../../../src/util/errors';
import { toHex, utf8 } from '../../../src/util/bytes';

/** A deterministic random source for tests: a counter, never Math.random. */
function counterRandom(seed = 1) {
  let n = seed;
  return (len: number) => Uint8Array.from({ length: len }, () => n++ & 0xff);
}

describe('KRB-FX-CF2 (RFC 6113 §5.1) against MIT t_cf2: keys from string-to-key(p, salt = p), peppers "a" and "b"', () => {
  test.each([
    [17, '97df97e4b798b29eb31ed7280287a92a'],
    [18, '4d6ca4e629785c1f01baf55e2e548566b9617ae3a96868c337cb93b5e72b1c7b'],
    [19, 'edd02a39d2dbde31611c16e610be062c'],
    [20, '67f6ea530aea85a37dcbb23349ea52dcc61ca8493ff557252327fd8304341584'],
  ])('enctype %i', (etype, expected) => {
    const k1 = stringToKey(etype, 'key1', 'key1');
    const k2 = stringToKey(etype, 'key2', 'key2');
    const out = cf2(k1, k2, 'a', 'b');
    expect(out.etype).toBe(etype);
    expect(toHex(out.bytes)).toBe(expected);
  });

  test('PRF+ blocks are PRF(key, counter | input), the counter starting at 1', () => {
    const key = stringToKey(20, 'k', 'k', { iterations: 1 });
    const out = prfPlus(key, utf8('input'), 48 * 2 + 5);
    expect(out.length).toBe(101);
    expect(out.subarray(0, 48)).toEqual(prf(key, utf8('\x01input')));
    expect(out.subarray(48, 96)).toEqual(prf(key, utf8('\x02input')));
  });

  test('with two enctypes, each key runs its own PRF and the result has the first key’s enctype', () => {
    const k1 = stringToKey(20, 'a', 'a', { iterations: 1 });
    const k18 = stringToKey(18, 'b', 'b', { iterations: 1 });
    const out = cf2(k1, k18, 'x', 'y');
    expect(out.etype).toBe(20);
    expect(out.bytes.length).toBe(32);
    // rc4 keys (HMAC-SHA1 PRF) combine too
    const rc = cf2(stringToKey(23, 'p', ''), stringToKey(23, 'q', ''), 'x', 'y');
    expect(rc.bytes.length).toBe(16);
  });
});

describe('the enctype registry', () => {
  test('finds enctypes by number, by MIT name and by alias, case-insensitively', () => {
    expect(findEnctype(18)?.name).toBe('aes256-cts-hmac-sha1-96');
    expect(findEnctype('18')?.etype).toBe(18);
    expect(findEnctype('aes256-cts')?.etype).toBe(18);
    expect(findEnctype('AES128-CTS-HMAC-SHA256-128')?.etype).toBe(19);
    expect(findEnctype('arcfour-hmac')?.etype).toBe(23);
    expect(findEnctype('rc4-hmac')?.etype).toBe(23);
    expect(findEnctype('des-cbc-md5')?.implemented).toBe(false);
    expect(findEnctype('no-such-enctype')).toBeUndefined();
    expect(findEnctype(99)).toBeUndefined();
  });

  test('marks what is weak, deprecated, decrypt-only, and implements exactly 17, 18, 19, 20, 23, 24', () => {
    const implemented = ENCTYPES.filter((e) => e.implemented).map((e) => e.etype);
    expect(implemented).toEqual([17, 18, 19, 20, 23, 24]);
    for (const e of implemented) expect(enctypeProfile(e)).toBeDefined();
    expect(findEnctype(23)).toMatchObject({ deprecated: true, weak: false, decryptOnly: false });
    expect(findEnctype(24)).toMatchObject({ weak: true, decryptOnly: true });
    expect(findEnctype(1)).toMatchObject({ weak: true });
    expect(findEnctype(18)).toMatchObject({ weak: false, deprecated: false, defaultIterations: 4096 });
    expect(findEnctype(20)?.defaultIterations).toBe(32768);
    for (const e of ENCTYPES) expect(ENCTYPE_NAMES[e.etype]).toBe(e.name);
    const names = ENCTYPES.flatMap((e) => [e.name, ...e.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  test('the checksum registry knows every type the engine makes, with its length', () => {
    for (const e of [17, 18, 19, 20, 23]) {
      const p = enctypeProfile(e)!;
      const info = findChecksumType(p.checksumType)!;
      expect(info.implemented).toBe(true);
      const sum = checksum(p.checksumType, randomKey(e, counterRandom()), 17, utf8('data'));
      expect(sum.length).toBe(info.length);
    }
    expect(new Set(CHECKSUM_TYPES.map((c) => c.cksumtype)).size).toBe(CHECKSUM_TYPES.length);
  });
});

describe('key usages', () => {
  test('carry the RFC 4120 §7.5.1 meanings and constants', () => {
    expect(KeyUsage.AS_REP_ENCPART).toBe(3);
    expect(KeyUsage.TGS_REQ_AUTH_CKSUM).toBe(6);
    expect(KeyUsage.AP_REQ_AUTH).toBe(11);
    expect(KeyUsage.FAST_ENC).toBe(51);
    expect(findKeyUsage(2)?.description).toMatch(/Ticket/);
    expect(describeKeyUsage(3)).toBe('3 (AS-REP encrypted part)');
    expect(describeKeyUsage(999)).toBe('999');
    for (const [name, n] of Object.entries(KeyUsage)) expect(findKeyUsage(n)?.name).toBe(name);
    expect(new Set(KEY_USAGES.map((u) => u.usage)).size).toBe(KEY_USAGES.length);
  });
});

describe('typed errors a learner can read', () => {
  const key = randomKey(18, counterRandom());

  test('a wrong key names the enctype, the key usage and KRB_AP_ERR_BAD_INTEGRITY', () => {
    const ct = encrypt(key, 3, utf8('secret'), counterRandom(7));
    const other = randomKey(18, counterRandom(99));
    let e: unknown;
    try {
      decrypt(other, 3, ct);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(IntegrityError);
    expect(e).toBeInstanceOf(KrbPlayError);
    expect((e as IntegrityError).krbErrorCode).toBe(31);
    expect((e as Error).message).toBe(
      'integrity check failed on a ciphertext (aes256-cts-hmac-sha1-96 (18), key usage 3 (AS-REP encrypted part)): ' +
        'the key is wrong, the key usage is wrong, or the bytes were changed (KRB_AP_ERR_BAD_INTEGRITY, 31)',
    );
  });

  test('a bad checksum throws from assertChecksum', () => {
    const sum = checksum(16, key, 17, utf8('pac'));
    expect(() => assertChecksum(16, key, 17, utf8('pac'), sum)).not.toThrow();
    expect(() => assertChecksum(16, key, 17, utf8('pax'), sum)).toThrow(
      /integrity check failed on a checksum/,
    );
  });

  test('unknown and unimplemented enctypes give KDC_ERR_ETYPE_NOSUPP', () => {
    expect(() => stringToKey(99, 'p', 's')).toThrow(UnsupportedEnctypeError);
    expect(() => stringToKey(99, 'p', 's')).toThrow('enctype 99 is unknown (KDC_ERR_ETYPE_NOSUPP, 14)');
    expect(() => stringToKey(16, 'p', 's')).toThrow(/des3-cbc-sha1 \(16\) is not implemented/);
    expect(() => checksum(7, key, 1, utf8('x'))).toThrow(
      'checksum type rsa-md5 (7) is not implemented by the playground (KDC_ERR_ETYPE_NOSUPP, 14)',
    );
    expect(() => checksum(4242, key, 1, utf8('x'))).toThrow('checksum type 4242 is unknown');
  });

  test('wrong key sizes, short ciphertexts, bad s2kparams and mismatched checksum keys are CryptoInputError', () => {
    expect(() => decrypt({ etype: 18, bytes: new Uint8Array(16) }, 1, new Uint8Array(40))).toThrow(
      'a key for enctype 18 is 32 bytes, this one is 16',
    );
    expect(() => decrypt(key, 1, new Uint8Array(20))).toThrow(CryptoInputError);
    expect(() => decrypt({ etype: 23, bytes: new Uint8Array(16) }, 1, new Uint8Array(10))).toThrow(
      /too short/,
    );
    expect(() => stringToKey(18, 'p', 's', { s2kparams: new Uint8Array(3) })).toThrow(/must be 4 bytes/);
    expect(() => stringToKey(18, 'p', 's', { iterations: 0 })).toThrow(/out of range/);
    expect(() => stringToKey(18, 'p', 's', { s2kparams: new Uint8Array([0xff, 0xff, 0xff, 0xff]) })).toThrow(
      /4294967295 PBKDF2 iterations .* are too many/,
    );
    expect(() => checksum(15, key, 1, utf8('x'))).toThrow(/takes a key of enctype 17, not 18/);
  });

  test('the random source must give the bytes asked for', () => {
    expect(() => encrypt(key, 1, utf8('x'), () => new Uint8Array(3))).toThrow(
      /gave 3 bytes, 16 were asked for/,
    );
  });
});

describe('the derived-key cache', () => {
  test('reuses derived keys for the same (key, usage) and never grows past its capacity', () => {
    clearDerivedKeyCache();
    const key = randomKey(17, counterRandom());
    const random = counterRandom();
    encrypt(key, 7, utf8('a'), random);
    const afterFirst = derivedKeyCacheStats();
    encrypt(key, 7, utf8('b'), random);
    const afterSecond = derivedKeyCacheStats();
    expect(afterSecond.misses).toBe(afterFirst.misses);
    expect(afterSecond.hits).toBeGreaterThan(afterFirst.hits);

    for (let usage = 0; usage < afterSecond.capacity; usage++) encrypt(key, usage, utf8('x'), random);
    expect(derivedKeyCacheStats().size).toBe(afterSecond.capacity);
    // evicted entries are recomputed correctly
    const ct = encrypt(key, 7, utf8('again'), random);
    expect(decrypt(key, 7, ct)).toEqual(utf8('again'));
  });

  test('a key that differs in one byte, or another enctype of the same bytes, gets its own derived keys', () => {
    const random = counterRandom();
    for (const etype of [17, 18, 19, 20]) {
      const base = randomKey(etype, random);
      for (let i = 0; i < base.bytes.length; i += 5) {
        const changed = { etype, bytes: base.bytes.slice() };
        changed.bytes[i]! ^= 0x3a; // ':' among the bytes must not shift the key into the constant
        const ct = encrypt(base, 3, utf8('secret'), random);
        expect(decrypt(base, 3, ct)).toEqual(utf8('secret'));
        expect(() => decrypt(changed, 3, ct)).toThrow(IntegrityError);
        clearDerivedKeyCache();
        expect(() => decrypt(changed, 3, ct)).toThrow(IntegrityError);
      }
    }
    const k16 = randomKey(17, random);
    const ct17 = encrypt(k16, 5, utf8('a message longer than one block'), random);
    expect(() => decrypt({ etype: 19, bytes: k16.bytes }, 5, ct17)).toThrow(IntegrityError);
  });
});

describe('string-to-key', () => {
  test('salts with the realm and then the name components (RFC 4120 §4)', () => {
    expect(principalSalt('EXAMPLE.ORG', ['HTTP', 'www.example.org'])).toBe('EXAMPLE.ORGHTTPwww.example.org');
  });

  test('the async variant gives the same key while yielding to the event loop', async () => {
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setTimeout(tick, 0);
    };
    const expected = stringToKey(20, 'password', 'EXAMPLE.TESTalice').bytes;
    setTimeout(tick, 0);
    const k = await stringToKeyAsync(20, 'password', 'EXAMPLE.TESTalice');
    running = false;
    expect(k.bytes).toEqual(expected);
    // the page got control back (timers ran) while the 32768 iterations were computed
    expect(ticks).toBeGreaterThan(2);
  });

  test('gives the event loop a turn every PBKDF2_SLICE iterations, through the yielder handed in', async () => {
    let yields = 0;
    const k = await stringToKeyAsync(20, 'password', 'salt', {}, async () => {
      yields++;
    });
    clearStringToKeyCache(); // the key made anew, not the one the async run remembered
    expect(k.bytes).toEqual(stringToKey(20, 'password', 'salt').bytes);
    // one PBKDF2 block of SHA-384 covers the 32-byte key: 32767 further rounds
    expect(yields).toBe(Math.floor(32767 / PBKDF2_SLICE));
  });
});
