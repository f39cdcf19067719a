// Properties that must hold for every enctype, over generated keys, usages and messages (fast-check).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  checksum,
  decrypt,
  encrypt,
  enctypeProfile,
  IntegrityError,
  rc4UsageOf,
  verifyChecksum,
} from '../../../src/crypto';
import { rc4HmacEncrypt } from '../../../src/crypto/rfc4757';

const ENCRYPTING = [17, 18, 19, 20, 23];

/** A key of the right length for the enctype, drawn by fast-check. */
const keyFor = (etype: number) =>
  fc.uint8Array({ minLength: enctypeProfile(etype)!.keyLength, maxLength: enctypeProfile(etype)!.keyLength });
const message = fc.uint8Array({ minLength: 0, maxLength: 1024 });
const usage = fc.integer({ min: 0, max: 1024 });
const confounderSource = (bytes: Uint8Array) => (n: number) => bytes.slice(0, n);
const confounder = fc.uint8Array({ minLength: 16, maxLength: 16 });

describe.each(ENCRYPTING)('enctype %i', (etype) => {
  test('decrypt(encrypt(m)) = m for every message length 0–1024', () => {
    fc.assert(
      fc.property(keyFor(etype), usage, message, confounder, (k, u, m, c) => {
        const key = { etype, bytes: k };
        expect(decrypt(key, u, encrypt(key, u, m, confounderSource(c)))).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  test('every length from 0 to 1024 bytes round-trips', () => {
    const key = { etype, bytes: new Uint8Array(enctypeProfile(etype)!.keyLength).fill(7) };
    for (let n = 0; n <= 1024; n++) {
      const m = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(
        decrypt(
          key,
          3,
          encrypt(key, 3, m, (k) => new Uint8Array(k).fill(n & 0xff)),
        ),
      ).toEqual(m);
    }
  });

  test('flipping any single byte of a ciphertext fails integrity with a typed error', () => {
    fc.assert(
      fc.property(
        keyFor(etype),
        usage,
        message,
        confounder,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (k, u, m, c, at, x) => {
          const key = { etype, bytes: k };
          const ct = encrypt(key, u, m, confounderSource(c));
          ct[at % ct.length]! ^= x;
          let thrown: unknown;
          try {
            decrypt(key, u, ct);
          } catch (e) {
            thrown = e;
          }
          expect(thrown).toBeInstanceOf(IntegrityError);
          expect((thrown as IntegrityError).etype).toBe(etype);
          expect((thrown as IntegrityError).usage).toBe(u);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a ciphertext does not open under another key usage', () => {
    fc.assert(
      fc.property(keyFor(etype), usage, usage, message, confounder, (k, u1, u2, m, c) => {
        // rc4-hmac folds some usages together (RFC 4757 §3: 3 and 9 are sent as 8, 23 as 13)
        fc.pre(etype === 23 ? rc4UsageOf(u1) !== rc4UsageOf(u2) : u1 !== u2);
        const key = { etype, bytes: k };
        expect(() => decrypt(key, u2, encrypt(key, u1, m, confounderSource(c)))).toThrow(IntegrityError);
      }),
      { numRuns: 100 },
    );
  });

  test('flipping any single byte of a checksum (or of the data) fails verification', () => {
    const cksumtype = enctypeProfile(etype)!.checksumType;
    fc.assert(
      fc.property(
        keyFor(etype),
        usage,
        message,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (k, u, m, at, x) => {
          const key = { etype, bytes: k };
          const sum = checksum(cksumtype, key, u, m);
          expect(verifyChecksum(cksumtype, key, u, m, sum)).toBe(true);
          const badSum = sum.slice();
          badSum[at % badSum.length]! ^= x;
          expect(verifyChecksum(cksumtype, key, u, m, badSum)).toBe(false);
          if (m.length > 0) {
            const badData = m.slice();
            badData[at % badData.length]! ^= x;
            expect(verifyChecksum(cksumtype, key, u, badData, sum)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('rc4-hmac-exp (24), decrypt-only in the public API', () => {
  test('decrypts what its RFC 4757 export construction makes, and detects any flipped byte', () => {
    fc.assert(
      fc.property(
        keyFor(24),
        usage,
        message,
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.nat(),
        (k, u, m, c, at) => {
          const ct = rc4HmacEncrypt(k, u, m, c, true);
          expect(decrypt({ etype: 24, bytes: k }, u, ct)).toEqual(m);
          ct[at % ct.length]! ^= 0x01;
          expect(() => decrypt({ etype: 24, bytes: k }, u, ct)).toThrow(IntegrityError);
        },
      ),
      { numRuns: 200 },
    );
  });
});
