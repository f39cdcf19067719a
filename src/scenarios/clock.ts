/**
 * A scenario's clock as its file writes it: the start, an action's `at` ("TIME" or "+DURATION"), a
 * host's offset ("+6m", "-30s"), and the range every clock must stay in. The validator, the action table
 * and the runner all read times through here.
 */
import { parseDuration } from '../asn1/time';

/** The virtual clock starts here unless a scenario says otherwise (SCENARIOS.md). */
export const DEFAULT_START = '2026-03-02T08:00:00Z';

/**
 * The earliest time a scenario's clocks may read: the epoch (MIT's krb5_timestamp counts seconds from it).
 */
export const EARLIEST_TIME = Date.UTC(1970, 0, 1);

/**
 * Scenario clocks stop before this day, 2037-09-13: Windows and MIT clients ask for tickets "till
 * 20370913024805Z" (their "no limit", kept on the wire as they send it), so from that day on the KDC finds
 * every request's till before its start and refuses it (KDC_ERR_NEVER_VALID, 11).
 */
export const TIME_LIMIT = Date.UTC(2037, 8, 13);

const TIME_RANGE = 'a scenario’s clocks must stay between 1970-01-01 and 2037-09-12';
const TIME_LIMIT_WHY =
  'from 2037-09-13 on every ticket request fails, because Windows and MIT clients ask for tickets till 2037-09-13T02:48:05Z';

export const DURATION_HINT = 'is not a duration (write it like 4h, 6m, 30s, 1h30m)';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** "2026-03-02T08:00:00Z" → ms; undefined when not an ISO-8601 UTC time. */
export function parseIsoTime(text: string): number | undefined {
  if (!ISO.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** "+6m", "-30s", "6m", "0" → ms; undefined when not a signed duration. */
export function parseSignedDuration(text: string): number | undefined {
  const m = /^\s*([+-]?)(.*)$/.exec(text)!;
  const body = m[2]!.trim();
  const ms = body === '0' ? 0 : parseDuration(body);
  if (ms === undefined) return undefined;
  return m[1] === '-' ? -ms : ms;
}

/** "TIME|+DURATION" (an action's `at`, `--until`) → ms since the epoch, given the start. */
export function parseWhen(text: string, start: number): number | undefined {
  if (text.startsWith('+')) {
    const d = parseDuration(text.slice(1));
    return d === undefined ? undefined : start + d;
  }
  return parseIsoTime(text);
}

/** A validated clock offset ("+6m", or ms) in ms; none is 0. */
export function offsetMs(v: string | number | undefined): number {
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : parseSignedDuration(v)!;
}

/** Why a clock reading cannot be a scenario's, or undefined when it can. */
export function timeProblem(ms: number): string | undefined {
  if (!(ms >= EARLIEST_TIME)) return `before 1970-01-01 (${TIME_RANGE})`;
  if (!(ms < TIME_LIMIT)) return `on or after 2037-09-13 (${TIME_RANGE}: ${TIME_LIMIT_WHY})`;
  return undefined;
}
