/**
 * `krbplay string2key`: a password and salt to a Kerberos long-term key (RFC 3961 §3 string-to-key;
 * RFC 3962 §4 for 17/18, RFC 8009 §4 for 19/20, RFC 4757 §2 for 23). Contract: docs/cli.md.
 */
import { stringToKey } from '../../crypto';
import { fromHex, KrbPlayInputError, toHex, utf8 } from '../../util';
import { UsageError } from '../args';
import { defineCommand } from '../command';
import { resolveEnctype } from '../enctype';

/** RFC 4757 §2: the rc4-hmac key is MD4 of the UTF-16LE password; there is no salt and no iteration count. */
function isSaltless(etype: number): boolean {
  return etype === 23 || etype === 24;
}

/** The count as typed; its range (1 to MAX_ITERATIONS) is the engine's to check (RFC 3962 §4). */
function parseIterations(text: string): number {
  if (!/^\d+$/.test(text)) throw new KrbPlayInputError(`--iterations must be a whole number, not '${text}'`);
  return Number(text);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The salt as text when its bytes are valid UTF-8 (they nearly always are: REALMname), else null. */
function saltAsText(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export const string2key = defineCommand({
  name: 'string2key',
  summary: 'Derive a long-term key from a password and salt (RFC 3961 string-to-key).',
  description: `
Prints the key as lowercase hex on one line, or with --json one JSON document:
  {"etype":18,"etypeName":"aes256-cts-hmac-sha1-96","key":"…","salt":"…"|null,"saltHex":"…"|null,"iterations":4096|null}

The enctype may be a number or an MIT name or alias (aes256-cts-hmac-sha1-96, aes256-cts, 18,
aes128-cts-hmac-sha256-128, rc4-hmac, arcfour-hmac, …). The AES enctypes need a salt: by default
MIT and Active Directory use the realm followed by the principal's name components, e.g.
EXAMPLE.TESTalice for alice@EXAMPLE.TEST. rc4-hmac uses no salt and no iteration count (a salt or
iteration count given with it is ignored). --iterations defaults to the enctype's default:
4096 for 17/18, 32768 for 19/20.`,
  options: {
    etype: { type: 'string', valueName: 'E', required: true, help: 'enctype: number or name' },
    password: {
      type: 'string',
      valueName: 'P',
      required: true,
      help: "the password (UTF-8); one starting with '-' is written --password=-P",
    },
    salt: { type: 'string', valueName: 'TEXT', help: 'the salt as text (UTF-8)' },
    'salt-hex': { type: 'string', valueName: 'HEX', help: 'the salt as hex bytes' },
    iterations: { type: 'string', valueName: 'N', help: 'PBKDF2 iteration count (AES only)' },
    json: { type: 'boolean', help: 'print one JSON document' },
  },
  examples: [
    'krbplay string2key --etype aes256-cts --password password --salt ATHENA.MIT.EDUraeburn --iterations 1',
    'krbplay string2key --etype 23 --password Passw0rd! --json',
  ],
  run({ options }, io) {
    const info = resolveEnctype(options.etype);
    if (options.salt !== undefined && options['salt-hex'] !== undefined) {
      throw new UsageError('give the salt once: --salt or --salt-hex, not both');
    }
    const saltless = isSaltless(info.etype);
    let salt: Uint8Array | null = null;
    let iterations: number | null = null;
    if (!saltless) {
      if (options.salt !== undefined) salt = utf8(options.salt);
      else if (options['salt-hex'] !== undefined) salt = fromHex(options['salt-hex']);
      else
        throw new UsageError(
          `missing --salt or --salt-hex (${info.name} needs a salt, e.g. EXAMPLE.TESTalice)`,
        );
      iterations =
        options.iterations !== undefined ? parseIterations(options.iterations) : info.defaultIterations;
    }

    const key = stringToKey(
      info.etype,
      options.password,
      salt ?? new Uint8Array(0),
      iterations !== null ? { iterations } : undefined,
    );
    const keyHex = toHex(key.bytes);
    if (options.json) {
      const doc = {
        etype: info.etype,
        etypeName: info.name,
        key: keyHex,
        salt: salt ? saltAsText(salt) : null,
        saltHex: salt ? toHex(salt) : null,
        iterations,
      };
      io.stdout(JSON.stringify(doc) + '\n');
    } else {
      io.stdout(keyHex + '\n');
    }
    return 0;
  },
});
