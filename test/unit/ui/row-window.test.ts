// The windowing of long lists: only the rows in sight (plus an overscan) are rendered, padded to full height.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  offsetsOf,
  pieces,
  revealDelta,
  rowAt,
  rowWindow,
  scrollToReveal,
  spanWindow,
} from '../../../src/ui/lib/row-window';

describe('rowWindow', () => {
  test('at the top of a long list renders the visible rows and the overscan below, nothing above', () => {
    const w = rowWindow({ count: 10_000, rowHeight: 20, scrollTop: 0, viewport: 200, overscan: 3 });
    expect(w).toEqual({ start: 0, end: 13, padTop: 0, padBottom: (10_000 - 13) * 20 });
  });

  test('scrolled into the middle, the window follows and the padding keeps the full height', () => {
    const w = rowWindow({ count: 10_000, rowHeight: 20, scrollTop: 5_010, viewport: 200, overscan: 2 });
    // Rows 250 (partly) to 261 (partly) are in sight.
    expect(w.start).toBe(248);
    expect(w.end).toBe(263);
    expect(w.padTop + (w.end - w.start) * 20 + w.padBottom).toBe(10_000 * 20);
  });

  test('the number of rendered rows does not grow with the list', () => {
    const small = rowWindow({ count: 1_000, rowHeight: 18, scrollTop: 9_000, viewport: 360 });
    const large = rowWindow({ count: 1_000_000, rowHeight: 18, scrollTop: 9_000, viewport: 360 });
    expect(large.end - large.start).toBe(small.end - small.start);
    expect(large.end - large.start).toBeLessThanOrEqual(360 / 18 + 2 * 4 + 1);
  });

  test('a short list is rendered whole', () => {
    expect(rowWindow({ count: 5, rowHeight: 20, scrollTop: 0, viewport: 400 })).toEqual({
      start: 0,
      end: 5,
      padTop: 0,
      padBottom: 0,
    });
  });

  test('a scroll position past the end is clamped to the last page', () => {
    const w = rowWindow({ count: 100, rowHeight: 10, scrollTop: 99_999, viewport: 100, overscan: 0 });
    expect(w).toEqual({ start: 90, end: 100, padTop: 900, padBottom: 0 });
  });

  test('negative scroll, zero viewport and an empty list give a sane window', () => {
    expect(rowWindow({ count: 50, rowHeight: 10, scrollTop: -30, viewport: 0, overscan: 0 })).toEqual({
      start: 0,
      end: 1,
      padTop: 0,
      padBottom: 490,
    });
    expect(rowWindow({ count: 0, rowHeight: 10, scrollTop: 0, viewport: 100 })).toEqual({
      start: 0,
      end: 0,
      padTop: 0,
      padBottom: 0,
    });
  });
});

describe('scrollToReveal', () => {
  test('a row already in sight leaves the scroll where it is', () => {
    expect(scrollToReveal(12, 20, 200, 200)).toBe(200);
  });

  test('a row below or above the view is brought a third of the way down', () => {
    expect(scrollToReveal(100, 20, 0, 300)).toBe(2_000 - 100);
    expect(scrollToReveal(2, 20, 1_000, 300)).toBe(0);
  });
});

