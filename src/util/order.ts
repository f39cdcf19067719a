/**
 * Names in a dictionary order: letters compared without case, a lower-case letter first on a tie, the rest
 * by their character codes. For names of letters, digits, '-', '.' and '/' (the prompts' command names, the
 * catalogue's hosts and SPNs) it is the order `localeCompare` gives (tests compare the two); where ICU ranks
 * punctuation apart ('_', '@', '$' or a share's '\\' beside a digit, accented letters) the two may
 * differ, which only changes the order of a list the user reads. It spares what `localeCompare` costs the
 * first time a thread calls it: building an ICU collator, 15-170 ms in a fresh browser thread, on the
 * path of the engine's first answer and of the page's first Tab completion.
 */
export function byName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a === b ? 0 : a > b ? -1 : 1;
}
