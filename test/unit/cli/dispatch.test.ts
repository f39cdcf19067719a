// The krbplay command as a whole: help, unknown and planned commands, exit statuses (docs/cli.md).
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureCliBuilt, krbplay } from './krbplay';

beforeAll(() => ensureCliBuilt(), 180_000);

describe('help', () => {
  test('krbplay --help lists every command of the contract, on stdout, exit 0', () => {
    const r = krbplay('--help');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: krbplay <command>/m);
    expect(r.stdout).toMatch(/^ {2}string2key +Derive a long-term key/m);
    for (const command of [
      'decode',
      'keytab list',
      'ccache list',
      'kdc',
      'kinit',
      'kvno',
      'scenario list',
      'scenario run',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${command} +\\S`, 'm'));
    }
    // every command of docs/cli.md is written: no "planned" section is left
    expect(r.stdout).not.toMatch(/Planned/);
  });

  test('krbplay help is the same as krbplay --help', () => {
    expect(krbplay('help').stdout).toBe(krbplay('--help').stdout);
  });

  test('krbplay string2key --help shows the synopsis of the contract and every option', () => {
    const r = krbplay('string2key', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^Usage: krbplay string2key --etype E --password P \[--salt TEXT\] \[--salt-hex HEX\] \[--iterations N\] \[--json\]$/m,
    );
    for (const flag of [
      '--etype E',
      '--password P',
      '--salt TEXT',
      '--salt-hex HEX',
      '--iterations N',
      '--json',
      '--help',
    ]) {
      expect(r.stdout).toContain(`  ${flag}`);
    }
    expect(krbplay('help', 'string2key').stdout).toBe(r.stdout);
  });

  test('--help wins over anything else on the line, even an unknown flag', () => {
    const r = krbplay('string2key', '--bogus', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: krbplay string2key/);
  });

  test('--version prints the package version', () => {
    const r = krbplay('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^krbplay \d+\.\d+\.\d+\n$/);
  });
});

describe('usage errors exit 2 with one line and a hint', () => {
  test('no arguments at all: the overview on stderr', () => {
    const r = krbplay();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^krbplay: real Kerberos/);
  });

  test.each([
    [['frobnicate'], "krbplay: unknown command 'frobnicate'"],
    [['--frob'], "krbplay: unknown option '--frob' (a subcommand comes first)"],
    [['help', 'frobnicate'], "krbplay help: unknown command 'frobnicate'"],
  ])('%j', (args, line) => {
    const r = krbplay(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\nTry 'krbplay --help'.\n`);
  });
});
