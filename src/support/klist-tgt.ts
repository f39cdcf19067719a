/**
 * Windows `klist tgt` read back: the logon session's TGT as the LSA shows it, field by field ("ClientName
 * : alice", "TimeSkew : + 0:00 minute(s)"), or the error Windows prints when the session holds none.
 * Lines not understood are kept.
 */
import { pastedLines, windowsKlistTime, type PasteLimits, type PastedLine } from './paste';
import type { ListedTime } from './windows-klist';

export interface KlistTgt {
  logonId?: string;
  serviceName?: string;
  targetName?: string;
  clientName?: string;
  domainName?: string;
  targetDomainName?: string;
  altTargetDomainName?: string;
  flags?: number;
  flagNames?: string[];
  sessionKeyType?: string;
  keyLength?: number;
  start?: ListedTime;
  end?: ListedTime;
  expired?: boolean;
  renew?: ListedTime;
  /** "TimeSkew : + 1:30 minute(s)" as signed minutes (90). */
  timeSkewMinutes?: number;
  encodedTicketSize?: number;
  /** The LSA's error when the session holds no TGT ("Error calling API LsaCallAuthenticationPackage …"). */
  error?: string;
  unread: PastedLine[];
}

const time = (value: string): ListedTime => ({ text: value, ms: windowsKlistTime(value) });

/** "+ 0:00" or "- 1:30" (hours:minutes) as minutes; undefined when it is not that shape. */
function skewMinutes(value: string): number | undefined {
  const m = /^([+-]) ?(\d{1,4}):(\d{2}) minute\(s\)$/.exec(value);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

type Field = (tgt: KlistTgt, value: string) => boolean;
const text =
  (
    key:
      'serviceName' | 'targetName' | 'clientName' | 'domainName' | 'targetDomainName' | 'altTargetDomainName',
  ) =>
  (tgt: KlistTgt, value: string) => {
    tgt[key] = value;
    return true;
  };

/** The fields by the label before the colon (the label is padded to the colon in Windows' output). */
const FIELDS: Record<string, Field> = {
  ServiceName: text('serviceName'),
  'TargetName (SPN)': text('targetName'),
  ClientName: text('clientName'),
  DomainName: text('domainName'),
  TargetDomainName: text('targetDomainName'),
  AltTargetDomainName: text('altTargetDomainName'),
  'Ticket Flags': (t, v) => {
    const m = /^0x([0-9a-f]{1,8})(?: -> ?(.*))?$/i.exec(v);
    if (!m) return false;
    t.flags = parseInt(m[1]!, 16) >>> 0;
    t.flagNames = (m[2] ?? '').split(/\s+/).filter(Boolean);
    return true;
  },
  'Session Key': (t, v) => {
    const type = /^KeyType 0x[0-9a-f]+ - (.+)$/i.exec(v);
    const length = /^KeyLength (\d+)$/.exec(v);
    if (type) t.sessionKeyType = type[1];
    else if (length) t.keyLength = Number(length[1]);
    return type !== null || length !== null;
  },
  StartTime: (t, v) => ((t.start = time(v)), true),
  EndTime: (t, v) => {
    t.expired = / \(expired\)$/.test(v);
    t.end = time(t.expired ? v.slice(0, -' (expired)'.length) : v);
    return true;
  },
  RenewUntil: (t, v) => ((t.renew = time(v)), true),
  TimeSkew: (t, v) => {
    t.timeSkewMinutes = skewMinutes(v);
    return t.timeSkewMinutes !== undefined;
  },
  EncodedTicket: (t, v) => {
    const m = /^\(size: (\d+)\)/.exec(v);
    if (m) t.encodedTicketSize = Number(m[1]);
    return m !== null;
  },
};

/** One line of `klist tgt`: true when it was read into `tgt`. A blank label continues the last one. */
function readLine(tgt: KlistTgt, rest: string, last: string | undefined): string | undefined {
  const logon = /^(?:Current|Targeted) LogonId is (\S+)$/.exec(rest);
  if (logon) {
    tgt.logonId = logon[1];
    return 'LogonId';
  }
  if (rest === 'Cached TGT:') return 'Cached TGT';
  if (/^Error calling API LsaCallAuthenticationPackage/.test(rest)) {
    tgt.error = rest;
    return 'error';
  }
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  const label = rest.slice(0, colon).trim() || last;
  // own names only: a pasted "__proto__:" is a line not understood, not a lookup
  const field = label !== undefined && Object.hasOwn(FIELDS, label) ? FIELDS[label] : undefined;
  return field?.(tgt, rest.slice(colon + 1).trim()) ? label : undefined;
}

/** `klist tgt` lines (numbered as pasted) into the TGT they show. */
export function readKlistTgt(lines: readonly PastedLine[]): KlistTgt {
  const out: KlistTgt = { unread: [] };
  let last: string | undefined;
  for (const line of lines) {
    const rest = line.text.trim();
    if (rest === '') continue;
    const label = readLine(out, rest, last);
    if (label === undefined) out.unread.push(line);
    else last = label;
  }
  return out;
}

/** `klist tgt` output into the TGT it shows, keeping unread lines. */
export function parseKlistTgt(text: string, limits?: PasteLimits): KlistTgt {
  return readKlistTgt(pastedLines(text, limits));
}
