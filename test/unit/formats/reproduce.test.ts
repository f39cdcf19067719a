// The reproduce-it commands as text: what each tool is offered for (and why not otherwise), and that a
// POSIX shell reads back exactly the arguments and lines meant — passwords with spaces, quotes and `$`,
// principals with @ and / — checked by running the text in sh with the tools replaced by shell functions
// that print what they were given. (test/interop/reproduce-commands.test.ts runs the real tools.)
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  keyRecipes,
  MAX_MESSAGE_ON_COMMAND_LINE,
  partRecipes,
  scenarioRunRecipe,
  type PasswordKeySpec,
} from '../../../src/formats/reproduce';
import { fromHex, toHex, utf8 } from '../../../src/util/bytes';
import { KrbPlayInputError } from '../../../src/util/errors';
import { hereDocTerminator, shellOption, shellQuote } from '../../../src/util/shell';

/** Each tool as a shell function: its arguments NUL-separated, then its stdin; tr and cut pass it on. */
const SHIMS = [
  ...['krbplay', 'ktutil', 'klist', 'python3', 'openssl', 'rm', 'iconv'].map(
    (f) => `${f}() { printf '<${f}>'; printf '%s\\0' "$@"; cat 2>/dev/null; printf '</${f}>'; }`,
  ),
  'tr() { cat; }',
  'cut() { cat; }',
].join('\n');

