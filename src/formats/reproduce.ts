/**
 * Reproduce it yourself: the commands that recompute, outside the playground, a key it made from a
 * password or a part it decrypted. Each is text to paste into a POSIX shell, with every value quoted
 * (src/util/shell.ts), and says what it prints so the reader can compare. A tool that cannot do a given
 * job is not offered, and the reason is given instead of a command that would fail.
 *
 * The tools and what each can do:
 *   - krbplay (this project's CLI, docs/cli.md): `string2key` for every enctype, `decode --key` for parts.
 *   - MIT krb5 (Debian's krb5-user): `ktutil`'s `addent -password … -s SALT` makes the key into a keytab,
 *     `klist -K -e -k` prints it. ktutil takes no iteration count, reads the password as one line, and
 *     its salt as text: other keys are not offered.
 *   - OpenSSL 3 (`openssl kdf`): PBKDF2, then the RFC 3961 §5.1 DK(tkey, "kerberos") of RFC 3962 §4
 *     (KRB5KDF, AES in CBC over the n-folded constant) or RFC 8009 §4's KDF-HMAC-SHA2 (KBKDF in counter
 *     mode: i | label | 0x00 | k, SP 800-108 as RFC 8009 §3 says); rc4-hmac is MD4 over the UTF-16LE
 *     password (RFC 4757 §5), which OpenSSL 3 keeps in its legacy provider.
 *   - Python 3's standard library: hashlib.pbkdf2_hmac and hmac make the RFC 8009 keys; it has no AES
 *     (RFC 3962's DK step) and MD4 only through OpenSSL's legacy provider, so it is offered for 19 and 20.
 * Pure: builds text, runs nothing.
 */
import { findEnctype } from '../crypto/enctype-table';
import { toHex } from '../util/bytes';
import { KrbPlayInputError } from '../util/errors';
import { hereDocTerminator, shellOption, shellQuote } from '../util/shell';

export type ReproTool = 'krbplay' | 'mit' | 'openssl' | 'python';

export interface Recipe {
  tool: ReproTool;
  /** What it is, in a few words: "krbplay string2key". */
  label: string;
  /** The shell text to copy, one or more lines. */
  command: string;
  /** What it prints that should match the playground. */
  prints: string;
}

export interface NotOffered {
  tool: ReproTool;
  why: string;
}

export interface Recipes {
  offered: Recipe[];
  notOffered: NotOffered[];
}

/** A long-term key made from a password (RFC 3961 §3 string-to-key). */
export interface PasswordKeySpec {
  /** As MIT prints it: "alice@CORP.CONTOSO.COM", "cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM". */
  principal: string;
  kvno: number;
  etype: number;
  password: string;
  /** The salt's bytes (RFC 4120 §4: the realm then each name component, unless the KDC says otherwise). */
  salt: Uint8Array;
  /** The PBKDF2 count, when it is not the enctype's default. */
  iterations?: number;
}

/** The RFC 3962 and RFC 8009 enctypes, with what their string-to-key runs on. */
const AES: Record<number, { digest: 'SHA1' | 'SHA256' | 'SHA384'; cipher: string; kdf: 'dk' | 'sha2' }> = {
  17: { digest: 'SHA1', cipher: 'AES-128-CBC', kdf: 'dk' },
  18: { digest: 'SHA1', cipher: 'AES-256-CBC', kdf: 'dk' },
  19: { digest: 'SHA256', cipher: 'AES-128-CBC', kdf: 'sha2' },
  20: { digest: 'SHA384', cipher: 'AES-256-CBC', kdf: 'sha2' },
};
const RC4_HMAC = 23;
const KERBEROS_HEX = '6b65726265726f73'; // "kerberos", the constant of RFC 3962 §4 and RFC 8009 §4

/**
 * Linux refuses one argument longer than 128 KiB (MAX_ARG_STRLEN); a message's hex is twice its size,
 * so messages above this are not offered as a command-line argument.
 */