describe('rows of differing heights', () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);
  /** Heights 10, 20, 30, 40, 10, 20, … : the offsets of these are known by hand. */
  const heights = (n: number) => new Map(keys(n).map((k, i) => [k, 10 * ((i % 4) + 1)]));

  test('offsets add up measured heights, and the estimate for the rows not measured', () => {
    const measured = new Map([
      ['r0', 10],
      ['r2', 35],
    ]);
    expect([...offsetsOf(keys(4), measured, 20)]).toEqual([0, 10, 30, 65, 85]);
    // a zero or negative measure (a row not laid out) counts as the estimate
    expect([...offsetsOf(['a', 'b'], new Map([['a', 0]]), 7)]).toEqual([0, 7, 14]);
    expect([...offsetsOf([], measured, 20)]).toEqual([0]);
  });

  test('rowAt finds the row holding a pixel, clamped at both ends', () => {
    const o = offsetsOf(keys(8), heights(8), 1); // 0 10 30 60 100 110 130 160 200
    expect([-5, 0, 9, 10, 59, 60, 100, 199, 500].map((y) => rowAt(o, y))).toEqual([
      0, 0, 0, 1, 2, 3, 4, 7, 7,
    ]);
  });

  test('the window holds the rows that meet the part in sight, plus the overscan, and pads the rest', () => {
    const o = offsetsOf(keys(400), heights(400), 1); // four rows are 100 px
    // 1,000 px down: row 40 starts there; in a 100 px view rows 40 to 43 are seen
    const w = spanWindow({ offsets: o, from: 1_000, viewport: 100, overscan: 2 });
    expect(w).toEqual({ start: 38, end: 46, padTop: 930, padBottom: 10_000 - 1_130 });
    expect(w.padTop + (o[w.end]! - o[w.start]!) + w.padBottom).toBe(o[400]);
    // past the end: the last rows; above the top: the first
    expect(spanWindow({ offsets: o, from: 1e9, viewport: 100, overscan: 0 })).toMatchObject({ end: 400 });
    expect(spanWindow({ offsets: o, from: -300, viewport: 100, overscan: 0 })).toMatchObject({
      start: 0,
      end: 4,
    });
    expect(spanWindow({ offsets: offsetsOf([], new Map(), 5), from: 0, viewport: 100 })).toEqual({
      start: 0,
      end: 0,
      padTop: 0,
      padBottom: 0,
    });
  });

  test('for arbitrary heights, the window covers the part in sight and stays bounded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 3_000 }),
        fc.integer({ min: 0, max: 400_000 }),
        fc.integer({ min: 0, max: 1_000 }),
        (hs, from, viewport) => {
          const ks = keys(hs.length);
          const o = offsetsOf(ks, new Map(ks.map((k, i) => [k, hs[i]!])), 50);
          const total = o[hs.length]!;
          const w = spanWindow({ offsets: o, from, viewport, overscan: 3 });
          const top = Math.min(from, Math.max(0, total - viewport));
          expect(w.start).toBeLessThan(w.end);
          // the rows drawn reach from above the top of the view to below its bottom (or the list's end)
          expect(o[w.start]!).toBeLessThanOrEqual(top);
          expect(o[w.end]!).toBeGreaterThanOrEqual(Math.min(total, top + viewport));
          // no more rows than those in sight (every row is at least 1 px) and the overscan
          expect(w.end - w.start).toBeLessThanOrEqual(viewport + 2 + 6);
          expect(w.padTop + (o[w.end]! - o[w.start]!) + w.padBottom).toBeCloseTo(total, 6);
        },
      ),
    );
  });

  test('revealDelta scrolls a row out of sight a third of the way down, and leaves one in sight alone', () => {
    const o = offsetsOf(keys(400), heights(400), 1);
    // row 40 (1,000 to 1,010) in a view 900 to 1,200: in sight
    expect(revealDelta(o, 40, 900, 300)).toBe(0);
    // with a 100 px margin it is too close to the top edge
    expect(revealDelta(o, 40, 900, 300, 100)).toBe(0);
    expect(revealDelta(o, 40, 950, 300, 100)).toBe(1_000 - 100 - 950);
    // row 80 (2,000) far below: its top goes a third of the way down the view
    const d = revealDelta(o, 80, 900, 300);
    expect(900 + d).toBe(2_000 - 100);
    expect(revealDelta(o, 400, 0, 300)).toBe(0);
    expect(revealDelta(o, -1, 0, 300)).toBe(0);
  });

  test('a measured height follows its row when rows are added or removed before it', () => {
    const measured = new Map([
      ['b', 50],
      ['c', 5],
    ]);
    expect([...offsetsOf(['a', 'b', 'c'], measured, 20)]).toEqual([0, 20, 70, 75]);
    // a row inserted first, another removed: b and c keep their heights
    expect([...offsetsOf(['z', 'a', 'b', 'c'], measured, 20)]).toEqual([0, 20, 40, 90, 95]);
    expect([...offsetsOf(['b', 'c'], measured, 20)]).toEqual([0, 50, 55]);
    // a window over a list that grew reaches its new end
    const grown = offsetsOf(keys(1_000), new Map(), 20);
    expect(spanWindow({ offsets: grown, from: 1e6, viewport: 100, overscan: 0 })).toMatchObject({
      start: 995,
      end: 1_000,
    });
  });

  test('pieces: the window and the rows kept beside it, with gaps that keep the full height', () => {
    const o = offsetsOf(keys(100), new Map(), 10);
    const win = spanWindow({ offsets: o, from: 500, viewport: 30, overscan: 1 }); // rows 49 to 53
    expect(win).toMatchObject({ start: 49, end: 54 });
    const ps = pieces(o, win, [2, 51, 99, 200, -1]);
    expect(ps).toEqual([
      { gap: 20, key: 'gap-0-2' },
      { index: 2 },
      { gap: 460, key: 'gap-3-49' },
      { index: 49 },
      { index: 50 },
      { index: 51 },
      { index: 52 },
      { index: 53 },
      { gap: 450, key: 'gap-54-99' },
      { index: 99 },
    ]);
    const height = ps.reduce((sum, p) => sum + ('gap' in p ? p.gap : o[p.index + 1]! - o[p.index]!), 0);
    expect(height).toBe(o[100]);
    // the whole list: no gap at all
    expect(pieces(o, { start: 0, end: 100, padTop: 0, padBottom: 0 }).every((p) => 'index' in p)).toBe(true);
  });
});
