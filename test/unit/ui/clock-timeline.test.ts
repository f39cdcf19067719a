// The timeline's clock (src/ui/lib/timeline.ts): the 14-day range and where a drag lands in it, the keys,
// a typed time read in UTC (and refused, in words, outside the range or malformed), and what a move to a
// time comes to — an advance by whole minutes forward, the step at that time backward.
import { describe, expect, test } from 'vitest';
import {
  CLOCK_RANGE,
  clockMove,
  clockTicks,
  clockPercent,
  clockRange,
  clockText,
  keyMove,
  readClockInput,
  timeAtFraction,
} from '../../../src/ui/lib/timeline';
import { Engine } from '../../../src/ui/engine/engine';

const at = (iso: string) => Date.parse(iso);
const START = at('2026-03-02T08:00:00Z');
const range = clockRange(START);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the range and the cursor', () => {
  test('14 days from the run start; a drag lands on a whole minute, clamped to the range', () => {
    expect(range).toEqual({ from: START, to: START + 14 * 24 * HOUR });
    expect(CLOCK_RANGE).toBe(14 * 24 * HOUR);
    expect(timeAtFraction(range, 0.5)).toBe(at('2026-03-09T08:00:00Z'));
    expect(timeAtFraction(range, 1 / 336 + 0.0000001) % MIN).toBe(0);
    expect(timeAtFraction(range, -3)).toBe(range.from);
    expect(timeAtFraction(range, 7)).toBe(range.to);
    expect(timeAtFraction(range, Number.NaN)).toBe(range.from);
    expect(clockPercent(range, at('2026-03-09T08:00:00Z'))).toBe(50);
    expect(clockPercent(range, range.to + HOUR)).toBe(100);
  });

  test('the ticks are midnights, every day or every other day as the width allows, named by their day', () => {
    const daily = clockTicks(range, 14);
    expect(daily).toHaveLength(14);
    expect(daily[0]).toEqual({ t: at('2026-03-03T00:00:00Z'), label: 'Tue 3' });
    expect(daily.at(-1)!.label).toBe('Mon 16');
    expect(clockTicks(range, 8).map((t) => t.label)).toEqual([
      'Tue 3',
      'Thu 5',
      'Sat 7',
      'Mon 9',
      'Wed 11',
      'Fri 13',
      'Sun 15',
    ]);
    expect(clockTicks(range, 3).map((t) => t.label)).toEqual(['Tue 3', 'Tue 10']);
  });

  test('keys: arrows 15 minutes (Shift an hour), Page keys 4 hours, Home and End the ends', () => {
    const now = at('2026-03-02T10:30:00Z');
    expect(keyMove('ArrowRight', false, now, range)).toBe(now + 15 * MIN);
    expect(keyMove('ArrowUp', true, now, range)).toBe(now + HOUR);
    expect(keyMove('ArrowLeft', false, now, range)).toBe(now - 15 * MIN);
    expect(keyMove('PageDown', false, now + 4 * HOUR, range)).toBe(now);
    expect(keyMove('PageUp', false, now, range)).toBe(now + 4 * HOUR);
    expect(keyMove('PageDown', false, START + HOUR, range)).toBe(START);
    expect(keyMove('Home', false, now, range)).toBe(START);
    expect(keyMove('End', false, now, range)).toBe(range.to);
    expect(keyMove('a', false, now, range)).toBeUndefined();
    expect(clockText(now)).toBe('Mon 2 Mar 10:30 UTC');
  });
});

