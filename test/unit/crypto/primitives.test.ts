// The primitives behind the enctypes: OpenSSL's (src/node/crypto.ts, what `krbplay` runs) give exactly
// @noble's bytes (what the browser runs), primitive by primitive and through every AES enctype; and the
// HMAC key states the JavaScript primitives remember are bounded and never answer for another key.
import fc from 'fast-check';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, test } from 'vitest';
import {
  checksum,
  checksumTypeForEnctype,
  clearHmacStates,
  decrypt,
  encrypt,
  hmacStateCacheSize,
  noblePrimitives,
  prf,
  primitives,
  useCryptoPrimitives,
  type HashName,
} from '../../../src/crypto';
import { nodeCryptoPrimitives, useNodeCrypto } from '../../../src/node';
import { keptCipherCount, keptCipherIds } from '../../../src/node/crypto';

const node = nodeCryptoPrimitives;
const noble = noblePrimitives;
const aesKey = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
);
const iv = fc.uint8Array({ minLength: 16, maxLength: 16 });
const blocks = fc
  .integer({ min: 1, max: 80 })
  .chain((n) => fc.uint8Array({ minLength: 16 * n, maxLength: 16 * n }));
const hashName = fc.constantFrom<HashName>('SHA-1', 'SHA-256', 'SHA-384');
const NOBLE_HASH = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384 };

afterEach(() => useCryptoPrimitives());

describe('node:crypto gives the bytes @noble gives', () => {
  test('AES-CBC encrypt and decrypt, 128- and 256-bit keys, 1 to 80 blocks', () => {
    fc.assert(
      fc.property(aesKey, iv, blocks, (k, v, data) => {
        const c = node.aesCbcEncrypt(k, v, data);
        expect(c).toEqual(noble.aesCbcEncrypt(k, v, data));
        expect(node.aesCbcDecrypt(k, v, c)).toEqual(data);
        expect(noble.aesCbcDecrypt(k, v, c)).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });

  test('AES-ECB decrypt', () => {
    fc.assert(
      fc.property(aesKey, blocks, (k, data) => {
        expect(node.aesEcbDecrypt(k, data)).toEqual(noble.aesEcbDecrypt(k, data));
      }),
      { numRuns: 200 },
    );
  });

  test('HMAC and hash with SHA-1, SHA-256 and SHA-384, keys of 0 to 200 bytes', () => {
    fc.assert(
      fc.property(
        hashName,
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 2048 }),
        (h, k, data) => {
          expect(node.hmac(h, k, data)).toEqual(noble.hmac(h, k, data));
          expect(node.hmac(h, k, data)).toEqual(hmac(NOBLE_HASH[h], k, data));
          expect(node.hash(h, data)).toEqual(noble.hash(h, data));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a key of a length AES does not have is refused', () => {
    expect(() => node.aesCbcEncrypt(new Uint8Array(15), new Uint8Array(16), new Uint8Array(16))).toThrow(
      RangeError,
    );
  });

  test.each([17, 18, 19, 20])(
    'enctype %i: encrypt, decrypt, checksum and PRF are the same with either',
    (etype) => {
      const keyLength = etype === 17 || etype === 19 ? 16 : 32;
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: keyLength, maxLength: keyLength }),
          fc.integer({ min: 0, max: 1024 }),
          fc.uint8Array({ maxLength: 1500 }),
          fc.uint8Array({ minLength: 16, maxLength: 16 }),
          (bytes, usage, m, conf) => {
            const key = { etype, bytes };
            const random = (n: number) => conf.slice(0, n);
            useCryptoPrimitives();
            const byNoble = [
              encrypt(key, usage, m, random),
              checksum(checksumTypeForEnctype(etype), key, usage, m),
              prf(key, m),
            ];
            useNodeCrypto();
            expect(primitives()).toBe(node);
            const byNode = [
              encrypt(key, usage, m, random),
              checksum(checksumTypeForEnctype(etype), key, usage, m),
              prf(key, m),
            ];
            expect(byNode).toEqual(byNoble);
            expect(decrypt(key, usage, byNoble[0]!)).toEqual(m);
            useCryptoPrimitives();
            expect(decrypt(key, usage, byNode[0]!)).toEqual(m);
          },
        ),
        { numRuns: 100 },
      );
    },
  );
});

describe("@noble's HMAC key states", () => {
  test('are bounded however many keys pass, and each MAC is the one a fresh HMAC gives', () => {
    clearHmacStates();
    const data = new Uint8Array(100).fill(3);
    for (let i = 0; i < 1000; i++) {
      const key = new Uint8Array(32).fill(i & 0xff);
      key[0] = i >> 8;
      expect(noble.hmac('SHA-1', key, data)).toEqual(hmac(sha1, key, data));
      expect(hmacStateCacheSize().size).toBeLessThanOrEqual(hmacStateCacheSize().capacity);
    }
    expect(hmacStateCacheSize().size).toBe(hmacStateCacheSize().capacity);
  });

  test('a key changed by one bit, or another hash, never gets the remembered state', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 48 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 300 }),
        (k, bit, data) => {
          const first = noble.hmac('SHA-256', k, data);
          const changed = k.slice();
          changed[(bit >> 3) % k.length]! ^= 1 << (bit & 7);
          expect(noble.hmac('SHA-256', changed, data)).toEqual(hmac(sha256, changed, data));
          expect(noble.hmac('SHA-384', k, data)).toEqual(hmac(sha384, k, data));
          expect(noble.hmac('SHA-256', k, data)).toEqual(first);
          expect(first).toEqual(hmac(sha256, k, data));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the same state serves many messages without one MAC changing the next', () => {
    const key = new Uint8Array(16).fill(9);
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array(5000).fill(4);
    const macA = noble.hmac('SHA-1', key, a);
    noble.hmac('SHA-1', key, b);
    expect(noble.hmac('SHA-1', key, a)).toEqual(macA);
    expect(noble.hmac('SHA-1', key, b)).toEqual(hmac(sha1, key, b));
  });
});

