/**
 * Text from the wire or from a file, made safe to print in a log line or on a terminal. A KerberosString
 * may hold any character (RFC 4120 §5.2.1 allows general strings; MIT and Windows accept most), so a
 * client name, a realm, an e-text or a KDC proxy's target-domain can carry a newline that forges a log
 * line, an ESC sequence that a terminal obeys (colours, cursor moves, window titles), or a bidi override
 * that shows the line's characters in another order than they are.
 *
 * Escaped: C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F), the line and paragraph separators
 * (U+2028, U+2029) and the bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
 * They become `\n`, `\r`, `\t` or `\uXXXX`, the spelling JSON uses, so that an escaped JSON document stays
 * JSON with the same value. The backslash itself is left alone: principal names already quote it as MIT
 * does (`a\\b`), and `DOMAIN\user` should read as it is. Escaping twice changes nothing.
 */

// eslint-disable-next-line no-control-regex -- control characters are what this finds
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, minus newline and tab: for whole documents whose lines and columns are their own. */
const UNSAFE_KEEPING_LINES =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One line's worth of text (a name, a field's value, a log line): every control character escaped. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * A whole text of lines (a command's output): control characters escaped except the newlines and tabs
 * that lay it out. Names inside it must have been escaped with escapeControls already, or a newline in
 * one still starts a line.
 */
export function escapeControlsKeepingLines(text: string): string {
  return text.replace(UNSAFE_KEEPING_LINES, escapeOne);
}
