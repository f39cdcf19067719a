/**
 * A pasted case: one text holding any of `klist`, `klist tgt`, MIT `klist`, `dsregcmd /status` and
 * `setspn -L` output, one after the other. Each command's output is found by the lines it starts with and
 * read by its own reader; a line outside every output, and a line a reader did not understand, is kept.
 */
import { readDsregcmd, type Dsregcmd } from './dsregcmd';
import { readKlistTgt, type KlistTgt } from './klist-tgt';
import { readMitKlist, type MitKlist } from './mit-klist';
import { PasteError, pastedLines, UTC_OFFSET_RANGE, type PasteLimits, type PastedLine } from './paste';
import { readSetspn, type Setspn } from './setspn';
import { readWindowsKlist, type WindowsKlist } from './windows-klist';

export type PastedKind = 'windows-klist' | 'klist-tgt' | 'mit-klist' | 'dsregcmd' | 'setspn';

/** Where one command's output sits in the paste (lines `from` to `to`, numbered from 1). */
export interface PastedSection {
  kind: PastedKind;
  from: number;
  to: number;
}

export interface PastedCase {
  sections: PastedSection[];
  windowsKlists: WindowsKlist[];
  klistTgts: KlistTgt[];
  mitKlists: MitKlist[];
  dsregcmds: Dsregcmd[];
  setspns: Setspn[];
  /** Every line no reader understood, in order, from every section and from outside them. */
  unread: PastedLine[];
  /**
   * The customer's UTC offset in minutes the klist times were read at (klist prints local time,
   * dsregcmd UTC); 0 when none was given, and then the klist times are read as UTC.
   */
  utcOffset: number;
}

/** What a command's output starts with (after a "Current LogonId is" line, for Windows klist). */
const STARTS: [RegExp, PastedKind][] = [
  [/^Cached Tickets: \(\d+\)$/, 'windows-klist'],
  [/^Cached TGT:$/, 'klist-tgt'],
  [/^(?:Ticket|Credentials) cache: /, 'mit-klist'],
  [/^klist: No credentials cache found/, 'mit-klist'],
  [/^\+-{10,}\+$/, 'dsregcmd'],
  [/^(?:AzureAdJoined|DomainJoined|AzureAdPrt|CloudTgt) : /, 'dsregcmd'],
  [/^Registered ServicePrincipalNames? for /, 'setspn'],
];
const LOGON = /^(?:Current|Targeted) LogonId is /;
const LSA_ERROR = /^Error calling API LsaCallAuthenticationPackage/;

/** The kind a line starts, or undefined when it continues the section it is in. */
function startOf(rest: string, current: PastedKind | undefined): PastedKind | undefined {
  const kind = STARTS.find(([re]) => re.test(rest))?.[1];
  // a dsregcmd report is several boxes and a setspn listing several accounts: they do not restart
  if (kind === current && (kind === 'dsregcmd' || kind === 'setspn')) return undefined;
  return kind;
}

/** The paste cut into its commands' outputs: a LogonId line goes with the output it heads. */
export function pastedSections(lines: readonly PastedLine[]): PastedSection[] {
  const sections: PastedSection[] = [];
  let pendingLogon: number | undefined;
  for (const { line, text } of lines) {
    const rest = text.trim();
    const current = sections.at(-1);
    if (LOGON.test(rest)) {
      pendingLogon ??= line;
      continue;
    }
    const kind =
      LSA_ERROR.test(rest) && pendingLogon !== undefined ? 'klist-tgt' : startOf(rest, current?.kind);
    if (kind) sections.push({ kind, from: pendingLogon ?? line, to: line });
    else if (current && rest !== '' && pendingLogon === undefined) current.to = line;
    if (rest !== '') pendingLogon = undefined;
  }
  return sections;
}

/**
 * A paste with any of the commands' outputs read into what each says, keeping every unread line. The
 * klist outputs' times (Windows and MIT klist print the customer's local time) are taken at `utcOffset`
 * minutes east of UTC; dsregcmd's are UTC already.
 */
export function readCase(text: string, limits?: PasteLimits, utcOffset = 0): PastedCase {
  if (!Number.isInteger(utcOffset) || utcOffset < UTC_OFFSET_RANGE.min || utcOffset > UTC_OFFSET_RANGE.max)
    throw new PasteError(`a UTC offset of ${utcOffset} minutes is beyond UTC-12:00 to UTC+14:00`);
  const lines = pastedLines(text, limits);
  const out: PastedCase = {
    sections: pastedSections(lines),
    windowsKlists: [],
    klistTgts: [],
    mitKlists: [],
    dsregcmds: [],
    setspns: [],
    unread: [],
    utcOffset,
  };
  const inSection = new Set<number>();
  for (const s of out.sections) {
    const part = lines.slice(s.from - 1, s.to);
    for (const l of part) inSection.add(l.line);
    const read = READERS[s.kind](out, part);
    out.unread.push(...read);
  }
  out.unread.push(...lines.filter((l) => !inSection.has(l.line) && l.text.trim() !== ''));
  out.unread.sort((a, b) => a.line - b.line);
  if (utcOffset !== 0) for (const k of [out.windowsKlists, out.klistTgts, out.mitKlists]) toUtc(k, utcOffset);
  return out;
}

/** Every listed time ({text, ms}) inside `value`, read on a wall clock `utcOffset` minutes east of UTC, as UTC. */
function toUtc(value: unknown, utcOffset: number): void {
  if (typeof value !== 'object' || value === null) return;
  const o = value as Record<string, unknown>;
  if (typeof o.text === 'string' && typeof o.ms === 'number') {
    o.ms -= utcOffset * 60_000;
    return;
  }
  for (const v of Array.isArray(value) ? value : Object.values(o)) toUtc(v, utcOffset);
}

/** Each kind's reader, keeping what it read in the case: gives back its unread lines. */
const READERS: Record<PastedKind, (c: PastedCase, lines: PastedLine[]) => PastedLine[]> = {
  'windows-klist': (c, l) => keep(c.windowsKlists, readWindowsKlist(l)),
  'klist-tgt': (c, l) => keep(c.klistTgts, readKlistTgt(l)),
  'mit-klist': (c, l) => keep(c.mitKlists, readMitKlist(l)),
  dsregcmd: (c, l) => keep(c.dsregcmds, readDsregcmd(l)),
  setspn: (c, l) => keep(c.setspns, readSetspn(l)),
};

function keep<T extends { unread: PastedLine[] }>(list: T[], read: T): PastedLine[] {
  list.push(read);
  return read.unread;
}