describe('a typed time', () => {
  const clock = { now: at('2026-03-02T10:30:00.132Z'), range };
  test('"18:30" on the clock\'s day, a full date, or later and earlier than the clock', () => {
    expect(readClockInput('18:30', clock)).toEqual({ ok: true, t: at('2026-03-02T18:30:00Z') });
    expect(readClockInput(' 2026-03-03 09:05 ', clock)).toEqual({ ok: true, t: at('2026-03-03T09:05:00Z') });
    expect(readClockInput('2026-03-03T09:05Z', clock)).toEqual({ ok: true, t: at('2026-03-03T09:05:00Z') });
    expect(readClockInput('+4h30m', clock)).toEqual({ ok: true, t: clock.now + 4.5 * HOUR });
    expect(readClockInput('-2h', clock)).toEqual({ ok: true, t: clock.now - 2 * HOUR });
  });

  test('the forms the page prints: ISO 8601 with seconds and milliseconds, and a time to the second', () => {
    const t = (text: string) => readClockInput(text, clock);
    expect(t('2026-03-02T23:00:00Z')).toEqual({ ok: true, t: at('2026-03-02T23:00:00Z') });
    expect(t('2026-03-02T23:00:00.000Z')).toEqual({ ok: true, t: at('2026-03-02T23:00:00Z') });
    expect(t('2026-03-03t09:05:30.250z')).toEqual({ ok: true, t: at('2026-03-03T09:05:30.250Z') });
    expect(t('2026-03-03 09:05:30')).toEqual({ ok: true, t: at('2026-03-03T09:05:30Z') });
    expect(t('23:00:00')).toEqual({ ok: true, t: at('2026-03-02T23:00:00Z') });
    expect(t('18:30:05.136')).toEqual({ ok: true, t: at('2026-03-02T18:30:05.136Z') });
    expect(t('18:30:05.5')).toEqual({ ok: true, t: at('2026-03-02T18:30:05.500Z') });
    // a time written is that time: the clock's milliseconds (.132) are not kept
    expect(t('10:45')).toEqual({ ok: true, t: at('2026-03-02T10:45:00.000Z') });
  });

  test('a time the page prints but out of bounds, or malformed, is refused in words', () => {
    const error = (text: string) => {
      const r = readClockInput(text, clock);
      return r.ok ? undefined : r.error;
    };
    expect(error('9999-12-31T00:00:00Z')).toMatch(/at most 14 days past the run's start/);
    expect(error('2026-03-02T07:59:59.999Z')).toMatch(/before the run starts/);
    expect(error('10:00:60')).toMatch(/not a time of day \(00:00 to 23:59:59\)/);
    expect(error('2026-03-03T09:60:00Z')).toMatch(/not a date and time/);
    expect(error('2026-03-03T09:00:00.1234Z')).toMatch(/not a time: write 18:30, 18:30:05/);
    expect(error('2026-03-03T09:00:00+01:00')).toMatch(/not a time: write/);
    expect(error('0050-03-03 09:00')).toMatch(/not a date and time/);
  });

  test('refused in words: outside the 14 days, before the start, malformed, too long', () => {
    const error = (text: string) => {
      const r = readClockInput(text, clock);
      return r.ok ? undefined : r.error;
    };
    expect(error('+15d')).toMatch(/at most 14 days past the run's start, to Mon 16 Mar 08:00 UTC/);
    expect(error('07:00')).toMatch(/before the run starts \(Mon 2 Mar 08:00 UTC\)/);
    expect(error('25:00')).toMatch(/not a time of day/);
    expect(error('2026-02-30 10:00')).toMatch(/not a date and time/);
    expect(error('+4 hours')).toMatch(/not a duration like 30m, 4h or 1d2h/);
    expect(error('tomorrow')).toMatch(/not a time: write 18:30/);
    expect(error('')).toMatch(/Type a time/);
    expect(error('+'.padEnd(41, '1'))).toMatch(/longer than 40 characters/);
  });
});

describe('what a move comes to', () => {
  // three played steps ending 08:00, 09:00 and 10:30; the clock at the last
  const run = {
    now: at('2026-03-02T10:30:00.132Z'),
    step: 3,
    steps: [
      { t: at('2026-03-02T08:00:00.004Z') },
      { t: at('2026-03-02T09:00:00Z') },
      { t: at('2026-03-02T10:30:00.132Z') },
    ],
  };
  test('forward: an advance by the whole minutes between, written as a duration', () => {
    expect(clockMove(at('2026-03-02T21:00:00Z'), run)).toEqual({ kind: 'forward', by: '10h30m' });
    expect(clockMove(at('2026-03-04T10:31:00Z'), run)).toEqual({ kind: 'forward', by: '2d1m' });
    expect(clockMove(run.now + 20_000, run)).toEqual({ kind: 'none' });
    // a time typed with seconds is read to the millisecond, but the move goes by whole minutes (the hint
    // under the box says so): the nearest minute
    expect(clockMove(at('2026-03-02T21:00:40.500Z'), run)).toEqual({ kind: 'forward', by: '10h31m' });
  });

  test('backward: the last step that ended at or before the time, else the start', () => {
    expect(clockMove(at('2026-03-02T09:30:00Z'), run)).toEqual({ kind: 'back', step: 2 });
    expect(clockMove(at('2026-03-02T09:00:00Z'), run)).toEqual({ kind: 'back', step: 2 });
    expect(clockMove(at('2026-03-02T08:30:00Z'), run)).toEqual({ kind: 'back', step: 1 });
    expect(clockMove(START, run)).toEqual({ kind: 'back', step: 0 });
  });
});

describe('the engine gives the timeline what the clock needs', () => {
  test('each played step says when it ended; the marks follow the world; a clock entry moves them on', () => {
    const engine = new Engine({ scope: 'test', script: 'clock-timeline.test.ts' });
    const r = engine.load({ kind: 'catalogue', id: 'cached-logon-4h-gap' });
    if (!r.ok) throw new Error(r.problem.reason);
    expect(r.summary.steps.every((s) => s.t === undefined)).toBe(true);
    expect(r.summary.clockMarks).toEqual([]);
    const end = engine.goto(r.summary.steps.length);
    expect(end.steps.at(-1)!.t).toBe(end.now);
    expect(end.steps[1]!.t).toBe(at('2026-03-02T09:00:00Z'));
    expect(end.clockMarks.filter((m) => m.kind === 'tgt-end').map((m) => m.label)).toEqual([
      'ws1: the TGT ends',
      'ws1: the cloud TGT ends',
    ]);
    const move = clockMove(at('2026-03-02T21:00:00Z'), end);
    expect(move).toEqual({ kind: 'forward', by: '10h30m' });
    const moved = engine.insert({ do: 'advance', by: '10h30m' }, 'clock', false);
    expect(moved.steps.at(-1)).toMatchObject({ source: 'clock', result: 'ok', t: moved.now });
    expect(moved.trace.some((row) => row.type === 'expired' && /cloud TGT/.test(row.result))).toBe(true);
    // going back to 12:00 is the step that ended at or before it: the last of the scenario's own (10:30)
    expect(clockMove(at('2026-03-02T12:00:00Z'), moved)).toEqual({ kind: 'back', step: end.steps.length });
  });
});
