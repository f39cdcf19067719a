/**
 * The Security log panel's model: each DC's events as the engine sends them (oldest first, up to the
 * current step), read newest first, narrowed by event id, by result and by a search over the event's id,
 * its account and every field's text. Pure: the panel and its unit test call it.
 */
import type { SecurityEvent } from '../../world';
import { securityEventText } from '../../world/security-log';

export interface SecurityLogFilter {
  /** Words to find (all of them, any case) in the event's id, keyword and fields; empty: every event. */
  query: string;
  id: 'all' | SecurityEvent['id'];
  result: 'all' | 'success' | 'failure';
}

export const NO_FILTER: SecurityLogFilter = { query: '', id: 'all', result: 'all' };

/** An event as the panel lists it: its place in the DC's log (a stable key) and its one-line summary. */
export interface SecurityLogRow {
  index: number;
  event: SecurityEvent;
  /** "alice", "cifs/fs1.corp.contoso.com": who or what the event is about. */
  subject: string;
  /** The result or failure code ("0x0", "0x18"), or "" when the event has none (4770). */
  code: string;
}

const field = (e: SecurityEvent, name: string) => e.fields.find(([k]) => k === name)?.[1];

function rowOf(event: SecurityEvent, index: number): SecurityLogRow {
  const subject = field(event, 'Account Name') ?? field(event, 'Service Name') ?? '';
  const code = field(event, 'Result Code') ?? field(event, 'Failure Code') ?? '';
  return { index, event, subject, code };
}

/** The rows the panel shows for one DC: newest first, those the filter lets through. */
export function securityLogRows(
  events: readonly SecurityEvent[],
  filter: SecurityLogFilter,
): SecurityLogRow[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: SecurityLogRow[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (filter.id !== 'all' && e.id !== filter.id) continue;
    if (filter.result === 'success' && e.keyword !== 'Audit Success') continue;
    if (filter.result === 'failure' && e.keyword !== 'Audit Failure') continue;
    if (words.length) {
      const text = securityEventText(e).toLowerCase();
      if (!words.every((w) => text.includes(w))) continue;
    }
    out.push(rowOf(e, i));
  }
  return out;
}

/** How many events of each id the DC wrote (the filter's choices say so). */
export function securityLogCounts(events: readonly SecurityEvent[]): Record<SecurityEvent['id'], number> {
  const counts = { 4768: 0, 4769: 0, 4770: 0, 4771: 0 };
  for (const e of events) counts[e.id]++;
  return counts;
}
