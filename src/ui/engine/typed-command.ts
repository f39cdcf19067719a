/**
 * A command line typed at a host's console, read into the timeline action it stands for
 * (`parseCommand`). A line the playground cannot read is not an exception for the page: the answer
 * carries the lines the console prints under the command (what was wrong, and how the command is
 * written), and the run is left where it was.
 */
import { CommandLineError, parseCommand, type HostOs, type ScenarioAction } from '../../scenarios';

/** The longest line a console takes; anything longer is refused before it is read. */
export const MAX_COMMAND_LINE = 1024;

export type ReadCommand = { ok: true; action: ScenarioAction } | { ok: false; error: string[] };

/**
 * The action `line` typed at `host` stands for, or the error lines the console prints. The prompt is
 * the host's system's (`os`): a Linux host reads MIT krb5's commands, a Windows host Windows'.
 */
export function readCommand(host: string, line: string, os: HostOs = 'windows'): ReadCommand {
  if (line.length > MAX_COMMAND_LINE) {
    return {
      ok: false,
      error: [
        `The command line is too long (${line.length} characters; the console takes ${MAX_COMMAND_LINE}).`,
      ],
    };
  }
  try {
    return { ok: true, action: parseCommand(host, line, undefined, os) };
  } catch (e) {
    if (!(e instanceof CommandLineError)) throw e;
    const error = [`${e.line === '' ? '(nothing typed)' : e.line}: ${e.reason}`];
    if (e.syntax) error.push(`Write it as: ${e.syntax}`);
    return { ok: false, error };
  }
}
