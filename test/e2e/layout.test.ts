// The screen at four sizes, in Chromium, measured from the DOM: a laptop (1280×800), a desktop
// (1440×900), 200% zoom of the laptop (a 640×400 CSS-pixel viewport is what the page sees then), and a
// phone (390×844). Nothing that can be seen runs past the window's sides; the step title stays clear
// of the virtual clock, and the page's name of the page links; the lane names stay each in their own
// lane; the timeline's labels neither overlap nor leave their axis, before and after the clock passes a
// midnight, and a ticket bar too short for its words ends them in an ellipsis. On the two large screens
// the sequence diagram is the main pane, with at least 12 rows in full view, the inspector's field tree and
// hex dump are on screen together, and the bottom dock keeps the clock's slider and the console's input in
// the window.
// KRBPLAY_SCREENSHOTS=DIR saves a screenshot of each size there.
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, traceWhole, useBrowser } from './browser';

interface Measure {
  /** Seen elements whose visible box runs past the window's left or right edge. */
  overflowing: string[];
  scrollWidth: number;
  clientWidth: number;
  /** Trace rows wholly inside both the trace's scroll box and the window. */
  rowsInView: number;
  /** Visible height of the field tree and of the hex dump inside the window. */
  treeInView: number;
  hexInView: number;
  titleHitsClock: boolean;
  /** The page's name in the header drawn under one of the page links. */
  nameHitsLinks: boolean;
  laneNames: { text: string; left: number; right: number; clips: boolean }[];
  /**
   * The timeline's tick labels, axis by axis (the clock slider's and the tickets'): inside their axis, not
   * run into the column beside it ("ticket (server)", "renewable") or out of the card.
   */
  ticks: { label: string; left: number; right: number; inAxis: boolean }[][];
  /** The words inside the ticket bars that do not fit their bar, cut without an ellipsis. */
  barTextsCut: string[];
  /** The clock slider's track and the console's input line: wholly in the window and not covered. */
  sliderInWindow: boolean;
  consoleInputInWindow: boolean;
}

