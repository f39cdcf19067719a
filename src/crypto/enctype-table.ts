/**
 * The enctype registry (RFC 3961 §8, RFC 8009 §7, RFC 4757, IANA "Kerberos Encryption Type Numbers"),
 * with what a learner should know about each: data only, so that a page that names enctypes (the
 * reproduce-it commands) does not load their implementations (enctypes.ts holds those).
 */
export interface EnctypeInfo {
  readonly etype: number;
  /** The RFC / MIT name. */
  readonly name: string;
  /** Other names MIT accepts in krb5.conf and on command lines. */
  readonly aliases: readonly string[];
  /** Key length in bytes (0 when not implemented). */
  readonly keyLength: number;
  /** Default PBKDF2 iteration count, or null when string-to-key has none. */
  readonly defaultIterations: number | null;
  /** Broken or too short a key: never to be used (RFC 6649 for DES, RFC 8429 for RC4's export variant). */
  readonly weak: boolean;
  /** Still works but is on its way out (RFC 8429 deprecates rc4-hmac and des3). */
  readonly deprecated: boolean;
  /** The playground implements it. */
  readonly implemented: boolean;
  /** The playground decrypts it but never encrypts with it. */
  readonly decryptOnly: boolean;
  /** Where it is defined. */
  readonly spec: string;
  /** One line for the UI. */
  readonly summary: string;
}

export const ENCTYPES: readonly EnctypeInfo[] = [
  {
    etype: 1,
    name: 'des-cbc-crc',
    aliases: [],
    keyLength: 0,
    defaultIterations: null,
    weak: true,
    deprecated: true,
    implemented: false,
    decryptOnly: false,
    spec: 'RFC 3961 §6.2.3 (removed by RFC 6649)',
    summary: 'single DES with a CRC-32 checksum: 56-bit keys, broken since the 1990s',
  },
  {
    etype: 3,
    name: 'des-cbc-md5',
    aliases: [],
    keyLength: 0,
    defaultIterations: null,
    weak: true,
    deprecated: true,
    implemented: false,
    decryptOnly: false,
    spec: 'RFC 3961 §6.2.1 (removed by RFC 6649)',
    summary: 'single DES with MD5: 56-bit keys, disabled by default everywhere',
  },
  {
    etype: 16,
    name: 'des3-cbc-sha1',
    aliases: ['des3-hmac-sha1', 'des3-cbc-sha1-kd'],
    keyLength: 0,
    defaultIterations: null,
    weak: false,
    deprecated: true,
    implemented: false,
    decryptOnly: false,
    spec: 'RFC 3961 §6.3 (deprecated by RFC 8429)',
    summary: 'triple DES with HMAC-SHA1: slow and deprecated; Windows never supported it',
  },
  {
    etype: 17,
    name: 'aes128-cts-hmac-sha1-96',
    aliases: ['aes128-cts', 'aes128-sha1'],
    keyLength: 16,
    defaultIterations: 4096,
    weak: false,
    deprecated: false,
    implemented: true,
    decryptOnly: false,
    spec: 'RFC 3962',
    summary: 'AES-128 in CTS mode with a 96-bit HMAC-SHA1: supported by every Kerberos since 2005',
  },
  {
    etype: 18,
    name: 'aes256-cts-hmac-sha1-96',
    aliases: ['aes256-cts', 'aes256-sha1', 'aes'],
    keyLength: 32,
    defaultIterations: 4096,
    weak: false,
    deprecated: false,
    implemented: true,
    decryptOnly: false,
    spec: 'RFC 3962',
    summary: 'AES-256 in CTS mode with a 96-bit HMAC-SHA1: the usual choice of Active Directory and Entra ID',
  },
  {
    etype: 19,
    name: 'aes128-cts-hmac-sha256-128',
    aliases: ['aes128-sha2'],
    keyLength: 16,
    defaultIterations: 32768,
    weak: false,
    deprecated: false,
    implemented: true,
    decryptOnly: false,
    spec: 'RFC 8009',
    summary:
      'AES-128 with HMAC-SHA256 (encrypt-then-MAC): the modern suite; MIT supports it, Windows does not yet',
  },
  {
    etype: 20,
    name: 'aes256-cts-hmac-sha384-192',
    aliases: ['aes256-sha2'],
    keyLength: 32,
    defaultIterations: 32768,
    weak: false,
    deprecated: false,
    implemented: true,
    decryptOnly: false,
    spec: 'RFC 8009',
    summary: 'AES-256 with HMAC-SHA384 (encrypt-then-MAC): the strongest standard enctype',
  },
  {
    etype: 23,
    name: 'rc4-hmac',
    aliases: ['arcfour-hmac', 'arcfour-hmac-md5'],
    keyLength: 16,
    defaultIterations: null,
    weak: false,
    deprecated: true,
    implemented: true,
    decryptOnly: false,
    spec: 'RFC 4757 (deprecated by RFC 8429)',
    summary: 'RC4 with HMAC-MD5, keyed by the unsalted NT hash: deprecated, and being removed from Windows',
  },
  {
    etype: 24,
    name: 'rc4-hmac-exp',
    aliases: ['arcfour-hmac-exp', 'arcfour-hmac-md5-exp'],
    keyLength: 16,
    defaultIterations: null,
    weak: true,
    deprecated: true,
    implemented: true,
    decryptOnly: true,
    spec: 'RFC 4757 (deprecated by RFC 8429)',
    summary: 'the 40-bit "export" variant of rc4-hmac: trivially breakable; decrypted here, never made',
  },
  {
    etype: 25,
    name: 'camellia128-cts-cmac',
    aliases: ['camellia128-cts'],
    keyLength: 0,
    defaultIterations: 32768,
    weak: false,
    deprecated: false,
    implemented: false,
    decryptOnly: false,
    spec: 'RFC 6803',
    summary: 'Camellia-128 with CMAC: supported by MIT, rarely deployed',
  },
  {
    etype: 26,
    name: 'camellia256-cts-cmac',
    aliases: ['camellia256-cts'],
    keyLength: 0,
    defaultIterations: 32768,
    weak: false,
    deprecated: false,
    implemented: false,
    decryptOnly: false,
    spec: 'RFC 6803',
    summary: 'Camellia-256 with CMAC: supported by MIT, rarely deployed',
  },
];

const byNumber = new Map(ENCTYPES.map((e) => [e.etype, e]));
const byName = new Map<string, EnctypeInfo>();
for (const e of ENCTYPES) for (const n of [e.name, ...e.aliases]) byName.set(n.toLowerCase(), e);

/**
 * Finds an enctype by number (18, "18") or by MIT name or alias ("aes256-cts-hmac-sha1-96", "aes256-cts",
 * "arcfour-hmac"), case-insensitively. Undefined when unknown.
 */
export function findEnctype(nameOrNumber: string | number): EnctypeInfo | undefined {
  if (typeof nameOrNumber === 'number') return byNumber.get(nameOrNumber);
  const text = nameOrNumber.trim();
  if (/^-?\d+$/.test(text)) return byNumber.get(Number(text));
  return byName.get(text.toLowerCase());
}

/** The enctypes the playground can encrypt with, strongest first (the order a KDC prefers them). */
export const USABLE_ENCTYPES: readonly number[] = [20, 18, 19, 17, 23];
