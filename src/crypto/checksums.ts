/**
 * The checksum-type registry (RFC 3961 §8, RFC 3962 §7, RFC 8009 §7, RFC 4757, MS-PAC §2.8) and the
 * keyed checksums the playground computes and verifies.
 */
import { equalBytes } from '../util/bytes';
import { enctypeProfile } from './enctypes';
import { CryptoInputError, IntegrityError, UnsupportedEnctypeError } from './errors';
import { hmacMd5Checksum } from './rfc4757';
import type { Key } from './types';

export interface ChecksumTypeInfo {
  readonly cksumtype: number;
  readonly name: string;
  /** The enctypes whose keys make this checksum (empty for unkeyed checksums). */
  readonly etypes: readonly number[];
  /** Checksum length in bytes. */
  readonly length: number;
  readonly keyed: boolean;
  readonly weak: boolean;
  readonly deprecated: boolean;
  readonly implemented: boolean;
  readonly spec: string;
  readonly summary: string;
}

export const CHECKSUM_TYPES: readonly ChecksumTypeInfo[] = [
  {
    cksumtype: 1,
    name: 'crc32',
    etypes: [],
    length: 4,
    keyed: false,
    weak: true,
    deprecated: true,
    implemented: false,
    spec: 'RFC 3961 §6.1.3',
    summary: 'CRC-32: detects accidents, not attackers',
  },
  {
    cksumtype: 7,
    name: 'rsa-md5',
    etypes: [],
    length: 16,
    keyed: false,
    weak: true,
    deprecated: true,
    implemented: false,
    spec: 'RFC 3961 §6.1.1',
    summary: 'plain MD5, unkeyed: anyone can recompute it',
  },
  {
    cksumtype: 8,
    name: 'rsa-md5-des',
    etypes: [3],
    length: 24,
    keyed: true,
    weak: true,
    deprecated: true,
    implemented: false,
    spec: 'RFC 3961 §6.2.5',
    summary: 'MD5 sealed with single DES',
  },
  {
    cksumtype: 12,
    name: 'hmac-sha1-des3-kd',
    etypes: [16],
    length: 20,
    keyed: true,
    weak: false,
    deprecated: true,
    implemented: false,
    spec: 'RFC 3961 §6.3',
    summary: 'HMAC-SHA1 with a triple-DES derived key',
  },
  {
    cksumtype: 15,
    name: 'hmac-sha1-96-aes128',
    etypes: [17],
    length: 12,
    keyed: true,
    weak: false,
    deprecated: false,
    implemented: true,
    spec: 'RFC 3962 §7',
    summary: 'HMAC-SHA1 truncated to 96 bits, with a key derived from an AES-128 key',
  },
  {
    cksumtype: 16,
    name: 'hmac-sha1-96-aes256',
    etypes: [18],
    length: 12,
    keyed: true,
    weak: false,
    deprecated: false,
    implemented: true,
    spec: 'RFC 3962 §7',
    summary: 'HMAC-SHA1 truncated to 96 bits, with a key derived from an AES-256 key',
  },
  {
    cksumtype: 19,
    name: 'hmac-sha256-128-aes128',
    etypes: [19],
    length: 16,
    keyed: true,
    weak: false,
    deprecated: false,
    implemented: true,
    spec: 'RFC 8009 §7',
    summary: 'HMAC-SHA256 truncated to 128 bits',
  },
  {
    cksumtype: 20,
    name: 'hmac-sha384-192-aes256',
    etypes: [20],
    length: 24,
    keyed: true,
    weak: false,
    deprecated: false,
    implemented: true,
    spec: 'RFC 8009 §7',
    summary: 'HMAC-SHA384 truncated to 192 bits',
  },
  {
    cksumtype: -138,
    name: 'hmac-md5',
    etypes: [23, 24],
    length: 16,
    keyed: true,
    weak: false,
    deprecated: true,
    implemented: true,
    spec: 'RFC 4757 §4 (KERB_CHECKSUM_HMAC_MD5)',
    summary: 'HMAC-MD5 under a "signaturekey" derived from the RC4 key: the PAC signature of RC4 domains',
  },
  {
    cksumtype: -137,
    name: 'md5-hmac-rc4',
    etypes: [23],
    length: 16,
    keyed: true,
    weak: false,
    deprecated: true,
    implemented: true,
    spec: 'MIT krb5 (MS netlogon)',
    summary: 'HMAC-MD5 keyed directly with the RC4 key',
  },
];

const byNumber = new Map(CHECKSUM_TYPES.map((c) => [c.cksumtype, c]));

export function findChecksumType(cksumtype: number): ChecksumTypeInfo | undefined {
  return byNumber.get(cksumtype);
}

/** The checksum type an enctype's keys make by default (RFC 3961 §4 "required checksum mechanism"). */
export function checksumTypeForEnctype(etype: number): number {
  const p = enctypeProfile(etype);
  if (!p) throw new UnsupportedEnctypeError(etype, 'is not implemented by the playground');
  return p.checksumType;
}

/** Computes a keyed checksum of the given type over data, bound to a key usage. */
export function checksum(cksumtype: number, key: Key, usage: number, data: Uint8Array): Uint8Array {
  const info = byNumber.get(cksumtype);
  if (!info || !info.implemented) {
    const label = info ? `checksum type ${info.name} (${cksumtype})` : `checksum type ${cksumtype}`;
    throw new UnsupportedEnctypeError(
      cksumtype,
      info ? 'is not implemented by the playground' : 'is unknown',
      label,
    );
  }
  if (!info.etypes.includes(key.etype)) {
    throw new CryptoInputError(
      `checksum type ${info.name} (${cksumtype}) takes a key of enctype ${info.etypes.join(' or ')}, not ${key.etype}`,
    );
  }
  if (cksumtype === -137) return hmacMd5Checksum(key.bytes, usage, data, false);
  const profile = enctypeProfile(key.etype);
  if (!profile) throw new UnsupportedEnctypeError(key.etype, 'is not implemented by the playground');
  return profile.checksum(key.bytes, usage, data);
}

/** True when the checksum is right (compared in constant time). */
export function verifyChecksum(
  cksumtype: number,
  key: Key,
  usage: number,
  data: Uint8Array,
  expected: Uint8Array,
): boolean {
  return equalBytes(checksum(cksumtype, key, usage, data), expected);
}

/** Like verifyChecksum, but a mismatch throws IntegrityError naming the enctype and key usage. */
export function assertChecksum(
  cksumtype: number,
  key: Key,
  usage: number,
  data: Uint8Array,
  expected: Uint8Array,
): void {
  if (!verifyChecksum(cksumtype, key, usage, data, expected))
    throw new IntegrityError(key.etype, usage, 'checksum');
}
