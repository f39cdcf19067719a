// aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20) against every vector in
// test/fixtures/vectors/rfc8009.json (RFC 8009 Appendix A, MIT krb5, gokrb5 keytabs).
import { describe, expect, test } from 'vitest';
import { checksum, decrypt, encrypt, prf, stringToKey, stringToKeyAsync } from '../../../src/crypto';
import { kdfHmacSha2 } from '../../../src/crypto/rfc8009';
import { nodePbkdf2 } from '../../../src/node';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../../../src/util/bytes';
import v from '../../fixtures/vectors/rfc8009.json';

const key = (etype: number, hex: string) => ({ etype, bytes: fromHex(hex) });

describe('RFC 8009 string-to-key (32768 iterations, enctype-name salt prefix)', () => {
  test.each(v.string_to_key.map((s) => [s.enctype, s]))('%s', async (_n, s) => {
    const k = stringToKey(s.etype, s.password_utf8, fromHex(s.salt_hex), {
      s2kparams: fromHex(s.s2kparams_hex),
    });
    expect(toHex(k.bytes)).toBe(s.key_hex);
    expect(toHex((await stringToKeyAsync(s.etype, s.password_utf8, fromHex(s.salt_hex))).bytes)).toBe(
      s.key_hex,
    );
    // with the host's PBKDF2 (OpenSSL, as krbplay hands it in): the same key
    const host = await stringToKeyAsync(
      s.etype,
      s.password_utf8,
      fromHex(s.salt_hex),
      {},
      undefined,
      nodePbkdf2,
    );
    expect(toHex(host.bytes)).toBe(s.key_hex);
  });

  test.each(v.real_keytab_string_to_key.map((s) => [`${s.principal} ${s.enctype}`, s]))(
    'reproduces the key of a real keytab: %s',
    (_n, s) => {
      expect(
        toHex(stringToKey(s.etype, s.password_utf8, s.salt_utf8, { iterations: s.iterations }).bytes),
      ).toBe(s.key_hex);
    },
  );
});

describe('KDF-HMAC-SHA2 key derivation (Kc, Ke, Ki)', () => {
  test.each(v.key_derivation.map((d) => [`${d.enctype} ${d.kind}`, d]))('%s', (_n, d) => {
    const hash = d.etype === 19 ? sha256 : sha384;
    const bits = d.derived_key_hex.length * 4;
    expect(toHex(kdfHmacSha2(hash, fromHex(d.base_key_hex), fromHex(d.constant_hex), bits))).toBe(
      d.derived_key_hex,
    );
  });
});

describe('encryption with a known confounder (RFC 8009 Appendix A)', () => {
  test.each(v.encryption.map((e) => [`${e.enctype}, ${e.plaintext_hex.length / 2}-byte plaintext`, e]))(
    '%s',
    (_n, e) => {
      const k = key(e.etype, e.base_key_hex);
      const ct = encrypt(k, e.usage, fromHex(e.plaintext_hex), () => fromHex(e.confounder_hex));
      expect(toHex(ct)).toBe(e.ciphertext_hex);
      expect(toHex(ct)).toBe(e.aes_output_hex + e.truncated_hmac_hex);
      expect(toHex(decrypt(k, e.usage, ct))).toBe(e.plaintext_hex);
    },
  );
});

describe('checksums hmac-sha256-128-aes128 / hmac-sha384-192-aes256', () => {
  test.each(v.checksums.map((c) => [c.cksum_name, c]))('%s', (_n, c) => {
    expect(toHex(checksum(c.cksumtype, key(c.etype, c.key_hex), c.usage, fromHex(c.data_hex)))).toBe(
      c.checksum_hex,
    );
  });
});

describe('PRF (RFC 8009 §5)', () => {
  test.each(v.prf.map((p) => [p.enctype, p]))('%s', (_n, p) => {
    expect(toHex(prf(key(p.etype, p.key_hex), fromHex(p.input_hex)))).toBe(p.output_hex);
  });
});
