/**
 * Tab completion at a console's prompt, as a pure function of the line and what the world has: the
 * first words complete to the prompt's commands ("klist g" → "klist get "), the words after them to
 * SPNs, host names and shares (`\\server\share`), each in the place the command takes it. One match
 * fills the word in; several fill in what they share and are listed.
 */
import type { Vocabulary } from '../engine/protocol';
import { byName } from '../../util/order';

export type { Vocabulary };

export interface Completion {
  /** The line with the word completed as far as the matches agree. */
  line: string;
  /** Every match, when there is more than one (nothing to list otherwise). */
  options: string[];
}

/** The longest start every word shares, compared without case (the first word's own case is kept). */
function sharedStart(words: readonly string[]): string {
  let end = words[0]!.length;
  for (const w of words.slice(1)) {
    let i = 0;
    while (i < end && i < w.length && w[i]!.toLowerCase() === words[0]![i]!.toLowerCase()) i++;
    end = i;
  }
  return words[0]!.slice(0, end);
}

const startsWith = (word: string, typed: string) => word.toLowerCase().startsWith(typed.toLowerCase());

/** What the words after `command` may be: its own kind of argument, else anything the world names. */
function poolFor(command: string, word: string, v: Vocabulary): readonly string[] {
  if (word.startsWith('\\')) return v.shares;
  switch (command.toLowerCase()) {
    case 'klist get':
      return v.spns;
    case 'net use':
      return v.shares;
    case 'test-netconnection':
      return v.hosts;
    default:
      return [...v.spns, ...v.hosts, ...v.shares];
  }
}

/** Fills `typed` (the line's last word) from `pool`, the rest of the line (`head`) kept. */
function fill(head: string, typed: string, pool: readonly string[]): Completion {
  const matches = [...new Set(pool.filter((w) => startsWith(w, typed)))].sort(byName);
  if (matches.length === 0) return { line: head + typed, options: [] };
  if (matches.length === 1) return { line: `${head}${matches[0]} `, options: [] };
  const shared = sharedStart(matches);
  return { line: head + (shared.length > typed.length ? shared : typed), options: matches };
}

/** The line completed at its end (where the caret is when Tab is pressed). */
export function completeLine(line: string, v: Vocabulary): Completion {
  const lead = /^\s*/.exec(line)![0];
  const body = line.slice(lead.length);
  // a command name being typed (one word, or the start of "klist get", "whoami /groups")
  const commands = v.commands.filter((c) => startsWith(c, body) && c.length > body.length);
  if (body === '' || commands.length > 0) {
    const done = fill(lead, body, v.commands);
    // "klist" alone is a command too: its longer names are listed without eating it
    return done.options.length === 0 && commands.length === 0 ? { line, options: [] } : done;
  }
  const command = [...v.commands].sort((a, b) => b.length - a.length).find((c) => startsWith(body, `${c} `));
  if (!command) return { line, options: [] };
  const cut = line.search(/\S*$/);
  const head = line.slice(0, cut);
  const word = line.slice(cut);
  return fill(head, word, poolFor(command, word, v));
}
