/**
 * A command line typed at a host's console, read into the timeline action it stands for
 * (`parseCommand`). A line the playground cannot read is not an exception for the page: the answer
 * carries the lines the console prints under the command (what was wrong, and how the command is
 * written), and the run is left where it was.
 */
import {
  CommandLineError,
  parseCommand,
  readShellLine,
  ShellRefusal,
  type ScenarioAction,
  type ShellKind,
} from '../../scenarios';

/** The longest line a console takes; anything longer is refused before it is read. */
export const MAX_COMMAND_LINE = 1024;

export type ReadCommand = { ok: true; action: ScenarioAction } | { ok: false; error: string[] };

/**
 * The action `line` typed at `host`'s prompt (cmd or PowerShell, or a Linux host's shell, which reads
 * MIT krb5's tools) stands for, or the lines the console prints: the prompt's or the tool's own error,
 * then what the playground takes.
 */
export function readCommand(host: string, line: string, shell: ShellKind | 'linux' = 'cmd'): ReadCommand {
  if (line.length > MAX_COMMAND_LINE) {
    return {
      ok: false,
      error: [
        `The command line is too long (${line.length} characters; the console takes ${MAX_COMMAND_LINE}).`,
      ],
    };
  }
  try {
    if (shell === 'linux') return { ok: true, action: parseCommand(host, line, undefined, 'linux') };
    return { ok: true, action: readShellLine(host, line, shell) };
  } catch (e) {
    if (e instanceof ShellRefusal) return { ok: false, error: [...e.lines] };
    if (!(e instanceof CommandLineError)) throw e;
    return { ok: false, error: [e.reason, ...(e.syntax ? [`Write it as: ${e.syntax}`] : [])] };
  }
}