export const MAX_MESSAGE_ON_COMMAND_LINE = 60 * 1024;

const fatal = new TextDecoder('utf-8', { fatal: true });
/** The salt as text when it is UTF-8 without a NUL (ktutil's -s and krbplay's --salt take text). */
function saltText(salt: Uint8Array): string | undefined {
  try {
    const text = fatal.decode(salt);
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}

function enctypeOf(etype: number) {
  const info = findEnctype(etype);
  if (!info || (!AES[etype] && etype !== RC4_HMAC)) {
    throw new KrbPlayInputError(
      `no reproduction recipe for enctype ${etype}: only 17, 18, 19, 20 (AES) and 23 (rc4-hmac) have one`,
    );
  }
  return info;
}

/** A file name made of the principal and enctype, safe in a shell and in ktutil's command line. */
function keytabFile(spec: PasswordKeySpec): string {
  const base = spec.principal.replace(/[^A-Za-z0-9.@-]+/g, '_').slice(0, 80);
  return `krbplay-repro-${base}-${spec.etype}.keytab`;
}

/** A word for ktutil's command line (MIT's libss): inside double quotes, a quote is written twice. */
function ssQuote(text: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(text) ? text : `"${text.replace(/"/g, '""')}"`;
}

const LOWER_HEX = `tr -d ':' | tr 'A-F' 'a-f'`;

function krbplayString2key(spec: PasswordKeySpec, name: string): Recipe {
  const args = ['krbplay string2key', `--etype ${name}`, shellOption('--password', spec.password)];
  if (spec.etype !== RC4_HMAC) {
    const text = saltText(spec.salt);
    args.push(text !== undefined ? shellOption('--salt', text) : `--salt-hex ${toHex(spec.salt)}`);
    if (spec.iterations !== undefined) args.push(`--iterations ${spec.iterations}`);
  }
  return {
    tool: 'krbplay',
    label: 'krbplay string2key',
    command: args.join(' '),
    prints: 'the key, in hex',
  };
}

function mitKtutil(spec: PasswordKeySpec, name: string): Recipe | NotOffered {
  if (spec.iterations !== undefined) {
    return { tool: 'mit', why: `ktutil takes no iteration count (this key uses ${spec.iterations})` };
  }
  if (/[\r\n\0]/.test(spec.password)) {
    return { tool: 'mit', why: 'ktutil reads the password as one line; this one holds a line break or NUL' };
  }
  const salt = saltText(spec.salt);
  if (spec.etype !== RC4_HMAC && salt === undefined) {
    return { tool: 'mit', why: "ktutil's -s takes the salt as text; this salt is not UTF-8 text" };
  }
  if (salt !== undefined && /[\r\n]/.test(salt)) {
    return { tool: 'mit', why: "ktutil's command line is one line; this salt holds a line break" };
  }
  const file = keytabFile(spec);
  const addent = [
    'addent -password',
    `-p ${ssQuote(spec.principal)}`,
    `-k ${spec.kvno}`,
    `-e ${name}`,
    ...(spec.etype !== RC4_HMAC ? [`-s ${ssQuote(salt!)}`] : []),
  ].join(' ');
  // ktutil asks for the password on the line after addent; a quoted here-document passes every line
  // through unexpanded, so the password needs no quoting at all.
  const body = [addent, spec.password, `wkt ${file}`, 'quit'];
  const end = hereDocTerminator(body, 'END_KTUTIL');
  return {
    tool: 'mit',
    label: 'MIT ktutil, then klist',
    command: [`rm -f ${file}`, `ktutil <<'${end}'`, ...body, end, `klist -K -e -k ${file}`].join('\n'),
    prints: 'the keytab entry; the key is the hex after 0x',
  };
}

function opensslRecipe(spec: PasswordKeySpec, name: string): Recipe | NotOffered {
  if (spec.password.includes('\0')) {
    return { tool: 'openssl', why: 'a command-line argument cannot hold the NUL this password holds' };
  }
  if (spec.etype === RC4_HMAC) {
    return {
      tool: 'openssl',
      label: 'OpenSSL 3: MD4 of the UTF-16LE password (RFC 4757 §5)',
      command: `printf '%s' ${shellQuote(spec.password)} | iconv -f UTF-8 -t UTF-16LE | openssl dgst -md4 -provider legacy -provider default -r | cut -d ' ' -f 1`,
      prints: 'the key, in hex',
    };
  }
  const aes = AES[spec.etype]!;
  const info = enctypeOf(spec.etype);
  const keylen = info.keyLength;
  const iterations = spec.iterations ?? info.defaultIterations!;
  const lines: string[] = [];
  let saltOpt: string;
  if (aes.kdf === 'sha2') {
    // RFC 8009 §4: PBKDF2's salt is the enctype's name, a zero byte, then the salt
    const prefixed = new Uint8Array([...new TextEncoder().encode(name), 0, ...spec.salt]);
    lines.push(`# RFC 8009 §4: the salt is "${name}", a zero byte, then the principal's salt`);
    saltOpt = `hexsalt:${toHex(prefixed)}`;
  } else {
    const text = saltText(spec.salt);
    saltOpt = text !== undefined ? shellQuote(`salt:${text}`) : `hexsalt:${toHex(spec.salt)}`;
  }
  lines.push(
    `TKEY=$(openssl kdf -keylen ${keylen} -kdfopt digest:${aes.digest} -kdfopt ${shellQuote(`pass:${spec.password}`)} -kdfopt ${saltOpt} -kdfopt iter:${iterations} PBKDF2 | ${LOWER_HEX})`,
  );
  if (aes.kdf === 'dk') {
    lines.push(
      `# RFC 3962 §4: key = DK(tkey, "kerberos"), the RFC 3961 §5.1 derivation over AES`,
      `openssl kdf -keylen ${keylen} -kdfopt cipher:${aes.cipher} -kdfopt hexkey:"$TKEY" -kdfopt hexconstant:${KERBEROS_HEX} KRB5KDF | ${LOWER_HEX}`,
    );
  } else {
    lines.push(
      `# RFC 8009 §4: key = KDF-HMAC-SHA2(tkey, "kerberos", ${keylen * 8}), SP 800-108 in counter mode`,
      `openssl kdf -keylen ${keylen} -kdfopt mac:HMAC -kdfopt digest:${aes.digest} -kdfopt hexkey:"$TKEY" -kdfopt salt:kerberos KBKDF | ${LOWER_HEX}`,
    );
  }
  return {
    tool: 'openssl',
    label: `OpenSSL 3: PBKDF2, then ${aes.kdf === 'dk' ? 'KRB5KDF' : 'KBKDF'}`,
    command: lines.join('\n'),
    prints: 'the key, in hex',
  };
}

/** A Python string literal: JSON's escapes (\", \\, \n, \uXXXX) mean the same in Python. */
const pyString = (text: string) => JSON.stringify(text);

function pythonRecipe(spec: PasswordKeySpec, name: string): Recipe | NotOffered {
  const aes = AES[spec.etype];
  if (!aes || aes.kdf !== 'sha2') {
    return {
      tool: 'python',
      why:
        spec.etype === RC4_HMAC
          ? "Python's standard library has MD4 only through OpenSSL's legacy provider"
          : "Python's standard library has no AES, which RFC 3962's DK step needs",
    };
  }
  const info = enctypeOf(spec.etype);
  const keylen = info.keyLength;
  const iterations = spec.iterations ?? info.defaultIterations!;
  const text = saltText(spec.salt);
  const salt = text !== undefined ? `${pyString(text)}.encode()` : `bytes.fromhex("${toHex(spec.salt)}")`;
  const hash = aes.digest.toLowerCase();
  const body = [
    'import hashlib, hmac',
    `password = ${pyString(spec.password)}`,
    `salt = b"${name}\\x00" + ${salt}  # RFC 8009 §4`,
    `tkey = hashlib.pbkdf2_hmac("${hash}", password.encode(), salt, ${iterations}, ${keylen})`,
    `# KDF-HMAC-SHA2(tkey, "kerberos", ${keylen * 8}): HMAC of i=1 | label | 0x00 | k, cut to ${keylen} bytes`,
    `key = hmac.new(tkey, (1).to_bytes(4, "big") + b"kerberos\\x00" + (${keylen * 8}).to_bytes(4, "big"), "${hash}").digest()[:${keylen}]`,
    'print(key.hex())',
  ];
  const end = hereDocTerminator(body, 'END_PYTHON');
  return {
    tool: 'python',
    label: 'Python 3 (standard library)',
    command: [`python3 - <<'${end}'`, ...body, end].join('\n'),
    prints: 'the key, in hex',
  };
}

/** The commands that make a password's key: krbplay, MIT, OpenSSL 3, Python 3, where each can. */
export function keyRecipes(spec: PasswordKeySpec): Recipes {
  const info = enctypeOf(spec.etype);
  if (spec.iterations !== undefined && spec.iterations === info.defaultIterations) {
    spec = { ...spec };
    delete spec.iterations;
  }
  const out: Recipes = { offered: [], notOffered: [] };
  const add = (r: Recipe | NotOffered) => {
    if ('command' in r) out.offered.push(r);
    else out.notOffered.push(r);
  };
  if (spec.password.includes('\0')) {
    add({ tool: 'krbplay', why: 'a command-line argument cannot hold the NUL this password holds' });
  } else {
    add(krbplayString2key(spec, info.name));
  }
  add(mitKtutil(spec, info.name));
  add(opensslRecipe(spec, info.name));
  add(pythonRecipe(spec, info.name));
  return out;
}

/** An opened part: the message's bytes and the key that opened it. */
export interface OpenedPartSpec {
  message: Uint8Array;
  etype: number;
  key: Uint8Array;
}

/** The command that opens a part as the playground did: `krbplay decode HEX --key ETYPE:HEX`. */
export function partRecipes(spec: OpenedPartSpec): Recipes {
  if (spec.message.length > MAX_MESSAGE_ON_COMMAND_LINE) {
    return {
      offered: [],
      notOffered: [
        {
          tool: 'krbplay',
          why: `the message is ${spec.message.length} bytes, too long for one command-line argument: export the capture and its keytab, and run krbplay decode --pcap FILE --keytab FILE`,
        },
      ],
    };
  }
  return {
    offered: [
      {
        tool: 'krbplay',
        label: 'krbplay decode',
        command: `krbplay decode ${toHex(spec.message)} --key ${spec.etype}:${toHex(spec.key)}`,
        prints: `the message, this part marked "[decrypted with key given (--key ${spec.etype}) …]" and its plaintext's fields`,
      },
    ],
    notOffered: [
      { tool: 'mit', why: 'MIT krb5 has no command that decrypts a message given as bytes' },
      {
        tool: 'openssl',
        why: "decrypting needs the key usage's derived keys and AES-CTS (RFC 3962 §6), which openssl's command line lacks",
      },
    ],
  };
}

/** The command that plays a scenario up to a step: `krbplay scenario run ID|FILE [--until TIME]`. */
export function scenarioRunRecipe(spec: {
  /** A catalogue id, or the name of a scenario file. */
  scenario: string;
  /** The virtual time to stop at (ms since the epoch); none for the whole run. */
  until?: number;
}): Recipe {
  const until = spec.until !== undefined ? ` --until ${new Date(spec.until).toISOString()}` : '';
  return {
    tool: 'krbplay',
    label: 'krbplay scenario run',
    command: `krbplay scenario run ${shellQuote(spec.scenario)}${until}`,
    prints: 'the events up to this step, then the clients’ klist and the outcomes',
  };
}
