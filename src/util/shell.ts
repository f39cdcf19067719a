/**
 * Quoting for the commands the page offers to copy into a POSIX shell (sh, bash, zsh). A word inside
 * single quotes is taken literally by every POSIX shell — no `$`, backquote, backslash or glob is
 * special there — so the one character that needs care is the single quote itself, which ends the
 * quoting: it is written `'\''` (close, an escaped quote, reopen). Words made only of characters no
 * shell treats specially are left bare, so that `alice@CORP.CONTOSO.COM` reads as itself.
 */

/** Characters that are never special to a POSIX shell, in any position of a word. */
const BARE = /^[A-Za-z0-9@%+=:,./_-]+$/;

/** The word `text` as a shell reads it back exactly; the empty string is `''`. */
export function shellQuote(text: string): string {
  if (BARE.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `--name VALUE`, or `--name=VALUE` when VALUE starts with `-` (else it would read as an option). */
export function shellOption(name: string, value: string): string {
  return value.startsWith('-') ? `${name}=${shellQuote(value)}` : `${name} ${shellQuote(value)}`;
}

/**
 * A here-document's terminator that no line of `body` equals, so the body is passed through unread:
 * with the terminator quoted (`<<'EOF'`) the shell expands nothing inside it.
 */
export function hereDocTerminator(body: readonly string[], preferred: string): string {
  let word = preferred;
  for (let n = 1; body.includes(word); n++) word = `${preferred}_${n}`;
  return word;
}
