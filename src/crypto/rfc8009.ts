/**
 * aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20): RFC 8009. Keys are derived with
 * the SP 800-108 counter-mode KDF over HMAC-SHA2, and the HMAC covers the ciphertext (encrypt-then-MAC),
 * unlike RFC 3962 which MACs the plaintext.
 */
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes, u32be, utf8, wipe } from '../util/bytes';
import { aesCtsDecrypt, aesCtsEncrypt } from './aes-cts';
import { cachedDerive } from './cache';
import { CryptoInputError, IntegrityError } from './errors';
import { KC, KE, KI, usageConstant, type EnctypeProfile } from './profile';
import { primitives, type HashName } from './primitives';
import { checkedTkey, pbkdf2Sliced } from './pbkdf2';
import { iterationCount } from './s2kparams';

const BLOCK = 16;
type Sha2 = typeof sha256 | typeof sha384;
const hashName = (hash: Sha2): HashName => (hash === sha256 ? 'SHA-256' : 'SHA-384');

/**
 * KDF-HMAC-SHA2(key, label, [context,] k) (RFC 8009 §3): the first k bits of
 * HMAC(key, 00000001 | label | 00 | context | k), k as a 4-byte big-endian bit count. k never exceeds the
 * hash length here, so one counter block is enough.
 */
export function kdfHmacSha2(
  hash: Sha2,
  key: Uint8Array,
  label: Uint8Array,
  bits: number,
  context?: Uint8Array,
) {
  const input = concatBytes(u32be(1), label, new Uint8Array([0]), context ?? new Uint8Array(0), u32be(bits));
  return primitives()
    .hmac(hashName(hash), key, input)
    .slice(0, bits / 8);
}

interface Sha2Params {
  etype: 19 | 20;
  name: string;
  hash: Sha2;
  keyLength: 16 | 32;
  /** Length of Kc and Ki, and of the truncated HMAC: 128 bits for 19, 192 for 20 (RFC 8009 §5). */
  macLength: 16 | 24;
  /** PRF output: 256 bits for 19, 384 for 20 (RFC 8009 §5). */
  prfLength: 32 | 48;
  checksumType: 19 | 20;
}

function aesSha2Profile(p: Sha2Params): EnctypeProfile {
  const { etype, hash, keyLength, macLength } = p;
  const name = hashName(hash);
  const derive = (key: Uint8Array, constant: Uint8Array, bits: number) =>
    cachedDerive(etype, key, constant, () => kdfHmacSha2(hash, key, constant, bits));
  const kc = (key: Uint8Array, usage: number) => derive(key, usageConstant(usage, KC), macLength * 8);
  const ke = (key: Uint8Array, usage: number) => derive(key, usageConstant(usage, KE), keyLength * 8);
  const ki = (key: Uint8Array, usage: number) => derive(key, usageConstant(usage, KI), macLength * 8);
  const checkKey = (key: Uint8Array) => {
    if (key.length !== keyLength) {
      throw new CryptoInputError(
        `a key for enctype ${etype} is ${keyLength} bytes, this one is ${key.length}`,
      );
    }
  };
  // RFC 8009 §4: saltp = enctype-name | 0x00 | salt, so the same password and salt give unrelated keys
  // for 19 and 20.
  const saltp = (salt: Uint8Array) => concatBytes(utf8(p.name), new Uint8Array([0]), salt);
  const fromTkey = (tkey: Uint8Array) => {
    const key = kdfHmacSha2(hash, tkey, utf8('kerberos'), keyLength * 8);
    wipe(tkey);
    return key;
  };
  const iv0 = new Uint8Array(BLOCK);

  return {
    etype,
    keyLength,
    seedLength: keyLength,
    checksumType: p.checksumType,
    prfLength: p.prfLength,
    confounderLength: BLOCK,

    stringToKey(password, salt, params) {
      const c = iterationCount(etype, params, 32768);
      return fromTkey(pbkdf2(hash, utf8(password), saltp(salt), { c, dkLen: keyLength }));
    },
    async stringToKeyAsync(password, salt, params, yieldNow, host) {
      const c = iterationCount(etype, params, 32768);
      const tkey = host
        ? await host(hash === sha256 ? 'SHA-256' : 'SHA-384', utf8(password), saltp(salt), c, keyLength)
        : await pbkdf2Sliced(hash, utf8(password), saltp(salt), c, keyLength, yieldNow);
      return fromTkey(checkedTkey(tkey, keyLength));
    },
    randomToKey(seed) {
      if (seed.length !== keyLength)
        throw new CryptoInputError(`random-to-key for enctype ${etype} needs ${keyLength} bytes`);
      return seed.slice();
    },

    // RFC 8009 §5: C = CTS(Ke, iv=0, confounder | plaintext); H = HMAC(Ki, iv | C) truncated
    encrypt(key, usage, plaintext, confounder) {
      checkKey(key);
      const data = concatBytes(confounder, plaintext);
      const c = aesCtsEncrypt(ke(key, usage), iv0, data).ciphertext;
      wipe(data);
      const h = primitives().hmac(name, ki(key, usage), concatBytes(iv0, c)).subarray(0, macLength);
      return concatBytes(c, h);
    },
    decrypt(key, usage, ciphertext) {
      checkKey(key);
      if (ciphertext.length < BLOCK + macLength) {
        throw new CryptoInputError(
          `ciphertext too short for enctype ${etype}: ${ciphertext.length} bytes, at least ${BLOCK + macLength} needed`,
        );
      }
      const c = ciphertext.subarray(0, ciphertext.length - macLength);
      const h = ciphertext.subarray(ciphertext.length - macLength);
      // encrypt-then-MAC: check before decrypting anything
      if (
        !equalBytes(primitives().hmac(name, ki(key, usage), concatBytes(iv0, c)).subarray(0, macLength), h)
      ) {
        throw new IntegrityError(etype, usage);
      }
      return aesCtsDecrypt(ke(key, usage), iv0, c).slice(BLOCK);
    },

    checksum(key, usage, data) {
      checkKey(key);
      return primitives().hmac(name, kc(key, usage), data).slice(0, macLength);
    },

    // RFC 8009 §5: PRF = KDF-HMAC-SHA2(base-key, "prf", octet-string, 256 or 384)
    prf(key, input) {
      checkKey(key);
      return kdfHmacSha2(hash, key, utf8('prf'), p.prfLength * 8, input);
    },
  };
}

export const aes128CtsHmacSha256128 = aesSha2Profile({
  etype: 19,
  name: 'aes128-cts-hmac-sha256-128',
  hash: sha256,
  keyLength: 16,
  macLength: 16,
  prfLength: 32,
  checksumType: 19,
});

export const aes256CtsHmacSha384192 = aesSha2Profile({
  etype: 20,
  name: 'aes256-cts-hmac-sha384-192',
  hash: sha384,
  keyLength: 32,
  macLength: 24,
  prfLength: 48,
  checksumType: 20,
});
