/**
 * What the #/paste page shows for a paste: the case read (src/support), the findings at the paste's
 * time, and the world a run would start from. A paste over its bounds, or a time that is not one, is a
 * sentence for the page, never a thrown error.
 */
import { KrbPlayError } from '../../util/errors';
import {
  caseFindings,
  caseScenario,
  caseTickets,
  formatUtcOffset,
  parseUtcOffset,
  PASTE_LIMITS,
  readCase,
  type CaseClock,
  type CaseTicket,
  type CaseWorld,
  type Finding,
  type PastedCase,
  utcTime,
} from '../../support';

export interface PasteView {
  c: PastedCase;
  tickets: CaseTicket[];
  clock: CaseClock | undefined;
  findings: Finding[];
  /** The world a run starts from, and its scenario file as text; undefined when the paste shows no time. */
  world?: CaseWorld;
  scenarioText?: string;
}

/** "2026-03-02T18:05:00Z" or "2026-03-02 18:05" (UTC) as ms; undefined for an empty field. */
export function readPasteTime(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?Z?$/.exec(s);
  const ms = m ? utcTime(+m[1]!, +m[2]!, +m[3]!, [+m[4]!, +m[5]!, +(m[6] ?? 0)]) : undefined;
  if (ms === undefined)
    throw new KrbPlayError(
      'input',
      `the paste's time "${s.slice(0, 40)}" is not a UTC time like 2026-03-02 18:05`,
    );
  return ms;
}

/**
 * The page's view of a paste, or the sentence that says why it cannot be read. `utcOffset` is the
 * customer's offset as typed ("+02:00"; empty: UTC), at which klist's local times are read.
 */
export function readPaste(
  text: string,
  time: string,
  utcOffset = '',
): { view?: PasteView; problem?: string } {
  try {
    const takenAt = readPasteTime(time);
    const c = readCase(text, undefined, utcOffset.trim() === '' ? 0 : parseUtcOffset(utcOffset));
    const { clock, findings } = caseFindings(c, takenAt);
    const built = caseScenario(c, takenAt);
    return {
      view: {
        c,
        tickets: caseTickets(c),
        clock,
        findings,
        ...(built ? { world: built.world, scenarioText: JSON.stringify(built.json, null, 2) + '\n' } : {}),
      },
    };
  } catch (e) {
    if (e instanceof KrbPlayError) return { problem: e.message };
    throw e;
  }
}

/**
 * What the page says of the paste's time zone: klist prints local time, dsregcmd UTC. `typed` is the offset
 * field as the user left it: "+00:00" is an offset given (the customer is on UTC), an empty field is none.
 */
export function zoneNote(c: PastedCase, typed: string): string {
  return typed.trim() === ''
    ? "klist times are read as UTC: the paste does not say the customer's time zone (give its UTC offset above). dsregcmd's times are UTC."
    : `klist times are read at ${formatUtcOffset(c.utcOffset)}, the customer's offset given above; dsregcmd's times are UTC.`;
}

/** A dropped or picked file: refused in words when larger than a paste may be. */
export function checkPasteFileSize(size: number): string | undefined {
  return size > PASTE_LIMITS.maxChars
    ? `the file is ${size.toLocaleString('en')} bytes; a paste is read up to ${PASTE_LIMITS.maxChars.toLocaleString('en')}`
    : undefined;
}
