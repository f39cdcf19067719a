// The playground by keyboard alone, in Chromium: Enter on "Step forward" keeps the focus there step after
// step (and at the end), and the scenario picker is a menu the arrow keys, Home, End and Escape move in.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  buildSiteIfStale,
  chromiumAvailable,
  distDir,
  launchChromium,
  openPage,
  serveStatic,
  type PageRecord,
  type StaticServer,
} from './browser';

describe.skipIf(!chromiumAvailable())('the keyboard, in Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let v: PageRecord;
  let page: Page;

  beforeAll(async () => {
    await buildSiteIfStale();
    server = await serveStatic(distDir);
    browser = await launchChromium();
    v = await openPage(browser, server.origin, '/#/s/kerberos-101');
    page = v.page;
    await page.getByTestId('playground').waitFor({ timeout: 60_000 });
  }, 300_000);

  afterAll(async () => {
    if (v) {
      expect(v.foreignRequests()).toEqual([]);
      expect(v.errors).toEqual([]);
    }
    await browser?.close();
    await server?.close();
  });

  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  const stepCount = () => page.getByTestId('step-count').textContent();

  test('Enter on "Step forward" steps on and keeps the focus, to the end and past it', async () => {
    await page.getByTestId('step-forward').focus();
    await page.keyboard.press('Enter');
    await expect.poll(stepCount).toBe('Step 1 of 2');
    expect(await focused()).toBe('step-forward');
    await page.keyboard.press('Enter');
    await expect.poll(stepCount).toBe('Step 2 of 2');
    expect(await focused()).toBe('step-forward');
    // at the end it says so and does nothing, and the focus stays
    expect(await page.getByTestId('step-forward').getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await stepCount()).toBe('Step 2 of 2');
    expect(await focused()).toBe('step-forward');
    await page.getByTestId('step-back').focus();
    await page.keyboard.press('Enter');
    await expect.poll(stepCount).toBe('Step 1 of 2');
    expect(await focused()).toBe('step-back');
  });

  test('the picker opens with ↓ on the current scenario; arrows, Home, End move; Escape gives the focus back', async () => {
    await page.getByTestId('scenario-picker').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('scenario-menu').waitFor();
    expect(await focused()).toBe('pick-kerberos-101');
    const items = await page
      .getByTestId('scenario-menu')
      .locator('[role="menuitem"]:not([disabled])')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(items.length).toBeGreaterThan(3);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(items[1]);
    await page.keyboard.press('End');
    expect(await focused()).toBe(items.at(-1));
    await page.keyboard.press('ArrowDown'); // round to the top
    expect(await focused()).toBe(items[0]);
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(items.at(-1));
    await page.keyboard.press('Home');
    expect(await focused()).toBe(items[0]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('scenario-menu').count()).toBe(0);
    expect(await focused()).toBe('scenario-picker');
    // choosing by keyboard: ↓ opens, ↓ moves to the next scenario, Enter picks it
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const next = (await focused()).replace(/^pick-/, '');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('scenario-id').textContent()).toBe(next);
    expect(next).not.toBe('kerberos-101');
  });
});
