// The shared argument parser every krbplay subcommand uses (src/cli/args.ts), in process.
import { describe, expect, test } from 'vitest';
import { parseCommandLine, UsageError } from '../../../src/cli/args';

const options = {
  keytab: { type: 'string', valueName: 'FILE', multiple: true, help: 'a keytab' },
  kdc: { type: 'string', valueName: 'ADDR', required: true, help: 'the KDC' },
  json: { type: 'boolean', help: 'JSON' },
} as const;
const positionals = [
  { name: 'SPN', required: true, help: 'the service' },
  { name: 'EXTRA', help: 'optional' },
];

function usageMessage(argv: string[]): string {
  try {
    parseCommandLine(argv, options, positionals);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandLine', () => {
  test('typed values: repeatable strings as arrays, booleans, positionals in order', () => {
    const { options: o, positionals: p } = parseCommandLine(
      ['host/a@R', '--keytab', 'a.kt', '--kdc=127.0.0.1:88', '--keytab', 'b.kt', '--json'],
      options,
      positionals,
    );
    expect(o).toEqual({ keytab: ['a.kt', 'b.kt'], kdc: '127.0.0.1:88', json: true });
    expect(p).toEqual(['host/a@R']);
  });

  test('absent optional values: empty array, false', () => {
    const { options: o } = parseCommandLine(['x', '--kdc', 'k'], options, positionals);
    expect(o).toEqual({ keytab: [], kdc: 'k', json: false });
  });

  test('-- ends the options', () => {
    const { positionals: p } = parseCommandLine(['--kdc', 'k', '--', '--not-a-flag'], options, positionals);
    expect(p).toEqual(['--not-a-flag']);
  });

  test.each([
    [['x'], 'missing --kdc'],
    [['--kdc', 'k'], 'missing SPN'],
    [['x', 'y', 'z', '--kdc', 'k'], "unexpected argument 'z'"],
    [['x', '--kdc', 'k', '--jsno'], "unknown option '--jsno' (did you mean --json?)"],
    [['x', '--kdc', 'k', '--zzzzzz'], "unknown option '--zzzzzz'"],
    [['x', '--kdc'], '--kdc needs a value'],
    [['x', '--kdc', 'k', '--json=1'], '--json takes no value'],
    [['x', '--kdc', '-k'], "--kdc needs a value; to give a value that starts with '-', write --kdc=VALUE"],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(usageMessage(argv)).toBe(message);
  });
});
