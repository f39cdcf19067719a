// The windowing of long lists: only the rows in sight (plus an overscan) are rendered, padded to full height.
import { describe, expect, test } from 'vitest';
import { rowWindow, scrollToReveal } from '../../../src/ui/lib/row-window';

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
