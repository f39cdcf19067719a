/**
 * The public crypto operations, dispatched on the key's enctype (RFC 3961 §3–4): string-to-key,
 * random-to-key, encrypt/decrypt with a key usage, the PRF, and KRB-FX-CF2 (RFC 6113 §5.1).
 */
import { utf8 } from '../util/bytes';
import { countStringToKeyRun, rememberedStringToKey, rememberStringToKey, s2kCacheId } from './cache';
import { enctypeProfile, findEnctype } from './enctypes';
import { CryptoInputError, UnsupportedEnctypeError } from './errors';
import type { Pbkdf2Provider, Yielder } from './pbkdf2';
import type { EnctypeProfile } from './profile';
import { iterationCount } from './s2kparams';
import type { Key, RandomSource, StringToKeyParams } from './types';

function profileOf(etype: number, forEncryption = false): EnctypeProfile {
  const p = enctypeProfile(etype);
  if (!p) {
    const info = findEnctype(etype);
    throw new UnsupportedEnctypeError(etype, info ? 'is not implemented by the playground' : 'is unknown');
  }
  if (forEncryption && findEnctype(etype)?.decryptOnly) {
    throw new UnsupportedEnctypeError(
      etype,
      'is export-grade (40-bit): the playground decrypts it but never makes it',
    );
  }
  return p;
}

const saltBytes = (salt: string | Uint8Array) => (typeof salt === 'string' ? utf8(salt) : salt);

/**
 * The cache id of a string-to-key: the iteration count is checked first (IterationCountError for 2^24 or
 * more, before any hashing), and counts as it will run, so s2kparams 00 00 10 00 and the default 4096 meet.
 */
function s2kId(etype: number, password: string, salt: Uint8Array, params: StringToKeyParams): string {
  const defaultIterations = findEnctype(etype)?.defaultIterations;
  const iterations = defaultIterations ? iterationCount(etype, params, defaultIterations) : 0;
  return s2kCacheId(etype, iterations, salt, password);
}

/**
 * string-to-key (RFC 3961 §3). The salt is usually the realm followed by the principal's name components
 * ("EXAMPLE.TESTalice", see principalSalt); rc4-hmac ignores it. A key made before (here or by
 * stringToKeyAsync) is remembered and handed back without running PBKDF2 again.
 */
export function stringToKey(
  etype: number,
  password: string,
  salt: string | Uint8Array,
  params: StringToKeyParams = {},
): Key {
  const profile = profileOf(etype);
  const s = saltBytes(salt);
  const id = s2kId(etype, password, s, params);
  let bytes = rememberedStringToKey(id);
  if (!bytes) {
    countStringToKeyRun();
    bytes = profile.stringToKey(password, s, params);
    rememberStringToKey(id, bytes);
  }
  return { etype, bytes };
}

/**
 * The same as stringToKey, but computed in slices of PBKDF2_SLICE iterations with the event loop given a
 * turn between them (or `yieldNow`, when given: it is told the progress and may throw to stop), so the
 * 32768 iterations of enctypes 19 and 20 never freeze a browser's main thread. It always runs PBKDF2 (the
 * crypto proof times it), and remembers the key for stringToKey. A host with a faster PBKDF2 (WebCrypto,
 * OpenSSL) may hand it in as `pbkdf2`: the salt, count and key derivation around it stay this code's.
 */
export async function stringToKeyAsync(
  etype: number,
  password: string,
  salt: string | Uint8Array,
  params: StringToKeyParams = {},
  yieldNow?: Yielder,
  pbkdf2?: Pbkdf2Provider,
): Promise<Key> {
  const profile = profileOf(etype);
  const s = saltBytes(salt);
  const id = s2kId(etype, password, s, params);
  countStringToKeyRun();
  const bytes = await profile.stringToKeyAsync(password, s, params, yieldNow, pbkdf2);
  rememberStringToKey(id, bytes);
  return { etype, bytes };
}

/** Whether stringToKey would find this key made already (so it costs nothing now). */
export function isStringToKeyRemembered(
  etype: number,
  password: string,
  salt: string | Uint8Array,
  params: StringToKeyParams = {},
): boolean {
  profileOf(etype);
  return rememberedStringToKey(s2kId(etype, password, saltBytes(salt), params)) !== undefined;
}

/** The default salt of a principal (RFC 4120 §4): the realm, then each name component, no separators. */
export function principalSalt(realm: string, nameComponents: readonly string[]): string {
  return realm + nameComponents.join('');
}

/** random-to-key (RFC 3961 §3) over seedLength bytes. */
export function randomToKey(etype: number, seed: Uint8Array): Key {
  return { etype, bytes: profileOf(etype).randomToKey(seed) };
}

/** A fresh random key (session keys, subkeys), from the random source handed in. */
export function randomKey(etype: number, random: RandomSource): Key {
  const p = profileOf(etype, true);
  return { etype, bytes: p.randomToKey(random(p.seedLength)) };
}

/** Encrypts plaintext for a key usage; the confounder comes from the random source handed in. */
export function encrypt(key: Key, usage: number, plaintext: Uint8Array, random: RandomSource): Uint8Array {
  const p = profileOf(key.etype, true);
  const confounder = random(p.confounderLength);
  if (confounder.length !== p.confounderLength) {
    throw new CryptoInputError(
      `the random source gave ${confounder.length} bytes, ${p.confounderLength} were asked for`,
    );
  }
  return p.encrypt(key.bytes, usage, plaintext, confounder);
}

/** Decrypts and checks integrity; a wrong key, usage or changed byte throws IntegrityError. */
export function decrypt(key: Key, usage: number, ciphertext: Uint8Array): Uint8Array {
  return profileOf(key.etype).decrypt(key.bytes, usage, ciphertext);
}

/** The enctype's pseudo-random function (RFC 3961 §3 "pseudo-random"). */
export function prf(key: Key, input: Uint8Array): Uint8Array {
  return profileOf(key.etype).prf(key.bytes, input);
}

/**
 * PRF+ (RFC 6113 §5.1): PRF(key, 1 | input) | PRF(key, 2 | input) | … cut to length bytes; the counter
 * is one byte.
 */
export function prfPlus(key: Key, input: Uint8Array, length: number): Uint8Array {
  const p = profileOf(key.etype);
  const rounds = Math.ceil(length / p.prfLength);
  if (rounds > 255) throw new CryptoInputError('PRF+ is limited to 255 rounds');
  const out = new Uint8Array(rounds * p.prfLength);
  const block = new Uint8Array(1 + input.length);
  block.set(input, 1);
  for (let i = 1; i <= rounds; i++) {
    block[0] = i;
    out.set(p.prf(key.bytes, block), (i - 1) * p.prfLength);
  }
  return out.slice(0, length);
}

/**
 * KRB-FX-CF2 (RFC 6113 §5.1): combines two keys into one, as FAST does with the armor key and the
 * reply key. random-to-key(PRF+(k1, pepper1) xor PRF+(k2, pepper2)), with k1's enctype.
 */
export function cf2(k1: Key, k2: Key, pepper1: string | Uint8Array, pepper2: string | Uint8Array): Key {
  const p = profileOf(k1.etype);
  const a = prfPlus(k1, saltBytes(pepper1), p.seedLength);
  const b = prfPlus(k2, saltBytes(pepper2), p.seedLength);
  for (let i = 0; i < a.length; i++) a[i]! ^= b[i]!;
  return { etype: k1.etype, bytes: p.randomToKey(a) };
}
