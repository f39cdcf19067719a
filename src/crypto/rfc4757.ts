/**
 * rc4-hmac (23) and rc4-hmac-exp (24): RFC 4757, the Windows 2000 enctypes. The key is the NT hash, so
 * anyone holding a user's NT hash holds their Kerberos key: one reason Microsoft is retiring RC4.
 * rc4-hmac-exp is the 40-bit export variant; the playground decrypts it but never makes it.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { concatBytes, equalBytes, u32le, utf16le, utf8, wipe } from '../util/bytes';
import { CryptoInputError, IntegrityError, UnsupportedEnctypeError } from './errors';
import { rc4UsageOf } from './keyusage';
import { md4 } from './md4';
import type { EnctypeProfile } from './profile';
import { rc4 } from './rc4';

const KEY_LENGTH = 16;
const CONFOUNDER_LENGTH = 8;
const CHECKSUM_LENGTH = 16;
const FORTYBITS = utf8('fortybits\0');
const SIGNATUREKEY = utf8('signaturekey\0');

/** RFC 4757 §3: the key is MD4 of the password in UTF-16LE; there is no salt and no iteration count. */
export function ntHash(password: string): Uint8Array {
  return md4(utf16le(password));
}

/**
 * The two keys of RFC 4757 §4: K1 seals the checksum, K2 (= K1 before the export weakening) makes it.
 * For the export variant, K1 comes from "fortybits" and all but its first 7 bytes are set to 0xAB,
 * leaving 40 secret bits (RFC 4757 §4, "if (export) memset(K1+7, 0xAB, 9)").
 */
function usageKeys(key: Uint8Array, usage: number, exportable: boolean): { k1: Uint8Array; k2: Uint8Array } {
  const t = u32le(rc4UsageOf(usage));
  const k2 = hmac(md5, key, exportable ? concatBytes(FORTYBITS, t) : t);
  const k1 = k2.slice();
  if (exportable) k1.fill(0xab, 7);
  return { k1, k2 };
}

/** RFC 4757 §4 encryption: checksum = HMAC(K2, confounder|data); K3 = HMAC(K1, checksum); RC4 under K3. */
export function rc4HmacEncrypt(
  key: Uint8Array,
  usage: number,
  plaintext: Uint8Array,
  confounder: Uint8Array,
  exportable: boolean,
): Uint8Array {
  const { k1, k2 } = usageKeys(key, usage, exportable);
  const data = concatBytes(confounder, plaintext);
  const cksum = hmac(md5, k2, data);
  const k3 = hmac(md5, k1, cksum);
  const out = concatBytes(cksum, rc4(k3, data));
  wipe(k1, k2, k3, data);
  return out;
}

function rc4HmacDecrypt(
  key: Uint8Array,
  usage: number,
  ciphertext: Uint8Array,
  exportable: boolean,
): Uint8Array {
  const etype = exportable ? 24 : 23;
  if (ciphertext.length < CHECKSUM_LENGTH + CONFOUNDER_LENGTH) {
    throw new CryptoInputError(
      `ciphertext too short for enctype ${etype}: ${ciphertext.length} bytes, at least ${CHECKSUM_LENGTH + CONFOUNDER_LENGTH} needed`,
    );
  }
  const { k1, k2 } = usageKeys(key, usage, exportable);
  const cksum = ciphertext.subarray(0, CHECKSUM_LENGTH);
  const k3 = hmac(md5, k1, cksum);
  const data = rc4(k3, ciphertext.subarray(CHECKSUM_LENGTH));
  const ok = equalBytes(hmac(md5, k2, data), cksum);
  wipe(k1, k2, k3);
  if (!ok) {
    wipe(data);
    throw new IntegrityError(etype, usage);
  }
  return data.slice(CONFOUNDER_LENGTH);
}

/**
 * The HMAC-MD5 checksum, type -138 (KERB_CHECKSUM_HMAC_MD5, RFC 4757 §4):
 * Ksign = HMAC-MD5(key, "signaturekey\0"); HMAC-MD5(Ksign, MD5(usage_le32 | data)).
 * Type -137 (MIT's md5-hmac-rc4, used by the MS netlogon protocol) is the same with the key itself as Ksign.
 */
export function hmacMd5Checksum(
  key: Uint8Array,
  usage: number,
  data: Uint8Array,
  deriveSignatureKey = true,
): Uint8Array {
  const ksign = deriveSignatureKey ? hmac(md5, key, SIGNATUREKEY) : key;
  const tmp = md5(concatBytes(u32le(rc4UsageOf(usage)), data));
  const out = hmac(md5, ksign, tmp);
  if (deriveSignatureKey) wipe(ksign);
  return out;
}

function rc4Profile(exportable: boolean): EnctypeProfile {
  const etype = exportable ? 24 : 23;
  const checkKey = (key: Uint8Array) => {
    if (key.length !== KEY_LENGTH) {
      throw new CryptoInputError(
        `a key for enctype ${etype} is ${KEY_LENGTH} bytes, this one is ${key.length}`,
      );
    }
  };
  return {
    etype,
    keyLength: KEY_LENGTH,
    seedLength: KEY_LENGTH,
    checksumType: -138,
    prfLength: 20,
    confounderLength: CONFOUNDER_LENGTH,
    stringToKey: (password) => ntHash(password),
    stringToKeyAsync: async (password) => ntHash(password),
    randomToKey(seed) {
      if (seed.length !== KEY_LENGTH)
        throw new CryptoInputError(`random-to-key for enctype ${etype} needs 16 bytes`);
      return seed.slice();
    },
    encrypt(key, usage, plaintext, confounder) {
      if (exportable) {
        throw new UnsupportedEnctypeError(
          24,
          'is export-grade (40-bit): the playground decrypts it but never makes it',
        );
      }
      checkKey(key);
      return rc4HmacEncrypt(key, usage, plaintext, confounder, false);
    },
    decrypt(key, usage, ciphertext) {
      checkKey(key);
      return rc4HmacDecrypt(key, usage, ciphertext, exportable);
    },
    checksum(key, usage, data) {
      checkKey(key);
      return hmacMd5Checksum(key, usage, data);
    },
    // RFC 4757 defines no PRF; Windows and MIT use HMAC-SHA1 keyed with the base key (RFC 6113 needs one
    // for KRB-FX-CF2 with rc4 keys).
    prf(key, input) {
      checkKey(key);
      return hmac(sha1, key, input);
    },
  };
}

export const rc4Hmac = rc4Profile(false);
export const rc4HmacExp = rc4Profile(true);
