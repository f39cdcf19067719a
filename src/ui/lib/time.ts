/**
 * Times as the page prints them. The world's clock is UTC (the story starts Monday 2026-03-02 08:00Z);
 * the page never shows the reader's own time zone, which has nothing to do with the simulation.
 */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 24 * 3_600_000;
const two = (n: number) => String(n).padStart(2, '0');

/** "08:00:00.004": the time of day, to the millisecond (messages are a few ms apart). */
export function timeOfDay(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
}

/** "Mon": the day of the week of a clock reading. */
export function weekdayOf(ms: number): string {
  return DAYS[new Date(ms).getUTCDay()]!;
}

/** "Mon 2 Mar 2026": the day of a clock reading. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "Mon 2 Mar": the day of a clock reading without its year, where the year goes without saying. */
export function shortDayOf(ms: number): string {
  return dayOf(ms).slice(0, -5);
}

/**
 * "Tue 3 Mar": the day of `t`, without its year, when it is not the day of `before` (the time of the line
 * before it, in a list of times of day); undefined on the same day or with no line before. A list whose
 * lines show only the time of day would otherwise seem to go back in time after a clock move of a day.
 */
export function newDayOf(t: number, before: number | undefined): string | undefined {
  if (before === undefined || Math.floor(t / DAY_MS) === Math.floor(before / DAY_MS)) return undefined;
  return shortDayOf(t);
}

/** "10:06:00": a host's clock, to the second. */
export function clockOf(ms: number): string {
  return timeOfDay(ms).slice(0, 8);
}

/** "10:06": a clock reading to the minute. */
export function minuteOf(ms: number): string {
  return timeOfDay(ms).slice(0, 5);
}

/** "+6m", "-1h 2m", "+12s", "±0": how far a host's clock is from true time. */
export function offsetText(ms: number): string {
  if (ms === 0) return '±0';
  let s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return `${ms < 0 ? '-' : '+'}${parts.length ? parts.join(' ') : `${Math.abs(ms)}ms`}`;
}
