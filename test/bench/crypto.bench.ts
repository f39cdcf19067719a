// npm run bench -- crypto: our engine beside OpenSSL (through node:crypto) doing the same work in the same
// run — string-to-key with the default iteration count, and encrypt + decrypt of a 1 KB message — for
// enctypes 17, 18, 19, 20 and 23. Before anything is timed, both sides must agree byte for byte, so the
// figures compare correct work. Speed never fails the run.
//
// The node:crypto side is written here from the RFCs, independently of src/crypto: PBKDF2 from OpenSSL,
// n-fold and DK (RFC 3961 §5.1), CTS over OpenSSL's AES-CBC (RFC 3962 §5), KDF-HMAC-SHA2 (RFC 8009 §3),
// RC4-HMAC (RFC 4757 §3) when OpenSSL still has RC4 and MD4.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  getCiphers,
  getHashes,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { decrypt, encrypt, findEnctype, stringToKey, type Key } from '../../src/crypto';
import { opsPerSecond } from './rate';

const PASSWORD = 'correct horse battery staple';
const SALT = 'EXAMPLE.TESTalice';
const USAGE = 2; // a ticket's enc-part; not one rc4-hmac remaps (RFC 4757 §3)
const MESSAGE = new Uint8Array(1024).map((_, i) => (i * 31 + 7) & 0xff);

// ---------- the node:crypto side ----------

const bytes = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const cat = (...parts: Uint8Array[]) => bytes(Buffer.concat(parts));
const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** RFC 3961 §5.1 n-fold, by the definition: 13-bit-rotated copies to the lcm, summed with end-around carry. */
function nfold(input: Uint8Array, outBytes: number): Uint8Array {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const inBits = BigInt(input.length * 8);
  const outBits = BigInt(outBytes * 8);
  const x = BigInt('0x' + Buffer.from(input).toString('hex'));
  const inMask = (1n << inBits) - 1n;
  const outMask = (1n << outBits) - 1n;
  const rotr = (v: bigint, r: bigint) => {
    const s = r % inBits;
    return s === 0n ? v : ((v >> s) | (v << (inBits - s))) & inMask;
  };
  const copies = (input.length * outBytes) / gcd(input.length, outBytes) / input.length;
  let all = 0n;
  for (let k = 0; k < copies; k++) all = (all << inBits) | rotr(x, 13n * BigInt(k));
  let sum = 0n;
  const chunks = (BigInt(copies) * inBits) / outBits;
  for (let i = 0n; i < chunks; i++) {
    sum += (all >> (i * outBits)) & outMask;
    while (sum > outMask) sum = (sum & outMask) + (sum >> outBits);
  }
  return bytes(Buffer.from(sum.toString(16).padStart(outBytes * 2, '0'), 'hex'));
}

function aesEcb(key: Uint8Array, block: Uint8Array, dir: 'enc' | 'dec'): Uint8Array {
  const alg = `aes-${key.length * 8}-ecb`;
  const c = dir === 'enc' ? createCipheriv(alg, key, null) : createDecipheriv(alg, key, null);
  c.setAutoPadding(false);
  return cat(c.update(block), c.final());
}

function aesCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array, dir: 'enc' | 'dec'): Uint8Array {
  const alg = `aes-${key.length * 8}-cbc`;
  const c = dir === 'enc' ? createCipheriv(alg, key, iv) : createDecipheriv(alg, key, iv);
  c.setAutoPadding(false);
  return cat(c.update(data), c.final());
}

/** RFC 3961 §5.1 DK with AES as E and the identity as random-to-key (RFC 3962 §6). */
function dk(key: Uint8Array, constant: Uint8Array): Uint8Array {
  let block = nfold(constant, 16);
  const out: Uint8Array[] = [];
  for (let have = 0; have < key.length; have += 16) {
    block = aesEcb(key, block, 'enc');
    out.push(block);
  }
  return cat(...out).subarray(0, key.length);
}

const IV0 = new Uint8Array(16);

/** RFC 3962 §5: CBC with ciphertext stealing, the last two blocks swapped (always, as Kerberos does). */
function ctsEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length === 16) return aesCbc(key, IV0, data, 'enc');
  const n = Math.ceil(data.length / 16);
  const d = data.length - 16 * (n - 1);
  const padded = new Uint8Array(16 * n);
  padded.set(data);
  const c = aesCbc(key, IV0, padded, 'enc');
  return cat(
    c.subarray(0, 16 * (n - 2)),
    c.subarray(16 * (n - 1)),
    c.subarray(16 * (n - 2), 16 * (n - 2) + d),
  );
}

function ctsDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length === 16) return aesCbc(key, IV0, data, 'dec');
  const n = Math.ceil(data.length / 16);
  const d = data.length - 16 * (n - 1);
  const head = data.subarray(0, 16 * (n - 2));
  const last = data.subarray(16 * (n - 2), 16 * (n - 1)); // the real final CBC block
  const stolen = data.subarray(16 * (n - 1)); // the first d bytes of the one before it
  const x = aesEcb(key, last, 'dec'); // = zero-padded Pn XOR C(n-1)
  const prev = cat(stolen, x.subarray(d));
  const pn = stolen.map((b, i) => b ^ x[i]!);
  return cat(aesCbc(key, IV0, cat(head, prev), 'dec'), pn);
}

