/**
 * What an entry of the action table says. Each kind of timeline action is one entry, and the entry is
 * everything about it: its fields (how a scenario file writes it — read and checked through the schema's
 * shapes, so the validator and the reference know them), its title on the page's step bar, its command
 * line at the host's prompt (printed, and parsed back from what a person types), and how it runs on the
 * world. The validator, the runner, the page's player and console, and docs/scenarios.md all read the
 * entries (actions/index.ts gathers them); adding a kind of action is one entry in one file of actions/.
 */
import { KrbPlayError } from '../util/errors';
import type { World } from '../world';
import { emptyKnown, ScenarioError, type Fields, type Infer, type Known, type Shape } from './shape';

/** What any action may carry beside its own fields. */
export type ActionBase = {
  /** Outcomes refer to an action by its id. */
  id?: string;
  /** Run at this time: ISO-8601 UTC, or "+DURATION" after the start (the clock advances to it). */
  at?: string;
  /** Shown in the trace beside the action. */
  note?: string;
};

/** What an action came to, as the console and the outcomes see it. */
export interface ActionOutcome {
  ok: boolean;
  /** What the console printed, one line. */
  output: string;
  errorCode?: number;
  windowsError?: number;
  /** The ticket came from the credential cache. */
  fromCache?: boolean;
  /** The realm of the ticket obtained (its server's realm). */
  realm?: string;
}

/** An action's run: its outcome, and whether it was cut short (an advance stopped by --until). */
export interface ActionRun extends ActionOutcome {
  partial?: boolean;
}

export interface RunContext {
  /** This action's field in the file ("timeline[3].principal"), for an error in the scenario's own data. */
  field(name: string): string;
  /** An advance stops at this virtual time (the runner's --until). */
  until?: number;
}

/**
 * A command line that names a command but cannot be one: a word missing or too many, a value that is not
 * what the command takes, a command the prompt does not know. `reason` says it to a learner; `syntax`
 * is how the command is written, when the command was recognised.
 */
export class CommandLineError extends KrbPlayError {
  readonly line: string;
  readonly reason: string;
  readonly syntax: string | undefined;
  constructor(line: string, reason: string, syntax?: string) {
    super('command', `${line}: ${reason}${syntax ? ` (write it as: ${syntax})` : ''}`);
    this.line = line;
    this.reason = reason;
    this.syntax = syntax;
  }
}

/** The system a client host runs: its prompt reads that system's commands. */
export type HostOs = 'windows' | 'linux';

/** How a person types the action at the host's prompt. */
export interface CommandLine<A> {
  /**
   * The words that name the command ("net use", "klist get", "klist"), matched in any case as Windows
   * matches them; the entry whose name is the longest match of what was typed reads the rest.
   */
  readonly name: string;
  /** The syntax, as help shows it ("net use [X:] \\server\share"). */
  readonly syntax: string;
  /** Typed at this prompt only (cmd's own `set`, PowerShell's cmdlets); absent: a program both run. */
  readonly shell?: 'cmd' | 'powershell';
  /**
   * The system whose prompt reads it (default "windows", where names match in any case); a "linux"
   * command is read only at a Linux host's prompt, and its name must be typed exactly.
   */
  readonly os?: HostOs;
  print(a: A): string;
  /**
   * The action's fields from the words typed after the command's name (the host is where it was typed).
   * A word that does not fit is refused through `bad`, which throws a CommandLineError saying why.
   */
  parse(args: readonly string[], bad: (reason: string) => never): Omit<A, 'host'>;
}

/** What an action does to the clocks: the validator walks them to keep every clock in range. */
export type ClockEffect =
  | { advance: number; field: string; text: string }
  | { offset: number; host: string; field: string; text: string };

export interface ActionEntry<K extends string, F extends Fields> {
  readonly do: K;
  /** One sentence for the reference: what happens. */
  readonly about: string;
  /** The action's own fields, in the order they are read and listed. */
  readonly fields: F;
  /** A check between fields, once each is read (a link joins two different hosts). */
  check?(a: Infer<F>, path: string, known: Known): void;
  /** The step bar's words for it ("ws1> klist get cifs/fs1"); `users` maps client hosts to their users. */
  title(a: Infer<F>, users: ReadonlyMap<string, string>): string;
  readonly command?: CommandLine<Infer<F>>;
  /** Runs it. Errors in the scenario's own data throw ScenarioError (cx.field names the field). */
  run(world: World, a: Infer<F> & ActionBase, cx: RunContext): ActionRun;
  /** What it does to the clocks, if anything. */
  clock?(a: Infer<F>): ClockEffect | undefined;
  /** The password it types on its host, if any (the page makes costly keys from it ahead). */
  password?(a: Infer<F>): string | undefined;
}

/** An entry, its types inferred from its fields. */
export function defineAction<K extends string, F extends Fields>(
  entry: ActionEntry<K, F>,
): ActionEntry<K, F> {
  return entry;
}

/**
 * Any entry, its action's type erased: the table calls an entry only with an action whose `do` picked
 * that entry, so the action is passed `as never`.
 */
export interface AnyActionEntry {
  readonly do: string;
  readonly about: string;
  readonly fields: Fields;
  check?(a: never, path: string, known: Known): void;
  title(a: never, users: ReadonlyMap<string, string>): string;
  readonly command?: {
    readonly name: string;
    readonly syntax: string;
    readonly shell?: 'cmd' | 'powershell';
    readonly os?: HostOs;
    print(a: never): string;
    parse(args: readonly string[], bad: (reason: string) => never): object;
  };
  run(world: World, a: never, cx: RunContext): ActionRun;
  clock?(a: never): ClockEffect | undefined;
  password?(a: never): string | undefined;
}

/** The action an entry describes, as the scenario file writes it (without the common fields). */
export type ActionOf<E> = E extends ActionEntry<infer K, infer F> ? { do: K } & Infer<F> : never;

/** Words typed at a prompt, split as cmd splits them (no quoting is needed by any command here). */
export const words = (line: string): string[] =>
  line
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');

/** Windows matches command names and switches in any case. */
export const sameWord = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();

/** A command that takes nothing after its name. */
export const noArgs = (args: readonly string[], bad: (reason: string) => never): Record<string, never> => {
  if (args.length > 0) bad(`takes nothing after it, not "${args.join(' ')}"`);
  return {};
};

/**
 * A typed word read through a field's shape (the one the scenario file is checked with), so that the
 * console refuses what the validator would, in the same words. Only shapes that need nothing else of the
 * file (a UNC path, a drive, an SPN); a host or realm is checked with the whole action (parseCommand).
 */
export function word<T>(s: Shape<T>, typed: string | number, bad: (reason: string) => never): T {
  try {
    return s.read(typed, 'word', emptyKnown());
  } catch (e) {
    if (e instanceof ScenarioError) bad(e.reason);
    throw e;
  }
}
