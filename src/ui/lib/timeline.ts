/**
 * The timeline's axis: from the scenario's start to past the last ticket's end (and the clock), with
 * ticks at round hours (or minutes, for a short span) that a reader can count.
 */
export interface Axis {
  from: number;
  to: number;
  ticks: { t: number; label: string }[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const STEPS = [MIN, 5 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR];

const two = (n: number) => String(n).padStart(2, '0');

/** "08:00", or "Tue 08:00" on another day than the first. */
function tickLabel(t: number, first: number): string {
  const d = new Date(t);
  const hm = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  const day = Math.floor(t / (24 * HOUR)) !== Math.floor(first / (24 * HOUR));
  return day ? `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]} ${hm}` : hm;
}

/**
 * The axis for spans [start, end] (renew-till left out: a week would squash ten hours to a sliver), the
 * clock `now` and the scenario's `start`; at most about `maxTicks` ticks.
 */
export function timelineAxis(
  start: number,
  now: number,
  spans: readonly { start: number; end: number }[],
  maxTicks = 8,
): Axis {
  const from = Math.min(start, ...spans.map((s) => s.start));
  let to = Math.max(now, ...spans.map((s) => s.end));
  if (to - from < HOUR) to = from + HOUR;
  const step = STEPS.find((s) => (to - from) / s <= maxTicks) ?? 24 * HOUR;
  const ticks: Axis['ticks'] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step)
    ticks.push({ t, label: tickLabel(t, from) });
  return { from, to, ticks };
}

/** Where t sits on the axis, 0–100 (clamped). */
export function percentOf(axis: Axis, t: number): number {
  const p = ((t - axis.from) / (axis.to - axis.from)) * 100;
  return Math.max(0, Math.min(100, p));
}