/** RFC 8009 §3 KDF-HMAC-SHA2(key, label, k) = k-truncate(HMAC(key, 00000001 | label | 00 | k)). */
function kdfHmacSha2(hash: string, key: Uint8Array, label: Uint8Array, bits: number): Uint8Array {
  return bytes(
    createHmac(hash, key)
      .update(cat(be32(1), label, new Uint8Array([0]), be32(bits)))
      .digest(),
  ).subarray(0, bits / 8);
}

function hmac(hash: string, key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const h = createHmac(hash, key);
  for (const d of data) h.update(d);
  return bytes(h.digest());
}

interface OpenSslSide {
  stringToKey(password: string, salt: string, iterations: number | null): Uint8Array;
  /** Derives what it needs from the key once, as our engine's derived-key cache does. */
  prepare(key: Uint8Array): {
    encrypt(plain: Uint8Array, confounder: Uint8Array): Uint8Array;
    decrypt(cipher: Uint8Array): Uint8Array;
  };
}

const usageConstant = (usage: number, kind: number) => cat(be32(usage), new Uint8Array([kind]));

/** RFC 3962: 17, 18. */
function aesSha1(keyLength: number): OpenSslSide {
  return {
    stringToKey(password, salt, iterations) {
      const tkey = bytes(pbkdf2Sync(password, salt, iterations ?? 4096, keyLength, 'sha1'));
      return dk(tkey, new TextEncoder().encode('kerberos'));
    },
    prepare(key) {
      const ke = dk(key, usageConstant(USAGE, 0xaa));
      const ki = dk(key, usageConstant(USAGE, 0x55));
      return {
        encrypt(plain, confounder) {
          const data = cat(confounder, plain);
          return cat(ctsEncrypt(ke, data), hmac('sha1', ki, data).subarray(0, 12));
        },
        decrypt(cipher) {
          const data = ctsDecrypt(ke, cipher.subarray(0, cipher.length - 12));
          const mac = hmac('sha1', ki, data).subarray(0, 12);
          if (!timingSafeEqual(mac, cipher.subarray(cipher.length - 12))) throw new Error('integrity');
          return data.subarray(16);
        },
      };
    },
  };
}

/** RFC 8009: 19 (SHA-256, 128-bit MAC), 20 (SHA-384, 192-bit MAC). */
function aesSha2(name: string, hash: string, keyLength: number, macLength: number): OpenSslSide {
  return {
    stringToKey(password, salt, iterations) {
      const saltp = cat(new TextEncoder().encode(name), new Uint8Array([0]), new TextEncoder().encode(salt));
      const tkey = bytes(pbkdf2Sync(password, saltp, iterations ?? 32768, keyLength, hash));
      return kdfHmacSha2(hash, tkey, new TextEncoder().encode('kerberos'), keyLength * 8);
    },
    prepare(key) {
      const ke = kdfHmacSha2(hash, key, usageConstant(USAGE, 0xaa), keyLength * 8);
      const ki = kdfHmacSha2(hash, key, usageConstant(USAGE, 0x55), macLength * 8);
      return {
        encrypt(plain, confounder) {
          const c = ctsEncrypt(ke, cat(confounder, plain));
          return cat(c, hmac(hash, ki, IV0, c).subarray(0, macLength));
        },
        decrypt(cipher) {
          const c = cipher.subarray(0, cipher.length - macLength);
          const mac = hmac(hash, ki, IV0, c).subarray(0, macLength);
          if (!timingSafeEqual(mac, cipher.subarray(cipher.length - macLength))) throw new Error('integrity');
          return ctsDecrypt(ke, c).subarray(16);
        },
      };
    },
  };
}

/** RFC 4757: 23, only when this OpenSSL still offers MD4 and RC4 (OpenSSL 3 moved both to "legacy"). */
function rc4HmacAvailable(): string | null {
  try {
    createHash('md4').update('x').digest();
    createCipheriv('rc4', Buffer.alloc(16), null);
    return null;
  } catch (err) {
    const have = `md4 ${getHashes().includes('md4') ? 'listed' : 'absent'}, rc4 ${getCiphers().includes('rc4') ? 'listed' : 'absent'}`;
    return `OpenSSL ${process.versions.openssl} refuses MD4/RC4 (${(err as Error).message}; ${have})`;
  }
}

function rc4Hmac(): OpenSslSide {
  const utf16le = (s: string) => bytes(Buffer.from(s, 'utf16le'));
  const rc4 = (key: Uint8Array, data: Uint8Array) => {
    const c = createCipheriv('rc4', key, null);
    return cat(c.update(data), c.final());
  };
  const le32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  return {
    stringToKey: (password) => bytes(createHash('md4').update(utf16le(password)).digest()),
    prepare(key) {
      const k1 = hmac('md5', key, le32(USAGE));
      return {
        encrypt(plain, confounder) {
          const data = cat(confounder, plain);
          const checksum = hmac('md5', k1, data);
          return cat(checksum, rc4(hmac('md5', k1, checksum), data));
        },
        decrypt(cipher) {
          const checksum = cipher.subarray(0, 16);
          const data = rc4(hmac('md5', k1, checksum), cipher.subarray(16));
          if (!timingSafeEqual(hmac('md5', k1, data), checksum)) throw new Error('integrity');
          return data.subarray(8);
        },
      };
    },
  };
}

