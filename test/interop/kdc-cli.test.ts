// The `krbplay kdc` command line as docs/cli.md promises it, run from the built bundle: a bad
// configuration names the field and the reason and nothing starts (exit 1), command-line mistakes are
// usage errors (exit 2), an address in use is an input error (exit 1), SIGINT and SIGTERM stop it (exit 0).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from './harness/process';
import { assertBuilt, KrbplayKdc } from './krbplay-kdc';

const BIN = fileURLToPath(new URL('../../bin/krbplay.js', import.meta.url));
const krbplay = (args: string[]) => run(process.execPath, [BIN, ...args], { timeoutMs: 60_000 });

describe('krbplay kdc: the command line', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'krbplay-kdc-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['no realms', '{"realms":[]}', 'realms: must list at least one realm'],
    [
      'a principal without a password or key',
      '{"realms":[{"name":"EXAMPLE.TEST","principals":[{"name":"alice"}]}]}',
      'realms[0].principals[0]: principal "alice" needs a password or a key',
    ],
    [
      'an unknown enctype',
      '{"realms":[{"name":"EXAMPLE.TEST","etypes":[18,"des-cbc-crc"]}]}',
      'realms[0].etypes[1]:',
    ],
    ['a bad duration', '{"realms":[{"name":"EXAMPLE.TEST","maxLife":"forever"}]}', 'realms[0].maxLife:'],
    ['not JSON', '{"realms":', 'not JSON'],
    [
      '2^24 PBKDF2 iterations, which MIT krb5 refuses too',
      '{"realms":[{"name":"EXAMPLE.TEST","principals":[{"name":"bob","password":"p","iterations":16777216}]}]}',
      'realms[0].principals[0].iterations: string-to-key refused: 16777216 PBKDF2 iterations',
    ],
  ])(
    'a bad configuration (%s): exit 1, the field and the reason, nothing starts',
    async (_what, text, says) => {
      const r = await krbplay(['kdc', '--config', file('bad.json', text), '--listen', '127.0.0.1:0']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^krbplay kdc: bad configuration /);
      expect(r.stderr).toContain(says);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).not.toContain('listening');
    },
  );

  test('a configuration file that cannot be read: exit 1', async () => {
    const r = await krbplay(['kdc', '--config', join(dir, 'missing.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read --config');
  });

  test.each([
    [['kdc'], 'missing --config'],
    [['kdc', '--config', 'x.json', '--listen', 'nowhere'], '--listen must be HOST:PORT'],
    [['kdc', '--config', 'x.json', '--kkdcp', '127.0.0.1:0', '--tls-cert', 'c.pem'], 'go together'],
    [['kdc', '--config', 'x.json', '--kkdcp-plain'], 'needs --kkdcp'],
    [['kdc', '--config', 'x.json', '--time-offset', 'soon'], '--time-offset'],
  ])('%j is a usage error (exit 2)', async (args, says) => {
    const r = await krbplay(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stderr).toContain("Try 'krbplay kdc --help'.");
  });

  test('--help shows the synopsis; the top-level help lists kdc as written', async () => {
    const r = await krbplay(['kdc', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: krbplay kdc --config FILE [--listen HOST:PORT] [--kkdcp HOST:PORT]');
    const top = await krbplay(['--help']);
    expect(top.stdout.split('Planned')[0]).toMatch(/^\s+kdc\s/m);
  });

  test('an address in use: exit 1 saying so; SIGINT and SIGTERM stop a running KDC with exit 0', async () => {
    const config = file('ok.json', '{"realms":[{"name":"EXAMPLE.TEST"}]}');
    const first = await KrbplayKdc.start({
      config: '{"realms":[{"name":"EXAMPLE.TEST"}]}',
      dir: join(dir, 'a'),
    });
    try {
      const r = await krbplay(['kdc', '--config', config, '--listen', `127.0.0.1:${first.port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('the address is in use');
    } finally {
      expect(await first.stop('SIGINT')).toBe(0);
    }
    expect(first.output).toMatch(/krbplay kdc: SIGINT: stopped after 0 requests/);
    const second = await KrbplayKdc.start({
      config: '{"realms":[{"name":"EXAMPLE.TEST"}]}',
      dir: join(dir, 'b'),
    });
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(second.output).toMatch(/krbplay kdc: SIGTERM: stopped/);
  });
});
