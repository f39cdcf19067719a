// The krbplay command as a whole: help, unknown and planned commands, exit statuses (docs/cli.md).
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureCliBuilt, krbplay } from './krbplay';

beforeAll(() => ensureCliBuilt(), 180_000);

describe('help', () => {
  test('krbplay --help lists the written commands and the planned ones, on stdout, exit 0', () => {
    const r = krbplay('--help');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: krbplay <command>/m);
    expect(r.stdout).toMatch(/^ {2}string2key +Derive a long-term key/m);
    expect(r.stdout).toMatch(/^ {2}decode +Decode Kerberos messages/m);
    expect(r.stdout).toMatch(/Planned \(not written yet\):[\s\S]*scenario list[\s\S]*scenario run/);
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
    [
      ['scenario', 'list'],
      "krbplay: 'scenario list' is planned but not written yet (docs/cli.md says what exists)",
    ],
    [['help', 'frobnicate'], "krbplay help: unknown command 'frobnicate'"],
  ])('%j', (args, line) => {
    const r = krbplay(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\nTry 'krbplay --help'.\n`);
  });
});