/** Runs in the page: every figure the tests assert, from the DOM as laid out. */
function measure(): Measure {
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  // an element's box as far as it can be seen: cut by every ancestor that clips its overflow
  const seen = (e: Element) => {
    const r = e.getBoundingClientRect();
    let [l, rt, t, b] = [r.left, r.right, r.top, r.bottom];
    for (let a = e.parentElement; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const q = a.getBoundingClientRect();
      if (cs.overflowX !== 'visible') [l, rt] = [Math.max(l, q.left), Math.min(rt, q.right)];
      if (cs.overflowY !== 'visible') [t, b] = [Math.max(t, q.top), Math.min(b, q.bottom)];
    }
    return { l, r: rt, t, b };
  };
  const overflowing = [...document.querySelectorAll('body *')]
    .filter((e) => {
      const s = seen(e);
      return s.r - s.l > 0 && s.b - s.t > 0 && (s.r > vw + 0.5 || s.l < -0.5);
    })
    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${e.textContent?.slice(0, 40)}"`);
  const trace = document.querySelector('[data-testid="trace"]')!.closest('.trace')!;
  const box = trace.getBoundingClientRect();
  const rowsInView = [...trace.querySelectorAll('li')].filter((li) => {
    const r = li.getBoundingClientRect();
    return r.height > 0 && r.top >= Math.max(box.top, 0) - 0.5 && r.bottom <= Math.min(box.bottom, vh) + 0.5;
  }).length;
  const inView = (sel: string) => {
    const e = document.querySelector(sel);
    if (!e) return 0;
    const s = seen(e);
    return Math.max(0, Math.min(s.b, vh) - Math.max(s.t, 0));
  };
  const title = document.querySelector('[data-testid="step-title"]')!.getBoundingClientRect();
  const clock = document.querySelector('[data-testid="clock"]')!.parentElement!.parentElement!;
  const c = clock.getBoundingClientRect();
  const overlaps = (a: DOMRect, b: DOMRect) =>
    !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
  const titleHitsClock = overlaps(title, c);
  // the page's name, as its text is drawn, against each page link in the header
  const name = document.createRange();
  name.selectNodeContents(document.querySelector('header h1')!);
  const nameBox = name.getBoundingClientRect();
  const nameHitsLinks = [...document.querySelectorAll('header nav a')].some((a) =>
    overlaps(nameBox, a.getBoundingClientRect()),
  );
  const laneNames = [...document.querySelectorAll('.lane-names > span')].map((s) => {
    const r = s.getBoundingClientRect();
    const clips = s.scrollWidth > s.clientWidth;
    return {
      text: s.textContent ?? '',
      left: r.left,
      right: r.right,
      // a name longer than its lane must end in an ellipsis, clipped inside it
      clips:
        clips &&
        !(getComputedStyle(s).textOverflow === 'ellipsis' && getComputedStyle(s).overflow === 'hidden'),
    };
  });
  // the clock slider's axis is in the timeline's card, or in the bottom dock when the dock holds the slider
  const axes = '[data-testid="timeline"] .axis, [data-testid="dock"] .axis';
  const ticks = [...document.querySelectorAll(axes)].map((axis) =>
    [...axis.querySelectorAll('.tick')].map((t) => {
      const a = axis.getBoundingClientRect();
      const r = t.getBoundingClientRect();
      return {
        label: t.textContent ?? '',
        left: r.left,
        right: r.right,
        inAxis: r.left >= a.left - 0.5 && r.right <= a.right + 0.5,
      };
    }),
  );
  const inWindow = (sel: string) => {
    const e = document.querySelector(sel);
    if (!e) return false;
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    const inside =
      r.height > 0 && r.top >= -0.5 && r.bottom <= vh + 0.5 && r.left >= -0.5 && r.right <= vw + 0.5;
    return inside && hit !== null && (hit === e || e.contains(hit));
  };
  // a bar too short for its words ends them in an ellipsis (the bar clips what is left; its title has them whole)
  const barTextsCut = [...document.querySelectorAll<HTMLElement>('[data-testid="timeline"] .bar-text')]
    .filter((t) => {
      const cs = getComputedStyle(t);
      const bar = t.closest('.bar')!.getBoundingClientRect();
      const cut = t.scrollWidth > t.clientWidth + 0.5 || t.getBoundingClientRect().right > bar.right + 0.5;
      return cut && !(cs.textOverflow === 'ellipsis' && cs.overflow === 'hidden');
    })
    .map((t) => t.textContent ?? '');
  return {
    barTextsCut,
    sliderInWindow: inWindow('[data-testid="clock-track"]'),
    consoleInputInWindow: inWindow('[data-testid="console-input"] input'),
    overflowing,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: vw,
    rowsInView,
    treeInView: inView('[data-testid="tree"]'),
    hexInView: inView('.dump'),
    titleHitsClock,
    nameHitsLinks,
    laneNames,
    ticks,
  };
}

const SIZES = [
  { name: 'laptop', width: 1280, height: 800, app: true },
  { name: 'desktop', width: 1440, height: 900, app: true },
  { name: '200% zoom of the laptop', width: 640, height: 400, app: false },
  { name: 'phone', width: 390, height: 844, app: false },
];

