// A message picked in the sequence is shown in the inspector; on a phone (390×844) the panes stack and the
// inspector is far below a long sequence (two-forests at its end: the sequence from about 450 px to 1950,
// the inspector from 2750), so a row picked with the pointer brings the inspector into the window: smoothly,
// or at once for a reader who prefers reduced motion. The keyboard (Enter on a row, ↑ ↓ in the list) moves
// the selection and leaves the page where it is, and on a wide screen, where the inspector is beside the
// sequence, the page never moves.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, toLastStep, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('a row picked in the stacked layout, in Chromium', () => {
  const site = useBrowser();
  let page: Page;

  beforeAll(async () => {
    page = (await site.open('/#/s/two-forests')).page;
    await page.setViewportSize({ width: 390, height: 844 });
    await toLastStep(page);
  }, 300_000);

  const inspectorTop = () =>
    page.getByTestId('inspector').evaluate((e) => Math.round(e.getBoundingClientRect().top));
  const inspected = () => page.getByTestId('inspector-type').textContent();
  /** Two frames on: what a pick would scroll (in the frame after it) has begun. */
  const twoFrames = () =>
    page.evaluate(
      () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
    );

  /**
   * Counts the window's scroll events from now on (`scrolls` reads the count), after two frames: the event of
   * a scroll the test made just before (fired in the frame after it) is not counted.
   */
  const countScrolls = async () => {
    await twoFrames();
    await page.evaluate(() => {
      const w = window as unknown as { __scrolls?: number };
      if (w.__scrolls === undefined) window.addEventListener('scroll', () => w.__scrolls!++);
      w.__scrolls = 0;
    });
  };
  const scrolls = () => page.evaluate(() => (window as unknown as { __scrolls: number }).__scrolls);
  /**
   * Clicks the first row of `type` with the page at its top (the row in the window, the inspector far below
   * it), counting the scroll events from the click on, and waits for the inspector to show it.
   */
  async function pickFarAbove(type: string): Promise<void> {
    await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    const row = page.locator(`[data-testid^="row-"][data-type="${type}"]`).first();
    await row.scrollIntoViewIfNeeded();
    expect(await inspectorTop()).toBeGreaterThan(844);
    await countScrolls();
    await row.click();
    await expect.poll(inspected).toBe(type);
  }

  test('a row clicked far above the inspector brings the inspector into the window, smoothly', async () => {
    await pickFarAbove('TGS-REP');
    // the page scrolls until the inspector's top is at the window's top
    await expect.poll(inspectorTop, { timeout: 10_000 }).toBeLessThanOrEqual(16);
    expect(await inspectorTop()).toBeGreaterThanOrEqual(0);
    // not in one jump: the scroll went on over several frames
    expect(await scrolls()).toBeGreaterThan(1);
  });

  test("at 390 px an opened part's note in the tree wraps a long principal inside its box", async () => {
    await pickFarAbove('TGS-REP');
    // the referral's ticket: "decrypted with the krbtgt/FABRIKAM.COM@CORP.CONTOSO.COM key …", one long word
    const notes = page.locator('[data-testid="inspector"] .tree [data-testid^="opened-"]');
    await expect.poll(() => notes.count()).toBeGreaterThan(0);
    const cut = await notes.evaluateAll((els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
    );
    expect(cut).toEqual([]);
  });

  test('for a reader who prefers reduced motion, the inspector is brought in at once', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      await pickFarAbove('AS-REP');
      await expect.poll(inspectorTop).toBeLessThanOrEqual(16);
      // one scroll event: the page went there in one jump
      expect(await scrolls()).toBe(1);
    } finally {
      await page.emulateMedia({ reducedMotion: null });
    }
  });

  test('Enter on a row, and ↑ ↓ in the list, select a message and leave the page where it is', async () => {
    await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    const row = page.locator('[data-testid^="row-"][data-type="TGS-REQ"]').first();
    // in the middle of the window, so that the row after it, focused, is in the window too
    await row.evaluate((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }));
    await row.focus();
    const seq = Number(await row.getAttribute('data-seq'));
    const next = page.locator(`[data-testid^="row-"][data-seq="${seq + 1}"]`);
    const nextType = await next.getAttribute('data-type');
    const at = await page.evaluate(() => window.scrollY);
    await countScrolls();
    // Enter on the focused row selects it (a click the keyboard made), then ↓ the row after it
    await page.keyboard.press('Enter');
    await expect.poll(() => row.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(inspected).toBe('TGS-REQ');
    await twoFrames();
    expect(await page.evaluate(() => window.scrollY)).toBe(at);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => next.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(inspected).toBe(nextType?.replace(/ \d+$/, ''));
    await twoFrames();
    expect(await page.evaluate(() => window.scrollY)).toBe(at);
    expect(await scrolls()).toBe(0);
    expect(await inspectorTop()).toBeGreaterThan(844);
  });

  test('on a wide screen the inspector is beside the sequence: a row clicked does not move the page', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
      const row = page.locator('[data-testid^="row-"][data-type="AP-REQ"]').first();
      await row.scrollIntoViewIfNeeded();
      const at = await page.evaluate(() => window.scrollY);
      await countScrolls();
      await row.click();
      await expect.poll(inspected).toBe('AP-REQ');
      await twoFrames();
      expect(await page.evaluate(() => window.scrollY)).toBe(at);
      expect(await scrolls()).toBe(0);
    } finally {
      await page.setViewportSize({ width: 390, height: 844 });
    }
  });
});
