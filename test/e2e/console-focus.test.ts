// The console keeps the keyboard: after a typed command has played (the input is read-only while the
// step plays), the focus is still in the input, so the next command can be typed at once.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
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

describe.skipIf(!chromiumAvailable())('the console’s focus, in Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let v: PageRecord | undefined;

  beforeAll(async () => {
    await buildSiteIfStale();
    server = await serveStatic(distDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    expect(v?.foreignRequests()).toEqual([]);
    expect(v?.errors).toEqual([]);
    await browser?.close();
    await server?.close();
  });

  test('a command typed at the end plays as a step, and the focus stays in the input', async () => {
    v = await openPage(browser, server.origin, '/');
    const { page } = v;
    await page.getByTestId('playground').waitFor({ timeout: 60_000 });
    await page.getByTestId('step-last').click();
    const count = async () =>
      Number((await page.getByTestId('step-count').textContent())!.match(/of (\d+)/)![1]);
    const steps = await count();
    await page.locator('[data-testid="step-count"]', { hasText: `Step ${steps} of ${steps}` }).waitFor();

    const input = page.getByTestId('console-input').locator('input');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el === document.body ? 'body' : (el?.getAttribute('aria-label') ?? el?.tagName);
      });
    for (const [i, command] of ['klist', 'klist'].entries()) {
      await input.focus();
      await input.fill(command);
      await input.press('Enter');
      await page
        .locator('[data-testid="step-count"]', { hasText: `of ${steps + i + 1}` })
        .waitFor({ timeout: 60_000 });
      await expect
        .poll(() => page.getByTestId('playground').getAttribute('data-step'))
        .toBe(String(steps + i + 1));
      expect(await focused()).toMatch(/^Command at .+'s prompt$/);
      expect(await input.inputValue()).toBe('');
    }
  });
});
