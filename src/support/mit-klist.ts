/**
 * MIT `klist` read back (plain, `-f`, `-e`, `-e -f`): the cache, its default principal and each ticket's
 * times, server, client, renew-until, flags (MIT's letters, turned back into the flag bits) and enctypes.
 * Lines not understood are kept.
 */
import { ticketFlags } from '../asn1/registry';
import { pastedLines, utcTime, type PasteLimits, type PastedLine } from './paste';
import type { ListedTime } from './windows-klist';

export interface MitKlistTicket {
  start: ListedTime;
  end: ListedTime;
  server: string;
  /** "(expired)" after the server, which the playground prints at the listing's time (MIT does not). */
  expired?: boolean;
  /** "for client …": only when it is not the default principal. */
  client?: string;
  renewUntil?: ListedTime;
  /** MIT's letters ("FRIA") and the flag bits they stand for. */
  flagLetters?: string;
  flags?: number;
  skeyEtype?: string;
  ticketEtype?: string;
}

export interface MitKlist {
  cache?: string;
  defaultPrincipal?: string;
  tickets: MitKlistTicket[];
  /** "klist: No credentials cache found …" and the like. */
  error?: string;
  unread: PastedLine[];
}

const DATE = String.raw`(?:\d{2}/\d{2}/(?:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}) \d{2}:\d{2}:\d{2}`;
const TICKET = new RegExp(String.raw`^(${DATE})\s+(${DATE})\s+(\S+)(\s+\(expired\))?$`);

/**
 * MIT klist's time ("03/02/26 08:00:00" in the C locale, "03/02/2026 08:00:00" in en_US, "2026-03-02
 * 08:00:00" in ISO locales) as milliseconds on the listing's clock read as UTC: the paste has no zone.
 */
export function mitKlistTime(text: string): number | undefined {
  const us = /^(\d{2})\/(\d{2})\/(\d{2}|\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const m = us ?? iso;
  if (!m) return undefined;
  const [y, mo, d] = (us ? [us[3]!, us[1]!, us[2]!] : [m[1]!, m[2]!, m[3]!]) as [string, string, string];
  const clock = m.slice(4, 7).map(Number);
  const year = y.length === 2 ? 2000 + Number(y) : Number(y);
  return utcTime(year, Number(mo), Number(d), clock);
}

const time = (value: string): ListedTime => ({ text: value, ms: mitKlistTime(value) });

/** MIT's flag letters as the flag bits ("FRIA" → 0x40e00000); undefined when a letter is not MIT's. */
function flagsOfLetters(letters: string): number | undefined {
  let flags = 0;
  for (const letter of letters) {
    const entry = ticketFlags.entries.find((e) => e.klistChar === letter);
    if (!entry) return undefined;
    flags |= entry.mask;
  }
  return flags >>> 0;
}

/** The pieces of a detail line, each read into the ticket; what no piece reads is left over. */
const DETAILS: [RegExp, (t: MitKlistTicket, m: RegExpExecArray) => boolean][] = [
  [/for client (\S+?)(?=,|$)/, (t, m) => ((t.client = m[1]), true)],
  [new RegExp(`renew until (${DATE})`), (t, m) => ((t.renewUntil = time(m[1]!)), true)],
  [
    /Flags: ([A-Za-z]*)/,
    (t, m) => {
      t.flagLetters = m[1];
      t.flags = flagsOfLetters(m[1]!);
      return t.flags !== undefined;
    },
  ],
  [
    // MIT krb5 writes a weak enctype as DEPRECATED:arcfour-hmac; the name is what follows the prefix
    /Etype \(skey, tkt\): (?:DEPRECATED:)?([\w-]+), (?:DEPRECATED:)?([\w-]+)/,
    (t, m) => {
      [t.skeyEtype, t.ticketEtype] = [m[1], m[2]];
      return true;
    },
  ],
];

/** A tab-indented line under a ticket: true when every piece of it was read. */
function readDetail(ticket: MitKlistTicket, text: string): boolean {
  let left = text;
  for (const [re, read] of DETAILS) {
    const m = re.exec(left);
    if (m && read(ticket, m)) left = left.replace(m[0], '');
  }
  return /^[\s,]*$/.test(left);
}

/** One line of the listing outside a ticket's details: true when it was read. */
function readHeader(out: MitKlist, rest: string): boolean {
  const cache = /^(?:Ticket|Credentials) cache: (.+)$/.exec(rest);
  const principal = /^Default principal: (.+)$/.exec(rest);
  if (cache) out.cache = cache[1];
  else if (principal) out.defaultPrincipal = principal[1];
  else if (/^klist: /.test(rest)) out.error = rest;
  return (
    cache !== null ||
    principal !== null ||
    /^klist: /.test(rest) ||
    /^Valid starting\s+Expires\s+Service principal$/.test(rest)
  );
}

/** MIT `klist` lines (numbered as pasted) into the cache's tickets, keeping unread lines. */
export function readMitKlist(lines: readonly PastedLine[]): MitKlist {
  const out: MitKlist = { tickets: [], unread: [] };
  let ticket: MitKlistTicket | undefined;
  for (const line of lines) {
    const rest = line.text.trim();
    if (rest === '') continue;
    const m = TICKET.exec(rest);
    if (m) {
      ticket = { start: time(m[1]!), end: time(m[2]!), server: m[3]!, ...(m[4] ? { expired: true } : {}) };
      out.tickets.push(ticket);
    } else if (!(/^\s/.test(line.text) && ticket && readDetail(ticket, rest)) && !readHeader(out, rest))
      out.unread.push(line);
  }
  return out;
}

/** MIT `klist` output into its tickets, keeping unread lines. */
export function parseMitKlist(text: string, limits?: PasteLimits): MitKlist {
  return readMitKlist(pastedLines(text, limits));
}
