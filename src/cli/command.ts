/**
 * What a `krbplay` subcommand is: a name, its options and positionals as data, and a run function.
 * Each subcommand lives in its own module under ./commands and is listed once in ./registry.ts;
 * main.ts finds it, parses its command line, prints its --help and maps its errors to exit statuses.
 */
import type { OptionSpecs, ParsedArgs, PositionalSpec } from './args';

/** Where a command writes. The real process streams in bin/krbplay.js; buffers in tests. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface Command<O extends OptionSpecs = OptionSpecs> {
  /** One or two words: `string2key`, `keytab list`. */
  readonly name: string;
  /** One line for `krbplay --help`. */
  readonly summary: string;
  /** Paragraphs shown by `krbplay NAME --help` between the synopsis and the options. */
  readonly description: string;
  readonly options: O;
  readonly positionals?: readonly PositionalSpec[];
  /** Lines shown under "Examples:" in --help. */
  readonly examples?: readonly string[];
  /**
   * Does the work and returns the exit status (0, or 1 when the outcome is a failure the command has
   * already reported). Throws UsageError for command-line mistakes and KrbPlayError for Kerberos or
   * input errors; main turns those into one line on stderr and exit 2 or 1.
   */
  run(args: ParsedArgs<O>, io: Io): Promise<number> | number;
}

/** Declares a command with its option types inferred from the declaration. */
export function defineCommand<const O extends OptionSpecs>(command: Command<O>): Command<O> {
  return command;
}

/** A subcommand CLI.md promises that is not written yet: listed in --help, refused with a clear line. */
export interface PlannedCommand {
  readonly name: string;
  readonly summary: string;
}

export function synopsis(command: Command): string {
  const parts = ['krbplay', command.name];
  for (const p of command.positionals ?? []) parts.push(p.required ? p.name : `[${p.name}]`);
  for (const [name, spec] of Object.entries(command.options)) {
    const flag = spec.type === 'string' ? `--${name} ${spec.valueName ?? 'VALUE'}` : `--${name}`;
    const shown = spec.multiple ? `${flag}…` : flag;
    parts.push(spec.required ? shown : `[${shown}]`);
  }
  return parts.join(' ');
}

/** The text of `krbplay NAME --help`, made from the same declaration the parser uses. */
export function commandHelp(command: Command): string {
  const rows: [string, string][] = [];
  for (const p of command.positionals ?? []) rows.push([p.name, p.help]);
  for (const [name, spec] of Object.entries(command.options)) {
    const flag = spec.type === 'string' ? `--${name} ${spec.valueName ?? 'VALUE'}` : `--${name}`;
    rows.push([
      flag,
      spec.help + (spec.required ? ' (required)' : '') + (spec.multiple ? ' (repeatable)' : ''),
    ]);
  }
  rows.push(['--help', 'show this help']);
  const lines = [`Usage: ${synopsis(command)}`, '', command.summary, '', command.description.trim(), ''];
  lines.push('Options:', ...table(rows));
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  lines.push('', 'Exit status: 0 success, 1 Kerberos or input error, 2 usage error.');
  return lines.join('\n') + '\n';
}

export function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
