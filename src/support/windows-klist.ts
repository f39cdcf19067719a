/**
 * Windows `klist` output read back into what it says: the logon session, and each cached ticket's client,
 * server, enctypes, flags, times, cache flags and the KDC it came from. Lines not understood are kept.
 */
import { pastedLines, windowsKlistTime, type PasteLimits, type PastedLine } from './paste';

/** A time as the listing shows it, and its value when it reads as one (Renew Time "0" has none). */
export interface ListedTime {
  text: string;
  ms: number | undefined;
}

export interface WindowsKlistTicket {
  /** The "#N>" number. */
  index: number;
  client?: string;
  server?: string;
  ticketEtype?: string;
  flags?: number;
  flagNames?: string[];
  start?: ListedTime;
  end?: ListedTime;
  renew?: ListedTime;
  /** "(expired)" after the End Time. */
  expired?: boolean;
  sessionKeyType?: string;
  cacheFlags?: string;
  kdcCalled?: string;
}

export interface WindowsKlist {
  logonId?: string;
  /** `klist -li ID` run from another session: "Targeted LogonId is 0:0x3e7". */
  targetedLogonId?: string;
  /** The count on the "Cached Tickets: (N)" line. */
  count?: number;
  tickets: WindowsKlistTicket[];
  /** Every line no rule read, in order, blank lines aside. */
  unread: PastedLine[];
}

type Field = (ticket: WindowsKlistTicket, value: string) => void;

const time = (value: string): ListedTime => ({ text: value, ms: windowsKlistTime(value) });

/** The ticket's fields, by the label Windows prints before the colon. */
const FIELDS: Record<string, Field> = {
  Client: (t, v) => (t.client = v),
  Server: (t, v) => (t.server = v),
  'KerbTicket Encryption Type': (t, v) => (t.ticketEtype = v),
  'Start Time': (t, v) => (t.start = time(v)),
  'End Time': (t, v) => {
    const expired = / \(expired\)$/.test(v);
    t.expired = expired;
    t.end = time(expired ? v.slice(0, -' (expired)'.length) : v);
  },
  'Renew Time': (t, v) => (t.renew = time(v)),
  'Session Key Type': (t, v) => (t.sessionKeyType = v),
  'Cache Flags': (t, v) => (t.cacheFlags = v),
  'Kdc Called': (t, v) => (t.kdcCalled = v),
};

/** "Ticket Flags 0x40e10000 -> forwardable renewable": no colon, the number then the names. */
function readFlags(ticket: WindowsKlistTicket, text: string): boolean {
  const m = /^Ticket Flags 0x([0-9a-f]{1,8})(?: -> ?(.*))?$/i.exec(text);
  if (!m) return false;
  ticket.flags = parseInt(m[1]!, 16) >>> 0;
  ticket.flagNames = (m[2] ?? '').split(/\s+/).filter(Boolean);
  return true;
}

/** One ticket line ("#0>\tClient: …" or "\tServer: …"): true when it was read into `ticket`. */
function readTicketLine(ticket: WindowsKlistTicket | undefined, text: string): boolean {
  if (!ticket) return false;
  if (readFlags(ticket, text)) return true;
  const colon = text.indexOf(':');
  if (colon < 0) return false;
  const field = FIELDS[text.slice(0, colon).trim()];
  if (!field) return false;
  field(ticket, text.slice(colon + 1).trim());
  return true;
}

/** Windows `klist` lines (numbered as pasted) into their tickets, keeping unread lines. */
export function readWindowsKlist(lines: readonly PastedLine[]): WindowsKlist {
  const out: WindowsKlist = { tickets: [], unread: [] };
  let ticket: WindowsKlistTicket | undefined;
  for (const line of lines) {
    let rest = line.text.trim();
    if (rest === '') continue;
    const targeted = /^Targeted LogonId is (\S+)$/.exec(rest);
    if (targeted) {
      out.targetedLogonId = targeted[1];
      continue;
    }
    const logon = /^Current LogonId is (\S+)$/.exec(rest);
    const count = /^Cached Tickets: \((\d+)\)$/.exec(rest);
    const entry = /^#(\d+)>\s*(.*)$/.exec(rest);
    if (logon) out.logonId = logon[1];
    else if (count) out.count = Number(count[1]);
    else {
      if (entry) {
        ticket = { index: Number(entry[1]) };
        out.tickets.push(ticket);
        rest = entry[2]!;
      }
      if (rest !== '' && !readTicketLine(ticket, rest)) out.unread.push(line);
    }
  }
  return out;
}

/** Windows `klist` (as `klist`, `klist -li 0x3e7`, any LogonId) into its tickets, keeping unread lines. */
export function parseWindowsKlist(text: string, limits?: PasteLimits): WindowsKlist {
  return readWindowsKlist(pastedLines(text, limits));
}