describe.skipIf(!chromiumAvailable())('the layout at four sizes', () => {
  const site = useBrowser({ check: 'errors' });
  let page: Page;

  beforeAll(async () => {
    // happy-path: four hosts (a long name among them), a UNC path as a step title, tickets on the timeline
    const v = await site.open('/#/s/happy-path');
    page = v.page;
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    for (const step of [1, 2]) {
      await page.getByTestId('step-forward').click();
      await page
        .locator('[data-testid="step-count"]', { hasText: `Step ${step} of` })
        .waitFor({ timeout: 60_000 });
    }
    // the last TGS-REQ once the trace has every row of the step
    await traceWhole(page);
    await page.locator('[data-testid^="row-"][data-type="TGS-REQ"]').last().click();
    await page.locator('[data-testid="inspector-type"]', { hasText: /^TGS-REQ$/ }).waitFor();
    await page.locator('.dump').waitFor();
  }, 300_000);

  for (const size of SIZES) {
    test(`${size.name} (${size.width}×${size.height})`, async () => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.evaluate(() => window.scrollTo(0, 0));
      // the selected row in the trace's view (the page itself stays at its top on a large screen)
      await page.locator('[data-testid^="row-"][aria-pressed="true"]').scrollIntoViewIfNeeded();
      if (size.app) await page.evaluate(() => window.scrollTo(0, 0));
      const m = await page.evaluate(measure);
      if (process.env.KRBPLAY_SCREENSHOTS) {
        await page.screenshot({
          path: join(process.env.KRBPLAY_SCREENSHOTS, `layout-${size.width}x${size.height}.png`),
        });
      }
      expect(m.overflowing).toEqual([]);
      expect(m.scrollWidth).toBe(m.clientWidth);
      expect(m.titleHitsClock).toBe(false);
      expect(m.nameHitsLinks).toBe(false);
      expect(m.laneNames.map((l) => l.text)).toEqual(['ws1', 'dc1', 'entra', 'contosofiles']);
      for (const [i, l] of m.laneNames.entries()) {
        expect(l.clips, `lane name ${l.text}`).toBe(false);
        if (i > 0) expect(l.left).toBeGreaterThanOrEqual(m.laneNames[i - 1]!.right - 0.5);
      }
      expect(m.ticks.length).toBe(2);
      for (const axis of m.ticks) {
        expect(axis.length).toBeGreaterThanOrEqual(2);
        for (const [i, t] of axis.entries()) {
          expect(t.inAxis, `tick "${t.label}"`).toBe(true);
          if (i > 0) expect(t.left).toBeGreaterThanOrEqual(axis[i - 1]!.right);
        }
      }
      if (size.app) {
        expect(m.rowsInView).toBeGreaterThanOrEqual(12);
        expect(m.treeInView).toBeGreaterThan(40);
        expect(m.hexInView).toBeGreaterThan(80);
        // the bottom dock: the clock's slider and the console's input without scrolling
        expect(m.sliderInWindow).toBe(true);
        expect(m.consoleInputInWindow).toBe(true);
      }
    });
  }

  test('the bottom dock folds away: the slider and the input go back to their cards, and come back', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const dock = page.getByTestId('dock');
    const toggle = page.getByTestId('dock-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await dock.getByTestId('clock-track').count()).toBe(1);
    expect(await dock.getByTestId('console-input').count()).toBe(1);
    expect(await page.getByTestId('timeline').getByTestId('clock-track').count()).toBe(0);
    expect(await page.getByTestId('console').getByTestId('console-input').count()).toBe(0);

    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await dock.getByTestId('clock-track').count()).toBe(0);
    expect(await page.getByTestId('timeline').getByTestId('clock-track').count()).toBe(1);
    expect(await page.getByTestId('console').getByTestId('console-input').count()).toBe(1);

    await toggle.click();
    await expect.poll(() => dock.getByTestId('clock-track').count()).toBe(1);
    expect(await dock.getByTestId('console-input').count()).toBe(1);
  });

  test('the panes’ top is theirs alone: a change of it restyles the panes, not every element in them', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const seen = await page.evaluate(() => {
      const panes = document.querySelector<HTMLElement>('.panes')!;
      const inside = panes.querySelector('[data-testid="trace"]')!;
      const value = (e: Element) => getComputedStyle(e).getPropertyValue('--panes-top').trim();
      return {
        panes: value(panes),
        inside: value(inside),
        top: panes.getBoundingClientRect().top + window.scrollY,
      };
    });
    // the panes hold the top they are placed at; the elements inside them do not inherit it
    expect(seen.panes).toBe(`${Math.round(seen.top)}px`);
    expect(seen.inside).toBe('0px');
  });

  test('past midnight the ticket axis labels carry their day and stay in their axis, clear of each other; short bars end their words in an ellipsis', async () => {
    // the walk that found labels running under "renewable": the clock moved on, the axis ending in "Tue 04:0…"
    await page.setViewportSize({ width: 1280, height: 800 });
    const count = page.getByTestId('step-count');
    const before = Number((await count.textContent())!.match(/of (\d+)/)![1]);
    await page.getByTestId('clock-input').fill('+20h');
    await page.getByTestId('clock-input').press('Enter');
    await count.filter({ hasText: `of ${before + 1}` }).waitFor({ timeout: 60_000 });
    await traceWhole(page);
    // the bars' words: a ticket whose end the clock has passed says so, a space before each dot
    const words = await page.locator('[data-testid="timeline"] .bar-text').allTextContents();
    expect(
      words.some((w) => w.endsWith(' · expired')),
      words.join(' / '),
    ).toBe(true);
    for (const w of words) {
      expect(w).toMatch(
        /^(TGT|referral TGT|service ticket) · \S.*–.*\S( · expired| · gone from the cache)?$/,
      );
      expect(w).not.toMatch(/ {2}|\S·/);
    }
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      const m = await page.evaluate(measure);
      expect(m.barTextsCut, size.name).toEqual([]);
      const axes = m.ticks.map((axis) => axis.map((t) => t.label).join(' | '));
      expect(
        axes.some((labels) => /\b(Mon|Tue|Wed) \d\d:\d\d/.test(labels)),
        axes.join(' / '),
      ).toBe(true);
      for (const axis of m.ticks) {
        for (const [i, t] of axis.entries()) {
          expect(t.inAxis, `${size.name}: tick "${t.label}"`).toBe(true);
          if (i > 0)
            expect(t.left, `${size.name}: tick "${t.label}"`).toBeGreaterThanOrEqual(axis[i - 1]!.right);
        }
      }
    }
  });

  test('past midnight the first row of the new day names its day over its time, in the time column', async () => {
    // the clock moved 20 hours on in the test before: the rows after midnight are on Tuesday
    const times = await page
      .locator('[data-testid="trace"] li.row .time')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    const firstTue = times.findIndex((t) => t.startsWith('Tue'));
    expect(firstTue, times.join(' / ')).toBeGreaterThan(0);
    // only that row names it: the rows before are Monday's, the rows after are on its day
    expect(times.filter((t) => /[A-Z]/.test(t))).toEqual([times[firstTue]]);
    expect(times[firstTue]).toMatch(/^Tue 3 Mar \d\d:\d\d:\d\d\.\d{3}$/);
    expect(times[firstTue - 1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      // (the row, not the day: on a phone the time column, the day in it, is not drawn)
      await page.locator('li.row', { has: page.getByTestId('row-day') }).scrollIntoViewIfNeeded();
      const m = await page.evaluate(measure);
      expect(m.overflowing, size.name).toEqual([]);
      // the day stays inside the time column (hidden with it on a phone), and the rows keep their columns
      const cols = await page.evaluate(() => {
        const day = document.querySelector('[data-testid="row-day"]')!;
        const row = day.closest('button')!;
        const other = row.closest('li')!.previousElementSibling!.querySelector('button') ?? row;
        const box = (e: Element | null) => e?.getBoundingClientRect();
        const [d, t] = [box(day)!, box(day.parentElement)!];
        return {
          shown: d.width > 0,
          inColumn: d.left >= t.left - 0.5 && d.right <= t.right + 0.5,
          diagram: box(row.querySelector('.diagram'))!.left,
          diagramBefore: box(other.querySelector('.diagram'))!.left,
        };
      });
      if (size.width > 520) {
        expect(cols.shown, size.name).toBe(true);
        expect(cols.inColumn, size.name).toBe(true);
      }
      expect(cols.diagram, size.name).toBeCloseTo(cols.diagramBefore, 1);
    }
  });

  test('below the app layout there is no dock: the slider and the input are in their cards', async () => {
    await page.setViewportSize({ width: 1100, height: 800 });
    await expect.poll(() => page.getByTestId('dock').count()).toBe(0);
    expect(await page.getByTestId('timeline').getByTestId('clock-track').count()).toBe(1);
    expect(await page.getByTestId('console').getByTestId('console-input').count()).toBe(1);
  });
});
