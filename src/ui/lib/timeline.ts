/**
 * The timeline's axis: from the scenario's start to past the last ticket's end (and the clock), with
 * ticks at round hours (or minutes, for a short span) that a reader can count. And the clock's own
 * slider: the 14 days after the run's start, a time typed or a key pressed, and what moving the clock
 * there comes to (an `advance` entry forward, a step back).
 */
import { formatDuration, parseDuration } from '../../asn1/time';
import { minuteOf, shortDayOf, weekdayOf } from './time';

export interface Axis {
  from: number;
  to: number;
  ticks: { t: number; label: string }[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const STEPS = [MIN, 5 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR];

/**
 * "08:00"; "Tue 00:00" for the first tick of a day after the axis's first (`before`: the tick before it, or
 * the axis's start), and "04:00" for the ticks after it on that day, as a calendar names a day once.
 */
function tickLabel(t: number, before: number): string {
  const hm = minuteOf(t);
  const day = Math.floor(t / (24 * HOUR)) !== Math.floor(before / (24 * HOUR));
  return day ? `${weekdayOf(t)} ${hm}` : hm;
}

/**
 * The axis for spans [start, end] (renew-till left out: a week would squash ten hours to a sliver), the
 * clock `now` and the scenario's `start`, on an axis `widthCh` characters of its labels' font wide: the
 * finest round step whose labels, placed as tickPlace places them, keep a character of space between them.
 * A label with its day ("Tue 00:00") is nearly twice as long as one without, and each day after the
 * first names itself once. Where not even a day's step fits, the day ticks are thinned.
 */
export function timelineAxis(
  start: number,
  now: number,
  spans: readonly { start: number; end: number }[],
  widthCh = 64,
): Axis {
  const from = Math.min(start, ...spans.map((s) => s.start));
  let to = Math.max(now, ...spans.map((s) => s.end));
  if (to - from < HOUR) to = from + HOUR;
  const ticksEvery = (step: number) => {
    const ticks: Axis['ticks'] = [];
    for (let t = Math.ceil(from / step) * step; t <= to; t += step)
      ticks.push({ t, label: tickLabel(t, ticks.at(-1)?.t ?? from) });
    return ticks;
  };
  // where each label starts and ends on the axis, in characters (as tickPlace's clamp puts it)
  const extent = (tick: Axis['ticks'][number]) => {
    const n = tick.label.length;
    const centre = ((tick.t - from) / (to - from)) * widthCh;
    const left = Math.max(0, Math.min(centre - n / 2, widthCh - n));
    return { left, right: left + n };
  };
  const clear = (a: Axis['ticks'][number], b: Axis['ticks'][number]) => extent(b).left >= extent(a).right + 1;
  // (a step with more ticks than even the shortest labels could take is not tried: a minute's over 14 days)
  for (const step of STEPS.filter((s) => (to - from) / s <= widthCh / 6)) {
    const ticks = ticksEvery(step);
    if (ticks.every((tick, i) => i === 0 || clear(ticks[i - 1]!, tick))) return { from, to, ticks };
  }
  const kept: Axis['ticks'] = [];
  for (const tick of ticksEvery(STEPS.at(-1)!))
    if (!kept.length || clear(kept.at(-1)!, tick)) kept.push(tick);
  return { from, to, ticks: kept };
}

/**
 * The style that places a tick's label on its axis: centred on its time, but moved in just enough to stay
 * inside the axis at either end, not run under the column beside it. The labels are set in a monospace font,
 * so `label.length` characters measure them in `ch` (of the label's own font), and no layout is read.
 */
export function tickPlace(percent: number, label: string): string {
  const n = label.length;
  return `left: clamp(0px, calc(${percent}% - ${n / 2}ch), calc(100% - ${n}ch))`;
}

/** Where t sits on the axis, 0–100 (clamped). */
export function percentOf(axis: Axis, t: number): number {
  const p = ((t - axis.from) / (axis.to - axis.from)) * 100;
  return Math.max(0, Math.min(100, p));
}

// ---- the clock in the user's hands ------------------------------------------------------------------------

/** How far past the run's start the clock may be moved: 14 days, a PRT's whole life. */
export const CLOCK_RANGE = 14 * 24 * HOUR;
/** The longest text the clock's time box takes. */
export const CLOCK_INPUT_MAX = 40;

/** Where the clock may go: from the run's start to 14 days after it. */
export interface ClockRange {
  from: number;
  to: number;
}

export const clockRange = (start: number): ClockRange => ({ from: start, to: start + CLOCK_RANGE });

/** The time at `fraction` (0–1, clamped) of the range, to the whole minute from its start. */
export function timeAtFraction(range: ClockRange, fraction: number): number {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  return range.from + Math.round((f * (range.to - range.from)) / MIN) * MIN;
}

/** Where t sits in the range, 0–100 (clamped). */
export function clockPercent(range: ClockRange, t: number): number {
  return Math.max(0, Math.min(100, ((t - range.from) / (range.to - range.from)) * 100));
}

/** Keeps t inside the range. */
export const clampClock = (range: ClockRange, t: number) => Math.max(range.from, Math.min(range.to, t));

/**
 * How far a key moves the clock's cursor: the arrows 15 minutes (with Shift an hour), Page Up and Page
 * Down 4 hours (a PRT's refresh interval), Home and End the range's ends; undefined for any other key.
 */
export function keyMove(key: string, shift: boolean, at: number, range: ClockRange): number | undefined {
  const arrow = shift ? HOUR : 15 * MIN;
  const by: Record<string, number> = {
    ArrowRight: arrow,
    ArrowUp: arrow,
    ArrowLeft: -arrow,
    ArrowDown: -arrow,
    PageUp: 4 * HOUR,
    PageDown: -4 * HOUR,
  };
  if (key === 'Home') return range.from;
  if (key === 'End') return range.to;
  const d = by[key];
  return d === undefined ? undefined : clampClock(range, at + d);
}

/** "Mon 2 Mar 18:30 UTC": a clock reading for a screen reader and the cursor's label. */
export function clockText(t: number): string {
  // (the day without its year, and the time to the minute)
  return `${shortDayOf(t)} ${minuteOf(t)} UTC`;
}

/** "18:30", "18:30:05" or "18:30:05.250": a time of day as typed (hours, minutes, seconds, milliseconds). */
const TIME_OF_DAY = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?`;
const HM = new RegExp(`^${TIME_OF_DAY}$`);
const FULL = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})[T ]${TIME_OF_DAY}Z?$`, 'i');

/**
 * The milliseconds into a day of a time of day read by TIME_OF_DAY (its four groups), or undefined when a
 * part is out of range (25:00, 10:60, 10:00:60). ".5" is half a second, as in ISO 8601.
 */
function dayMs(h: string, m: string, s = '0', frac = ''): number | undefined {
  const [hh, mm, ss] = [Number(h), Number(m), Number(s)];
  if (hh > 23 || mm > 59 || ss > 59) return undefined;
  return hh * HOUR + mm * MIN + ss * 1000 + Number(frac.padEnd(3, '0'));
}

/**
 * Reads a time typed into the clock's box, in UTC like the whole simulation: "18:30", "18:30:05" or
 * "18:30:05.250" (that time on the clock's day), "2026-03-03 09:00" (or with a T, seconds, milliseconds and
 * a Z, as "2026-03-03T09:00:00.000Z" the page prints), "+4h30m" (that much later than the clock) or "-2h"
 * (earlier). A time written is read to the millisecond; moving the clock forward to it then goes by whole
 * minutes (clockMove: the clock keeps its own seconds). Answers the time, or the words that say what is
 * wrong; never outside the range.
 */
export function readClockInput(
  text: string,
  clock: { now: number; range: ClockRange },
): { ok: true; t: number } | { ok: false; error: string } {
  const s = text.trim();
  const fail = (error: string) => ({ ok: false as const, error });
  if (s === '') return fail('Type a time: 18:30, 2026-03-03 09:00, +4h or -2h.');
  if (s.length > CLOCK_INPUT_MAX) return fail(`That is longer than ${CLOCK_INPUT_MAX} characters.`);
  let t: number | undefined;
  const rel = /^([+-])\s*(.+)$/.exec(s);
  const hm = HM.exec(s);
  const full = FULL.exec(s);
  if (rel) {
    const ms = parseDuration(rel[2]!);
    if (ms === undefined) return fail(`"${rel[2]}" is not a duration like 30m, 4h or 1d2h.`);
    t = clock.now + (rel[1] === '-' ? -ms : ms);
  } else if (hm) {
    const ms = dayMs(hm[1]!, hm[2]!, hm[3], hm[4]);
    if (ms === undefined) return fail(`"${s}" is not a time of day (00:00 to 23:59:59).`);
    t = Math.floor(clock.now / (24 * HOUR)) * 24 * HOUR + ms;
  } else if (full) {
    const [y, mo, d] = full.slice(1, 4).map(Number) as [number, number, number];
    const ms = dayMs(full[4]!, full[5]!, full[6], full[7]);
    const midnight = Date.UTC(y, mo - 1, d);
    const back = new Date(midnight);
    if (
      ms === undefined ||
      back.getUTCFullYear() !== y ||
      back.getUTCMonth() !== mo - 1 ||
      back.getUTCDate() !== d
    )
      return fail(`"${s}" is not a date and time.`);
    t = midnight + ms;
  } else {
    return fail(`"${s}" is not a time: write 18:30, 18:30:05, 2026-03-03 09:00, +4h or -2h (UTC).`);
  }
  if (t < clock.range.from) return fail(`That is before the run starts (${clockText(clock.range.from)}).`);
  if (t > clock.range.to)
    return fail(`The clock goes at most 14 days past the run's start, to ${clockText(clock.range.to)}.`);
  return { ok: true, t };
}

/** What moving the clock to a time comes to: a clock entry forward, a step back, or nothing. */
export type ClockMove = { kind: 'forward'; by: string } | { kind: 'back'; step: number } | { kind: 'none' };

/**
 * Moving the clock to `target` from the current step: later by a minute or more is an `advance` by the
 * whole minutes between (written "8h30m"); earlier is going back to the last step that ended at or before
 * it (step 0, the run's start, when none did). `steps[i].t` is when step i+1 ended, once played.
 */
export function clockMove(
  target: number,
  run: { now: number; step: number; steps: readonly { t?: number }[] },
): ClockMove {
  const minutes = Math.round((target - run.now) / MIN);
  if (minutes >= 1) return { kind: 'forward', by: formatDuration(minutes * MIN).replaceAll(' ', '') };
  if (minutes > -1) return { kind: 'none' };
  let back = 0;
  for (let k = 1; k < run.step; k++) {
    const t = run.steps[k - 1]?.t;
    if (t !== undefined && t <= target) back = k;
  }
  return { kind: 'back', step: back };
}

/**
 * The clock slider's ticks: midnights (UTC), every day, every other day or every week, so that at most
 * about `maxTicks` fit; each labelled with its day ("Tue 3").
 */
export function clockTicks(range: ClockRange, maxTicks: number): Axis['ticks'] {
  const DAY = 24 * HOUR;
  const step = [DAY, 2 * DAY, 7 * DAY].find((s) => (range.to - range.from) / s <= maxTicks) ?? 7 * DAY;
  const ticks: Axis['ticks'] = [];
  for (let t = Math.ceil(range.from / DAY) * DAY; t <= range.to; t += step) {
    ticks.push({ t, label: `${weekdayOf(t)} ${new Date(t).getUTCDate()}` });
  }
  return ticks;
}