describe("node:crypto's kept ciphers", () => {
  type Op = { kind: 'enc' | 'dec' | 'ecb'; key: number; iv: Uint8Array; data: Uint8Array };
  const keys = [new Uint8Array(16).fill(1), new Uint8Array(32).fill(2), new Uint8Array(32).fill(3)];
  const op: fc.Arbitrary<Op> = fc.record({
    kind: fc.constantFrom<Op['kind']>('enc', 'dec', 'ecb'),
    key: fc.integer({ min: 0, max: keys.length - 1 }),
    iv,
    data: fc.oneof(blocks, fc.constant(new Uint8Array(0))),
  });
  const run = (p: typeof node, o: Op) => {
    const k = keys[o.key]!;
    if (o.kind === 'enc') return p.aesCbcEncrypt(k, o.iv, o.data);
    if (o.kind === 'dec') return p.aesCbcDecrypt(k, o.iv, o.data);
    return p.aesEcbDecrypt(k, o.data);
  };

  test('one cipher serves message after message, IV after IV, each answer the one a fresh cipher gives', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        for (const o of ops) expect(run(node, o)).toEqual(run(noble, o));
      }),
      { numRuns: 200 },
    );
  });

  test('a key changed by one bit never gets the kept cipher', () => {
    fc.assert(
      fc.property(aesKey, fc.nat(), iv, blocks, (k, bit, v, data) => {
        const first = node.aesCbcEncrypt(k, v, data);
        const changed = k.slice();
        changed[(bit >> 3) % k.length]! ^= 1 << (bit & 7);
        const other = node.aesCbcEncrypt(changed, v, data);
        expect(other).toEqual(noble.aesCbcEncrypt(changed, v, data));
        expect(other).not.toEqual(first);
        expect(node.aesCbcDecrypt(changed, v, first)).toEqual(noble.aesCbcDecrypt(changed, v, first));
        expect(node.aesEcbDecrypt(changed, data)).toEqual(noble.aesEcbDecrypt(changed, data));
        expect(node.aesCbcDecrypt(k, v, first)).toEqual(data);
      }),
      { numRuns: 200 },
    );
  });

  test('are bounded however many keys pass', () => {
    const data = new Uint8Array(48).fill(5);
    const v = new Uint8Array(16).fill(6);
    for (let i = 0; i < 1000; i++) {
      const key = new Uint8Array(16).fill(i & 0xff);
      key[0] = i >> 8;
      expect(node.aesCbcEncrypt(key, v, data)).toEqual(noble.aesCbcEncrypt(key, v, data));
      expect(keptCipherCount().size).toBeLessThanOrEqual(keptCipherCount().capacity);
    }
    expect(keptCipherCount().size).toBe(keptCipherCount().capacity);
  });

  test('are found by a digest of the key: no name holds the key, spelled as characters, hex or base64', () => {
    fc.assert(
      fc.property(aesKey, iv, blocks, (k, v, data) => {
        expect(node.aesCbcEncrypt(k, v, data)).toEqual(noble.aesCbcEncrypt(k, v, data));
        expect(node.aesEcbDecrypt(k, data)).toEqual(noble.aesEcbDecrypt(k, data));
        const spelled = [
          String.fromCharCode(...k),
          Buffer.from(k).toString('hex'),
          Buffer.from(k).toString('base64'),
          Buffer.from(k).toString('utf8'),
        ];
        const names = keptCipherIds().slice(-2);
        expect(names).toHaveLength(2);
        for (const name of names) for (const s of spelled) expect(name.includes(s)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  test('a part block or an IV of another length is refused, and the kept cipher stays right', () => {
    const k = keys[0]!;
    const v = new Uint8Array(16).fill(7);
    const data = new Uint8Array(32).fill(8);
    const want = noble.aesCbcEncrypt(k, v, data);
    expect(node.aesCbcEncrypt(k, v, data)).toEqual(want);
    expect(() => node.aesCbcEncrypt(k, v, new Uint8Array(17))).toThrowError(
      'AES-CBC takes whole 16-byte blocks, not 17 bytes',
    );
    expect(() => node.aesCbcDecrypt(k, v, new Uint8Array(15))).toThrowError(RangeError);
    expect(() => node.aesEcbDecrypt(k, new Uint8Array(1))).toThrowError(
      'AES-ECB takes whole 16-byte blocks, not 1 bytes',
    );
    expect(() => node.aesCbcEncrypt(k, new Uint8Array(8), data)).toThrowError(
      'an AES-CBC IV is 16 bytes, not 8',
    );
    expect(node.aesCbcEncrypt(k, v, data)).toEqual(want);
    expect(node.aesCbcDecrypt(k, v, want)).toEqual(data);
  });
});
