/**
 * aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18): RFC 3962, on the simplified profile of
 * RFC 3961 §5.3.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { concatBytes, equalBytes, utf8, wipe } from '../util/bytes';
import { aesCtsDecrypt, aesCtsEncrypt, aesEncryptBlocks } from './aes-cts';
import { cachedDerive } from './cache';
import { CryptoInputError, IntegrityError } from './errors';
import { nfold } from './nfold';
import { KC, KE, KI, usageConstant, type EnctypeProfile } from './profile';
import { primitives } from './primitives';
import { checkedTkey, pbkdf2Sliced } from './pbkdf2';
import { iterationCount } from './s2kparams';

const BLOCK = 16;
const MAC_LENGTH = 12; // HMAC-SHA1 truncated to 96 bits (RFC 3962 §6)
const KERBEROS = utf8('kerberos');
const PRF_LABEL = utf8('prf');

/**
 * DR(Key, Constant) (RFC 3961 §5.1): encrypt n-fold(constant) with the key, then keep encrypting the
 * previous block, concatenating until there are enough bytes for a key.
 */
export function deriveRandomAes(key: Uint8Array, constant: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(length / BLOCK) * BLOCK);
  let block = constant.length === BLOCK ? constant : nfold(constant, BLOCK * 8);
  for (let off = 0; off < length; off += BLOCK) {
    block = aesEncryptBlocks(key, block);
    out.set(block, off);
  }
  return out.slice(0, length);
}

function aesSha1Profile(etype: 17 | 18, keyLength: 16 | 32, checksumType: 15 | 16): EnctypeProfile {
  // DK(key, constant) = random-to-key(DR(key, constant)); random-to-key is the identity for AES.
  const dk = (key: Uint8Array, constant: Uint8Array) =>
    cachedDerive(etype, key, constant, () => deriveRandomAes(key, constant, keyLength));

  const checkKey = (key: Uint8Array) => {
    if (key.length !== keyLength) {
      throw new CryptoInputError(
        `a key for enctype ${etype} is ${keyLength} bytes, this one is ${key.length}`,
      );
    }
  };

  const fromTkey = (tkey: Uint8Array) => {
    const key = deriveRandomAes(tkey, KERBEROS, keyLength);
    wipe(tkey);
    return key;
  };

  return {
    etype,
    keyLength,
    seedLength: keyLength,
    checksumType,
    prfLength: BLOCK,
    confounderLength: BLOCK,

    // RFC 3962 §4: tkey = random-to-key(PBKDF2(passphrase, salt, iter_count, keylength)); key = DK(tkey, "kerberos")
    stringToKey(password, salt, params) {
      const c = iterationCount(etype, params, 4096);
      return fromTkey(pbkdf2(sha1, utf8(password), salt, { c, dkLen: keyLength }));
    },
    async stringToKeyAsync(password, salt, params, yieldNow, host) {
      const c = iterationCount(etype, params, 4096);
      const tkey = host
        ? await host('SHA-1', utf8(password), salt, c, keyLength)
        : await pbkdf2Sliced(sha1, utf8(password), salt, c, keyLength, yieldNow);
      return fromTkey(checkedTkey(tkey, keyLength));
    },
    randomToKey(seed) {
      if (seed.length !== keyLength)
        throw new CryptoInputError(`random-to-key for enctype ${etype} needs ${keyLength} bytes`);
      return seed.slice();
    },

    // RFC 3961 §5.3: C = E(Ke, confounder | plaintext), H = HMAC(Ki, confounder | plaintext) truncated
    encrypt(key, usage, plaintext, confounder) {
      checkKey(key);
      const ke = dk(key, usageConstant(usage, KE));
      const ki = dk(key, usageConstant(usage, KI));
      const data = concatBytes(confounder, plaintext);
      const c = aesCtsEncrypt(ke, new Uint8Array(BLOCK), data).ciphertext;
      const h = primitives().hmac('SHA-1', ki, data).subarray(0, MAC_LENGTH);
      wipe(data);
      return concatBytes(c, h);
    },
    decrypt(key, usage, ciphertext) {
      checkKey(key);
      if (ciphertext.length < BLOCK + MAC_LENGTH) {
        throw new CryptoInputError(
          `ciphertext too short for enctype ${etype}: ${ciphertext.length} bytes, at least ${BLOCK + MAC_LENGTH} needed`,
        );
      }
      const ke = dk(key, usageConstant(usage, KE));
      const ki = dk(key, usageConstant(usage, KI));
      const c = ciphertext.subarray(0, ciphertext.length - MAC_LENGTH);
      const h = ciphertext.subarray(ciphertext.length - MAC_LENGTH);
      const data = aesCtsDecrypt(ke, new Uint8Array(BLOCK), c);
      if (!equalBytes(primitives().hmac('SHA-1', ki, data).subarray(0, MAC_LENGTH), h)) {
        wipe(data);
        throw new IntegrityError(etype, usage);
      }
      return data.slice(BLOCK);
    },

    // RFC 3962 §6: hmac-sha1-96-aes128/256, HMAC-SHA1 with Kc truncated to 96 bits
    checksum(key, usage, data) {
      checkKey(key);
      return primitives()
        .hmac('SHA-1', dk(key, usageConstant(usage, KC)), data)
        .slice(0, MAC_LENGTH);
    },

    // RFC 3962 §7: PRF = E(DK(key, "prf"), truncate(SHA1(input)) to a multiple of the block size)
    prf(key, input) {
      checkKey(key);
      const tmp = primitives().hash('SHA-1', input).subarray(0, BLOCK);
      return aesEncryptBlocks(dk(key, PRF_LABEL), tmp);
    },
  };
}

export const aes128CtsHmacSha196 = aesSha1Profile(17, 16, 15);
export const aes256CtsHmacSha196 = aesSha1Profile(18, 32, 16);
