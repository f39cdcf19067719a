/**
 * Text a customer pasted (klist, dsregcmd, setspn output): split into bounded lines, with the lines no
 * reader understood kept, numbered, for the page to show. Pure: no I/O, no clock.
 */
import { KrbPlayError } from '../util/errors';

/** A paste that cannot be read: too large, too many lines, a line too long. */
export class PasteError extends KrbPlayError {
  constructor(message: string) {
    super('input', `paste: ${message}`);
  }
}

/** The bounds a paste must stay within, checked before anything is parsed. */
export interface PasteLimits {
  maxChars: number;
  maxLines: number;
  maxLineLength: number;
}

/** A klist of hundreds of tickets or a full dsregcmd report fits easily; a log file does not. */
export const PASTE_LIMITS: PasteLimits = { maxChars: 512 * 1024, maxLines: 10_000, maxLineLength: 2048 };

/** One line of the paste, numbered from 1 as an editor shows it. */
export interface PastedLine {
  line: number;
  text: string;
}

/**
 * A saved paste's bytes as text. Windows PowerShell 5.1 writes `klist > case.txt` as UTF-16LE with a byte
 * order mark, cmd and PowerShell 7 write UTF-8: a mark says which; without one the bytes must be UTF-8.
 */
export function pastedFileText(bytes: Uint8Array): string {
  const [a, b, c] = bytes;
  const label = a === 0xff && b === 0xfe ? 'utf-16le' : a === 0xfe && b === 0xff ? 'utf-16be' : 'utf-8';
  try {
    // the decoder drops the byte order mark itself
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    throw new PasteError(
      label === 'utf-8'
        ? `the file is not text: ${a === 0xef && b === 0xbb && c === 0xbf ? 'UTF-8 with a bad byte' : 'neither UTF-8 nor UTF-16 with a byte order mark'}`
        : `the file starts as ${label.toUpperCase()} text but holds a bad character`,
    );
  }
}

/** The paste as numbered lines (CRLF or LF), or a PasteError naming the bound it broke. */
export function pastedLines(text: string, limits: PasteLimits = PASTE_LIMITS): PastedLine[] {
  if (text.length > limits.maxChars)
    throw new PasteError(`${text.length} characters pasted, at most ${limits.maxChars} are read`);
  const raw = text.split(/\r?\n/);
  if (raw.length > limits.maxLines)
    throw new PasteError(`${raw.length} lines pasted, at most ${limits.maxLines} are read`);
  return raw.map((t, i) => {
    if (t.length > limits.maxLineLength)
      throw new PasteError(
        `line ${i + 1} has ${t.length} characters, at most ${limits.maxLineLength} are read`,
      );
    return { line: i + 1, text: t };
  });
}

/**
 * A time as Windows klist writes it ("3/2/2026 8:00:00 (local)", or with AM/PM), as milliseconds on the
 * customer's own wall clock read as UTC: the paste does not say the time zone. Undefined when it is no time.
 */
export function windowsKlistTime(text: string): number | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AP]M))?(?: \(local\))?$/i.exec(
    text.trim(),
  );
  if (!m) return undefined;
  const [, mo, d, y, h, mi, s, ampm] = m;
  let hour = Number(h);
  if (ampm) hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  return utcTime(Number(y), Number(mo), Number(d), [hour, Number(mi), Number(s)]);
}

/** The customer's UTC offsets a paste may be read at, in minutes: UTC-12:00 to UTC+14:00, as time zones go. */
export const UTC_OFFSET_RANGE = { min: -12 * 60, max: 14 * 60 } as const;

/**
 * "+02:00", "-05:30", "+2", "UTC+05:45" or "0" as minutes east of UTC; a PasteError for anything else or
 * an offset no time zone has (beyond UTC-12:00 or UTC+14:00).
 */
export function parseUtcOffset(text: string): number {
  const m = /^(?:UTC)?\s*([+-])?(\d{1,2})(?::?(\d{2}))?$/i.exec(text.trim());
  const minutes = m ? Number(m[2]) * 60 + Number(m[3] ?? 0) : NaN;
  if (!m || (m[3] !== undefined && Number(m[3]) > 59) || (m[1] === undefined && minutes !== 0))
    throw new PasteError(`'${text.slice(0, 40)}' is not a UTC offset: write it as +02:00 or -05:30`);
  const offset = m[1] === '-' ? -minutes : minutes;
  if (offset < UTC_OFFSET_RANGE.min || offset > UTC_OFFSET_RANGE.max)
    throw new PasteError(
      `${formatUtcOffset(offset)} is beyond the time zones there are (UTC-12:00 to UTC+14:00)`,
    );
  return offset;
}

/** Minutes east of UTC as "UTC+02:00". */
export function formatUtcOffset(minutes: number): string {
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** A date and a time of day as UTC milliseconds; undefined when a part is out of range (13/45/2026). */
export function utcTime(year: number, mo: number, d: number, [h, mi, s, ms]: number[]): number | undefined {
  if (mo < 1 || mo > 12 || h! > 23 || mi! > 59 || s! > 59) return undefined;
  const t = Date.UTC(year, mo - 1, d, h!, mi!, s!, ms ?? 0);
  return new Date(t).getUTCDate() === d ? t : undefined;
}
