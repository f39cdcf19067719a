/**
 * Kerberos time, in one place for every layer above: KerberosTime carries whole seconds (RFC 4120 §5.2.3)
 * and microseconds travel beside it (cusec, susec); times and durations as a learner reads them. The core
 * never reads a clock; callers pass `now` in milliseconds since the epoch.
 */

export interface KerberosTimestamp {
  time: Date;
  usec: number;
}

/** Splits a millisecond clock reading into KerberosTime and microseconds. */
export function kerberosTimestamp(nowMs: number): KerberosTimestamp {
  const seconds = Math.floor(nowMs / 1000);
  return { time: new Date(seconds * 1000), usec: Math.floor(nowMs - seconds * 1000) * 1000 };
}

/** Whole seconds, as KerberosTime can carry. */
export function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** The time a (time, usec) pair names, in milliseconds. */
export function millisOf(time: Date, usec = 0): number {
  return time.getTime() + Math.floor(usec / 1000);
}

/**
 * "19700101000000Z" in a till or rtime means "as long as policy allows" (RFC 4120 §5.4.1 says till may be
 * the zero time; MIT and Windows send 20370913024805Z for "no limit").
 */
export function isUnlimited(t: Date | undefined): boolean {
  return t === undefined || t.getTime() === 0;
}

/** "5m 12s", "10h", "-3m 4s": a duration a learner reads. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return sign + (parts.length ? parts.join(' ') : '0s');
}

/**
 * "2026-03-02T08:00:00Z": ISO-8601 UTC without milliseconds, as the CLI, the UI, the narration and the
 * file listings print times. A number is milliseconds since the epoch (a file's seconds times 1000).
 */
export function isoSeconds(t: Date | number): string {
  const ms = typeof t === 'number' ? t : t.getTime();
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return `invalid time (${ms})`;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses "10h", "7d", "5m", "30s", "1h30m" into milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*$/.exec(text);
  if (!m || text.trim() === '') return undefined;
  const [, d, h, mi, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(mi ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}
