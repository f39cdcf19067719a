/**
 * Enctype and checksum-type names, kept apart from the profiles so that error messages can name an
 * enctype without importing the whole engine (RFC 3961 §8, RFC 8009 §7, RFC 4757 §8, IANA registry).
 */
export const ENCTYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'des-cbc-crc',
  2: 'des-cbc-md4',
  3: 'des-cbc-md5',
  5: 'des3-cbc-md5',
  16: 'des3-cbc-sha1',
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'rc4-hmac',
  24: 'rc4-hmac-exp',
  25: 'camellia128-cts-cmac',
  26: 'camellia256-cts-cmac',
};

/**
 * "aes256-cts-hmac-sha1-96", or "enctype 99" when the number is not in the registry: the one name every
 * layer prints (the KDC's and the client's narration, keytab and ccache listings).
 */
export function etypeName(etype: number): string {
  return ENCTYPE_NAMES[etype] ?? `enctype ${etype}`;
}

/** "aes256-cts-hmac-sha1-96 (18)", or "enctype 99" when the number is not in the registry. */
export function describeEnctype(etype: number): string {
  const name = ENCTYPE_NAMES[etype];
  return name ? `${name} (${etype})` : `enctype ${etype}`;
}
