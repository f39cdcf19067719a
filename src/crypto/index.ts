/**
 * The Kerberos crypto engine: RFC 3961 (framework, n-fold, DK/DR), RFC 3962 (AES-SHA1), RFC 8009
 * (AES-SHA2), RFC 4757 (RC4-HMAC), RFC 6113 §5.1 (PRF+, KRB-FX-CF2), with the registries the UI shows.
 */
export type { Key, RandomSource, StringToKeyParams } from './types';
export {
  stringToKey,
  stringToKeyAsync,
  isStringToKeyRemembered,
  principalSalt,
  randomToKey,
  randomKey,
  encrypt,
  decrypt,
  prf,
  prfPlus,
  cf2,
} from './engine';
export {
  checksum,
  verifyChecksum,
  assertChecksum,
  checksumTypeForEnctype,
  findChecksumType,
  CHECKSUM_TYPES,
} from './checksums';
export type { ChecksumTypeInfo } from './checksums';
export { ENCTYPES, USABLE_ENCTYPES, findEnctype, enctypeProfile } from './enctypes';
export type { EnctypeInfo } from './enctypes';
export type { EnctypeProfile } from './profile';
export { ENCTYPE_NAMES, describeEnctype, etypeName } from './names';
export { KEY_USAGES, KeyUsage, findKeyUsage, describeKeyUsage, rc4UsageOf } from './keyusage';
export type { KeyUsageInfo } from './keyusage';
export { IntegrityError, UnsupportedEnctypeError, CryptoInputError } from './errors';
export {
  derivedKeyCacheStats,
  clearDerivedKeyCache,
  clearStringToKeyCache,
  stringToKeyCacheSize,
  stringToKeyRuns,
} from './cache';
export {
  ITERATIONS_REFUSED_FROM,
  MAX_ITERATIONS,
  IterationCountError,
  iterationCount,
  s2kparamsOf,
} from './s2kparams';
export { nfold } from './nfold';
export { PBKDF2_SLICE, yieldToEventLoop } from './pbkdf2';
export type { Pbkdf2Provider, Yielder } from './pbkdf2';
export { md4 } from './md4';
export { rc4 } from './rc4';
export { ntHash } from './rfc4757';
export { aesCtsEncrypt, aesCtsDecrypt } from './aes-cts';
export {
  noblePrimitives,
  primitives,
  useCryptoPrimitives,
  hmacStateCacheSize,
  clearHmacStates,
} from './primitives';
export type { CryptoPrimitives, HashName } from './primitives';
