// `krbplay string2key` against published vectors, run as a user runs it (docs/cli.md).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureCliBuilt, krbplay } from './krbplay';

interface S2kVector {
  etype: number;
  enctype: string;
  iterations: number;
  password_utf8?: string;
  password_hex: string;
  salt_utf8?: string;
  salt_hex: string;
  key_hex: string;
}

const rfc3962 = JSON.parse(
  readFileSync(new URL('../../fixtures/vectors/rfc3962.json', import.meta.url), 'utf8'),
) as {
  string_to_key: S2kVector[];
};

beforeAll(() => ensureCliBuilt(), 180_000);

describe('RFC 3962 Appendix B vectors', () => {
  // Node cannot pass a password that is not valid UTF-8 on a command line; every RFC 3962 one is.
  const vectors = rfc3962.string_to_key.filter((v) => v.password_utf8 !== undefined);

  test.each(vectors.map((v) => [v.enctype, v.iterations, v.salt_utf8 ?? v.salt_hex, v] as const))(
    '%s, %i iterations, salt %s: text output is the key',
    (_name, _n, _salt, v) => {
      const saltArgs = v.salt_utf8 !== undefined ? ['--salt', v.salt_utf8] : ['--salt-hex', v.salt_hex];
      const r = krbplay(
        'string2key',
        '--etype',
        String(v.etype),
        `--password=${v.password_utf8}`,
        ...saltArgs,
        '--iterations',
        String(v.iterations),
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`${v.key_hex}\n`);
      expect(r.status).toBe(0);
    },
  );

  test('--json gives the documented document, salt as text and hex', () => {
    const v = vectors.find(
      (x) => x.etype === 18 && x.iterations === 1200 && x.salt_utf8 === 'ATHENA.MIT.EDUraeburn',
    )!;
    const r = krbplay(
      'string2key',
      '--etype',
      '18',
      '--password',
      v.password_utf8!,
      '--salt',
      v.salt_utf8!,
      '--iterations',
      '1200',
      '--json',
    );
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toStrictEqual({
      etype: 18,
      etypeName: 'aes256-cts-hmac-sha1-96',
      key: v.key_hex,
      salt: 'ATHENA.MIT.EDUraeburn',
      saltHex: v.salt_hex,
      iterations: 1200,
    });
    // Field order as in the contract, so that people reading it see the same shape.
    expect(Object.keys(JSON.parse(r.stdout))).toEqual([
      'etype',
      'etypeName',
      'key',
      'salt',
      'saltHex',
      'iterations',
    ]);
  });

  test('--salt-hex takes the salt as bytes; JSON shows it as text when it is UTF-8', () => {
    const v = vectors.find((x) => x.etype === 17 && x.salt_hex === '1234567878563412')!;
    const r = krbplay(
      'string2key',
      '--etype',
      '17',
      '--password',
      'password',
      '--salt-hex',
      v.salt_hex,
      '--iterations',
      '5',
      '--json',
    );
    expect(r.status).toBe(0);
    // 0x78 0x56 0x34 0x12 are valid UTF-8 ("xV4\x12"), so salt is that text.
    expect(JSON.parse(r.stdout)).toMatchObject({
      key: v.key_hex,
      saltHex: '1234567878563412',
      salt: '\u00124Vxx' + 'V4\u0012',
    });
  });

  test('a salt that is not UTF-8 has "salt": null and only saltHex', () => {
    const r = krbplay(
      'string2key',
      '--etype',
      '17',
      '--password',
      'p',
      '--salt-hex',
      'ff00fe',
      '--iterations',
      '1',
      '--json',
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ salt: null, saltHex: 'ff00fe' });
  });

  test('the four-byte UTF-8 password (U+1D11E) of Appendix B', () => {
    const v = vectors.find((x) => x.password_hex === 'f09d849e' && x.etype === 18)!;
    const r = krbplay(
      'string2key',
      '--etype',
      'aes256-cts',
      '--password',
      '\u{1D11E}',
      '--salt',
      'EXAMPLE.COMpianist',
      '--iterations',
      '50',
    );
    expect(r.stdout).toBe(`${v.key_hex}\n`);
  });
});

