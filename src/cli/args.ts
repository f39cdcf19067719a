/**
 * The one argument parser every `krbplay` subcommand shares (node:util parseArgs underneath).
 *
 * A subcommand declares its options and positionals as data; this module turns argv into typed values
 * and turns every way of getting the command line wrong into a UsageError (exit status 2, CLI.md), and
 * the same declarations print the subcommand's --help, so the help can never disagree with the parser.
 */
import { parseArgs } from 'node:util';

/** A mistake in the command line itself: unknown flag, missing argument, conflicting flags (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** What the value is called in help (`--etype E`). Strings only. */
  readonly valueName?: string;
  /** May be given more than once (`--keytab F --keytab G`); the values arrive as an array. */
  readonly multiple?: boolean;
  /** Missing is a usage error. */
  readonly required?: boolean;
  readonly help: string;
}

export interface PositionalSpec {
  readonly name: string;
  readonly required?: boolean;
  readonly help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What parseArgs gives back for a declaration: strings, booleans, or arrays of strings. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K]['multiple'] extends true
      ? string[]
      : O[K]['required'] extends true
        ? string
        : string | undefined;
};

export interface ParsedArgs<O extends OptionSpecs> {
  readonly options: OptionValues<O>;
  readonly positionals: readonly string[];
}

export function flagName(name: string): string {
  return `--${name}`;
}

/** Parses argv (the words after the subcommand's name) against a declaration. Throws UsageError. */
export function parseCommandLine<O extends OptionSpecs>(
  argv: readonly string[],
  options: O,
  positionals: readonly PositionalSpec[] = [],
): ParsedArgs<O> {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  }
  let parsed: {
    values: Record<string, string | boolean | (string | boolean)[] | undefined>;
    positionals: string[];
  };
  try {
    parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(describeParseError(err, options));
  }

  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(options)) {
    const v = parsed.values[name];
    if (spec.type === 'boolean') {
      values[name] = v === true || (Array.isArray(v) && v.length > 0);
    } else if (spec.multiple) {
      values[name] = Array.isArray(v) ? v.map(String) : [];
    } else {
      if (v === undefined && spec.required) throw new UsageError(`missing ${flagName(name)}`);
      values[name] = v;
    }
  }

  const words = parsed.positionals;
  const required = positionals.filter((p) => p.required).length;
  if (words.length < required) {
    throw new UsageError(`missing ${positionals[words.length]!.name}`);
  }
  if (words.length > positionals.length) {
    const extra = words[positionals.length]!;
    throw new UsageError(
      extra.startsWith('-') ? `unknown option '${extra}'` : `unexpected argument '${extra}'`,
    );
  }
  return { options: values as OptionValues<O>, positionals: words };
}

/** parseArgs speaks in codes and long sentences; say the same thing in one short line. */
function describeParseError(err: unknown, options: OptionSpecs): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const quoted = /'(-[^' ]*)/.exec(message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = quoted ?? message;
      const near = closestOption(name.replace(/^-+/, ''), Object.keys(options));
      return `unknown option '${name}'${near ? ` (did you mean --${near}?)` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = quoted ?? 'an option';
      if (/ambiguous/.test(message)) {
        return `${name} needs a value; to give a value that starts with '-', write ${name}=VALUE`;
      }
      if (/does not take an argument/.test(message)) return `${name} takes no value`;
      return `${name} needs a value`;
    }
    default:
      return message;
  }
}

/** The declared option a mistyped one most likely meant (edit distance ≤ 2), for the error line. */
function closestOption(typed: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(typed, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