/** The calls `command` makes when sh runs it: tool, arguments, stdin. */
function calls(command: string): { tool: string; args: string[]; stdin: string }[] {
  const r = spawnSync('sh', ['-c', `${SHIMS}\n${command}`], { encoding: 'utf8', input: '' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return [...r.stdout.matchAll(/<(\w+)>([\s\S]*?)<\/\1>/g)].map((m) => {
    const body = m[2]!;
    const parts = body.split('\0');
    return { tool: m[1]!, args: parts.slice(0, -1), stdin: parts.at(-1)! };
  });
}

/** The PBKDF2 step of an OpenSSL recipe, out of its TKEY=$(…) (a $(…) would drop the shims' NULs). */
function pbkdf2Line(command: string): string {
  const line = command.split('\n').find((l) => l.startsWith('TKEY=$('))!;
  return line.slice('TKEY=$('.length, -1);
}

const HOSTILE = `it's "$HOME" \`id\` \\n; $(rm -rf /) * #  `;

const alice = (etype: number, more: Partial<PasswordKeySpec> = {}): PasswordKeySpec => ({
  principal: 'alice@CORP.CONTOSO.COM',
  kvno: 1,
  etype,
  password: 'Contoso-Alice-2026!',
  salt: utf8('CORP.CONTOSO.COMalice'),
  ...more,
});

describe('shell quoting', () => {
  test('any text without NUL comes back from sh exactly', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
        (text) => {
          const r = spawnSync('sh', ['-c', `printf '%s' ${shellQuote(text)}`], { encoding: 'utf8' });
          expect(r.stdout).toBe(text);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('words no shell treats specially stay bare; the rest are single-quoted', () => {
    expect(shellQuote('alice@CORP.CONTOSO.COM')).toBe('alice@CORP.CONTOSO.COM');
    expect(shellQuote('cifs/fs1.corp.contoso.com@CORP')).toBe('cifs/fs1.corp.contoso.com@CORP');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
  });

  test('an option value starting with - is joined with =, so it cannot read as an option', () => {
    expect(shellOption('--password', '-x y')).toBe(`--password='-x y'`);
    expect(shellOption('--password', 'pw')).toBe('--password pw');
  });

  test("a here-document's terminator is never one of its lines", () => {
    expect(hereDocTerminator(['a', 'EOF'], 'EOF')).toBe('EOF_1');
    expect(hereDocTerminator(['EOF', 'EOF_1'], 'EOF')).toBe('EOF_2');
    expect(hereDocTerminator(['a'], 'EOF')).toBe('EOF');
  });
});

describe('which tools are offered for which key', () => {
  test.each([
    [17, ['krbplay', 'mit', 'openssl'], ['python']],
    [18, ['krbplay', 'mit', 'openssl'], ['python']],
    [19, ['krbplay', 'mit', 'openssl', 'python'], []],
    [20, ['krbplay', 'mit', 'openssl', 'python'], []],
    [23, ['krbplay', 'mit', 'openssl'], ['python']],
  ])('enctype %i: offered %j, not %j', (etype, offered, not) => {
    const r = keyRecipes(alice(etype));
    expect(r.offered.map((x) => x.tool)).toEqual(offered);
    expect(r.notOffered.map((x) => x.tool)).toEqual(not);
    for (const n of r.notOffered) expect(n.why.length).toBeGreaterThan(20);
  });

  test('a non-default iteration count: ktutil cannot take one, the others pass it on', () => {
    const r = keyRecipes(alice(18, { iterations: 100_000 }));
    expect(r.notOffered).toEqual([
      expect.objectContaining({ tool: 'mit', why: expect.stringMatching(/iteration/) }),
      expect.anything(),
    ]);
    const [krbplay] = calls(r.offered.find((x) => x.tool === 'krbplay')!.command);
    expect(krbplay!.args.slice(-2)).toEqual(['--iterations', '100000']);
    expect(r.offered.find((x) => x.tool === 'openssl')!.command).toMatch(/iter:100000 PBKDF2/);
    // the enctype's own default is no special count
    expect(keyRecipes(alice(18, { iterations: 4096 })).offered.map((x) => x.tool)).toContain('mit');
  });

  test('a password with a line break: not for ktutil, which reads it as one line', () => {
    const r = keyRecipes(alice(18, { password: 'two\nlines' }));
    expect(r.notOffered.map((x) => x.tool)).toContain('mit');
    const [krbplay] = calls(r.offered[0]!.command);
    expect(krbplay!.args).toContain('two\nlines');
  });

  test('a salt that is not UTF-8 text: krbplay takes it in hex, ktutil not at all', () => {
    const r = keyRecipes(alice(18, { salt: fromHex('ff00fe') }));
    expect(r.notOffered.map((x) => x.tool)).toContain('mit');
    const [krbplay] = calls(r.offered[0]!.command);
    expect(krbplay!.args.slice(-2)).toEqual(['--salt-hex', 'ff00fe']);
    expect(r.offered.find((x) => x.tool === 'openssl')!.command).toMatch(/hexsalt:ff00fe /);
  });

  test('an enctype with no recipe is a typed error', () => {
    expect(() => keyRecipes(alice(1))).toThrow(KrbPlayInputError);
    expect(() => keyRecipes(alice(99))).toThrow(/only 17, 18, 19, 20 \(AES\) and 23/);
  });
});

describe('what the shell hands each tool', () => {
  const spec = alice(18, { principal: 'odd user/host@CORP', password: HOSTILE, salt: utf8(`CORP "x" $y`) });

  test('krbplay string2key gets the password and salt as single arguments', () => {
    const [c] = calls(keyRecipes(spec).offered[0]!.command);
    expect(c).toMatchObject({
      tool: 'krbplay',
      args: [
        'string2key',
        '--etype',
        'aes256-cts-hmac-sha1-96',
        '--password',
        HOSTILE,
        '--salt',
        `CORP "x" $y`,
      ],
    });
    const dash = calls(keyRecipes(alice(23, { password: '-starts-with-dash' })).offered[0]!.command);
    expect(dash[0]!.args).toEqual(['string2key', '--etype', 'rc4-hmac', '--password=-starts-with-dash']);
  });

  test('ktutil reads addent (salt and principal in its own quoting), the password as typed, wkt, quit', () => {
    const mit = keyRecipes(spec).offered.find((x) => x.tool === 'mit')!;
    const [rm, ktutil, klist] = calls(mit.command);
    const file = 'krbplay-repro-odd_user_host@CORP-18.keytab';
    expect(rm).toMatchObject({ tool: 'rm', args: ['-f', file] });
    expect(ktutil!.stdin.split('\n')).toEqual([
      'addent -password -p "odd user/host@CORP" -k 1 -e aes256-cts-hmac-sha1-96 -s "CORP ""x"" $y"',
      HOSTILE,
      `wkt ${file}`,
      'quit',
      '',
    ]);
    expect(klist).toMatchObject({ tool: 'klist', args: ['-K', '-e', '-k', file] });
  });

  test('ktutil for rc4-hmac takes no salt; a password equal to the terminator moves the terminator', () => {
    const mit = keyRecipes(alice(23, { password: 'END_KTUTIL' })).offered.find((x) => x.tool === 'mit')!;
    const ktutil = calls(mit.command).find((c) => c.tool === 'ktutil')!;
    expect(ktutil.stdin.split('\n').slice(0, 2)).toEqual([
      'addent -password -p alice@CORP.CONTOSO.COM -k 1 -e rc4-hmac',
      'END_KTUTIL',
    ]);
  });

  test('openssl gets pass: and salt: as single arguments; RFC 8009 gets the prefixed salt in hex', () => {
    const aes1 = calls(pbkdf2Line(keyRecipes(spec).offered.find((x) => x.tool === 'openssl')!.command));
    const pbkdf2 = aes1.find((c) => c.tool === 'openssl' && c.args.at(-1) === 'PBKDF2')!;
    expect(pbkdf2.args).toEqual([
      'kdf',
      '-keylen',
      '32',
      '-kdfopt',
      'digest:SHA1',
      '-kdfopt',
      `pass:${HOSTILE}`,
      '-kdfopt',
      `salt:CORP "x" $y`,
      '-kdfopt',
      'iter:4096',
      'PBKDF2',
    ]);
    const aes2 = keyRecipes(alice(20, { password: HOSTILE })).offered.find((x) => x.tool === 'openssl')!;
    const prefixed = toHex(
      new Uint8Array([...utf8('aes256-cts-hmac-sha384-192'), 0, ...utf8('CORP.CONTOSO.COMalice')]),
    );
    const c = calls(pbkdf2Line(aes2.command)).find(
      (x) => x.tool === 'openssl' && x.args.at(-1) === 'PBKDF2',
    )!;
    expect(c.args).toContain(`hexsalt:${prefixed}`);
    expect(c.args).toContain(`pass:${HOSTILE}`);
    expect(c.args).toContain('iter:32768');
    expect(aes2.command).toMatch(
      /-kdfopt mac:HMAC -kdfopt digest:SHA384 -kdfopt hexkey:"\$TKEY" -kdfopt salt:kerberos KBKDF/,
    );
  });

  test("rc4-hmac's OpenSSL pipeline starts from the password as printf's one argument", () => {
    const r = keyRecipes(alice(23, { password: HOSTILE })).offered.find((x) => x.tool === 'openssl')!;
    expect(r.command.startsWith(`printf '%s' ${shellQuote(HOSTILE)} |`)).toBe(true);
    const printed = spawnSync('sh', ['-c', r.command.split(' | ')[0]!], { encoding: 'utf8' });
    expect(printed.stdout).toBe(HOSTILE);
  });

  test('Python gets the password as a string literal that means the same', () => {
    const py = keyRecipes(alice(19, { password: HOSTILE })).offered.find((x) => x.tool === 'python')!;
    const c = calls(py.command)[0]!;
    expect(c.args).toEqual(['-']);
    const line = c.stdin.split('\n').find((l) => l.startsWith('password = '))!;
    expect(JSON.parse(line.slice('password = '.length))).toBe(HOSTILE);
    expect(c.stdin).toMatch(/hashlib\.pbkdf2_hmac\("sha256", password\.encode\(\), salt, 32768, 16\)/);
  });
});

describe('opened parts and steps', () => {
  test('krbplay decode gets the message and the key as two hex arguments', () => {
    const message = fromHex('6b8202ab3082'.padEnd(40, '0'));
    const key = fromHex('11'.repeat(32));
    const r = partRecipes({ message, etype: 18, key });
    expect(calls(r.offered[0]!.command)[0]!.args).toEqual([
      'decode',
      toHex(message),
      '--key',
      `18:${'11'.repeat(32)}`,
    ]);
    expect(r.notOffered.map((n) => n.tool)).toEqual(['mit', 'openssl']);
  });

  test('a message too long for one argument is not offered, with the way round it', () => {
    const r = partRecipes({
      message: new Uint8Array(MAX_MESSAGE_ON_COMMAND_LINE + 1),
      etype: 18,
      key: new Uint8Array(32),
    });
    expect(r.offered).toEqual([]);
    expect(r.notOffered[0]!.why).toMatch(/--pcap/);
  });

  test('krbplay scenario run: the id, or a file name quoted, and --until in ISO-8601 with milliseconds', () => {
    const at = Date.UTC(2026, 2, 2, 8, 0, 0, 4);
    expect(calls(scenarioRunRecipe({ scenario: 'kerberos-101', until: at }).command)[0]!.args).toEqual([
      'scenario',
      'run',
      'kerberos-101',
      '--until',
      '2026-03-02T08:00:00.004Z',
    ]);
    expect(calls(scenarioRunRecipe({ scenario: "my scenario's.json" }).command)[0]!.args).toEqual([
      'scenario',
      'run',
      "my scenario's.json",
    ]);
  });
});