describe('enctype names and defaults', () => {
  // The RFC 3962 iteration-1200 key, reached through every spelling of 17 and 18.
  const v17 = rfc3962.string_to_key.find(
    (v) => v.etype === 17 && v.iterations === 1200 && v.password_utf8 === 'password',
  )!;
  const v18 = rfc3962.string_to_key.find(
    (v) => v.etype === 18 && v.iterations === 1200 && v.password_utf8 === 'password',
  )!;
  test.each([
    ['17', v17],
    ['aes128-cts-hmac-sha1-96', v17],
    ['aes128-cts', v17],
    ['AES128-CTS', v17],
    ['18', v18],
    ['aes256-cts-hmac-sha1-96', v18],
    ['aes256-cts', v18],
  ] as const)('--etype %s', (etype, v) => {
    const r = krbplay(
      'string2key',
      '--etype',
      etype,
      '--password',
      'password',
      '--salt',
      'ATHENA.MIT.EDUraeburn',
      '--iterations',
      '1200',
      '--json',
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ etype: v.etype, etypeName: v.enctype, key: v.key_hex });
  });

  test('without --iterations, 17/18 use 4096 (a key from a real MIT keytab)', () => {
    // rfc3962.json real_keytab_string_to_key: user@EXAMPLE.ORG, password hello123, kvno 31.
    const r = krbplay(
      'string2key',
      '--etype',
      'aes256-cts-hmac-sha1-96',
      '--password',
      'hello123',
      '--salt',
      'EXAMPLE.ORGuser',
      '--json',
    );
    expect(JSON.parse(r.stdout)).toMatchObject({
      key: '6e88eb2b3931ef17c92e780a4ee421f1411ff5b104e3f75b50dd13f9ed04f9c6',
      iterations: 4096,
    });
  });

  test('without --iterations, 19 uses 32768 (RFC 8009 Appendix A)', () => {
    // RFC 8009 App. A: salt = 16 random bytes followed by "ATHENA.MIT.EDUraeburn"; the saltp prefix is added inside.
    const r = krbplay(
      'string2key',
      '--etype',
      'aes128-cts-hmac-sha256-128',
      '--password',
      'password',
      '--salt-hex',
      '10df9dd783e5bc8acea1730e74355f61415448454e412e4d49542e4544557261656275726e',
      '--json',
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      etype: 19,
      key: '089bca48b105ea6ea77ca5d2f39dc5e7',
      iterations: 32768,
    });
  });

  test('rc4-hmac needs no salt: the key is the NT hash, and JSON says there is no salt or iteration count', () => {
    // MD4(UTF-16LE("password")), the well-known NT hash.
    for (const etype of ['23', 'rc4-hmac', 'arcfour-hmac', 'arcfour-hmac-md5']) {
      const r = krbplay('string2key', '--etype', etype, '--password', 'password', '--json');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toStrictEqual({
        etype: 23,
        etypeName: 'rc4-hmac',
        key: '8846f7eaee8fb117ad06bdd830b7586c',
        salt: null,
        saltHex: null,
        iterations: null,
      });
    }
  });

  test('rc4-hmac ignores a salt that is given', () => {
    const r = krbplay('string2key', '--etype', 'rc4-hmac', '--password', 'foo', '--salt', 'EXAMPLE.ORGuser');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('ac8e657f83df82beea5d43bdaf7800cc\n');
  });
});

describe('errors: one line on stderr and the documented exit status', () => {
  test('a missing salt for an AES enctype is a usage error (2) naming both salt flags', () => {
    const r = krbplay('string2key', '--etype', '18', '--password', 'x');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^krbplay string2key: missing --salt or --salt-hex .*\nTry 'krbplay string2key --help'\.\n$/,
    );
  });

  test.each([
    [['--password', 'x', '--salt', 's'], /missing --etype/],
    [['--etype', '18', '--salt', 's'], /missing --password/],
    [['--etype'], /--etype needs a value/],
    [['--etype', '18', '--password', 'x', '--salt', 's', '--colour'], /unknown option '--colour'/],
    [['--etyp', '18'], /unknown option '--etyp' \(did you mean --etype\?\)/],
    [
      ['--etype', '18', '--password', 'x', '--salt', 's', '--salt-hex', '00'],
      /--salt or --salt-hex, not both/,
    ],
    [['--etype', '18', '--password', 'x', '--salt', 's', 'extra'], /unexpected argument 'extra'/],
    [['--etype', '18', '--password', 'x', '--salt', 's', '--json=yes'], /--json takes no value/],
  ])('usage error (2): %j', (args, message) => {
    const r = krbplay('string2key', ...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toBe("Try 'krbplay string2key --help'.");
  });

  test.each([
    [
      ['--etype', 'aes512-cts', '--password', 'x', '--salt', 's'],
      /unknown enctype 'aes512-cts' \(known: 17 aes128/,
    ],
    [['--etype', '99', '--password', 'x', '--salt', 's'], /unknown enctype '99'/],
    [['--etype', 'des-cbc-crc', '--password', 'x', '--salt', 's'], /des-cbc-crc \(1\) is not implemented/],
    [['--etype', '18', '--password', 'x', '--salt-hex', 'abc'], /odd number of digits/],
    [['--etype', '18', '--password', 'x', '--salt-hex', 'zz'], /not hex/],
    [
      ['--etype', '18', '--password', 'x', '--salt', 's', '--iterations', 'many'],
      /--iterations must be a whole number/,
    ],
    [
      ['--etype', '18', '--password', 'x', '--salt', 's', '--iterations', '0'],
      /iteration count 0 is out of range \(1 to 16777215\)/,
    ],
    [
      ['--etype', '18', '--password', 'x', '--salt', 's', '--iterations', '16777216'],
      /string-to-key refused: 16777216 PBKDF2 iterations for the aes256-cts-hmac-sha1-96 \(18\) key are too many; the most accepted is 16777215 \(2\^24 - 1\), as in MIT krb5/,
    ],
  ])('input error (1): %j', (args, message) => {
    const r = krbplay('string2key', ...args);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^krbplay string2key: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a password starting with a dash can be given as --password=-…', () => {
    const ok = krbplay('string2key', '--etype', '23', '--password=-secret');
    expect(ok.status).toBe(0);
    const bad = krbplay('string2key', '--etype', '23', '--password', '-secret');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/write --password=VALUE/);
  });
});