const rc4Missing = rc4HmacAvailable();
const SIDES: Record<number, OpenSslSide | null> = {
  17: aesSha1(16),
  18: aesSha1(32),
  19: aesSha2('aes128-cts-hmac-sha256-128', 'sha256', 16, 16),
  20: aesSha2('aes256-cts-hmac-sha384-192', 'sha384', 32, 24),
  23: rc4Missing ? null : rc4Hmac(),
};
const CONFOUNDER_LENGTH: Record<number, number> = { 17: 16, 18: 16, 19: 16, 20: 16, 23: 8 };

// ---------- timing ----------

/** Operations per second: at least 1000 ms and 5 runs. */
const rate = (fn: () => void) => opsPerSecond(fn, 1000, 5);

interface Row {
  etype: number;
  name: string;
  work: string;
  ours: number;
  openssl: number | null;
  note?: string;
}
const rows: Row[] = [];

function fmt(n: number): string {
  if (n >= 1000) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function table(): string {
  const head = ['etype', 'enctype', 'work', 'ours ops/s', 'OpenSSL ops/s', 'ours/OpenSSL'];
  const body = rows.map((r) => [
    String(r.etype),
    r.name,
    r.work,
    fmt(r.ours),
    r.openssl === null ? 'n/a' : fmt(r.openssl),
    r.openssl === null ? 'n/a' : `${(r.ours / r.openssl).toFixed(2)}x`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    '| ' + cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') + ' |';
  const out = [
    line(head),
    '|' + widths.map((w, i) => (i >= 3 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|',
  ];
  out.push(...body.map(line));
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.etype}: ${r.note}`);
  return [
    `Crypto bench — node ${process.version}, OpenSSL ${process.versions.openssl}, ${PASSWORD.length}-char password, 1024-byte message`,
    ...out,
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

afterAll(() => {
  console.log('\n' + table() + '\n');
});

const random = (n: number) => bytes(randomBytes(n));

describe.each([17, 18, 19, 20, 23])('enctype %i', (etype) => {
  const info = findEnctype(etype)!;
  const side = SIDES[etype]!;
  let ourKey: Key;

  test(`string-to-key (${info.defaultIterations ?? 'no'} iterations): ${side ? 'same key as node:crypto' : 'the published key'}, then timed`, () => {
    ourKey = stringToKey(etype, PASSWORD, SALT);
    if (side) {
      expect(Buffer.from(ourKey.bytes).toString('hex')).toBe(
        Buffer.from(side.stringToKey(PASSWORD, SALT, info.defaultIterations)).toString('hex'),
      );
    } else {
      // Without OpenSSL's MD4, check against a published NT hash instead: MD4(UTF-16LE("password")).
      expect(Buffer.from(stringToKey(23, 'password', '').bytes).toString('hex')).toBe(
        '8846f7eaee8fb117ad06bdd830b7586c',
      );
    }
    const ours = rate(() => stringToKey(etype, PASSWORD, SALT));
    const openssl = side ? rate(() => side.stringToKey(PASSWORD, SALT, info.defaultIterations)) : null;
    rows.push({
      etype,
      name: info.name,
      work: 'string-to-key',
      ours,
      openssl,
      ...(side ? {} : { note: `${rc4Missing}; our side checked against the published NT hash instead` }),
    });
  });

  test(`encrypt + decrypt of 1 KB: ${side ? 'same ciphertext as node:crypto for the same confounder' : 'round trip'}, then timed`, () => {
    const confounder = random(CONFOUNDER_LENGTH[etype]!);
    const ours = encrypt(ourKey, USAGE, MESSAGE, () => confounder);
    expect(decrypt(ourKey, USAGE, ours)).toEqual(MESSAGE);
    if (side) {
      const theirs = side.prepare(ourKey.bytes);
      expect(Buffer.from(theirs.encrypt(MESSAGE, confounder)).toString('hex')).toBe(
        Buffer.from(ours).toString('hex'),
      );
      expect(theirs.decrypt(ours)).toEqual(MESSAGE);
    }
    const oursRate = rate(() => decrypt(ourKey, USAGE, encrypt(ourKey, USAGE, MESSAGE, random)));
    let opensslRate: number | null = null;
    if (side) {
      // Derived keys are made once on both sides (our engine caches them per key and usage).
      const theirs = side.prepare(ourKey.bytes);
      opensslRate = rate(() => theirs.decrypt(theirs.encrypt(MESSAGE, random(CONFOUNDER_LENGTH[etype]!))));
    }
    rows.push({ etype, name: info.name, work: 'encrypt+decrypt 1 KB', ours: oursRate, openssl: opensslRate });
  });
});
