/**
 * The `krbplay` command's entry point (contract: docs/cli.md). bin/krbplay.js runs the bundle that
 * `npm run build:cli` makes of this file and calls main with the words after `krbplay`.
 *
 * Exit statuses, for every subcommand: 0 success; 1 a Kerberos or input error, reported as one line on
 * stderr; 2 a usage error (unknown flag or command, missing argument), one line plus a hint to --help.
 * No stack trace reaches the user unless KRBPLAY_DEBUG is set.
 */
import pkg from '../../package.json';
import { useNodeCrypto } from '../node';
import { escapeControls, escapeControlsKeepingLines, KrbPlayError } from '../util';
import { parseCommandLine, UsageError } from './args';
import { commandHelp, table, type Command, type Io } from './command';
import { COMMANDS, PLANNED } from './registry';

export type { Io } from './command';

const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/**
 * What every command writes passes through here: a control character that reached the text without being
 * escaped where it was put in (a name from a KDC, a file or a capture) is escaped now, so that no ESC
 * sequence or bidi override reaches the terminal. Newlines and tabs stay: they lay the text out.
 */
function guarded(io: Io): Io {
  return {
    stdout: (text) => io.stdout(escapeControlsKeepingLines(text)),
    stderr: (text) => io.stderr(escapeControlsKeepingLines(text)),
  };
}

export async function main(argv: readonly string[], rawIo: Io = processIo): Promise<number> {
  // OpenSSL's AES and HMAC behind every command: the same bytes as the browser's @noble, faster.
  useNodeCrypto();
  const io = guarded(rawIo);
  const first = argv[0];
  if (first === undefined) {
    io.stderr(topHelp());
    return 2;
  }
  if (first === '--help' || first === '-h') {
    io.stdout(topHelp());
    return 0;
  }
  if (first === 'help') return helpCommand(argv.slice(1), io);
  if (first === '--version' || first === '-V') {
    io.stdout(`krbplay ${pkg.version}\n`);
    return 0;
  }

  const found = findCommand(argv);
  if (!found) return usageError(io, 'krbplay', unknownCommandMessage(argv), 'krbplay --help');
  const { command, rest } = found;
  const where = `krbplay ${command.name}`;
  if (wantsHelp(rest)) {
    io.stdout(commandHelp(command));
    return 0;
  }
  try {
    const args = parseCommandLine(rest, command.options, command.positionals);
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) return usageError(io, where, err.message, `${where} --help`);
    if (err instanceof KrbPlayError) {
      io.stderr(`${where}: ${oneLine(err.message)}\n`);
      debugStack(io, err);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(
      `${where}: internal error: ${oneLine(message)} (a bug in krbplay; KRBPLAY_DEBUG=1 shows where)\n`,
    );
    debugStack(io, err);
    return 1;
  }
}

/** `krbplay help [NAME…]`, the same as `krbplay NAME --help`. */
function helpCommand(words: readonly string[], io: Io): number {
  if (words.length === 0) {
    io.stdout(topHelp());
    return 0;
  }
  const found = findCommand(words);
  if (!found || found.rest.length > 0) {
    return usageError(io, 'krbplay help', unknownCommandMessage(words), 'krbplay --help');
  }
  io.stdout(commandHelp(found.command));
  return 0;
}

/** The longest command name (one or two words) that starts argv. */
function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  for (const width of [2, 1]) {
    const name = argv.slice(0, width).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command && argv.length >= width) return { command, rest: argv.slice(width) };
  }
  return undefined;
}

function unknownCommandMessage(argv: readonly string[]): string {
  const [first = '', second] = argv;
  if (first.startsWith('-')) return `unknown option '${first}' (a subcommand comes first)`;
  const planned =
    PLANNED.find((p) => second !== undefined && p.name === `${first} ${second}`) ??
    PLANNED.find((p) => p.name === first);
  if (planned) return `'${planned.name}' is planned but not written yet (docs/cli.md says what exists)`;
  const group = [...COMMANDS, ...PLANNED].filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name);
  if (group.length > 0 && !COMMANDS.some((c) => c.name.startsWith(`${first} `))) {
    return `'${group.join("', '")}' ${group.length > 1 ? 'are' : 'is'} planned but not written yet (docs/cli.md says what exists)`;
  }
  if (group.length > 0) {
    const what = second === undefined ? 'missing' : `unknown: '${second}'`;
    return `'${first}' needs a subcommand (${what}); one of: ${group.join(', ')}`;
  }
  return `unknown command '${first}'`;
}

function wantsHelp(rest: readonly string[]): boolean {
  for (const word of rest) {
    if (word === '--') return false;
    if (word === '--help' || word === '-h') return true;
  }
  return false;
}

function usageError(io: Io, where: string, message: string, helpCommandLine: string): number {
  io.stderr(`${where}: ${oneLine(message)}\nTry '${helpCommandLine}'.\n`);
  return 2;
}

/** A message as one line; what is left of control characters (an e-text's ESC…) is escaped. */
function oneLine(message: string): string {
  return escapeControls(message.replace(/\s*\n\s*/g, ' ').trim());
}

function debugStack(io: Io, err: unknown): void {
  if (process.env.KRBPLAY_DEBUG && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
}

function topHelp(): string {
  const rows = COMMANDS.map((c) => [c.name, c.summary] as const);
  const planned = PLANNED.map((c) => [c.name, c.summary] as const);
  return [
    'krbplay: real Kerberos from the command line (the engine of the Kerberos Playground).',
    '',
    'Usage: krbplay <command> [options]',
    '       krbplay <command> --help',
    '',
    'Commands:',
    ...table(rows),
    '',
    ...(planned.length ? ['Planned (not written yet):', ...table(planned), ''] : []),
    'Exit status: 0 success, 1 Kerberos or input error, 2 usage error.',
    'Enctypes may be given as numbers or MIT names (18, aes256-cts-hmac-sha1-96, aes256-cts, rc4-hmac, …).',
    '',
  ].join('\n');
}
